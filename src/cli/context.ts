/**
 * A command's context: the core composed as the app's is (src/main/compose/core.ts), with what
 * the terminal decides — the keychain proven only for `login`, the proxy's question asked here,
 * --proxy, --proxy-pac, --profile, the system browser or none — built once by `kura.ts` and
 * handed to the command; and what several commands ask of it. What only one command needs it
 * loads itself (`kura ls` loads neither the transfer queue nor the receipts).
 */
import { readFileSync } from 'node:fs';
import { defaultDataDir } from '../main/services/appPaths';
import type { NetworkGate } from '../main/services/download/retry';
import { composeCore, openSecrets } from '../main/compose/core';
import type { KuraCore } from '../main/services/kuraCore';
import { KuraError } from '../main/services/kuraError';
import type { ProxySettings } from '../main/services/network/network';
import { parseProfile } from '../main/services/profile';
import type { KeychainProblem } from '../main/services/secretStore';
import { transferPaths } from '../main/services/transfers/paths';
import { cliBrowser } from './browser';
import { askProxyCredentials, networkGate } from './network';
import type { CliOptions } from './options';
import { say, UsageError } from './terminal';

export interface CliContext {
  core: KuraCore;
  dataDir: string;
  /** Every option of the command line (parsed once). */
  options: CliOptions;
  json: boolean;
  csv: boolean;
  /** --wait-network: how an outage is waited out (absent: it fails at once). */
  network?: NetworkGate;
  /** `login` only: why the keychain cannot keep the session, when it cannot. */
  keychainProblem?: KeychainProblem;
}

/** A command's signature: its context and its positional arguments; answers the exit code. */
export type Command = (c: CliContext, args: string[]) => Promise<number>;

export async function createContext(command: string, options: CliOptions): Promise<CliContext> {
  // Only `login` proves the keychain with a write (openSecrets says why).
  const {
    store,
    problem,
    kind: keychainProblem,
  } = await openSecrets(command === 'login' ? 'proven' : 'trusted');
  const dataDir = defaultDataDir();
  const waitSeconds =
    options['wait-network'] === undefined ? undefined : Number(options['wait-network']);
  if (waitSeconds !== undefined && !(Number.isInteger(waitSeconds) && waitSeconds > 0))
    throw new UsageError(say.usageErrors.waitNetwork);
  let pacResolver;
  if (options['proxy-pac']) {
    const { loadPac, pacFileResolver } = await import('../main/services/network/pacFile');
    pacResolver = await pacFileResolver(await loadPac(options['proxy-pac']));
  }
  const settings: ProxySettings | undefined = options.proxy
    ? { mode: 'manual', url: options.proxy }
    : undefined;
  const { core, network } = composeCore({
    dataDir,
    secrets: store,
    keychainProblem: problem,
    network: {
      prompt: askProxyCredentials,
      ...(pacResolver ? { pacResolver } : {}),
      ...(settings ? { settings } : {}),
    },
    browser: cliBrowser(options['no-browser'] ?? false),
  });
  if (options.profile) core.profiles.add(parseProfile(readFileSync(options.profile, 'utf8')));
  return {
    core,
    dataDir,
    options,
    json: options.json ?? false,
    csv: options.csv ?? false,
    network: networkGate(network, waitSeconds),
    keychainProblem,
  };
}

/** The signed-in user's services (the keychain's session restored): else NOT_SIGNED_IN. */
export async function signedIn(c: CliContext) {
  const services = c.core.active();
  if (services.session.view().status !== 'signedIn') {
    const v = await services.session.restore();
    if (v.status !== 'signedIn')
      throw new KuraError(
        v.status === 'signedOut' && v.reason === 'expired' ? 'SESSION_EXPIRED' : 'NOT_SIGNED_IN',
      );
  }
  return services;
}

/** The verified downloads' log (loaded by the commands that need it: `get`, `history`). */
export async function receiptLog(c: CliContext) {
  const { ReceiptLog } = await import('../main/services/download/receipts');
  return new ReceiptLog(transferPaths(c.dataDir).receipts);
}

export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/s.exec(uri);
  if (!m) throw new UsageError(say.usageErrors.notS3Uri(uri));
  return { bucket: m[1]!, key: m[2]! };
}
