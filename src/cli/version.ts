/** `kura --version`: Kura's version, Node's, and the code that verifies CRC64NVME checksums. */
import { createRequire } from 'node:module';
import { crc64Nvme } from '../main/services/download/checksums';

// package.json is two folders up from the source (src/cli) and from the bundle (out/cli).
const requireHere = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);

export function versionLine(): string {
  const { version } = requireHere('../../package.json') as { version: string };
  return `kura ${version} (Node ${process.version}; CRC64NVME: ${crc64Nvme().implementation})`;
}
