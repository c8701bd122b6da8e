// electron-builder afterPack hook: flips the fuses of the packed Electron binary (before
// signing), from build/fuses.ts so the values are written in one place.
const { join } = require('node:path');

exports.default = async function afterPack(context) {
  const { flipFuses } = require('@electron/fuses');
  const { register } = require('tsx/cjs/api');
  const unregister = register();
  const { KURA_FUSES } = require('./fuses.ts');
  unregister();
  const { productFilename } = context.packager.appInfo;
  const executable = {
    darwin: join(context.appOutDir, `${productFilename}.app`),
    mas: join(context.appOutDir, `${productFilename}.app`),
    win32: join(context.appOutDir, `${productFilename}.exe`),
    linux: join(context.appOutDir, context.packager.executableName),
  }[context.electronPlatformName];
  await flipFuses(executable, KURA_FUSES);
};
