/**
 * The app icon in every size electron-builder wants, from build/icon.svg (run after changing
 * it: `npx tsx scripts/make-icons.ts`; test/build checks the committed files match):
 * build/icon.png (1024), build/icons/<N>x<N>.png (Linux), build/icon.ico (Windows, PNG entries
 * 16–256) and build/icon.icns (macOS, PNG entries 16–1024 with the @2x ones).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const root = new URL('..', import.meta.url).pathname;

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS types holding PNG data, and their pixel sizes. */
export const ICNS_TYPES: [string, number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

export function renderPng(svg: Buffer, size: number): Buffer {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng());
}

/** An ICO file whose images are PNGs (Windows Vista and later read them). */
export function ico(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

/** An ICNS file of PNG entries. */
export function icns(entries: { type: string; png: Buffer }[]): Buffer {
  const chunks = entries.map(({ type, png }) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([h, png]);
  });
  const body = Buffer.concat(chunks);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

/** Every icon file, by path relative to build/. */
export function makeIcons(svg: Buffer): Map<string, Buffer> {
  const png = new Map<number, Buffer>();
  const at = (size: number) => {
    if (!png.has(size)) png.set(size, renderPng(svg, size));
    return png.get(size)!;
  };
  const files = new Map<string, Buffer>();
  files.set('icon.png', at(1024));
  for (const size of LINUX_SIZES) files.set(`icons/${size}x${size}.png`, at(size));
  files.set('icon.ico', ico(ICO_SIZES.map((size) => ({ size, png: at(size) }))));
  files.set('icon.icns', icns(ICNS_TYPES.map(([type, size]) => ({ type, png: at(size) }))));
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const build = join(root, 'build');
  mkdirSync(join(build, 'icons'), { recursive: true });
  for (const [path, data] of makeIcons(readFileSync(join(build, 'icon.svg'))))
    writeFileSync(join(build, path), data);
  console.log('build/icon.png, build/icons/*.png, build/icon.ico, build/icon.icns written');
}
