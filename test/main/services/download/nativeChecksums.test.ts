/**
 * aws-crt's native CRCs: loaded with `require` (also from a CommonJS bundle, as main and the CLI
 * are built), and a failure to load them is logged, not silent.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { crc64Nvme, loadNativeChecksums } from '../../../../src/main/services/download/checksums';

const root = new URL('../../../..', import.meta.url).pathname;
// Inside node_modules' parent, so the bundle resolves aws-crt as the packaged app does.
const dir = mkdtempSync(join(root, 'node_modules', '.kura-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('native checksums', () => {
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
      const outfile = join(dir, `checksums-${bundler}.cjs`);
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
      // …and so does Kura's CRC64NVME addon, where it was built (test/main/crc64nvme.test.ts).
      expect(JSON.parse(r.stdout)).toEqual({
        native: 'function',
        logs: [],
        crc64: crc64Nvme().implementation,
      });
    },
  );
});
