import { describe, expect, it } from 'vitest';
import { followView } from '../../src/renderer/model/followView';

/** A subscription and a first answer the test controls. */
function harness() {
  let listener: ((v: string) => void) | undefined;
  let answer!: (v: string) => void;
  const seen: string[] = [];
  const off = followView<string>(
    (l) => {
      listener = l;
      return () => (listener = undefined);
    },
    () => new Promise<string>((r) => (answer = r)),
    (v) => seen.push(v),
  );
  return { emit: (v: string) => listener?.(v), answer: (v: string) => answer(v), seen, off };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('a view main keeps current', () => {
  it('takes the first answer when no event came before it', async () => {
    const h = harness();
    h.answer('downloading');
    await settle();
    h.emit('ready');
    expect(h.seen).toEqual(['downloading', 'ready']);
  });

  it('drops a first answer that arrives after an event: the event is newer', async () => {
    const h = harness();
    h.emit('ready');
    h.answer('downloading');
    await settle();
    expect(h.seen).toEqual(['ready']);
  });

  it('stops following when unsubscribed', async () => {
    const h = harness();
    h.off();
    h.emit('ready');
    await settle();
    expect(h.seen).toEqual([]);
  });
});
