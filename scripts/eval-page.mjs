// One way for every eval script to reach a test page in Chromium: build the assets, start the Vite
// dev server (no hot reload: an edit elsewhere must not reload a page mid-run), launch Debian's
// Chromium with the shared flags (scripts/chromium.mjs), open the page and wait until it is ready.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs `body(page, { open })` on `pagePath` (relative to the repo root). `prepare(page)` runs before
 * the page is first opened (routes); `open()` opens it again (after Vite re-optimised and reloaded it).
 */
export async function withEvalPage({ pagePath, timeoutMs = 600_000, port = 5192, prepare }, body) {
  execFileSync(process.execPath, [path.join(root, 'models/build-assets.mjs'), '--out', path.join(root, 'demo/public/ekyc')], { stdio: 'ignore' });
  process.env.EKYC_NO_HMR = '1';
  const server = await createServer({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'error', server: { port, strictPort: false } });
  await server.listen();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(timeoutMs);
    if (prepare) await prepare(page);
    const open = async () => {
      await page.goto(new URL(pagePath, server.resolvedUrls.local[0]).href);
      await page.waitForSelector('body[data-ready=true]', { state: 'attached' });
    };
    await open();
    return await body(page, { open });
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * `page.evaluate` that survives one reload: Vite may reload the page once when it first optimises a
 * worker's dependencies, which destroys the execution context mid-call. Then the page is opened again
 * and the call repeated once.
 */
export function reloadTolerantCall(page, open, log) {
  return async (fn, arg) => {
    try {
      return await page.evaluate(fn, arg);
    } catch (error) {
      if (!/Execution context was destroyed|Target crashed/.test(String(error))) throw error;
      log('page reloaded; retrying');
      await open();
      return page.evaluate(fn, arg);
    }
  };
}
