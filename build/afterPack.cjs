// electron-builder afterPack hook: flips the fuses of the packed Electron binary (before
// signing), from build/fuses.ts so the values are written in one place. @electron/fuses 2.x is
// an ES module (and knows Electron ≥ 42's ninth fuse), so both are imported, not required.
const { join } = require('node:path');

exports.default = async function afterPack(context) {
  const { flipFuses } = await import('@electron/fuses');
  const { tsImport } = require('tsx/esm/api');
  const { KURA_FUSES } = await tsImport('./fuses.ts', __filename);
  const { productFilename } = context.packager.appInfo;
  const executable = {
    darwin: join(context.appOutDir, `${productFilename}.app`),
    mas: join(context.appOutDir, `${productFilename}.app`),
    win32: join(context.appOutDir, `${productFilename}.exe`),
    linux: join(context.appOutDir, context.packager.executableName),
  }[context.electronPlatformName];
  await flipFuses(executable, KURA_FUSES);
};
