/**
 * The Electron fuses of the packaged app (security.md): no running as plain Node, no
 * NODE_OPTIONS, no --inspect, cookies encrypted, the app only from its asar, whose integrity is
 * validated. `strictlyRequireAllFuses` makes a future Electron with a new fuse fail the build
 * until it is decided here.
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
};
