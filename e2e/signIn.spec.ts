/**
 * The sign-in screens (#11 items 9 and 13): the first field has focus, each challenge can go
 * Back (main forgets the step), an SMS or emailed code can be sent again, the organisation is
 * named, the email survives a forced sign-out, and what a person mistyped is said in words in
 * their language before anything is sent — a bad profile as a list of what is wrong.
 */
import type { Page } from '@playwright/test';
import {
  createSmsUser,
  DEMO,
  importProfile,
  launchKura,
  openSignedIn,
  signInWith,
  test,
  expect,
  type KuraInstance,
  openWithProfile,
} from './fixtures';

let kura: KuraInstance | undefined;
test.afterEach(async () => {
  await kura?.stop();
  kura = undefined;
});

/** The contract methods the page called, by name (the browser transport posts /ipc/<method>). */
function callsTo(page: Page) {
  const calls: string[] = [];
  page.on('request', (r) => {
    const m = /\/ipc\/(\w+)$/.exec(r.url());
    if (m) calls.push(m[1]!);
  });
  return calls;
}

test('challenge screens focus their first field and name the organisation; Back makes main forget the step and keeps the email', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await launchKura({ secrets });
  await page.goto(kura.transport.url);
  await expect(page.getByLabel('Connection profile (JSON)')).toBeFocused();
  await importProfile(page, aws.profile);
  await expect(page.getByText(`Organisation: ${aws.profile.name}`)).toBeVisible();
  await expect(page.getByLabel('Email')).toBeFocused();
  await signInWith(page, 'new.user@example.com', 'Temp-Pass-2026!');
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expect(page.getByLabel('New password', { exact: true })).toBeFocused();
  await expect(page.getByText('Signing in as new.user@example.com')).toBeVisible();
  await expect(page.getByText(`Organisation: ${aws.profile.name}`)).toBeVisible();
  // No downloads drawer before the person is signed in.
  await expect(page.getByRole('complementary', { name: 'Downloads' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue('new.user@example.com');
  await expect(page.getByLabel('Password')).toBeFocused();
  // Main no longer holds the abandoned step.
  const finished = await page.evaluate(() =>
    (
      globalThis as unknown as {
        kuraApi: { completeNewPassword(p: string, a: object): Promise<unknown> };
      }
    ).kuraApi
      .completeNewPassword('Chosen-Pass-2026!', {})
      .then(
        () => 'completed',
        (e: { view?: { code: string } }) => e.view?.code,
      ),
  );
  expect(finished).toBe('CHALLENGE_EXPIRED');
});

test('an SMS code is checked before it is sent, can be sent again, and the new one signs in', async ({
  page,
  aws,
  secrets,
}) => {
  const email = 'sms.user@example.com';
  const { codes } = createSmsUser(aws, email, 'Sms-Pass-2026!');

  kura = await openWithProfile(page, aws.profile, secrets);
  await signInWith(page, email, 'Sms-Pass-2026!');
  await expect(page.getByText('Enter the code sent to +*******5678.')).toBeVisible();
  await expect(page.getByLabel('Code')).toBeFocused();
  await expect(page.getByText(`Signing in as ${email}`)).toBeVisible();

  const calls = callsTo(page);
  await page.getByLabel('Code').fill('12ab');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Enter the code as 6 to 8 digits, without spaces.',
  );
  expect(calls).not.toContain('answerMfa');

  await page.getByRole('button', { name: 'Send a new code' }).click();
  await expect(page.getByRole('status')).toHaveText('We sent a new code to +*******5678.');
  expect(codes()).toHaveLength(2);
  await page.getByLabel('Code').fill(codes()[1]!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
});

test('the emailed reset code is checked in the form, in Japanese too, and a new one can be asked for', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openWithProfile(page, aws.profile, secrets);
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await expect(page.getByLabel('Email')).toBeFocused();
  await page.getByLabel('Email').fill(DEMO.email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByLabel('Code')).toBeFocused();
  const calls = callsTo(page);
  await page.getByLabel('Code').fill('0');
  await page.getByLabel('New password', { exact: true }).fill('Reset-Pass-2026!');
  await page.getByLabel('Repeat new password').fill('Reset-Pass-2026!');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Enter the code as 6 to 8 digits, without spaces.',
  );
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('button', { name: '新しいパスワードを設定' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'コードは 6〜8 桁の数字で、空白を入れずに入力してください。',
  );
  expect(calls).not.toContain('confirmForgotPassword');

  await page.getByRole('button', { name: '新しいコードを送信' }).click();
  await expect(page.getByRole('status')).toHaveText('d***@e*** に新しいコードを送信しました。');
  const sent = aws.userPool
    .outbox()
    .filter((m) => m.kind === 'FORGOT_PASSWORD' && m.to === DEMO.email);
  expect(sent).toHaveLength(2);
  await page.getByLabel('コード').fill(sent.at(-1)!.code);
  await page.getByRole('button', { name: '新しいパスワードを設定' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'パスワードを変更しました。新しいパスワードでサインインしてください。',
  );
});

test('after a forced sign-out the email stays on the form, the password has focus, and no drawer shows', async ({
  page,
  aws,
  secrets,
}) => {
  kura = await openSignedIn(page, aws.profile, secrets);
  await page.evaluate(() =>
    (
      globalThis as unknown as { kuraApi: { download(b: string, k: string): Promise<unknown> } }
    ).kuraApi.download('kura-demo', 'README.txt'),
  );
  await expect(page.getByRole('complementary', { name: 'Downloads' })).toContainText('Done');
  aws.userPool.globalSignOut(aws.userPool.findUser(DEMO.email)!);
  aws.identityPool.expireAllCredentials();
  // The next request to AWS finds the session revoked (whatever the window asks first).
  await page.evaluate(() =>
    (
      globalThis as unknown as { kuraApi: { listFolder(b: string, p: string): Promise<unknown> } }
    ).kuraApi
      .listFolder('kura-demo', '')
      .then(
        () => 'listed',
        () => 'refused',
      ),
  );
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Your session ended. Sign in again.');
  await expect(page.getByLabel('Email')).toHaveValue(DEMO.email);
  await expect(page.getByLabel('Password')).toBeFocused();
  await expect(page.getByRole('complementary', { name: 'Downloads' })).toHaveCount(0);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByText(`Signed in as ${DEMO.email}`)).toBeVisible();
});

test('a bad profile file is a readable list of what is wrong, in English and in Japanese', async ({
  page,
  secrets,
}) => {
  kura = await launchKura({ secrets });
  await page.goto(kura.transport.url);
  await page
    .getByLabel('Connection profile (JSON)')
    .fill('{"version": 2, "region": "tokyo", "userPoolId": 7, "extra": true}');
  await page.getByRole('button', { name: 'Connect' }).click();
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('listitem')).toHaveText([
    'version must be 1',
    'name is missing',
    'region must be an AWS region such as ap-northeast-1',
    'userPoolId holds the wrong kind of value',
    'userPoolClientId is missing',
    'identityPoolId is missing',
    'unknown field extra',
  ]);
  await page.getByRole('button', { name: '日本語' }).click();
  await page.getByRole('button', { name: '接続' }).click();
  await expect(alert.getByRole('listitem')).toHaveText([
    'version: 1 を指定してください',
    'name がありません',
    'region: ap-northeast-1 のような AWS リージョンを指定してください',
    'userPoolId の値の種類が正しくありません',
    'userPoolClientId がありません',
    'identityPoolId がありません',
    '不明な項目 extra があります',
  ]);
  await expect(alert).toContainText('この接続プロファイルは使用できません。');
  await expect(alert).not.toContainText(/must|missing|unknown|Invalid|expected/);

  await page.getByLabel('接続プロファイル (JSON)').fill('{"version": 1,');
  await page.getByRole('button', { name: '接続' }).click();
  await expect(alert.getByRole('listitem')).toHaveText([
    'JSON 形式ではありません（ファイル全体をコピーしたか確認してください）',
  ]);
});
