// Builds the addon with node-gyp when the package is installed; a machine without a compiler
// still installs (exit 0): Kura then verifies CRC64NVME with aws-crt or the SDK's JavaScript and
// says so (src/main/services/download/checksums.ts).
const { spawnSync } = require('node:child_process');

const gyp = process.env.npm_config_node_gyp;
const r = gyp
  ? spawnSync(process.execPath, [gyp, 'rebuild'], { stdio: 'inherit' })
  : spawnSync('node-gyp', ['rebuild'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (r.status !== 0) {
  console.warn(
    `@kura/crc64nvme: the native CRC64NVME could not be built (${r.error ? r.error.message : `node-gyp exited with ${r.status}`}); Kura will use aws-crt's or the JavaScript CRC64NVME instead.`,
  );
}
