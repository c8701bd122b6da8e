import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import type { KuraCore } from '../../src/main/services/kuraCore';
import { DragCache } from '../../src/main/services/dragCache';
import type { DragItemView } from '../../src/shared/ipc';
import { createConfirmedUser, startTestAws } from '../helpers/localAws';
import { newCore, tempDir } from '../helpers/kura';

let aws: LocalAws;
let core: KuraCore;
beforeAll(async () => {
  aws = await startTestAws({ bucket: 'kura-demo' });
  createConfirmedUser(aws, 'drag@example.com', 'Correct-Horse-9');
  for (let i = 0; i < 4; i++)
    await aws.store.put('kura-demo', `f${i}.bin`, Readable.from([Buffer.alloc(100_000, i)]));
  core = newCore(aws).core;
  await core.active().session.signIn('drag@example.com', 'Correct-Horse-9');
});
afterAll(() => aws.stop());

function cache(limitBytes?: number) {
  const root = tempDir('kura-drag-');
  const events: DragItemView[] = [];
  const c = new DragCache({ root: () => root, storage: () => core.active().storage, limitBytes });
  c.onChange((v) => events.push(v));
  const ready = (id: string) =>
    expect
      .poll(() => events.find((e) => e.id === id && e.state !== 'preparing')?.state)
      .toBe('ready');
  return { c, root, events, ready };
}

describe('drag cache', () => {
  it('fetches a file into the cache and hands out its path only when ready', async () => {
    const { c, root, ready } = cache();
    const item = c.prepare('kura-demo', 'f1.bin');
    expect(item).toMatchObject({ state: 'preparing', name: 'f1.bin' });
    await ready(item.id);
    const [path] = c.pathsFor([item.id]);
    expect(relative(root, path!).startsWith('..')).toBe(false);
    expect(readFileSync(path!).equals(Buffer.alloc(100_000, 1))).toBe(true);
    expect(c.prepare('kura-demo', 'f1.bin').id).toBe(item.id);
  });

  it('refuses ids that are unknown or not ready', () => {
    const { c } = cache();
    expect(() => c.pathsFor(['00000000-0000-4000-a000-000000000000'])).toThrow(
      expect.objectContaining({ code: 'DRAG_NOT_READY' }),
    );
  });

  it('reports a failure and keeps no file', async () => {
    const { c, events } = cache();
    const item = c.prepare('kura-demo', 'missing.bin');
    await expect
      .poll(() => events.find((e) => e.id === item.id && e.state === 'failed')?.error?.code)
      .toBe('NOT_FOUND');
  });

  it('evicts the least recently used files past its limit', async () => {
    const { c, ready } = cache(250_000);
    const a = c.prepare('kura-demo', 'f0.bin');
    await ready(a.id);
    const b = c.prepare('kura-demo', 'f1.bin');
    await ready(b.id);
    c.pathsFor([a.id]); // a is used again: b is now the oldest
    const d = c.prepare('kura-demo', 'f2.bin');
    await ready(d.id);
    await expect.poll(() => c.bytes).toBeLessThanOrEqual(250_000);
    expect(() => c.pathsFor([b.id])).toThrow();
    expect(c.pathsFor([a.id, d.id])).toHaveLength(2);
  });

  it('is wiped whole', async () => {
    const { c, root, ready } = cache();
    const item = c.prepare('kura-demo', 'f3.bin');
    await ready(item.id);
    await c.wipe();
    expect(existsSync(root)).toBe(false);
    expect(() => c.pathsFor([item.id])).toThrow();
    expect(existsSync(join(root, item.id))).toBe(false);
  });
});
