import { readFileSync } from 'node:fs';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { RuntimeUse } from './pages/verified-runtime.ts';

/**
 * Check-then-use: each runtime file (.wasm, .mjs, .js) is hash-checked when first fetched. Here the
 * server answers the FIRST request for a file with the genuine bytes and every LATER request for the
 * same URL with other bytes (an empty wasm module; a script that throws; junk for model files). A worker that verified one
 * answer and then ran another would break, or run the altered bytes. Each runtime must request each of
 * its files once and run what it verified.
 */

// BlazeFace short range finds 3 faces here (docs/face.md); it misses the small face of the selfie screenshot.
const groupUrl = '/node_modules/@vladmandic/face-api/demo/sample1.jpg';
// The smallest valid wasm module: it compiles, and exports nothing a runtime needs.
const EMPTY_WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const SECOND_ANSWER_RAN = 'second answer for a verified runtime file was run';

/**
 * The dev server sends its policy report-only (vite.config.ts); here it is enforced, on the page and
 * on every worker script, so a loader the policy forbids fails the test instead of logging a report.
 */
async function enforceContentSecurityPolicy(context: BrowserContext): Promise<void> {
  await context.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = response.headers();
    const policy = headers['content-security-policy-report-only'];
    if (policy) {
      delete headers['content-security-policy-report-only'];
      headers['content-security-policy'] = policy;
    }
    await route.fulfill({ response, headers });
  });
}

/**
 * Serves runtime files: genuine the first time, altered after, under the enforced policy.
 * Returns the request count per path.
 */
async function answerDifferentlyTheSecondTime(context: BrowserContext): Promise<Map<string, number>> {
  await enforceContentSecurityPolicy(context);
  const requests = new Map<string, number>();
  await context.route(/\/ekyc\/(wasm|models)\//, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const count = (requests.get(path) ?? 0) + 1;
    requests.set(path, count);
    const wasm = path.endsWith('.wasm');
    const script = /\.m?js$/.test(path);
    // The genuine bytes come from the asset folder `npm run assets` wrote, served as docs/runtime.md
    // says (the dev server would add `Content-Encoding: gzip` to the .gz traineddata).
    const genuine = count === 1;
    await route.fulfill({
      status: 200,
      headers: {
        'Content-Type': wasm ? 'application/wasm' : script ? 'text/javascript' : 'application/octet-stream',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Cache-Control': 'no-store',
      },
      body: genuine
        ? readFileSync(`demo/public${path}`)
        : wasm ? EMPTY_WASM : script ? `throw new Error(${JSON.stringify(`${SECOND_ANSWER_RAN}: ${path}`)});\n` : Buffer.from(SECOND_ANSWER_RAN),
    });
  });
  return requests;
}

async function openPage(page: Page): Promise<void> {
  await page.goto('/e2e/pages/verified-runtime.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
}

function expectOneRequestEach(requests: Map<string, number>, files: string[]): void {
  for (const file of files) expect(requests.has(`/ekyc/${file}`), `${file} was loaded`).toBe(true);
  expect(Object.fromEntries(requests)).toEqual(Object.fromEntries([...requests.keys()].map((path) => [path, 1])));
}

test.describe('runtimes run the bytes they verified, never a second answer', () => {
  test('onnxruntime-web WASM build: glue and binary requested once, a model runs', async ({ page, context }) => {
    const requests = await answerDifferentlyTheSecondTime(context);
    await openPage(page);
    const use: RuntimeUse = await page.evaluate(() => window.verifiedRuntimeTest.onnx('wasm'));
    expect(use, JSON.stringify(use)).toMatchObject({ ok: true, backend: 'wasm', detail: { finite: 'yes' } });
    expectOneRequestEach(requests, ['wasm/ort/ort-wasm-simd-threaded.mjs', 'wasm/ort/ort-wasm-simd-threaded.wasm']);
  });

  test('onnxruntime-web WebGPU build: glue and binary requested once, a model runs on WebGPU', async ({ page, context }) => {
    const requests = await answerDifferentlyTheSecondTime(context);
    await openPage(page);
    const use: RuntimeUse = await page.evaluate(() => window.verifiedRuntimeTest.onnx('webgpu'));
    expect(use, JSON.stringify(use)).toMatchObject({ ok: true, backend: 'webgpu', detail: { finite: 'yes' } });
    expectOneRequestEach(requests, ['wasm/ort/ort-wasm-simd-threaded.asyncify.mjs', 'wasm/ort/ort-wasm-simd-threaded.asyncify.wasm']);
  });

  test('MediaPipe tasks-vision: loader and binary requested once, BlazeFace finds faces', async ({ page, context }) => {
    const requests = await answerDifferentlyTheSecondTime(context);
    await openPage(page);
    const use: RuntimeUse = await page.evaluate((url) => window.verifiedRuntimeTest.mediapipe(url), groupUrl);
    expect(use, JSON.stringify(use)).toMatchObject({ ok: true });
    expect(use.ok && Number(use.detail.faces)).toBeGreaterThan(0);
    expectOneRequestEach(requests, ['wasm/mediapipe/vision_wasm_module_internal.js', 'wasm/mediapipe/vision_wasm_module_internal.wasm']);
  });

  test('OpenCV.js: loader and wasm requested once, a frame is measured', async ({ page, context }) => {
    const requests = await answerDifferentlyTheSecondTime(context);
    await openPage(page);
    const use: RuntimeUse = await page.evaluate(() => window.verifiedRuntimeTest.opencv());
    expect(use, JSON.stringify(use)).toMatchObject({ ok: true });
    expect(use.ok && Number(use.detail.sharpness)).toBeGreaterThan(0);
    expectOneRequestEach(requests, ['wasm/opencv/opencv-loader.mjs', 'wasm/opencv/opencv.wasm']);
  });

  test('tesseract.js as docs/runtime.md starts it: worker, core and traineddata requested once, a line is read', async ({ page, context }) => {
    const requests = await answerDifferentlyTheSecondTime(context);
    await openPage(page);
    const use: RuntimeUse = await page.evaluate(() => window.verifiedRuntimeTest.tesseract('VERIFIED 2026'));
    expect(use, JSON.stringify(use)).toMatchObject({ ok: true, detail: { text: 'VERIFIED 2026' } });
    expectOneRequestEach(requests, ['wasm/tesseract/worker.min.js', 'wasm/tesseract/tesseract-core-simd-lstm.wasm.js', 'models/tesseract/eng.traineddata.gz']);
  });
});
