/**
 * How a transfer reads, as pure functions (tested under Node): the line under its name, its
 * percentage, and the status bar's summary. The words are the caller's `t` (i18next), the
 * clock is the caller's `now`, so a retry counts down and a silence shows how long it lasts.
 */
import { errorMessage, skippedWords, type ErrorView } from '../../shared/errors';
import { formatBytes } from '../../shared/format';
import type { SkippedItem, TransferView } from '../../shared/ipc';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** "1 h 2 min", "3 min 5 s", "12 s" (Japanese: "1時間 2分", "3分 5秒", "12秒"). */
export function formatDuration(seconds: number, lang: string): string {
  const ja = lang.startsWith('ja');
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const unit = (n: number, en: string, jp: string) => (ja ? `${n}${jp}` : `${n} ${en}`);
  if (h) return `${unit(h, 'h', '時間')} ${unit(m, 'min', '分')}`;
  if (m) return `${unit(m, 'min', '分')} ${unit(s, 's', '秒')}`;
  return unit(s, 's', '秒');
}

const language = (lang: string) => (lang.startsWith('ja') ? 'ja' : 'en');

/** Whole percent done, when the total is known (a folder still being listed has none). */
export function percentOf(x: TransferView): number | undefined {
  if (x.state === 'done') return 100;
  if (!x.bytesTotal || x.listing) return undefined;
  return Math.min(100, Math.floor((x.bytesDone / x.bytesTotal) * 100));
}

/** The error's message in the UI's language (one path for every error the drawer shows). */
export const messageOf = (e: ErrorView, lang: string) => errorMessage(e, language(lang));

/** A file a folder download left out: failed (any error but UNSAFE_NAME), else skipped. */
export const skippedFailed = (s: SkippedItem) => s.reason.code !== 'UNSAFE_NAME';

/**
 * Why a folder download left a file out, in the UI's language: a failed file's error, or
 * "skipped: the name cannot be saved safely here (why)".
 */
export function skippedText(s: SkippedItem, t: Translate, lang: string): string {
  if (skippedFailed(s)) return messageOf(s.reason, lang);
  return t('transfers.skippedNameWhy', { why: skippedWords(s.reason, language(lang)) });
}

/** A retry's reason, short ("the service is busy or not answering"). */
function reasonOf(reason: ErrorView, t: Translate): string {
  const known = ['NETWORK', 'THROTTLED', 'UNAVAILABLE'];
  return t(`transfers.reason.${known.includes(reason.code) ? reason.code : 'other'}`);
}

/** "12.3 MB of 45.0 MB", or "12.3 MB" while the total is unknown. */
function amount(x: TransferView, t: Translate): string {
  return x.bytesTotal !== undefined && !x.listing
    ? t('transfers.of', { done: formatBytes(x.bytesDone), total: formatBytes(x.bytesTotal) })
    : formatBytes(x.bytesDone);
}

/** "3 / 12 files · still listing" for a folder. */
function fileCounts(x: TransferView, t: Translate): string[] {
  if (x.kind !== 'folder' || x.filesTotal === undefined) return [];
  const parts = [t('transfers.files', { done: x.filesDone ?? 0, total: x.filesTotal })];
  if (x.listing) parts.push(t('transfers.listing'));
  return parts;
}

/**
 * The line under a transfer's name: what it is doing now, in words, never a speed that is not
 * real — "Retrying in 4 s — the service is busy (attempt 3)", "No data for 12 s …",
 * "Saved as README (1).txt in Downloads", "Failed — <what to do>".
 */
export function statusLine(x: TransferView, t: Translate, lang: string, now: number): string {
  const join = (parts: string[]) => parts.filter(Boolean).join(' · ');
  switch (x.state) {
    case 'queued':
      return join([t('transfers.queued'), ...fileCounts(x, t)]);
    case 'paused':
      return join([t('transfers.paused'), amount(x, t), ...fileCounts(x, t)]);
    case 'cancelled':
      return t('transfers.cancelled');
    case 'failed':
      return t('transfers.failedBecause', {
        message: x.error ? messageOf(x.error, lang) : t('transfers.reason.other'),
      });
    case 'done': {
      const name = x.savedAs ?? x.name;
      const saved = x.savedIn
        ? t('transfers.savedAs', { name, folder: x.savedIn })
        : t('transfers.savedAsName', { name });
      const size = x.bytesTotal !== undefined ? formatBytes(x.bytesTotal) : '';
      const files = x.kind === 'folder' ? t('transfers.count', { count: x.filesDone ?? 0 }) : '';
      return join([saved, files, size]);
    }
    case 'running': {
      if (x.waitingForNetwork) return join([t('network.transferWaiting'), amount(x, t)]);
      if (x.retry) {
        const wait = (x.retry.nextAttemptAt - now) / 1000;
        const words = {
          reason: reasonOf(x.retry.reason, t),
          attempt: x.retry.attempt,
          time: formatDuration(Math.ceil(wait), lang),
        };
        return join([
          wait >= 0.5 ? t('transfers.retryingIn', words) : t('transfers.retryingNow', words),
          amount(x, t),
        ]);
      }
      if (x.quietSince !== undefined) {
        const quiet = t('transfers.quiet', {
          time: formatDuration((now - x.quietSince) / 1000, lang),
        });
        return join([quiet, amount(x, t)]);
      }
      return join([
        amount(x, t),
        ...fileCounts(x, t),
        x.speed !== undefined ? t('transfers.speed', { speed: formatBytes(x.speed) }) : '',
        x.secondsLeft !== undefined
          ? t('transfers.left', { time: formatDuration(x.secondsLeft, lang) })
          : '',
      ]);
    }
  }
}

/** The state shown by the row's icon: a running transfer that waits is "retrying" or "quiet". */
export type RowState = TransferView['state'] | 'retrying' | 'quiet';

export function rowState(x: TransferView): RowState {
  if (x.state === 'running' && (x.retry || x.waitingForNetwork)) return 'retrying';
  if (x.state === 'running' && x.quietSince !== undefined) return 'quiet';
  return x.state;
}

/** The transfers the list shows: none the user cleared. */
export const shown = (transfers: TransferView[]) => transfers.filter((x) => !x.removed);

/**
 * The status bar's summary: "2 downloading · 45 %", "Retrying…", "3 queued", "3 done",
 * "1 failed"; `idle` when nothing is under way (the badge is quiet then).
 */
export function badgeSummary(transfers: TransferView[], t: Translate) {
  const list = shown(transfers);
  const count = (s: TransferView['state']) => list.filter((x) => x.state === s).length;
  const running = list.filter((x) => x.state === 'running');
  const parts: string[] = [];
  let busy = false;
  const waiting = running.filter(
    (x) => x.retry || x.quietSince !== undefined || x.waitingForNetwork,
  ).length;
  const offline = running.some((x) => x.waitingForNetwork);
  if (running.length && waiting === running.length) {
    // Nothing moves: say so, not a count of downloads that are not downloading.
    parts.push(t(offline ? 'network.badgeWaiting' : 'transfers.badge.retrying'));
    busy = true;
  } else if (running.length) {
    parts.push(t('transfers.badge.downloading', { count: running.length - waiting }));
    busy = true;
  }
  // Overall progress of what is under way, by bytes (only where totals are known).
  const measured = list.filter(
    (x) => ['running', 'queued', 'paused'].includes(x.state) && x.bytesTotal && !x.listing,
  );
  const total = measured.reduce((a, x) => a + (x.bytesTotal ?? 0), 0);
  const percent =
    busy && total
      ? Math.floor((measured.reduce((a, x) => a + x.bytesDone, 0) / total) * 100)
      : undefined;
  if (percent !== undefined) parts.push(t('transfers.percent', { percent }));
  if (waiting && waiting < running.length)
    parts.push(t('transfers.badge.retryingSome', { count: waiting }));
  if (count('queued')) parts.push(t('transfers.badge.queued', { count: count('queued') }));
  if (!busy && count('paused')) parts.push(t('transfers.badge.paused', { count: count('paused') }));
  if (!busy && count('done')) parts.push(t('transfers.badge.done', { count: count('done') }));
  if (count('failed')) parts.push(t('transfers.badge.failed', { count: count('failed') }));
  return {
    text: parts.join(' · '),
    percent,
    busy,
    failed: count('failed') > 0,
    idle: !busy && !count('queued') && !count('paused'),
  };
}
