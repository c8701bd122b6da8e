/**
 * Same process, two users (the security review's finding): A signs in, lists and downloads from
 * A's home, signs out; B signs in on the same app instance. Nothing cached for A may serve B:
 * listing, searching, previewing, downloading or dragging anything under A's home is denied.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { createConfirmedUser, roleCredentials, signIn, startTestAws } from '../helpers/localAws';
import { newApp } from '../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';
let aws: LocalAws;
let idA: string;

beforeAll(async () => {
  aws = await startTestAws({ bucket, policy: 'own-prefix' });
  createConfirmedUser(aws, 'ann@example.com', PASSWORD);
  createConfirmedUser(aws, 'ben@example.com', PASSWORD);
  const session = await signIn(aws, 'ann@example.com', PASSWORD);
  idA = (await roleCredentials(aws, session.getIdToken().getJwtToken())).identityId;
  for (const [key, body] of [
    [`${idA}/private/salary.txt`, 'salary: 1,000,000'],
    [`${idA}/photo.png`, 'not really a png'],
  ] as const) {
    await aws.store.put(bucket, key, Readable.from([Buffer.from(body)]));
  }
});
afterAll(() => aws.stop());

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: { code?: string; message?: string }) =>
      (e.code === 'UNKNOWN' ? e.message : e.code) ?? e.message,
  );

describe('one app instance, two users', () => {
  it("denies B everything under A's home after A signs out, through the app's services", async () => {
    const { app, downloadsDir } = await newApp(aws);
    try {
      const api = app.api;

      await api.signIn('ann@example.com', PASSWORD);
      const page = await api.listFolder(bucket, `${idA}/`);
      expect(page.files.map((f) => f.name)).toEqual(['photo.png']);
      expect((await api.search(bucket, `${idA}/`, 'salary')).matches).toHaveLength(1);
      expect(await api.preview(bucket, `${idA}/private/salary.txt`)).toMatchObject({
        kind: 'text',
        text: 'salary: 1,000,000',
      });
      const done = new Promise<string>((resolve) =>
        app.transfers.onChange((t) => {
          if (t.state === 'done' || t.state === 'failed') resolve(t.state);
        }),
      );
      await api.download(bucket, `${idA}/private/salary.txt`);
      expect(await done).toBe('done');
      expect(readFileSync(join(downloadsDir, 'salary.txt'), 'utf8')).toBe('salary: 1,000,000');
      const drag = await api.prepareDrag(bucket, `${idA}/photo.png`);
      await new Promise<void>((resolve) =>
        app.dragCache.onChange((d) => d.id === drag.id && d.state === 'ready' && resolve()),
      );
      await api.signOut(false);

      await api.signIn('ben@example.com', PASSWORD);
      expect(await codeOf(api.listFolder(bucket, `${idA}/`))).toBe('ACCESS_DENIED');
      expect(await codeOf(api.listFolder(bucket, `${idA}/private/`))).toBe('ACCESS_DENIED');
      expect(await codeOf(api.search(bucket, `${idA}/`, 'salary'))).toBe('ACCESS_DENIED');
      expect(await codeOf(api.preview(bucket, `${idA}/private/salary.txt`))).toBe('ACCESS_DENIED');
      const failed = new Promise<string | undefined>((resolve) =>
        app.transfers.onChange((t) => {
          if (t.state === 'done' || t.state === 'failed') resolve(t.error?.code ?? t.state);
        }),
      );
      await api.download(bucket, `${idA}/private/salary.txt`);
      expect(await failed).toBe('ACCESS_DENIED');
      // The drag item A readied is not B's: B's request fetches again, and is refused.
      const again = await api.prepareDrag(bucket, `${idA}/photo.png`);
      expect(again.id).not.toBe(drag.id);
      await expect(Promise.resolve().then(() => api.startDrag([drag.id]))).rejects.toMatchObject({
        code: 'DRAG_NOT_READY',
      });
      const refused = await new Promise<string | undefined>((resolve) => {
        if (again.state === 'failed') resolve(again.error?.code);
        app.dragCache.onChange(
          (d) => d.id === again.id && d.state !== 'preparing' && resolve(d.error?.code),
        );
      });
      expect(refused).toBe('ACCESS_DENIED');
    } finally {
      await app.shutdown();
    }
  });

  it("removes A's drag files when B signs in over A (no sign-out), and never hands them to B", async () => {
    const { app } = await newApp(aws);
    try {
      const api = app.api;
      await api.signIn('ann@example.com', PASSWORD);
      const drag = await api.prepareDrag(bucket, `${idA}/photo.png`);
      await new Promise<void>((resolve) =>
        app.dragCache.onChange((d) => d.id === drag.id && d.state === 'ready' && resolve()),
      );
      const [path] = app.dragCache.pathsFor([drag.id]);
      expect(existsSync(path!)).toBe(true);

      await api.signIn('ben@example.com', PASSWORD);
      await expect.poll(() => existsSync(path!), { timeout: 10_000 }).toBe(false);
      await expect(Promise.resolve().then(() => api.startDrag([drag.id]))).rejects.toMatchObject({
        code: 'DRAG_NOT_READY',
      });
    } finally {
      await app.shutdown();
    }
  });
});
