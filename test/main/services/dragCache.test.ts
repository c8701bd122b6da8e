import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../../local-aws/server';
import type { KuraCore } from '../../../src/main/services/kuraCore';
import { DragCache } from '../../../src/main/services/dragCache';
import type { DragItemView } from '../../../src/shared/ipc';
import { adminCall, startTestAws } from '../../helpers/localAws';
import { signedInCore, tempDir } from '../../helpers/kura';

let aws: LocalAws;
let core: KuraCore;
beforeAll(async () => {
  aws = await startTestAws({ bucket: 'kura-demo' });
  for (let i = 0; i < 4; i++)
    await aws.store.put('kura-demo', `f${i}.bin`, Readable.from([Buffer.alloc(100_000, i)]));
  core = await signedInCore(aws, 'drag@example.com');
});
afterAll(() => aws.stop());

function cache(limitBytes?: number, owner?: () => string) {
  const root = tempDir('kura-drag-');
  const events: DragItemView[] = [];
  const c = new DragCache({
    root: (o) => join(root, o || 'nobody'),
    storage: () => core.active().storage,
    limitBytes,
    owner,
  });
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

  it('is wiped whole for the current owner', async () => {
    const { c, root, ready } = cache();
    const item = c.prepare('kura-demo', 'f3.bin');
    await ready(item.id);
    await c.wipe();
    expect(existsSync(join(root, 'nobody'))).toBe(false);
    expect(() => c.pathsFor([item.id])).toThrow();
  });

  it("never hands one owner's item to the next, even before any wipe", async () => {
    let owner = 'ann';
    const { c, ready } = cache(undefined, () => owner);
    const anns = c.prepare('kura-demo', 'f0.bin');
    await ready(anns.id);
    expect(c.pathsFor([anns.id])).toHaveLength(1);
    owner = 'ben';
    expect(() => c.pathsFor([anns.id])).toThrow(
      expect.objectContaining({ code: 'DRAG_NOT_READY' }),
    );
    const bens = c.prepare('kura-demo', 'f0.bin');
    expect(bens.id).not.toBe(anns.id);
    await ready(bens.id);
    expect(c.pathsFor([bens.id])).toHaveLength(1);
  });

  it("wipes one owner's files and nothing of another's", async () => {
    let owner = 'ann';
    const { c, root, ready } = cache(undefined, () => owner);
    const anns = c.prepare('kura-demo', 'f1.bin');
    await ready(anns.id);
    owner = 'ben';
    const bens = c.prepare('kura-demo', 'f2.bin');
    await ready(bens.id);
    await c.wipe('ann');
    expect(existsSync(join(root, 'ann'))).toBe(false);
    const [path] = c.pathsFor([bens.id]);
    expect(readFileSync(path!).equals(Buffer.alloc(100_000, 2))).toBe(true);
    owner = 'ann';
    expect(() => c.pathsFor([anns.id])).toThrow(
      expect.objectContaining({ code: 'DRAG_NOT_READY' }),
    );
  });

  it("stops an owner's item still being fetched when they are wiped: no word of it after, no folder", async () => {
    await adminCall(aws, 'PUT', 'faults', [
      { operation: 'GetObject', keyPrefix: 'f3', hold: true },
    ]);
    try {
      let owner = 'ann';
      const { c, root, events, ready } = cache(undefined, () => owner);
      const anns = c.prepare('kura-demo', 'f3.bin');
      await aws.faults.whenHeld('GetObject');
      owner = 'ben';
      const heard = events.filter((e) => e.id === anns.id).length;
      await c.wipe('ann');
      expect(events.filter((e) => e.id === anns.id)).toHaveLength(heard);
      expect(existsSync(join(root, 'ann'))).toBe(false);
      expect(c.bytes).toBe(0);
      // The next owner goes on; nothing of ann's item is heard or written meanwhile.
      await adminCall(aws, 'DELETE', 'faults');
      const bens = c.prepare('kura-demo', 'f2.bin');
      await ready(bens.id);
      expect(events.filter((e) => e.id === anns.id)).toHaveLength(heard);
      expect(existsSync(join(root, 'ann'))).toBe(false);
      expect(c.bytes).toBe(100_000);
    } finally {
      await adminCall(aws, 'DELETE', 'faults');
    }
  });

  it('refuses a file larger than its limit before fetching a byte of it', async () => {
    const { c, root, events } = cache(50_000);
    const item = c.prepare('kura-demo', 'f0.bin');
    await expect
      .poll(() => events.find((e) => e.id === item.id && e.state === 'failed')?.error)
      .toEqual({ code: 'DRAG_TOO_LARGE', detail: '50.0 KB' });
    expect(diskBytes(root)).toBe(0);
    expect(c.bytes).toBe(0);
  });

  it('counts files still downloading: it never holds more than its limit', async () => {
    // 100 KB files at 200 KB/s: all three are in flight together.
    await adminCall(aws, 'PUT', 'faults', [
      { operation: 'GetObject', keyPrefix: 'f', bytesPerSecond: 200_000 },
    ]);
    try {
      const { c, root, events } = cache(250_000);
      let most = 0;
      c.onChange(() => (most = Math.max(most, diskBytes(root), c.bytes)));
      const items = ['f0.bin', 'f1.bin', 'f2.bin'].map((k) => c.prepare('kura-demo', k));
      const outcome = (id: string) =>
        events.find((e) => e.id === id && e.state !== 'preparing')?.state;
      await expect
        .poll(() => items.map((i) => outcome(i.id)).sort())
        .toEqual(['failed', 'ready', 'ready']);
      const refused = items.find((i) => outcome(i.id) === 'failed')!;
      expect(events.find((e) => e.id === refused.id && e.error)?.error?.code).toBe(
        'DRAG_CACHE_FULL',
      );
      expect(most).toBeLessThanOrEqual(250_000);
      // Once the others are ready, asking again makes room by evicting the oldest.
      const again = c.prepare('kura-demo', refused.key);
      await expect.poll(() => outcome(again.id)).toBe('ready');
      expect(diskBytes(root)).toBeLessThanOrEqual(250_000);
      expect(c.bytes).toBe(200_000);
      expect(most).toBeLessThanOrEqual(250_000);
    } finally {
      await adminCall(aws, 'DELETE', 'faults');
    }
  });
});

/** Bytes of the files under `dir` (each file once: a finished file and its partial are one). */
function diskBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  const files = new Map<string, number>();
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!d.isFile()) continue;
    const st = statSync(join(d.parentPath, d.name), { throwIfNoEntry: false });
    if (st) files.set(`${st.dev}:${st.ino}`, st.size);
  }
  return [...files.values()].reduce((a, b) => a + b, 0);
}
