/**
 * Where the refresh token lives: the OS keychain and nowhere else. On Linux the Secret Service
 * is required explicitly (the default falls back silently to the kernel keyring, which forgets
 * everything at reboot). Without a usable keychain, a memory store keeps the session for this
 * run only and the user is told. Operations on one account are serialised.
 */
import { AsyncEntry } from '@napi-rs/keyring';
import { WORDS } from '../i18n';

export interface SecretStore {
  readonly persistent: boolean;
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<void>;
}

export const KEYCHAIN_SERVICE = 'Kura';

export class KeychainSecretStore implements SecretStore {
  readonly persistent = true;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly service = KEYCHAIN_SERVICE) {}

  private entry(account: string) {
    return new AsyncEntry(this.service, account, { linux: { store: 'secret-service' } });
  }

  private serial<T>(account: string, op: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(account) ?? Promise.resolve();
    const next = previous.then(op, op);
    this.queues.set(
      account,
      next.catch(() => undefined),
    );
    return next;
  }

  get(account: string): Promise<string | null> {
    return this.serial(account, async () => (await this.entry(account).getPassword()) ?? null);
  }

  set(account: string, value: string): Promise<void> {
    return this.serial(account, () => this.entry(account).setPassword(value));
  }

  delete(account: string): Promise<void> {
    return this.serial(account, async () => {
      await this.entry(account).deleteCredential();
    });
  }
}

export class MemorySecretStore implements SecretStore {
  readonly persistent = false;
  private readonly values = new Map<string, string>();

  get(account: string) {
    return Promise.resolve(this.values.get(account) ?? null);
  }
  set(account: string, value: string) {
    this.values.set(account, value);
    return Promise.resolve();
  }
  delete(account: string) {
    this.values.delete(account);
    return Promise.resolve();
  }
}

/**
 * Why no keychain could be used, in words a user can act on (not the library's raw error):
 * src/main/i18n's `keychain`.
 */
export type KeychainProblem = 'unavailable' | 'locked' | 'failed';

function classify(err: unknown): KeychainProblem {
  const message = String((err as Error)?.message ?? err);
  if (/lock|prompt|dismiss|denied|not allowed/i.test(message)) return 'locked';
  if (/d-?bus|secret.?service|freedesktop|no such interface|autolaunch/i.test(message))
    return 'unavailable';
  return 'failed';
}

/**
 * Opens the keychain and proves it works with a write, read and delete; otherwise falls back to
 * memory and says why (shown to the user as "you will not stay signed in"): `problem` in plain
 * English (also kept in the session view), `kind` for words in the user's language.
 */
export async function openSecretStore(
  service = KEYCHAIN_SERVICE,
): Promise<{ store: SecretStore; problem?: string; kind?: KeychainProblem }> {
  const keychain = new KeychainSecretStore(service);
  const probe = `kura-probe-${process.pid}`;
  try {
    await keychain.set(probe, 'probe');
    const back = await keychain.get(probe);
    await keychain.delete(probe);
    if (back !== 'probe') throw new Error('the keychain did not return what was stored');
    return { store: keychain };
  } catch (err) {
    const kind = classify(err);
    return { store: new MemorySecretStore(), problem: WORDS.en.keychain[kind], kind };
  }
}
