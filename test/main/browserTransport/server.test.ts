/**
 * The browser transport (demo and e2e) against security review #2: the URL's token works once,
 * the session cookie is a different secret and calls nothing alone, and every call needs the
 * page's key in a header (cookies reach every 127.0.0.1 port; that header does not).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KEY_HEADER,
  startBrowserTransport,
  type BrowserTransport,
} from '../../../src/main/browserTransport/server';
import type { KuraApi } from '../../../src/shared/ipc';
import { tempDir } from '../../helpers/kura';

let transport: BrowserTransport;
let emit: (payload: unknown) => void = () => undefined;

beforeAll(async () => {
  const rendererDir = tempDir('kura-renderer-');
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><script src="app.js"></script>');
  const api = {
    sessionView: () => Promise.resolve({ status: 'signedOut' }),
  } as unknown as KuraApi;
  transport = await startBrowserTransport({
    api,
    subscribe: (send) => {
      emit = (payload) => send('session', payload as never);
      return () => undefined;
    },
    rendererDir,
    bridgeScript: '/* bridge */',
  });
});
afterAll(() => transport.close());

/** Opens a one-time URL the way a browser does: the session cookie and the key in the fragment. */
async function open(url: string) {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const key = /#kura-key=([\w-]+)$/.exec(res.headers.get('location')!)![1]!;
  return { cookie, key };
}

const call = (cookie: string, key?: string, origin = transport.origin) =>
  fetch(`${transport.origin}/ipc/sessionView`, {
    method: 'POST',
    headers: {
      cookie,
      origin,
      'content-type': 'application/json',
      ...(key === undefined ? {} : { [KEY_HEADER]: key }),
    },
    body: '[]',
  });

describe('browser transport', () => {
  it('burns the URL token on first use', async () => {
    const url = transport.newUrl();
    await open(url);
    const again = await fetch(url, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('already used');
  });

  it('issues a session secret that is not the URL token, and a key apart from both', async () => {
    const url = transport.newUrl();
    const token = new URL(url).searchParams.get('token')!;
    const { cookie, key } = await open(url);
    const session = cookie.split('=')[1]!;
    expect(new Set([token, session, key]).size).toBe(3);
    expect(cookie).toMatch(/^kura_session=/);
  });

  it('refuses calls that carry the cookie but not the key, or another session’s key', async () => {
    const keyInUrl = await open(transport.newUrl());
    const viaQuery = await fetch(`${transport.origin}/ipc/sessionView?key=${keyInUrl.key}`, {
      method: 'POST',
      headers: { cookie: keyInUrl.cookie, origin: transport.origin },
      body: '[]',
    });
    expect(viaQuery.status).toBe(403); // calls take the key from the header only
    const a = await open(transport.newUrl());
    const b = await open(transport.newUrl());
    expect((await call(a.cookie)).status).toBe(403);
    expect((await call(a.cookie, 'not-the-key')).status).toBe(403);
    expect((await call(a.cookie, b.key)).status).toBe(403);
    expect((await call(a.cookie, a.key, 'http://127.0.0.1:1')).status).toBe(403);
    const ok = await call(a.cookie, a.key);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, value: { status: 'signedOut' } });
    expect((await call(b.cookie, b.key)).status).toBe(200);
  });

  it('streams events only to a caller with the key', async () => {
    const { cookie, key } = await open(transport.newUrl());
    expect((await fetch(`${transport.origin}/events`, { headers: { cookie } })).status).toBe(403);
    expect(
      (await fetch(`${transport.origin}/events?key=wrong`, { headers: { cookie } })).status,
    ).toBe(403);
    const controller = new AbortController();
    const res = await fetch(`${transport.origin}/events?key=${key}`, {
      headers: { cookie },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toContain(': connected');
    emit({ status: 'restoring' });
    expect((await reader.read()).value).toBe(
      `data: ${JSON.stringify({ event: 'session', payload: { status: 'restoring' } })}\n\n`,
    );
    controller.abort();
  });

  it('serves the page only to a session', async () => {
    const { cookie } = await open(transport.newUrl());
    expect((await fetch(`${transport.origin}/index.html`)).status).toBe(403);
    expect((await fetch(`${transport.origin}/index.html`, { headers: { cookie } })).status).toBe(
      200,
    );
  });
});
