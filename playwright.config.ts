import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';

const port = 5173;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Tests tagged @realtime judge a fake camera's clip as it plays (liveness challenges at 20 fps): they
  // need the CPU to themselves. `npm test` (scripts/test-suites.mjs) runs the unit suite beside the
  // `browser` project only, then `realtime` alone.
  projects: [
    { name: 'browser', grepInvert: /@realtime/ },
    { name: 'realtime', grep: /@realtime/ },
  ],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'off',
  },
  webServer: {
    command: 'node models/build-assets.mjs --out demo/public/ekyc && EKYC_NO_HMR=1 npx vite --config vite.config.ts',
    url: `http://127.0.0.1:${port}/e2e/pages/health.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
