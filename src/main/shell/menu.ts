/**
 * The native menu, in Japanese or English, built from Electron's standard roles (whose item
 * labels the OS localises); only the top-level titles and our own items are ours to translate.
 */
import type { MenuItemConstructorOptions } from 'electron';

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

export function menuTemplate(
  lang: 'en' | 'ja',
  platform: NodeJS.Platform,
): MenuItemConstructorOptions[] {
  const t = TITLES[lang];
  const mac = platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    { label: t.file, submenu: [mac ? { role: 'close' as const } : { role: 'quit' as const }] },
    {
      label: t.edit,
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: t.view,
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: t.window,
      submenu: mac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
    { label: t.help, role: 'help', submenu: [{ role: 'about' }] },
  ];
}
