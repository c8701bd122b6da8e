import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium';
import { defineConfig } from '@playwright/test';

// Debian's Chromium (never `npx playwright install`): see ../shared/design/machines.md.
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/globalSetup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '.test-results/playwright.json' }]],
  use: {
    headless: true,
    locale: 'en-US',
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
    },
  },
});
