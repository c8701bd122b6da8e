/**
 * The native menu, in Japanese or English, built from Electron's standard roles. Electron gives
 * role items English labels whatever the OS language, so every item carries its own label here
 * (the role still supplies the behaviour and the accelerator).
 */
import type { MenuItemConstructorOptions } from 'electron';

type Role = NonNullable<MenuItemConstructorOptions['role']>;

const TITLES = {
  en: {
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    docs: 'Kura on GitHub',
  },
  ja: {
    file: 'ファイル',
    edit: '編集',
    view: '表示',
    window: 'ウインドウ',
    help: 'ヘルプ',
    docs: 'Kura (GitHub)',
  },
} as const;

/** Labels of the role items Kura's menu uses (macOS and Windows/Linux wording where they differ). */
export const ROLE_LABELS: Record<'en' | 'ja', Partial<Record<Role, string>>> = {
  en: {
    about: 'About Kura',
    services: 'Services',
    hide: 'Hide Kura',
    hideOthers: 'Hide Others',
    unhide: 'Show All',
    quit: 'Quit Kura',
    close: 'Close Window',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    resetZoom: 'Actual Size',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    togglefullscreen: 'Toggle Full Screen',
    minimize: 'Minimize',
    zoom: 'Zoom',
    front: 'Bring All to Front',
  },
  ja: {
    about: 'Kura について',
    services: 'サービス',
    hide: 'Kura を非表示',
    hideOthers: 'ほかを非表示',
    unhide: 'すべてを表示',
    quit: 'Kura を終了',
    close: 'ウインドウを閉じる',
    undo: '取り消す',
    redo: 'やり直す',
    cut: '切り取り',
    copy: 'コピー',
    paste: '貼り付け',
    selectAll: 'すべてを選択',
    resetZoom: '実際のサイズ',
    zoomIn: '拡大',
    zoomOut: '縮小',
    togglefullscreen: 'フルスクリーン表示を切り替える',
    minimize: '最小化',
    zoom: 'ズーム',
    front: 'すべてを手前に移動',
  },
};

export function menuTemplate(
  lang: 'en' | 'ja',
  platform: NodeJS.Platform,
): MenuItemConstructorOptions[] {
  const t = TITLES[lang];
  const labels = ROLE_LABELS[lang];
  const item = (role: Role): MenuItemConstructorOptions => ({ role, label: labels[role] });
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const mac = platform === 'darwin';
  return [
    ...(mac
      ? [
          {
            label: 'Kura',
            submenu: [
              item('about'),
              separator,
              { ...item('services'), submenu: [] },
              separator,
              item('hide'),
              item('hideOthers'),
              item('unhide'),
              separator,
              item('quit'),
            ],
          },
        ]
      : []),
    { label: t.file, submenu: [mac ? item('close') : item('quit')] },
    {
      label: t.edit,
      submenu: [
        item('undo'),
        item('redo'),
        separator,
        item('cut'),
        item('copy'),
        item('paste'),
        item('selectAll'),
      ],
    },
    {
      label: t.view,
      submenu: [
        item('resetZoom'),
        item('zoomIn'),
        item('zoomOut'),
        separator,
        item('togglefullscreen'),
      ],
    },
    {
      label: t.window,
      submenu: mac
        ? [item('minimize'), item('zoom'), separator, item('front')]
        : [item('minimize'), item('close')],
    },
    { label: t.help, role: 'help', submenu: [item('about')] },
  ];
}
