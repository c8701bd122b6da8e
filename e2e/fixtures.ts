/**
 * The e2e harness: the real main-process services (KuraCore, keychain, transfers) talking to
 * local-aws, reached by the page through the browser transport — the same contract and the
 * same dispatcher as Electron's IPC. Only the transport differs (src/main/browserTransport).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { test as base, expect, type Page } from '@playwright/test';
import { startLocalAws, type LocalAws } from '../local-aws/server';
import { startBrowserApp } from '../src/main/browserTransport/browserApp';
import type { RecordingDesktop } from '../src/main/browserTransport/desktop';
import type { BrowserTransport } from '../src/main/browserTransport/server';
import type { EngineOptions } from '../src/main/services/download/objectDownload';
import {
  KeychainSecretStore,
  MemorySecretStore,
  openSecretStore,
  type SecretStore,
} from '../src/main/services/secretStore';

const root = new URL('..', import.meta.url).pathname;

export interface KuraInstance {
  transport: BrowserTransport;
  /** What the app asked the OS to drag (the harness stands in for webContents.startDrag). */
  drags: string[][];
  /** What the app handed to the desktop (reveal, clipboard, notifications, saved files). */
  desktop: RecordingDesktop;
  /** The drag cache's folder. */
  cacheBase: string;
  /** "Restart to update" as it reached the shell (recorded here, not done). */
  restarts: number[];
  dataDir: string;
  downloadsDir: string;
  secrets: SecretStore;
  /** The network as main sees it (online or not, its monitor's probes). */
  network: Awaited<ReturnType<typeof startBrowserApp>>['kura']['network'];
  stop(): Promise<void>;
}

/** Starts Kura's main side over `dataDir` (a "launch"); call again with the same folders to "restart". */
export async function launchKura(o: {
  dataDir?: string;
  downloadsDir?: string;
  secrets: SecretStore;
  /** Runs the in-app updater as this version. */
  updater?: { version: string };
  /** Download engine settings (fewer retries, a shorter watchdog). */
  engine?: Partial<EngineOptions>;
  /** How often the connectivity monitor probes while offline. */
  monitor?: { minProbeMs?: number; maxProbeMs?: number };
  /** The proxy variables the app sees (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
}): Promise<KuraInstance> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'kura-e2e-data-'));
  const downloadsDir = o.downloadsDir ?? mkdtempSync(join(tmpdir(), 'kura-e2e-downloads-'));
  const { kura, transport, desktop, close, restarts } = await startBrowserApp({
    root,
    dataDir,
    downloadsDir,
    secrets: o.secrets,
    ...(o.updater ? { updater: o.updater } : {}),
    engine: o.engine,
    monitor: o.monitor,
    ...(o.env ? { env: o.env } : {}),
  });
  await kura.restore();
  return {
    transport,
    drags: desktop.drags,
    desktop,
    cacheBase: kura.cacheBase,
    restarts,
    dataDir,
    downloadsDir,
    secrets: o.secrets,
    network: kura.network,
    stop: close,
  };
}

export const keychainProblem = (
  await openSecretStore(`Kura-e2e-probe-${randomBytes(4).toString('hex')}`)
).problem;

export const test = base.extend<{ aws: LocalAws; secrets: SecretStore }>({
  /**
   * Tests that drive the contract directly call `globalThis.kuraApi`: `window.kura`'s plain
   * results unwrapped as src/renderer/api.ts does (a failure rejects with an Error whose message
   * is its code and whose `view` is the ErrorView).
   */
  page: async ({ page }, use) => {
    await page.addInitScript(() => {
      type Wire = Record<string, unknown>;
      Object.defineProperty(globalThis, 'kuraApi', {
        get() {
          const wire = (globalThis as unknown as { kura: Wire }).kura;
          const api: Wire = { on: wire.on };
          for (const [method, f] of Object.entries(wire)) {
            if (method === 'on' || typeof f !== 'function') continue;
            api[method] = async (...args: unknown[]) => {
              const r = (await (f as (...a: unknown[]) => Promise<unknown>)(...args)) as
                { ok: true; value: unknown } | { ok: false; error: { code: string } };
              if (r.ok) return r.value;
              throw Object.assign(new Error(r.error.code), { view: r.error });
            };
          }
          return api;
        },
      });
    });
    await use(page);
  },
  // eslint-disable-next-line no-empty-pattern
  aws: async ({}, use) => {
    const aws = await startLocalAws({ seed: 'demo', seedLargeFileBytes: 2 * 1024 * 1024 });
    await use(aws);
    await aws.stop();
  },
  // eslint-disable-next-line no-empty-pattern
  secrets: async ({}, use) => {
    // A keychain service of its own per test: never a user's entries, never another test's.
    await use(
      keychainProblem
        ? new MemorySecretStore()
        : new KeychainSecretStore(`Kura-e2e-${randomBytes(6).toString('hex')}`),
    );
  },
});

export { expect };

export const DEMO = { email: 'demo@example.com', password: 'Kura-Demo-2026!' };

export async function importProfile(page: Page, profile: object) {
  await page.getByLabel('Connection profile (JSON)').fill(JSON.stringify(profile));
  await page.getByRole('button', { name: 'Connect' }).click();
}

export async function signInWith(page: Page, email: string, password: string) {
  // After a sign-out the form fills in who was signed in, a moment after it appears; a fill that
  // lands in that moment can find its selection moved and append to it: fill until it holds.
  const field = page.getByLabel('Email');
  await expect(async () => {
    await field.fill(email);
    await expect(field).toHaveValue(email, { timeout: 1000 });
  }).toPass();
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** A fresh launch with `profile` imported, at the sign-in screen. */
export async function openWithProfile(
  page: Page,
  profile: object,
  secrets: SecretStore,
  o: Omit<Parameters<typeof launchKura>[0], 'secrets'> = {},
): Promise<KuraInstance> {
  const kura = await launchKura({ ...o, secrets });
  await page.goto(kura.transport.url);
  await importProfile(page, profile);
  return kura;
}

/** A fresh launch with `profile` imported, signed in as the demo user. */
export async function openSignedIn(
  page: Page,
  profile: object,
  secrets: SecretStore,
  engine?: Partial<EngineOptions>,
  monitor?: { minProbeMs?: number; maxProbeMs?: number },
): Promise<KuraInstance> {
  const kura = await openWithProfile(page, profile, secrets, { engine, monitor });
  await signInWith(page, DEMO.email, DEMO.password);
  await expect(page.getByText(`Signed in as ${DEMO.email}`)).toBeVisible();
  return kura;
}

/** The list's row of the file or folder with exactly this name. */
export const rowNamed = (page: Page, name: string) =>
  page.getByRole('row').filter({
    has: page.locator(`.mid-name[data-name=${JSON.stringify(name)}]`),
  });

/** Opens a folder of the list as a person does: a double-click on its row. */
export async function openFolder(page: Page, name: string) {
  await rowNamed(page, name).dblclick();
  await expect(
    page.getByRole('navigation', { name: 'Path' }).locator('[aria-current=page]'),
  ).toHaveText(name);
}

/** The breadcrumb's segment (a button; the current folder's is not one). */
export const crumb = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Path' }).getByRole('button', { name, exact: true });

/** The rows' names in list order, as drawn (the list is virtualised: only those on screen). */
export const rowNames = (page: Page) =>
  page
    .locator('[role=row] .mid-name')
    .evaluateAll((els: { getAttribute(n: string): string | null }[]) =>
      els.map((e) => e.getAttribute('data-name') ?? ''),
    );
/** A confirmed user whose sign-in asks for an SMS code; `codes()`: the codes "sent", in order. */
export function createSmsUser(aws: LocalAws, email: string, password: string) {
  aws.userPool.createUser(email, password, { email_verified: 'true' });
  aws.userPool.setUserPassword(email, password, true);
  const user = aws.userPool.findUser(email)!;
  user.attributes.phone_number = '+819012345678';
  user.smsMfaEnabled = true;
  return {
    codes: () =>
      aws.userPool
        .outbox()
        .filter((m) => m.kind === 'SMS_MFA' && m.sub === user.sub)
        .map((m) => m.code),
  };
}

/** Signs out as a user does: the toolbar's account menu, then Sign out. */
export async function signOutInWindow(page: Page) {
  await page.getByRole('button', { name: 'Account' }).click();
  await page
    .getByRole('dialog', { name: 'Account' })
    .getByRole('button', { name: 'Sign out', exact: true })
    .click();
}
