import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
  productName: string;
  files: string[];
  mac: Record<string, unknown>;
  nsis: Record<string, unknown>;
  linux: { target: string[]; executableName: string };
  deb: { depends: string[]; recommends: string[] };
  asarUnpack: string[];
  afterPack: string;
}
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  productName?: string;
  homepage?: string;
  author?: { name?: string; email?: string };
};

describe('electron-builder.yml', () => {
  it('is valid against the schema app-builder-lib ships', () => {
    const schema = JSON.parse(
      readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
    ) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('builds dmg+zip with the hardened runtime, per-user NSIS, AppImage and deb', () => {
    expect(config.mac).toMatchObject({ hardenedRuntime: true });
    expect(JSON.stringify(config.mac.target)).toContain('"zip"'); // what the updater installs
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.asarUnpack).toContain('**/node_modules/@napi-rs/keyring*/**');
    expect(config.afterPack).toBe('build/afterPack.cjs');
  });

  it('names the app "Kura" at runtime too (package.json productName: the data folder, the menus)', () => {
    expect(pkg.productName).toBe('Kura');
    expect(config.productName).toBe(pkg.productName);
  });

  it('gives the .deb what fpm requires: a homepage and an author with an email', () => {
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author?.name).toBeTruthy();
    expect(pkg.author?.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });

  it("keeps electron-builder's default deb dependencies (a list replaces them) and adds libsecret; keyrings recommended", () => {
    // app-builder-lib's documented default for deb.depends (linuxOptions.d.ts).
    const defaults = [
      'libgtk-3-0',
      'libnotify4',
      'libnss3',
      'libxss1',
      'libxtst6',
      'xdg-utils',
      'libatspi2.0-0',
      'libuuid1',
      'libsecret-1-0',
    ];
    const alternatives = config.deb.depends.map((d) => d.split('|').map((s) => s.trim()));
    for (const d of defaults)
      expect(
        alternatives.some((a) => a[0] === d),
        d,
      ).toBe(true);
    expect(config.deb.recommends.join(' ')).toContain('gnome-keyring');
    expect(config.deb.depends.join(' ')).not.toContain('gnome-keyring');
  });

  describe("ships only the target's aws-crt binaries", () => {
    const { FileMatcher } = require('app-builder-lib/out/fileMatcher') as {
      FileMatcher: new (
        from: string,
        to: string,
        expand: (p: string) => string,
        patterns: string[],
      ) => { createFilter(): (file: string, stat: ReturnType<typeof statSync>) => boolean };
    };
    const bin = join(root, 'node_modules/aws-crt/dist/bin');
    const all = [
      'darwin-arm64-cruntime',
      'darwin-x64-cruntime',
      'linux-arm64-glibc',
      'linux-arm64-musl',
      'linux-x64-glibc',
      'linux-x64-musl',
      'win32-x64-cruntime',
    ];
    // As electron-builder filters node_modules: `**/*` and then the config's exclusions.
    const shipped = (platform: string, arch: string) => {
      const exclusions = config.files.filter((f) => f.startsWith('!'));
      const expand = (p: string) =>
        p.replaceAll('${platform}', platform).replaceAll('${arch}', arch);
      const filter = new FileMatcher(root, '/app', expand, ['**/*', ...exclusions]).createFilter();
      const kept = all.filter((dir) => {
        const binary = join(bin, dir, 'aws-crt-nodejs.node');
        return filter(join(bin, dir), statSync(join(bin, dir))) && filter(binary, statSync(binary));
      });
      return { kept, filter };
    };

    it.each([
      ['linux', 'x64', 'linux-x64-glibc'],
      ['linux', 'arm64', 'linux-arm64-glibc'],
      ['darwin', 'arm64', 'darwin-arm64-cruntime'],
      ['darwin', 'x64', 'darwin-x64-cruntime'],
      ['win32', 'x64', 'win32-x64-cruntime'],
    ])('%s %s keeps %s alone', (platform, arch, only) => {
      expect(shipped(platform, arch).kept).toEqual([only]);
    });

    it('keeps the JavaScript that loads it and drops the sources', () => {
      const { filter } = shipped('linux', 'x64');
      const index = join(root, 'node_modules/aws-crt/dist/index.js');
      expect(filter(index, statSync(index))).toBe(true);
      const source = join(root, 'node_modules/aws-crt/source');
      expect(filter(source, statSync(source))).toBe(false);
    });

    // An optional dependency (package.json), so present only where it was built.
    const crc64 = join(root, 'node_modules/@kura/crc64nvme');
    it.skipIf(!existsSync(join(crc64, 'build/Release/crc64nvme.node')))(
      "keeps Kura's CRC64NVME addon (its loader and .node, unpacked from the asar) without its sources",
      () => {
        const { filter } = shipped('linux', 'x64');
        const kept = (path: string) => filter(join(crc64, path), statSync(join(crc64, path)));
        expect(kept('index.cjs')).toBe(true);
        expect(kept('package.json')).toBe(true);
        expect(kept('build')).toBe(true);
        expect(kept('build/Release')).toBe(true);
        expect(kept('build/Release/crc64nvme.node')).toBe(true);
        expect(config.asarUnpack).toContain('**/*.node');
        for (const path of [
          'src',
          'src/crc64nvme.c',
          'binding.gyp',
          'constants.mjs',
          'install.cjs',
          'build/Makefile',
          'build/Release/obj.target',
        ])
          expect(kept(path), path).toBe(false);
      },
    );
  });
});

// A stand-in executable carrying Electron's fuse wire: sentinel, version 1, the wire length and
// one byte per fuse ('1' on, '0' off) — as in Electron's binaries.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
function standIn(dir: string, name: string, wire: string): string {
  mkdirSync(dir, { recursive: true });
  const bytes = Buffer.concat([
    Buffer.from(SENTINEL),
    Buffer.from([1, wire.length]),
    Buffer.from(wire),
  ]);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([Buffer.alloc(1024, 7), bytes, Buffer.alloc(1024, 7)]));
  return path;
}
// Electron ≥ 42 ships nine fuses: RunAsNode, NodeOptions, Inspect, FileProtocol and WasmTrapHandlers on.
const ELECTRON_DEFAULT_WIRE = '101100011';

async function afterPack(appOutDir: string) {
  const hook = require(join(root, 'build/afterPack.cjs')) as {
    default: (c: unknown) => Promise<void>;
  };
  await hook.default({
    appOutDir,
    electronPlatformName: 'linux',
    packager: { appInfo: { productFilename: 'Kura' }, executableName: 'kura' },
  });
}

const checkFuses = (dist: string) =>
  spawnSync(process.execPath, [join(root, 'scripts/check-fuses.mjs'), dist], {
    encoding: 'utf8',
  });

describe('fuses', () => {
  it('decides every fuse this @electron/fuses knows, the secure way', () => {
    expect(KURA_FUSES.strictlyRequireAllFuses).toBe(true);
    const numeric = Object.values(FuseV1Options).filter((v) => typeof v === 'number');
    expect(numeric.length).toBeGreaterThanOrEqual(9);
    for (const f of numeric) expect(KURA_FUSES[f], FuseV1Options[f]).toBeTypeOf('boolean');
    expect(KURA_FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(KURA_FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(KURA_FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(KURA_FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(KURA_FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(KURA_FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(KURA_FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    expect(KURA_FUSES[FuseV1Options.WasmTrapHandlers]).toBe(true);
  });

  it('the afterPack hook flips all nine fuses of an Electron ≥ 42 binary', async () => {
    const appOutDir = mkdtempSync(join(tmpdir(), 'kura-pack-'));
    const binary = standIn(appOutDir, 'kura', ELECTRON_DEFAULT_WIRE);
    await afterPack(appOutDir);
    const fuses = await getCurrentFuseWire(binary);
    const on = 49;
    const off = 48;
    expect(fuses[FuseV1Options.RunAsNode]).toBe(off);
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(on);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(on);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on);
    expect(fuses[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(off);
    expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(off);
    expect(fuses[FuseV1Options.WasmTrapHandlers]).toBe(on);
  });

  it('the afterPack hook refuses a binary with a fuse nobody decided (a future Electron)', async () => {
    const appOutDir = mkdtempSync(join(tmpdir(), 'kura-pack-'));
    standIn(appOutDir, 'kura', `${ELECTRON_DEFAULT_WIRE}0`);
    await expect(afterPack(appOutDir)).rejects.toThrow(/strictlyRequireAllFuses/);
  });

  it('the release check (`@electron/fuses read`) passes a flipped app and names what is wrong in an unflipped one', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'kura-dist-'));
    standIn(join(dist, 'linux-unpacked'), 'kura', ELECTRON_DEFAULT_WIRE);
    const before = checkFuses(dist);
    expect(before.status).toBe(1);
    expect(before.stderr).toContain('RunAsNode is Enabled, want Disabled');
    expect(before.stderr).toContain('OnlyLoadAppFromAsar is Disabled, want Enabled');

    await afterPack(join(dist, 'linux-unpacked'));
    const after = checkFuses(dist);
    expect(after.stderr).toBe('');
    expect(after.status).toBe(0);
    expect(after.stdout).toContain('WasmTrapHandlers is Enabled');
  });

  it('the release check fails when there is no packaged app, or one with an undecided fuse', () => {
    const empty = mkdtempSync(join(tmpdir(), 'kura-dist-'));
    expect(checkFuses(empty).status).toBe(1);
    const dist = mkdtempSync(join(tmpdir(), 'kura-dist-'));
    standIn(join(dist, 'win-unpacked'), 'Kura.exe', `${ELECTRON_DEFAULT_WIRE}1`);
    const r = checkFuses(dist);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not decided in build/fuses.ts');
  });
});
