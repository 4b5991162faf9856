import { defineConfig } from '@playwright/test';

/**
 * Browser tests run real models in Debian's Chromium (`apt-get install chromium`); Playwright's
 * own browser download cannot work offline. The flags keep Chromium from calling home and turn
 * on WebGPU, which here is a software (SwiftShader) adapter: right for correctness, not speed.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--enable-unsafe-webgpu',
];

const port = 5173;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'off',
  },
  webServer: {
    command: 'node models/build-assets.mjs && EKYC_NO_HMR=1 npx vite --config vite.config.ts',
    url: `http://127.0.0.1:${port}/e2e/pages/health.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
