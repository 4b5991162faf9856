import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

/** The demo page runs every ONNX model of the manifest once. */
const onnxModels = (JSON.parse(readFileSync(new URL('../models/manifest.json', import.meta.url), 'utf8')) as { assets: { format: string }[] })
  .assets.filter((asset) => asset.format === 'onnx').length;

test.describe('demo page', () => {
  test('makes zero requests outside its origin, breaks no CSP rule, and shows what the runtime chose', async ({ page, context }) => {
    const origin = 'http://127.0.0.1:5173';
    const foreign: string[] = [];
    const watch = (url: string) => {
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
    };
    // Requests from the page, its workers and their nested workers all pass through the context.
    context.on('request', (request) => watch(request.url()));
    page.on('websocket', (socket) => watch(socket.url().replace(/^ws/, 'http')));
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('worker', (worker) => watch(worker.url()));

    await page.goto('/demo/');
    await expect(page.locator('body[data-models-done]')).toBeAttached({ timeout: 170_000 });
    expect(await page.locator('body').getAttribute('data-models-done')).toBe('true');

    await expect(page.locator('#runtime')).toContainText('WebAssembly');
    await expect(page.locator('#runtime')).toContainText('software fallback adapter');
    await expect(page.locator('#models tr')).toHaveCount(onnxModels);

    // The MRZ reader undoes the specimen's planted O-for-0 confusion with the check digit.
    await expect(page.locator('#mrz-output')).toContainText('Valid TD3');
    await expect(page.locator('#mrz-output')).toContainText('O→0');
    await page.locator('#mrz-input').fill('P<UTOERIKSSON');
    await expect(page.locator('#mrz-output')).toContainText('Not valid');

    expect(foreign).toEqual([]);
    expect(violations).toEqual([]);
  });
});
