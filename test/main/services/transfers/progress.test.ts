/**
 * Progress measured and told (src/main/services/transfers/progress.ts), on a clock the test
 * moves: the speed is the last seconds' bytes and falls in a silence, a silence and a retry say
 * so, and listeners hear state changes at once and progress at most every 150 ms.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TransferView } from '../../../../src/shared/ipc';
import { ProgressMeter, TransferEvents } from '../../../../src/main/services/transfers/progress';
import type { TransferRecord } from '../../../../src/main/services/transfers/view';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

const record = (bytesDone = 0): TransferRecord => ({
  id: 't1',
  kind: 'file',
  bucket: 'b',
  key: 'k',
  name: 'k',
  state: 'running',
  destDir: '/tmp',
  bytesDone,
  skipped: [],
});

describe('ProgressMeter', () => {
  it('measures the last seconds, and has no speed once nothing arrives', () => {
    const m = new ProgressMeter(Date.now, 0);
    expect(m.speed()).toBeUndefined(); // nothing measured yet
    for (let s = 1; s <= 4; s++) {
      vi.advanceTimersByTime(1000);
      m.update(s * 1000, 1000);
    }
    expect(m.speed()).toBe(1000);
    expect(m.quietSince()).toBeUndefined();
    const lastByte = Date.now();
    vi.advanceTimersByTime(3000);
    m.sample(4000);
    expect(m.speed()).toBeLessThan(1000);
    expect(m.quietSince()).toBe(lastByte);
    vi.advanceTimersByTime(10_000);
    m.sample(4000);
    expect(m.speed()).toBe(0);
  });

  it('a byte after a retry clears it; bytes thrown away start the speed over', () => {
    const m = new ProgressMeter(Date.now, 0);
    m.retry = { reason: { code: 'THROTTLED' }, attempt: 2, nextAttemptAt: Date.now() + 500 };
    vi.advanceTimersByTime(1000);
    m.update(5000, 5000);
    expect(m.retry).toBeUndefined();
    vi.advanceTimersByTime(1000);
    m.update(0, -5000);
    vi.advanceTimersByTime(1000);
    m.update(1000, 1000);
    expect(m.speed()).toBe(1000);
  });
});

describe('TransferEvents', () => {
  const setup = () => {
    const heard: TransferView[] = [];
    const events = new TransferEvents<TransferRecord>(
      Date.now,
      (r) => ({ bytesDone: r.bytesDone }) as TransferView,
    );
    events.on((v) => heard.push(v));
    return { events, heard };
  };

  it('tells progress of a running transfer at most every 150 ms, with what it is then', () => {
    const { events, heard } = setup();
    const r = record();
    events.start(r.id);
    events.emit(r); // started: told at once
    for (let i = 1; i <= 10; i++) {
      r.bytesDone = i;
      events.emit(r, false);
      vi.advanceTimersByTime(10);
    }
    expect(heard.map((v) => v.bytesDone)).toEqual([0]);
    vi.advanceTimersByTime(150);
    expect(heard.map((v) => v.bytesDone)).toEqual([0, 10]);
  });

  it('tells a state change at once, and nothing stays pending after the end', () => {
    const { events, heard } = setup();
    const r = record();
    events.start(r.id);
    events.emit(r);
    r.bytesDone = 5;
    events.emit(r, false);
    r.bytesDone = 7;
    events.emit(r); // a state change: now, and the pending progress with it
    events.end(r.id);
    vi.advanceTimersByTime(1000);
    expect(heard.map((v) => v.bytesDone)).toEqual([0, 7]);
    r.bytesDone = 9;
    events.emit(r, false); // not running: told at once
    expect(heard.map((v) => v.bytesDone)).toEqual([0, 7, 9]);
  });
});
