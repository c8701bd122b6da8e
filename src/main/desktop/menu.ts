/**
 * The native menu, in Japanese or English, built from Electron's standard roles. Electron gives
 * role items English labels whatever the OS language, so every item carries its own label here
 * (the role still supplies the behaviour and the accelerator). The words are src/main/i18n's.
 */
import { wordsFor, type Language } from '../i18n';

/**
 * The roles Kura's menu uses: a subset of Electron's `MenuItemConstructorOptions['role']`, named
 * here so this file stays plain Node (src/main/shell hands the template to Menu.buildFromTemplate,
 * and tsc checks there that every entry is one Electron accepts).
 */
type Role =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front'
  | 'help';

/** One entry of the menu template (the shape Electron's MenuItemConstructorOptions takes). */
export interface MenuEntry {
  role?: Role;
  label?: string;
  type?: 'separator';
  submenu?: MenuEntry[];
}

export function menuTemplate(lang: Language, platform: NodeJS.Platform): MenuEntry[] {
  const t = wordsFor(lang).menu;
  const labels: Partial<Record<Role, string>> = t.roles;
  const item = (role: Role): MenuEntry => ({ role, label: labels[role] });
  const separator: MenuEntry = { type: 'separator' };
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
