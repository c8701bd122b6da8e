/**
 * The UI's speed (issue: desktop UI), on local-aws through the browser transport in Debian's
 * Chromium: time from opening a folder to its first rows on screen, frame times while scrolling
 * a 100,000-entry folder, and the renderer's JavaScript size gzipped.
 * Usage: npm run bench:renderer [-- --objects 100000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { startLocalAws } from '../local-aws/server';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium';
import { startBrowserApp } from '../src/main/browserTransport/browserApp';
import { MemorySecretStore } from '../src/main/services/secretStore';
import { root, seedBucket, writeResults } from './lib';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '100000' },
    step: { type: 'string', default: '300' },
  },
});
const objects = Number(values.objects);
/** Pixels scrolled per frame: 300 px at 60 fps is 18,000 px/s, a very fast fling. */
const step = Number(values.step);
const command = `npm run bench:renderer -- --objects ${objects} --step ${step}`;

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
  { cwd: root, stdio: 'ignore' },
);
if (build.status !== 0) throw new Error('electron-vite build failed');
const assets = join(root, 'out/renderer/assets');
// What the window loads at start: the entry script and what it imports statically (named in
// index.html); chunks loaded on demand (pdf.js, when a PDF is previewed) are counted apart.
const indexHtml = readFileSync(join(root, 'out/renderer/index.html'), 'utf8');
const initial = new Set(
  [...indexHtml.matchAll(/(?:src|href)="\.?\/?assets\/([^"]+\.js)"/g)].map((m) => m[1]!),
);
const gz = (f: string) => gzipSync(readFileSync(join(assets, f))).length / 1024;
const jsFiles = readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.mjs'));
const jsGzipKb = Math.round(jsFiles.filter((f) => initial.has(f)).reduce((n, f) => n + gz(f), 0));
const lazyGzipKb = Math.round(
  jsFiles.filter((f) => !initial.has(f)).reduce((n, f) => n + gz(f), 0),
);
if (initial.size === 0) throw new Error('no script found in out/renderer/index.html');

const dataDir = mkdtempSync(join(tmpdir(), 'kura-bench-ui-'));
console.log(`seeding ${objects} objects …`);
await seedBucket(dataDir, 'kura-demo', { smallObjects: objects });
const aws = await startLocalAws({ dataDir, bucket: 'kura-demo' });
aws.userPool.createUser('ui@example.com', 'Bench-Pass-2026!');
aws.userPool.setUserPassword('ui@example.com', 'Bench-Pass-2026!', true);
const { kura, transport } = await startBrowserApp({
  root,
  dataDir: mkdtempSync(join(tmpdir(), 'kura-bench-ui-app-')),
  downloadsDir: mkdtempSync(join(tmpdir(), 'kura-bench-ui-dl-')),
  secrets: new MemorySecretStore(),
});
kura.core.profiles.add(aws.profile);
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(transport.url);
await page.getByLabel('Email').fill('ui@example.com');
await page.getByLabel('Password').fill('Bench-Pass-2026!');
await page.getByRole('button', { name: 'Sign in' }).click();
const many = page.getByRole('row').filter({ has: page.locator('.mid-name[data-name="many"]') });
await many.waitFor();

// 1. Opening a folder: double-click → first row visible.
const firstRowsMs: number[] = [];
for (let i = 0; i < 5; i++) {
  // Back to the top (the window starts there; the top's own crumb is not a button).
  if (i > 0)
    await page
      .getByRole('navigation', { name: 'Path' })
      .getByRole('button', { name: 'kura-demo' })
      .click();
  await many.waitFor();
  const t0 = Date.now();
  await many.dblclick();
  await page.getByRole('row').filter({ hasText: '000000.txt' }).waitFor();
  firstRowsMs.push(Date.now() - t0);
}

// 2. Load every page, then scroll through all entries while recording frame times.
const scroller = page.getByRole('grid');
type Scrollable = { scrollTo(x: number, y: number): void; scrollHeight: number };
while (
  (await page.getByRole('status').filter({ hasText: 'more load as you scroll' }).count()) > 0
) {
  const before = await page.getByRole('grid').getAttribute('aria-rowcount');
  await scroller.evaluate((el: Scrollable) => el.scrollTo(0, el.scrollHeight));
  await page.locator(`[role=grid]:not([aria-rowcount="${before}"])`).waitFor();
}
// Runs in the page as source text (a compiled function would carry the bundler's helpers).
const scrollAndTime = (pixels: number) => `new Promise((resolve) => {
  const el = document.querySelector('[role=grid]');
  const times = [];
  let last = performance.now();
  el.scrollTo(0, 0);
  function step() {
    const now = performance.now();
    times.push(now - last);
    last = now;
    el.scrollTop += ${pixels};
    if (el.scrollTop + ${pixels} < el.scrollHeight && times.length < 5000) requestAnimationFrame(step);
    else resolve(times.slice(1));
  }
  requestAnimationFrame(step);
})`;
// The machine's own frame cadence (1 px per frame: almost no work), then the real scroll.
const baseline = await page.evaluate<number[]>(scrollAndTime(1));
const frames = await page.evaluate<number[]>(scrollAndTime(step));
const rowCount = await page.getByRole('grid').getAttribute('aria-rowcount');
await browser.close();
await transport.close();
await aws.stop();

const sorted = [...frames].sort((a, b) => a - b);
const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const result = {
  objects,
  listedEntries: Number(rowCount) - 1,
  firstRowsMs: { median: median(firstRowsMs), runs: firstRowsMs, goal: '<= 300' },
  scroll: {
    pixelsPerFrame: step,
    frames: frames.length,
    medianFrameMs: Number(median(frames).toFixed(1)),
    baselineP95FrameMs: Number(
      ([...baseline].sort((a, b) => a - b)[Math.floor(baseline.length * 0.95)] ?? 0).toFixed(1),
    ),
    baselineFramesOver17Ms: baseline.filter((f) => f > 17).length,
    p95FrameMs: Number(p95.toFixed(1)),
    framesOver17Ms: frames.filter((f) => f > 17).length,
    goal: '< 16 at p95 (a 60 Hz frame is 16.7 ms, so this means no dropped frames)',
  },
  rendererJsGzipKb: { value: jsGzipKb, goal: '<= 400' },
  lazyPdfJsGzipKb: lazyGzipKb,
};
console.log(JSON.stringify(result, null, 2));
writeResults(
  'renderer',
  command,
  result,
  `
| measure | result | goal |
| --- | --- | --- |
| folder opened → first rows visible (median of 5) | ${result.firstRowsMs.median} ms | ≤ 300 ms |
| scrolling ${result.listedEntries} entries at ${step} px/frame, frame interval p95 (${frames.length} frames; ${result.scroll.framesOver17Ms} over 17 ms) | ${result.scroll.p95FrameMs} ms | < 16 ms |
| the same page scrolling 1 px/frame (this machine's frame cadence: headless Chromium, no GPU, 2 cores) | p95 ${result.scroll.baselineP95FrameMs} ms; ${result.scroll.baselineFramesOver17Ms} of ${baseline.length} over 17 ms | — |
| renderer JavaScript loaded at start, gzipped | ${jsGzipKb} KB | ≤ 400 KB |
| loaded only when a PDF is previewed (pdf.js and its worker), gzipped | ${lazyGzipKb} KB | |

A 60 Hz frame lasts 16.7 ms, so frame *intervals* cannot fall under 16 ms; read the scroll row against the
baseline row: what the list adds on top of this machine's own jitter.
`,
);
process.exit(0);
