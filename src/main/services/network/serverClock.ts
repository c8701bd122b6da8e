/**
 * The servers' time as Kura measures it. Every answer's `Date` header says what time the server
 * thinks it is; the difference from this computer's clock is the skew, used wherever a time is
 * compared with the servers' (token and credential expiry, the SRP timestamp, the SigV4 date of
 * directGet). The AWS SDK clients correct their own signing on RequestTimeTooSkewed; they start
 * from this measurement. A skew above `NOTICE_SKEW_MS` is shown to the user: Kura works, but the
 * computer's clock should be set right.
 */

/** The skew the user is told about (the SDK corrects from 5 minutes; SigV4 refuses at 15). */
export const NOTICE_SKEW_MS = 5 * 60 * 1000;
/** Date headers have a resolution of one second; differences below this are noise. */
const NOISE_MS = 30_000;

export class ServerClock {
  private skew = 0;
  private readonly listeners = new Set<(skewMs: number) => void>();

  /** `machine`: this computer's clock (tests emulate one that is off). */
  constructor(readonly machine: () => number = Date.now) {}

  /** This computer's time, corrected by the measured skew: the servers' time. */
  now(): number {
    return this.machine() + this.skew;
  }

  /** How far the servers' clock is ahead of this computer's (ms; negative when behind). */
  get skewMs(): number {
    return this.skew;
  }

  /**
   * For the SDK's `systemClockOffset`, which it adds to the real Date.now(): the emulated
   * machine offset plus the measured skew.
   */
  sdkOffset(): number {
    return this.now() - Date.now();
  }

  /** A response's Date header, read at `receivedAt` (this computer's clock). */
  observe(dateHeader: string | undefined, receivedAt = this.machine()): void {
    if (!dateHeader) return;
    const server = Date.parse(dateHeader);
    if (Number.isNaN(server)) return;
    const measured = server - receivedAt;
    if (Math.abs(measured - this.skew) < NOISE_MS) return;
    // Within the noise of zero the clocks agree.
    this.skew = Math.abs(measured) < NOISE_MS ? 0 : measured;
    for (const l of this.listeners) l(this.skew);
  }

  onChange(listener: (skewMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
