/**
 * The list's scrolling against an earlier build's, alternating (A B A B …, at least five each)
 * on the same machine, the same data and the same browser, so the machine's own noise falls on
 * both: frame intervals while scrolling 100,000 entries at a fast fling, medians and their ratio.
 * The earlier build is a commit (default: the window before issue #11), unpacked and built in a
 * temporary folder. Usage: npm run bench:renderer-ab [-- --old <commit> --rounds 5 --frames 1500]
 */
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { startLocalAws } from '../local-aws/server';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium';
import { startBrowserApp } from '../src/main/browserTransport/browserApp';
import { MemorySecretStore } from '../src/main/services/secretStore';
import { root, seedBucket, writeResults } from './lib';

const { values } = parseArgs({
  options: {
    old: { type: 'string', default: 'f103426' },
    rounds: { type: 'string', default: '5' },
    frames: { type: 'string', default: '1500' },
    objects: { type: 'string', default: '100000' },
    step: { type: 'string', default: '300' },
  },
});
const rounds = Number(values.rounds);
const frames = Number(values.frames);
const objects = Number(values.objects);
const step = Number(values.step);
const command = `npm run bench:renderer-ab -- --old ${values.old} --rounds ${rounds} --frames ${frames} --objects ${objects} --step ${step}`;

const build = (dir: string) => {
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    { cwd: dir, stdio: 'ignore' },
  );
  if (r.status !== 0) throw new Error(`electron-vite build failed in ${dir}`);
};
// Outside the repository: the type checker and linters must not see the older sources.
const oldRoot = mkdtempSync(join(tmpdir(), 'kura-renderer-old-'));
execSync(`git archive ${values.old} | tar -x -C ${oldRoot}`, { cwd: root });
symlinkSync(join(root, 'node_modules'), join(oldRoot, 'node_modules'));
build(oldRoot);
build(root);

const dataDir = mkdtempSync(join(tmpdir(), 'kura-bench-ab-'));
console.log(`seeding ${objects} objects …`);
await seedBucket(dataDir, 'kura-demo', { smallObjects: objects });
const aws = await startLocalAws({ dataDir, bucket: 'kura-demo' });
aws.userPool.createUser('ui@example.com', 'Bench-Pass-2026!');
aws.userPool.setUserPassword('ui@example.com', 'Bench-Pass-2026!', true);
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });

type Build = 'old' | 'new';
async function open(which: Build) {
  const app = await startBrowserApp({
    root: which === 'old' ? oldRoot : root,
    dataDir: mkdtempSync(join(tmpdir(), 'kura-bench-ab-app-')),
    downloadsDir: mkdtempSync(join(tmpdir(), 'kura-bench-ab-dl-')),
    secrets: new MemorySecretStore(),
  });
  app.kura.core.profiles.add(aws.profile);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(app.transport.url);
  await page.getByLabel('Email').fill('ui@example.com');
  await page.getByLabel('Password').fill('Bench-Pass-2026!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (which === 'old') await page.getByRole('button', { name: '📁 many' }).click();
  else
    await page
      .getByRole('row')
      .filter({ has: page.locator('.mid-name[data-name="many"]') })
      .dblclick();
  await page.getByRole('row').filter({ hasText: '000000.txt' }).waitFor();
  // Every page loaded, as a person scrolling to the end would.
  const scroller = which === 'old' ? '.file-scroll' : '[role=grid]';
  const more = which === 'old' ? 'loaded so far' : 'more load as you scroll';
  type Scrollable = { scrollTo(x: number, y: number): void; scrollHeight: number };
  while ((await page.getByRole('status').filter({ hasText: more }).count()) > 0) {
    const before = await page.getByRole('grid').getAttribute('aria-rowcount');
    await page.locator(scroller).evaluate((el: Scrollable) => el.scrollTo(0, el.scrollHeight));
    await page.locator(`[role=grid]:not([aria-rowcount="${before}"])`).waitFor();
  }
  return { app, page, scroller };
}

// Runs in the page as source text (a compiled function would carry the bundler's helpers).
const scrollAndTime = (selector: string) => `new Promise((resolve) => {
  const el = document.querySelector(${JSON.stringify(selector)});
  const times = [];
  let last = performance.now();
  el.scrollTo(0, 0);
  function step() {
    const now = performance.now();
    times.push(now - last);
    last = now;
    el.scrollTop += ${step};
    if (el.scrollTop + ${step} < el.scrollHeight && times.length < ${frames}) requestAnimationFrame(step);
    else resolve(times.slice(1));
  }
  requestAnimationFrame(step);
})`;

const builds: Record<Build, { page: Page; scroller: string; close: () => Promise<void> }> = {
  old: await open('old').then((o) => ({ ...o, close: o.app.close })),
  new: await open('new').then((o) => ({ ...o, close: o.app.close })),
};
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const p95 = (xs: number[]) => sorted(xs)[Math.floor(xs.length * 0.95)] ?? 0;
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? 0;
const runs: Record<Build, { p95: number; median: number; over17: number }[]> = { old: [], new: [] };
for (let r = 0; r < rounds; r++) {
  const order: Build[] = r % 2 ? ['new', 'old'] : ['old', 'new'];
  for (const which of order) {
    const b = builds[which];
    await b.page.bringToFront();
    const times = await b.page.evaluate<number[]>(scrollAndTime(b.scroller));
    runs[which].push({
      p95: Number(p95(times).toFixed(1)),
      median: Number(median(times).toFixed(1)),
      over17: times.filter((t) => t > 17).length,
    });
    console.log(which, runs[which].at(-1));
  }
}
await browser.close();
await builds.old.close();
await builds.new.close();
await aws.stop();
rmSync(oldRoot, { recursive: true, force: true });

const med = (which: Build, k: 'p95' | 'median' | 'over17') => median(runs[which].map((x) => x[k]));
const result = {
  old: values.old,
  rounds,
  framesPerRun: frames,
  pixelsPerFrame: step,
  runs,
  medians: {
    old: { p95: med('old', 'p95'), over17: med('old', 'over17') },
    new: { p95: med('new', 'p95'), over17: med('new', 'over17') },
  },
  ratio: {
    p95: Number((med('new', 'p95') / med('old', 'p95')).toFixed(2)),
    over17: Number((med('new', 'over17') / Math.max(1, med('old', 'over17'))).toFixed(2)),
  },
};
console.log(JSON.stringify(result, null, 2));
writeResults(
  'renderer-ab',
  command,
  result,
  `
Scrolling ${objects} entries at ${step} px/frame, ${frames} frames a run, ${rounds} runs each, alternating
(${values.old} = the window before issue #11, rows 38 px; this build = compact rows, 26 px: the same pixels
bring 46 % more rows per frame).

| build | frame interval p95 (median of runs) | frames over 17 ms (median of runs) |
| --- | --- | --- |
| ${values.old} | ${result.medians.old.p95} ms | ${result.medians.old.over17} of ${frames} |
| this build | ${result.medians.new.p95} ms | ${result.medians.new.over17} of ${frames} |
| ratio (this / ${values.old}) | ${result.ratio.p95}× | ${result.ratio.over17}× |
`,
);
process.exit(0);
