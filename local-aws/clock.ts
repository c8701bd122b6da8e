/** The server's notion of "now", shifted by the clock-skew fault. */
export class Clock {
  private skewMs = 0;

  now(): number {
    return Date.now() + this.skewMs;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  setSkew(ms: number): void {
    this.skewMs = ms;
  }
}
