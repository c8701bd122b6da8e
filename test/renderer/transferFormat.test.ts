/**
 * How a transfer reads (src/renderer/transfers/format.ts): what the line under its name says in
 * each state, never a speed while it does not move, and the status bar's summary. `t` here
 * spells out the key and its values, so the tests read what would be said.
 */
import { describe, expect, it } from 'vitest';
import {
  badgeSummary,
  formatDuration,
  percentOf,
  rowState,
  skippedText,
  statusLine,
  type Translate,
} from '../../src/renderer/transfers/format';
import type { TransferView } from '../../src/shared/ipc';

const t: Translate = (key, o) =>
  o
    ? `${key}(${Object.entries(o)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',')})`
    : key;
const NOW = 1_800_000_000_000;
const view = (o: Partial<TransferView>): TransferView => ({
  id: 'x',
  bucket: 'b',
  key: 'dir/a.bin',
  name: 'a.bin',
  kind: 'file',
  state: 'running',
  bytesDone: 2_000_000,
  bytesTotal: 8_000_000,
  skipped: [],
  ...o,
});

describe('transfer lines', () => {
  it('a moving download shows amount, speed and time left', () => {
    expect(statusLine(view({ speed: 1_000_000, secondsLeft: 6 }), t, 'en', NOW)).toBe(
      'transfers.of(done=2.0 MB,total=8.0 MB) · transfers.speed(speed=1.0 MB) · transfers.left(time=6 s)',
    );
  });

  it('a retrying download says why, which attempt and when, and no speed', () => {
    const retry = {
      reason: { code: 'UNAVAILABLE' as const },
      attempt: 3,
      nextAttemptAt: NOW + 4_000,
    };
    const line = statusLine(view({ retry, speed: 5 }), t, 'en', NOW);
    expect(line).toBe(
      'transfers.retryingIn(reason=transfers.reason.UNAVAILABLE,attempt=3,time=4 s) · transfers.of(done=2.0 MB,total=8.0 MB)',
    );
    expect(line).not.toContain('speed');
    // Once the time has come, it is retrying now.
    expect(statusLine(view({ retry }), t, 'en', NOW + 5_000)).toMatch(/^transfers\.retryingNow/);
    expect(rowState(view({ retry }))).toBe('retrying');
  });

  it('offline, a download says it waits for the network, with no retry and no speed (#18)', () => {
    const line = statusLine(view({ waitingForNetwork: true, speed: 5 }), t, 'en', NOW);
    expect(line).toBe('network.transferWaiting · transfers.of(done=2.0 MB,total=8.0 MB)');
    expect(rowState(view({ waitingForNetwork: true }))).toBe('retrying');
    expect(badgeSummary([view({ waitingForNetwork: true })], t).text).toBe(
      'network.badgeWaiting · transfers.percent(percent=25)',
    );
  });

  it('a download that receives nothing says for how long', () => {
    const line = statusLine(view({ quietSince: NOW - 12_000 }), t, 'ja', NOW);
    expect(line).toBe('transfers.quiet(time=12秒) · transfers.of(done=2.0 MB,total=8.0 MB)');
    expect(rowState(view({ quietSince: NOW - 12_000 }))).toBe('quiet');
  });

  it('a finished download names the file it saved and the folder it is in', () => {
    const done = view({ state: 'done', savedAs: 'a (1).bin', savedIn: 'Downloads' });
    expect(statusLine(done, t, 'en', NOW)).toBe(
      'transfers.savedAs(name=a (1).bin,folder=Downloads) · 8.0 MB',
    );
    expect(percentOf(done)).toBe(100);
  });

  it('a failed download says what went wrong and what to do, in words', () => {
    const failed = view({ state: 'failed', error: { code: 'UNAVAILABLE', detail: 'HTTP 503' } });
    const line = statusLine(failed, t, 'en', NOW);
    expect(line).toBe(
      'transfers.failedBecause(message=The storage service is busy or not answering properly right now. Try again in a few minutes.)',
    );
    expect(line).not.toContain('503');
  });

  it('a folder still being listed has no percentage and says so', () => {
    const folder = view({ kind: 'folder', listing: true, filesDone: 3, filesTotal: 1000 });
    expect(percentOf(folder)).toBeUndefined();
    expect(statusLine(folder, t, 'en', NOW)).toContain('transfers.listing');
    expect(statusLine({ ...folder, state: 'cancelled', listing: undefined }, t, 'en', NOW)).toBe(
      'transfers.cancelled',
    );
  });

  it('durations read as people say them', () => {
    expect(formatDuration(3725, 'en')).toBe('1 h 2 min');
    expect(formatDuration(185, 'ja')).toBe('3分 5秒');
    expect(formatDuration(-2, 'en')).toBe('0 s');
  });
});

describe('the status bar badge', () => {
  it('counts what downloads and the progress of what is under way', () => {
    const s = badgeSummary(
      [
        view({ id: '1' }),
        view({ id: '2', bytesDone: 6_000_000 }),
        view({ id: '3', state: 'done' }),
        view({ id: '4', state: 'done', removed: true }),
      ],
      t,
    );
    expect(s.text).toBe('transfers.badge.downloading(count=2) · transfers.percent(percent=50)');
    expect(s).toMatchObject({ busy: true, idle: false, percent: 50 });
  });

  it('says "Retrying…" when nothing moves, and how many retry when some do', () => {
    const retry = { reason: { code: 'NETWORK' as const }, attempt: 2, nextAttemptAt: NOW };
    expect(badgeSummary([view({ retry })], t).text).toBe(
      'transfers.badge.retrying · transfers.percent(percent=25)',
    );
    expect(badgeSummary([view({ retry }), view({ id: '2' })], t).text).toBe(
      'transfers.badge.downloading(count=1) · transfers.percent(percent=25) · transfers.badge.retryingSome(count=1)',
    );
  });

  it('is quiet when idle, and says what is done or failed', () => {
    expect(badgeSummary([], t)).toMatchObject({ text: '', idle: true, busy: false });
    const s = badgeSummary(
      [view({ state: 'done' }), view({ id: '2', state: 'failed', error: { code: 'NETWORK' } })],
      t,
    );
    expect(s.text).toBe('transfers.badge.done(count=1) · transfers.badge.failed(count=1)');
    expect(s).toMatchObject({ idle: true, failed: true });
  });
});

describe('why a folder left a file out', () => {
  const unsafe = {
    key: 'f/../x.txt',
    reason: {
      code: 'UNSAFE_NAME' as const,
      detail: 'f/../x.txt',
      problems: [{ problem: 'leavesFolder', field: '..' }],
    },
  };
  it("words an unsafe name's problem from its code, in the UI's language", () => {
    expect(skippedText(unsafe, t, 'en')).toBe(
      'transfers.skippedNameWhy(why=".." in the name would leave the destination folder)',
    );
    expect(skippedText(unsafe, t, 'ja-JP')).toBe(
      'transfers.skippedNameWhy(why=名前に「..」があり、保存先フォルダーの外を指します)',
    );
  });
  it("gives a failed file its error's message", () => {
    const failed = { key: 'f/b.bin', reason: { code: 'INTEGRITY' as const } };
    expect(skippedText(failed, t, 'ja')).toBe(
      'ダウンロードしたファイルが元のファイルと一致しなかったため破棄しました。もう一度お試しください。',
    );
  });
});
