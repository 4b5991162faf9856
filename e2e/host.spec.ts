import { expect, test } from '@playwright/test';

test.describe('WorkerHost', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/e2e/pages/host.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
  });

  test('spawns lazily, initialises once, and transfers buffers instead of copying', async ({ page }) => {
    expect(await page.evaluate(() => window.hostTest.init())).toEqual({ ok: 1 });
    expect(await page.evaluate(() => window.hostTest.echoTransferred())).toEqual({ result: { ok: 1024 }, detachedAfterTransfer: true });
  });

  test('a coded error crosses the boundary with its code and details', async ({ page }) => {
    expect(await page.evaluate(() => window.hostTest.fail())).toEqual({
      code: 'invalid_frame', recoverable: true, details: { width: 0 }, isEkycError: true,
    });
  });

  test('a plain error becomes a coded one without leaking its message', async ({ page }) => {
    const result = await page.evaluate(() => window.hostTest.failPlain());
    expect(result).toMatchObject({ code: 'inference_failed', isEkycError: true, details: { cause: 'TypeError' } });
    expect(JSON.stringify(result)).not.toContain('user data');
  });

  test('a hung call times out, and the next call gets a fresh, initialised worker', async ({ page }) => {
    expect(await page.evaluate(() => window.hostTest.hang())).toMatchObject({ code: 'worker_timeout', recoverable: true });
    expect(await page.evaluate(() => window.hostTest.init())).toEqual({ ok: 1 });
  });

  test('a crashed worker rejects in-flight calls and is restarted on the next call', async ({ page }) => {
    expect(await page.evaluate(() => window.hostTest.crash())).toMatchObject({ code: 'worker_crashed', recoverable: true });
    expect(await page.evaluate(() => window.hostTest.restarts())).toBe(1);
    expect(await page.evaluate(() => window.hostTest.init())).toEqual({ ok: 1 });
  });
});
