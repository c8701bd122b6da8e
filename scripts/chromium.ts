/**
 * The Chromium that drives the renderer on machines without Electron — Playwright's e2e, the
 * screenshots, the renderer benchmarks — and the flags it needs there (the network is closed:
 * no background requests, no component updates, no QUIC). Test and demo machinery: the app never
 * imports it (the `kura/layering` lint rule refuses `src/**` importing `scripts/`).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Debian's Chromium (never `npx playwright install`), or the one `KURA_CHROMIUM` names. */
export const chromiumPath = () => process.env.KURA_CHROMIUM ?? '/usr/bin/chromium';
