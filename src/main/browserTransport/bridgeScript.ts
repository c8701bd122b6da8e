/** Bundles the browser bridge (src/renderer/transport/browserBridge.ts) for the browser transport. */
import { join } from 'node:path';
import { buildSync } from 'esbuild';

export function bundleBrowserBridge(root: string): string {
  const r = buildSync({
    entryPoints: [join(root, 'src/renderer/transport/browserBridge.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
  });
  return r.outputFiles[0]!.text;
}
