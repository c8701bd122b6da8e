/**
 * The checksums downloads are verified with (src/main/services/download/checksums.ts): aws-crt's
 * native CRCs, loaded with `require` (also from a CommonJS bundle, as main and the CLI are built)
 * and a failure to load them logged, not silent; and Kura's CRC64NVME addon (native/crc64nvme),
 * whose PCLMULQDQ folding and slice-by-8 table give the AWS SDK's JavaScript answer for every
 * length, alignment and split, whose folding constants are what constants.mjs derives, and which
 * checksums.ts uses wherever it was built.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import {
  chooseCrc64,
  combineCrc,
  createHasher,
  crc64Nvme,
  createPieceHasher,
  loadKuraCrc64,
  loadNativeChecksums,
  type KuraCrc64,
} from '../../../../src/main/services/download/checksums';

const root = new URL('../../../..', import.meta.url).pathname;
const addonDir = join(root, 'native/crc64nvme');
const built = existsSync(join(addonDir, 'build/Release/crc64nvme.node'));
const kura = loadKuraCrc64();
const cpuHasClmul =
  process.arch === 'x64' &&
  existsSync('/proc/cpuinfo') &&
  /^flags\s*:.*\bpclmulqdq\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));

/** The reference: the AWS SDK's JavaScript CRC64NVME. */
async function reference(data: Uint8Array): Promise<bigint> {
  const c = new Crc64Nvme();
  c.update(data);
  return BigInt(`0x${Buffer.from(await c.digest()).toString('hex')}`);
}

/** A deterministic generator, so a failure names lengths and cuts that reproduce. */
function seeded(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

// Inside node_modules' parent, so the bundle resolves aws-crt as the packaged app does.
const bundles = mkdtempSync(join(root, 'node_modules', '.kura-test-'));
afterAll(() => rmSync(bundles, { recursive: true, force: true }));

describe("aws-crt's native checksums", () => {
  it('loads aws-crt here and computes CRC64NVME with it', () => {
    const logged: string[] = [];
    const native = loadNativeChecksums(undefined, (m) => logged.push(m));
    expect(native).not.toBeNull();
    const crc = native!.crc64nvme(Buffer.from('123456789'));
    // CRC-64/NVME check value of "123456789".
    expect(Buffer.from(crc.buffer, crc.byteOffset, 8).toString('hex')).toBe('ae8b14860a799888');
    expect(logged).toEqual([]);
  });

  it('says why and what it falls back to when the binary cannot load', () => {
    const logged: string[] = [];
    const native = loadNativeChecksums(
      () => {
        throw new Error('AWS CRT binary not present in any of the following locations:\n\t/x');
      },
      (m) => logged.push(m),
    );
    expect(native).toBeNull();
    expect(logged).toEqual([
      "kura: aws-crt's native checksums did not load (AWS CRT binary not present in any of the following locations:); verifying downloads with the JavaScript CRC instead (about 3× slower)",
    ]);
  });

  // Main is bundled by electron-vite (Vite 8: rolldown), the CLI by esbuild; both as CommonJS.
  it.each(['rolldown', 'esbuild'])(
    'is required, not imported, from a CommonJS bundle made by %s, and loads there',
    async (bundler) => {
      const entry = join(root, 'src/main/services/download/checksums.ts');
      const outfile = join(bundles, `checksums-${bundler}.cjs`);
      if (bundler === 'rolldown') {
        const { build } = await import('rolldown');
        await build({
          input: entry,
          platform: 'node',
          external: ['aws-crt', /^node:/],
          output: { format: 'cjs', file: outfile },
          logLevel: 'silent',
        });
      } else {
        buildSync({
          entryPoints: [entry],
          bundle: true,
          platform: 'node',
          format: 'cjs',
          outfile,
          external: ['aws-crt'],
          logLevel: 'silent',
        });
      }
      const code = readFileSync(outfile, 'utf8');
      expect(code).toContain('aws-crt');
      expect(code).not.toMatch(/import\(\s*["']aws-crt["']\s*\)/);
      const r = spawnSync(
        process.execPath,
        [
          '-e',
          `const c = require(${JSON.stringify(outfile)}); const logs = []; const n = c.loadNativeChecksums(undefined, (m) => logs.push(m)); process.stdout.write(JSON.stringify({ native: typeof n?.crc64nvme, logs, crc64: c.crc64Nvme().implementation }));`,
        ],
        { encoding: 'utf8' },
      );
      // …and so does Kura's CRC64NVME addon, where it was built (below).
      expect(JSON.parse(r.stdout)).toEqual({
        native: 'function',
        logs: [],
        crc64: crc64Nvme().implementation,
      });
    },
  );
});

describe('the addon (native/crc64nvme)', () => {
  it('is built where a compiler is (npm install builds it), loads, and uses PCLMULQDQ where the CPU has it', () => {
    const hasCompiler = ['python3', 'make', 'cc'].every(
      (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
    );
    if (hasCompiler) expect(built).toBe(true);
    if (!built) return;
    expect(kura).not.toBeNull();
    expect(kura!.simd).toBe(cpuHasClmul ? 'pclmulqdq' : 'none');
  });

  it('is the CRC64NVME checksums.ts uses when built with PCLMULQDQ (never silently skipped)', () => {
    if (!built) return;
    expect(crc64Nvme().implementation).toBe(cpuHasClmul ? 'kura-pclmulqdq' : 'aws-crt');
  });
});

describe.skipIf(!kura)('CRC64NVME by the addon', () => {
  const { crc64, crc64Table } = kura ?? ({} as KuraCrc64);
  const both = [
    ['crc64', crc64],
    ['crc64Table', crc64Table],
  ] as const;

  it.each(both)('%s has the catalogue check value of "123456789"', (_, crc) => {
    expect(crc(Buffer.from('123456789')).toString(16)).toBe('ae8b14860a799888');
    expect(crc(new Uint8Array(0))).toBe(0n);
  });

  it.each(both)('%s equals the JavaScript for every length 0..300', async (_, crc) => {
    const data = randomBytes(300);
    for (let n = 0; n <= 300; n++) {
      const part = data.subarray(0, n);
      expect(crc(part), `length ${n}`).toBe(await reference(part));
    }
  });

  it.each(both)('%s equals the JavaScript at every alignment 0..15', async (_, crc) => {
    const data = randomBytes(8192);
    for (let offset = 0; offset < 16; offset++)
      for (const n of [1, 15, 127, 255, 256, 257, 383, 1024 + 7, 4096 + 13, 8000]) {
        const part = data.subarray(offset, offset + n);
        expect(crc(part), `offset ${offset}, length ${n}`).toBe(await reference(part));
      }
  });

  it('equals the JavaScript and the table for random big buffers', async () => {
    const random = seeded(14);
    for (let i = 0; i < 6; i++) {
      const n = 1 + Math.floor(random() * 6 * 1024 * 1024);
      const data = randomBytes(n);
      const expected = await reference(data);
      expect(crc64(data), `length ${n}`).toBe(expected);
      expect(crc64Table(data), `length ${n}`).toBe(expected);
    }
  });

  it.each(both)('%s by increments, split at random points, equals one call', async (_, crc) => {
    const random = seeded(64);
    const data = randomBytes(2 * 1024 * 1024 + 333);
    const whole = await reference(data);
    for (let round = 0; round < 20; round++) {
      // Pieces from 0 bytes to about a MiB: short ones take the table, long ones the folding.
      const cuts = [0];
      while (cuts.at(-1)! < data.length) {
        const scale = [1, 64, 300, 70000, 1 << 20][Math.floor(random() * 5)]!;
        cuts.push(Math.min(data.length, cuts.at(-1)! + Math.floor(random() * scale)));
      }
      let v = 0n;
      for (let i = 1; i < cuts.length; i++) v = crc(data.subarray(cuts[i - 1], cuts[i]), v);
      expect(v, `cuts ${cuts.join(',')}`).toBe(whole);
    }
  });

  it('reads any ArrayBufferView by its bytes and refuses what is not one', () => {
    const data = randomBytes(4096 + 8);
    const expected = crc64(data);
    const copy = new ArrayBuffer(data.length);
    new Uint8Array(copy).set(data);
    expect(crc64(new DataView(copy))).toBe(expected);
    expect(crc64(new Uint32Array(copy))).toBe(expected);
    expect(crc64(new Float64Array(copy))).toBe(expected);
    expect(() => crc64('abc' as unknown as DataView)).toThrow(TypeError);
    expect(() => crc64(data, 5 as unknown as bigint)).toThrow(TypeError);
    expect(() => crc64(data, 1n << 64n)).toThrow(TypeError);
  });

  it('pieces hashed by the addon join (combineCrc) into the JavaScript value of the whole', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const cuts = [0, 5, 300, 65536 + 3, 1024 * 1024, data.length];
    const ph = createPieceHasher('CRC64NVME')!;
    const pieces = [];
    for (let i = 1; i < cuts.length; i++) {
      const piece = ph.piece();
      piece.update(data.subarray(cuts[i - 1], cuts[i]));
      pieces.push({ crc: await piece.value(), length: cuts[i]! - cuts[i - 1]! });
    }
    const whole = await reference(data);
    expect(pieces.reduce((a, p) => combineCrc('CRC64NVME', a, p.crc, p.length), 0n)).toBe(whole);
    expect(ph.join(pieces)).toBe(
      Buffer.from(whole.toString(16).padStart(16, '0'), 'hex').toString('base64'),
    );
  });
});

describe('which CRC64NVME is used (chooseCrc64)', () => {
  const crt = loadNativeChecksums();
  const table = kura && { ...kura, simd: 'none' };
  const sources = [
    ['kura-pclmulqdq', kura?.simd === 'pclmulqdq' ? kura : null, () => crt],
    ['aws-crt', table, () => crt],
    ['kura-table', table, () => null],
    ['javascript', null, () => null],
  ] as const;

  it.each(sources)(
    '%s, when chosen, gives the JavaScript answer piece by piece',
    async (name, k, c) => {
      if (name.startsWith('kura') && !k) return; // not built here
      if (name === 'aws-crt' && !crt) return;
      const source = chooseCrc64(k, c);
      expect(source.implementation).toBe(name);
      const data = randomBytes(1024 * 1024 + 99);
      const piece = source.piece();
      for (let at = 0; at < data.length; at += 65536) piece.update(data.subarray(at, at + 65536));
      expect(await piece.value()).toBe(await reference(data));
      expect(await source.piece().value()).toBe(0n);
    },
  );

  it('the download hasher states it as S3 does (base64 of 8 bytes, big-endian)', async () => {
    const h = await createHasher('CRC64NVME');
    h.update(Buffer.from('123456789'));
    expect(await h.digest()).toBe(Buffer.from('ae8b14860a799888', 'hex').toString('base64'));
    expect(await (await createHasher('CRC64NVME')).digest()).toBe('AAAAAAAAAAA=');
  });

  it('a missing or broken addon is no addon', () => {
    expect(
      loadKuraCrc64(() => {
        throw new Error("Cannot find module './build/Release/crc64nvme.node'");
      }),
    ).toBeNull();
    expect(loadKuraCrc64(() => ({}))).toBeNull();
  });
});

describe('the folding constants', () => {
  it('are what constants.mjs derives from the polynomial', () => {
    const r = spawnSync(process.execPath, [join(addonDir, 'constants.mjs')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(join(addonDir, 'src/constants.h'), 'utf8')).toBe(r.stdout);
    expect(r.stdout).toContain('#define CRC64NVME_POLY 0x9a6c9329ac4bc9b5ULL');
  });
});
