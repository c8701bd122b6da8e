/**
 * The Electron fuses of the packaged app (security.md): no running as plain Node, no
 * NODE_OPTIONS, no --inspect, cookies encrypted, the app only from its asar, whose integrity is
 * validated. `strictlyRequireAllFuses` makes a future Electron with a new fuse fail the build
 * until it is decided here.
 *
 * WasmTrapHandlers (the ninth fuse, Electron ≥ 42) stays on, Electron's and Chrome's default:
 * V8 then guards WebAssembly memory with guard pages and a signal handler instead of a compare
 * and branch before every access. Turning it off buys no security (both ways trap an
 * out-of-bounds access); it only makes Wasm slower and larger, and Kura installs no signal
 * handlers of its own that could clash with V8's. The renderer runs pdf.js, which may use Wasm.
 */
import { FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';

export const KURA_FUSES: FuseV1Config = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  resetAdHocDarwinSignature: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.WasmTrapHandlers]: true,
};
