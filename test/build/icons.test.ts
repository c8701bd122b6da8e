import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICO_SIZES, LINUX_SIZES, makeIcons } from '../../scripts/make-icons';

const build = join(new URL('../..', import.meta.url).pathname, 'build');
const pngSize = (png: Buffer) => {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
};

describe('the app icon', () => {
  it('is what scripts/make-icons.ts renders from build/icon.svg (committed files are current)', () => {
    for (const [path, data] of makeIcons(readFileSync(join(build, 'icon.svg'))))
      expect(readFileSync(join(build, path)).equals(data), path).toBe(true);
  });

  it('has every Linux size, named as electron-builder reads them', () => {
    for (const n of LINUX_SIZES)
      expect(pngSize(readFileSync(join(build, 'icons', `${n}x${n}.png`)))).toEqual([n, n]);
    expect(pngSize(readFileSync(join(build, 'icon.png')))).toEqual([1024, 1024]);
  });

  it('has a Windows .ico with PNG images from 16 to 256 pixels', () => {
    const ico = readFileSync(join(build, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes = [];
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i;
      const [bytes, offset] = [ico.readUInt32LE(e + 8), ico.readUInt32LE(e + 12)];
      const [w] = pngSize(ico.subarray(offset, offset + bytes));
      expect(ico.readUInt8(e) || 256).toBe(w);
      sizes.push(w);
    }
    expect(sizes).toEqual(ICO_SIZES);
  });

  it('has a macOS .icns with PNG entries up to 1024 pixels (and the @2x ones)', () => {
    const icns = readFileSync(join(build, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: [string, number][] = [];
    for (let o = 8; o < icns.length;) {
      const type = icns.subarray(o, o + 4).toString('ascii');
      const length = icns.readUInt32BE(o + 4);
      found.push([type, pngSize(icns.subarray(o + 8, o + length))[0]!]);
      o += length;
    }
    expect(found).toEqual(ICNS_TYPES);
  });

  it('is the icon electron-builder.yml names for each platform', () => {
    const config = parse(readFileSync(join(build, '..', 'electron-builder.yml'), 'utf8')) as {
      mac: { icon: string };
      win: { icon: string };
      linux: { icon: string };
    };
    expect([config.mac.icon, config.win.icon, config.linux.icon]).toEqual([
      'build/icon.icns',
      'build/icon.ico',
      'build/icons',
    ]);
  });
});
