/**
 * Authenticator enrolment in the app (browser transport, local-aws): where the organisation
 * requires MFA, a first sign-in sets up the authenticator (the test reads the secret the screen
 * shows, as a person types it into their app), enters a code and is signed in; the next sign-in
 * asks for a code. Where MFA is optional, the account menu adds one and removes it again; where
 * it is required, removing it is refused in words.
 */
import * as OTPAuth from 'otpauth';
import { startLocalAws, type LocalAws } from '../local-aws/server';
import { signInWith, test, expect, type KuraInstance, openWithProfile } from './fixtures';
import type { Page } from '@playwright/test';

let kura: KuraInstance | undefined;
let strict: LocalAws | undefined;
test.afterEach(async () => {
  await kura?.stop();
  kura = undefined;
  await strict?.stop();
  strict = undefined;
});

const PASSWORD = 'Two-Steps-2026!';
const code = (secret: string) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret.replace(/\s/g, '')) }).generate();

/** What the setup screen shows as text, as a person would copy it into their app. */
async function shownSecret(page: Page) {
  const secret = (await page.getByTestId('authenticator-secret').textContent()) ?? '';
  expect(secret).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
  return secret;
}

test('a first sign-in where MFA is required sets up the authenticator (QR code and secret), then asks for a code at the next sign-in; removing it is refused', async ({
  page,
  secrets,
}) => {
  strict = await startLocalAws({ seed: 'none', mfa: 'ON', managedLogin: false });
  strict.userPool.createUser('strict@example.com', PASSWORD, { email_verified: 'true' });
  strict.userPool.setUserPassword('strict@example.com', PASSWORD, true);
  kura = await openWithProfile(page, strict.profile, secrets);
  await signInWith(page, 'strict@example.com', PASSWORD);

  await expect(page.getByRole('heading', { name: 'Set up two-step verification' })).toBeVisible();
  await expect(page.getByText('Signing in as strict@example.com')).toBeVisible();
  const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
  const secret = await shownSecret(page);
  await page.getByLabel('Code from the app').fill('000000' === code(secret) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'The code is not correct. Check it and try again.',
  );
  await page.getByLabel('Code from the app').fill(code(secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Signed in as strict@example.com')).toBeVisible();

  await page.getByRole('button', { name: 'Account' }).click();
  const menu = page.getByRole('dialog', { name: 'Account' });
  await expect(menu.getByRole('status')).toHaveText(
    'On: Kura asks for a code from your authenticator app.',
  );
  await menu.getByRole('button', { name: 'Remove authenticator app' }).click();
  await expect(menu.getByRole('alert')).toHaveText(
    'Your organisation requires two-step verification, so the authenticator app stays on this account.',
  );
  await menu.getByRole('button', { name: 'Sign out', exact: true }).click();

  await signInWith(page, 'strict@example.com', PASSWORD);
  await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible();
  await expect(page.getByText('Enter the 6-digit code from your authenticator app.')).toBeVisible();
  await page.getByLabel('Code').fill(code(secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Signed in as strict@example.com')).toBeVisible();
});

test('where MFA is optional, the account menu adds an authenticator and removes it again', async ({
  page,
  aws,
  secrets,
}) => {
  aws.userPool.createUser('menu@example.com', PASSWORD, { email_verified: 'true' });
  aws.userPool.setUserPassword('menu@example.com', PASSWORD, true);
  kura = await openWithProfile(page, aws.profile, secrets);
  await signInWith(page, 'menu@example.com', PASSWORD);
  await expect(page.getByText('Signed in as menu@example.com')).toBeVisible();

  await page.getByRole('button', { name: 'Account' }).click();
  const menu = page.getByRole('dialog', { name: 'Account' });
  await expect(menu.getByRole('status')).toHaveText('Off.');
  await menu.getByRole('button', { name: 'Add authenticator app' }).click();
  const secret = await shownSecret(page);
  await menu.getByLabel('Code from the app').fill(code(secret));
  await menu.getByRole('button', { name: 'Verify' }).click();
  await expect(menu.getByText('Two-step verification is on.')).toBeVisible();
  expect(aws.userPool.findUser('menu@example.com')!.totpEnabled).toBe(true);

  await menu.getByRole('button', { name: 'Remove authenticator app' }).click();
  await expect(menu.getByText('The authenticator app is removed.')).toBeVisible();
  await expect(menu.getByRole('button', { name: 'Add authenticator app' })).toBeVisible();
  expect(aws.userPool.findUser('menu@example.com')!.totpEnabled).toBe(false);
});
