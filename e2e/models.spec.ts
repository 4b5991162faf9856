import { expect, test, type Page } from '@playwright/test';
import type { ModelAgreement } from './pages/models.ts';
import manifest from '../models/manifest.json' with { type: 'json' };

const onnxIds = manifest.assets.filter((asset) => asset.format === 'onnx').map((asset) => asset.id);

// One page and its two workers (WASM, WebGPU) serve every test: starting a runtime costs seconds.
test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  await page.goto('/e2e/pages/models.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
});

test.afterAll(async () => {
  await page.close();
});

test.describe('every ONNX model of the manifest, in a worker, on WASM and WebGPU', () => {
  test('the runtime reports what it chose and why', async () => {
    const wasm = await page.evaluate(() => window.modelTest.runtime('wasm'));
    expect(wasm.backend).toBe('wasm');
    expect(wasm.capabilities.simd).toBe(true);
    expect(wasm.capabilities.crossOriginIsolated).toBe(true);
    expect(wasm.reason).toMatch(/forced by configuration; WASM SIMD/);

    const auto = await page.evaluate(() => window.modelTest.runtime('auto'));
    // Here the only WebGPU adapter is SwiftShader, which auto mode must not pick.
    expect(auto.capabilities.webgpu.available).toBe(true);
    expect(auto.capabilities.webgpu.fallbackAdapter).toBe(true);
    expect(auto.backend).toBe('wasm');
    expect(auto.reason).toContain('software fallback');

    const gpu = await page.evaluate(() => window.modelTest.runtime('webgpu'));
    expect(gpu.backend).toBe('webgpu');
  });

  test('the worker lists exactly the manifest models', async () => {
    expect(await page.evaluate(() => window.modelTest.modelIds())).toEqual(onnxIds);
  });

  for (const id of onnxIds) {
    test(`${id}: WASM and WebGPU outputs agree`, async () => {
      const result: ModelAgreement = await page.evaluate((modelId) => window.modelTest.agreement(modelId, 7), id);
      expect(result.fallbacks).toEqual([]);
      expect(result.backends).toEqual(['wasm', 'webgpu']);
      const spec = manifest.assets.find((asset) => asset.id === id)!;
      expect(result.outputs.map((o) => o.name)).toEqual(spec.io!.outputs.map((o) => o.name));
      for (const output of result.outputs) {
        expect(output.finite, `${id}/${output.name} finite`).toBe(true);
        expect(output.std, `${id}/${output.name} is not constant`).toBeGreaterThan(0);
        expect(output.cosine, `${id}/${output.name} cosine`).toBeGreaterThan(0.999);
        expect(output.maxAbsDiff, `${id}/${output.name} max abs diff`).toBeLessThanOrEqual(1e-2 * Math.max(1, output.maxAbs));
      }
    });
  }

  test('a file that does not match its sha256 is refused with a typed error', async () => {
    await page.route('**/ekyc/models/fr-eye.onnx', async (route) => {
      const original = await route.fetch();
      const body = Buffer.from(await original.body());
      const middle = body.length >> 1;
      body[middle] = body[middle]! ^ 0x01;
      await route.fulfill({ response: original, body });
    });
    expect(await page.evaluate(() => window.modelTest.hashMismatch())).toEqual({ code: 'asset_hash_mismatch', recoverable: false });
  });
});
