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
  dataDir: string;
  downloadsDir: string;
  secrets: SecretStore;
  stop(): Promise<void>;
}

/** Starts Kura's main side over `dataDir` (a "launch"); call again with the same folders to "restart". */
export async function launchKura(o: {
  dataDir?: string;
  downloadsDir?: string;
  secrets: SecretStore;
}): Promise<KuraInstance> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'kura-e2e-data-'));
  const downloadsDir = o.downloadsDir ?? mkdtempSync(join(tmpdir(), 'kura-e2e-downloads-'));
  const { kura, transport, desktop, close } = await startBrowserApp({
    root,
    dataDir,
    downloadsDir,
    secrets: o.secrets,
  });
  await kura.restore();
  return {
    transport,
    drags: desktop.drags,
    desktop,
    cacheBase: kura.cacheBase,
    dataDir,
    downloadsDir,
    secrets: o.secrets,
    stop: close,
  };
}

export const keychainProblem = (
  await openSecretStore(`Kura-e2e-probe-${randomBytes(4).toString('hex')}`)
).problem;

export const test = base.extend<{ aws: LocalAws; secrets: SecretStore }>({
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
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A fresh launch, the demo profile imported, signed in as the demo user. */
export async function openSignedIn(
  page: Page,
  profile: object,
  secrets: SecretStore,
): Promise<KuraInstance> {
  const kura = await launchKura({ secrets });
  await page.goto(kura.transport.url);
  await importProfile(page, profile);
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
