/** The progress line of a download on a terminal's stderr (nothing when stderr is piped). */
import { formatBytes } from '../shared/format';
import { stderrTty } from './terminal';

export interface Progress {
  bytesDone: number;
  bytesTotal?: number;
  filesDone?: number;
  filesTotal?: number;
  speed?: number;
  secondsLeft?: number;
}

/** ` 42% 4.2 MB / 10 MB 3/7 files 1.1 MB/s 0:05 left` (each part only when it is known). */
export function progressLine(p: Progress): string {
  const pct = p.bytesTotal ? ` ${Math.floor((p.bytesDone / p.bytesTotal) * 100)}%` : '';
  const files = p.filesTotal !== undefined ? ` ${p.filesDone}/${p.filesTotal} files` : '';
  const speed = p.speed !== undefined ? ` ${formatBytes(p.speed)}/s` : '';
  const left =
    p.secondsLeft !== undefined
      ? ` ${Math.floor(p.secondsLeft / 60)}:${String(p.secondsLeft % 60).padStart(2, '0')} left`
      : '';
  return `${pct} ${formatBytes(p.bytesDone)}${p.bytesTotal ? ` / ${formatBytes(p.bytesTotal)}` : ''}${files}${speed}${left}`;
}

/** Redraws the line at most every 100 ms (and at the end); undefined when stderr is no terminal. */
export function progressPrinter() {
  if (!stderrTty) return undefined;
  let last = 0;
  return (p: Progress) => {
    const now = Date.now();
    if (now - last < 100 && p.bytesDone !== p.bytesTotal) return;
    last = now;
    process.stderr.write(`\r\x1b[K${progressLine(p)}`);
  };
}

/** Clears the progress line. */
export function endProgress() {
  if (stderrTty) process.stderr.write('\r\x1b[K');
}
