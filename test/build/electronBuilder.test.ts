import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KURA_FUSES } from '../../build/fuses';

const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
interface BuilderConfig {
  mac: Record<string, unknown>;
  nsis: Record<string, unknown>;
  linux: { target: string[] };
  deb: { depends: string[] };
  asarUnpack: string[];
  afterPack: string;
}
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('is valid against the schema app-builder-lib ships', () => {
    const schema = JSON.parse(
      readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
    ) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('builds dmg+zip with the hardened runtime, per-user NSIS, AppImage and deb declaring libsecret', () => {
    expect(config.mac).toMatchObject({ hardenedRuntime: true, target: ['dmg', 'zip'] });
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.deb.depends).toContain('libsecret-1-0');
    expect(config.asarUnpack).toContain('**/node_modules/@napi-rs/keyring*/**');
    expect(config.afterPack).toBe('build/afterPack.cjs');
  });
});

describe('fuses', () => {
  it('decides every fuse this Electron knows, the secure way', () => {
    expect(KURA_FUSES.strictlyRequireAllFuses).toBe(true);
    const numeric = Object.values(FuseV1Options).filter((v) => typeof v === 'number');
    for (const f of numeric) expect(KURA_FUSES[f], FuseV1Options[f]).toBeTypeOf('boolean');
    expect(KURA_FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(KURA_FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(KURA_FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(KURA_FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(KURA_FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(KURA_FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
  });

  it('the afterPack hook flips them in a packed Linux binary', async () => {
    // A stand-in executable carrying Electron's fuse wire (sentinel, version 1, 8 fuses as Electron ships them).
    const appOutDir = mkdtempSync(join(tmpdir(), 'kura-pack-'));
    mkdirSync(appOutDir, { recursive: true });
    const wire = Buffer.concat([
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, 8]),
      Buffer.from('11010000'),
    ]);
    const binary = join(appOutDir, 'kura');
    writeFileSync(binary, Buffer.concat([Buffer.alloc(1024, 7), wire, Buffer.alloc(1024, 7)]));
    const hook = require(join(root, 'build/afterPack.cjs')) as {
      default: (c: unknown) => Promise<void>;
    };
    await hook.default({
      appOutDir,
      electronPlatformName: 'linux',
      packager: { appInfo: { productFilename: 'Kura' }, executableName: 'kura' },
    });
    const fuses = await getCurrentFuseWire(binary);
    expect(fuses[FuseV1Options.RunAsNode]).toBe(48); // '0': off
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(49); // '1': on
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(48);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(48);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(49);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(49);
  });
});
