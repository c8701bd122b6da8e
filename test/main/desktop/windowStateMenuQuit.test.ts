import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../../src/main/desktop/menu';
import { mayQuit } from '../../../src/main/desktop/quitGuard';
import { WORDS } from '../../../src/main/i18n';
import {
  loadWindowState,
  saveWindowState,
  visibleBounds,
} from '../../../src/main/desktop/windowState';
import { tempDir } from '../../helpers/kura';

describe('remembered window bounds', () => {
  it('saves and loads size, position and maximised state', () => {
    const path = join(tempDir(), 'window-state.json');
    saveWindowState(path, { bounds: { x: 40, y: 30, width: 1200, height: 800 }, maximized: true });
    expect(loadWindowState(path)).toEqual({
      bounds: { x: 40, y: 30, width: 1200, height: 800 },
      maximized: true,
    });
  });

  it('ignores a missing, broken or absurd file', () => {
    const dir = tempDir();
    expect(loadWindowState(join(dir, 'none.json'))).toBeNull();
    writeFileSync(join(dir, 'broken.json'), '{');
    expect(loadWindowState(join(dir, 'broken.json'))).toBeNull();
    writeFileSync(
      join(dir, 'tiny.json'),
      JSON.stringify({ bounds: { x: 0, y: 0, width: 10, height: 10 } }),
    );
    expect(loadWindowState(join(dir, 'tiny.json'))).toBeNull();
  });

  it('restores only onto a display that is still there', () => {
    const laptop = { x: 0, y: 0, width: 1440, height: 900 };
    const onLaptop = { x: 100, y: 100, width: 1000, height: 700 };
    const onUnpluggedMonitor = { x: 2000, y: 100, width: 1000, height: 700 };
    expect(visibleBounds(onLaptop, [laptop])).toEqual(onLaptop);
    expect(visibleBounds(onUnpluggedMonitor, [laptop])).toBeNull();
    expect(
      visibleBounds(onUnpluggedMonitor, [laptop, { x: 1440, y: 0, width: 1920, height: 1080 }]),
    ).toEqual(onUnpluggedMonitor);
  });
});

describe('native menu', () => {
  it('uses standard roles with Japanese or English titles', () => {
    const ja = menuTemplate('ja', 'linux');
    expect(ja.map((m) => m.label)).toEqual(['ファイル', '編集', '表示', 'ウインドウ', 'ヘルプ']);
    const en = menuTemplate('en', 'win32');
    expect(en.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    const roles = JSON.stringify(en);
    for (const role of [
      'quit',
      'copy',
      'paste',
      'selectAll',
      'zoomIn',
      'togglefullscreen',
      'minimize',
      'about',
    ]) {
      expect(roles).toContain(`"role":"${role}"`);
    }
  });

  it('adds the app menu on macOS', () => {
    const [appMenu] = menuTemplate('en', 'darwin');
    expect(appMenu!.label).toBe('Kura');
    const roles = (appMenu!.submenu as { role?: string }[]).map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
  });

  it.each(['darwin', 'win32', 'linux'] as const)(
    'labels every role item in Japanese on %s (Electron would show English)',
    (platform) => {
      type Item = ReturnType<typeof menuTemplate>[number];
      const items: Item[] = [];
      const walk = (list: Item[]) => {
        for (const i of list) {
          items.push(i);
          if (Array.isArray(i.submenu)) walk(i.submenu);
        }
      };
      walk(menuTemplate('ja', platform));
      const roleItems = items.filter((i) => i.role && i.type !== 'separator');
      expect(roleItems.length).toBeGreaterThan(10);
      for (const i of roleItems) {
        expect(i.label, i.role).toBeTruthy();
        // Japanese text; the only Latin word allowed is the app's name.
        expect(i.label!.replace('Kura', ''), i.role).not.toMatch(/[A-Za-z]/);
      }
      const en = JSON.stringify(menuTemplate('en', platform));
      expect(en).toContain('"label":"Select All"');
    },
  );
});

describe('quitting while downloads run', () => {
  it('asks only when something is running, and follows the answer', () => {
    let asked = 0;
    const answer = (yes: boolean) => () => {
      asked++;
      return yes;
    };
    expect(mayQuit(0, answer(false))).toBe(true);
    expect(asked).toBe(0);
    expect(mayQuit(2, answer(false))).toBe(false);
    expect(mayQuit(2, answer(true))).toBe(true);
    expect(asked).toBe(2);
    expect(WORDS.ja.quit.quit).toBe('終了');
  });
});
