/**
 * Errors a person can meet are KuraError codes worded in their language with what to do next
 * (#11 item 9): no "Unknown: UnknownError", no schema text, no English policy inside Japanese.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { fromCognitoError, fromS3Error, KuraError } from '../../src/main/services/kuraError';
import { diskError } from '../../src/main/services/localFiles';
import { preview } from '../../src/main/services/preview';
import {
  ERROR_MESSAGES,
  errorMessage,
  passwordProblems,
  type ErrorCode,
} from '../../src/shared/errors';
import { adminCall, createConfirmedUser, startTestAws } from '../helpers/localAws';
import { newCore } from '../helpers/kura';

const bucket = 'kura-demo';
let aws: LocalAws;
beforeAll(async () => {
  aws = await startTestAws({ bucket });
  createConfirmedUser(aws, 'e@example.com', 'Correct-Horse-9');
  await aws.store.put(bucket, 'docs/a.txt', Readable.from([Buffer.from('text')]));
});
afterAll(() => aws.stop());

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as KuraError;
  }
  throw new Error('expected a KuraError');
};

/**
 * Japanese words with no English left in them: acronyms such as AWS and S3 aside, and what an
 * administrator types as written in any language — a command in backticks (`kura admin
 * list-groups`) and an IAM policy variable (${cognito-identity.amazonaws.com:sub}), and what is
 * typed into a setting as written: a profile field (caBundle), HTTPS_PROXY, a proxy URL, kura.
 */
const pureJapanese = (text: string) =>
  expect(
    text
      .replace(/`[^`]*`|\$\{[^}]*\}/g, '')
      .replace(
        /AWS|S3|ID|URL|JSON|Kura|SMS|http\(s\)|name@example\.com|caBundle|HTTPS_PROXY|https?:\/\/|\bkura\b/g,
        '',
      ),
  ).not.toMatch(/[A-Za-z]{2,}/);

describe('error words', () => {
  it('a HEAD answered 503 (no body) is "busy or unavailable", not Unknown: UnknownError', async () => {
    const { core } = newCore(aws);
    await core.active().session.signIn('e@example.com', 'Correct-Horse-9');
    await adminCall(aws, 'PUT', 'faults', [
      { operation: 'HeadObject', keyPrefix: 'docs/', status: 503 },
    ]);
    const e = await codeOf(preview(core.active().storage, bucket, 'docs/a.txt'));
    await adminCall(aws, 'DELETE', 'faults');
    expect(e.code).toBe('UNAVAILABLE');
    expect(errorMessage(e.toView(), 'en')).not.toMatch(/Unknown/);
    pureJapanese(errorMessage(e.toView(), 'ja'));
    // And 500 the same way; a 403 or 404 without a body still names what happened.
    const status = (s: number) =>
      Object.assign(new Error('UnknownError'), {
        name: 'Unknown',
        $metadata: { httpStatusCode: s },
      });
    expect(fromS3Error(status(500)).code).toBe('UNAVAILABLE');
    expect(fromS3Error(status(403)).code).toBe('ACCESS_DENIED');
    expect(fromS3Error(status(404)).code).toBe('NOT_FOUND');
  });

  it("words Cognito's password policy in the person's language", () => {
    const cognito = (message: string) =>
      fromCognitoError(Object.assign(new Error(message), { name: 'InvalidPasswordException' }));
    const cases: [string, string, string][] = [
      [
        'Password does not conform to policy: Password must have uppercase characters',
        'The new password is not accepted: it needs an uppercase letter. Choose another one.',
        '新しいパスワードは使用できません: 大文字を含めてください。別のパスワードを選んでください。',
      ],
      [
        'Password did not conform with policy: Password not long enough',
        'The new password is not accepted: it is too short. Choose another one.',
        '新しいパスワードは使用できません: 短すぎます。別のパスワードを選んでください。',
      ],
      [
        'Password does not conform to policy: Password must have symbol characters',
        'The new password is not accepted: it needs a symbol such as ! or -. Choose another one.',
        '新しいパスワードは使用できません: 記号（! や - など）を含めてください。別のパスワードを選んでください。',
      ],
      [
        'Password has previously been used',
        'The new password is not accepted: it was used before. Choose another one.',
        '新しいパスワードは使用できません: 以前に使ったパスワードです。別のパスワードを選んでください。',
      ],
      [
        'Something Cognito says that Kura has never seen',
        "The new password is not accepted: it does not meet your organisation's password policy. Choose another one.",
        '新しいパスワードは使用できません: 組織のパスワードポリシーを満たしていません。別のパスワードを選んでください。',
      ],
    ];
    for (const [message, en, ja] of cases) {
      const view = cognito(message).toView();
      expect(view.code).toBe('WEAK_PASSWORD');
      expect(errorMessage(view, 'en')).toBe(en);
      expect(errorMessage(view, 'ja')).toBe(ja);
    }
    // Leading or trailing spaces come from Cognito as InvalidParameterException.
    const spaces = fromCognitoError(
      Object.assign(
        new Error(
          "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
        ),
        { name: 'InvalidParameterException' },
      ),
    );
    expect(spaces.toView().problems).toEqual([{ problem: 'spaces' }]);
    expect(passwordProblems('Password must have lowercase characters')).toEqual([
      { problem: 'lowercase' },
    ]);
  });

  it('says what a full disk or a refused folder means, in both languages', () => {
    const full = diskError(Object.assign(new Error('no space'), { code: 'ENOSPC' })).toView();
    expect(errorMessage(full, 'en')).toBe(
      'The file could not be written (the disk is full). Check free space and folder permissions.',
    );
    expect(errorMessage(full, 'ja')).toBe(
      'ファイルを書き込めませんでした（ディスクの空きがありません）。空き容量とフォルダーの権限を確認してください。',
    );
    const odd = diskError(Object.assign(new Error('x'), { code: 'EWEIRD' })).toView();
    expect(errorMessage(odd, 'en')).not.toContain('EWEIRD');
  });

  it("never shows an unexpected error's technical text, and every code has both languages", () => {
    const unknown = new KuraError('UNKNOWN', 'TypeError: x is undefined at foo.ts:12').toView();
    for (const lang of ['en', 'ja'] as const) {
      expect(errorMessage(unknown, lang)).not.toMatch(/TypeError|foo\.ts/);
    }
    for (const code of Object.keys(ERROR_MESSAGES) as ErrorCode[]) {
      const { en, ja } = ERROR_MESSAGES[code];
      expect(en.length, code).toBeGreaterThan(0);
      // Each Japanese message is Japanese (product names and acronyms aside).
      pureJapanese(ja.replace('{detail}', ''));
    }
  });
});
