import { EkycError } from '@ekyc/core';
import { importVerifiedModule } from '../../assets/verified-url.ts';
import type { OpenCv } from './quality-analyzer.ts';

const RUNTIME_ID = 'opencv-esm';

/**
 * Loads OpenCV.js in a module worker from the integrator's asset folder. The file is the ES module
 * derived by `npm run assets` (models/derive/opencv-esm.mjs): no `eval`/`new Function`, so it runs
 * under a CSP without `unsafe-eval`; its wasm is embedded in it. It is fetched once, hash-checked,
 * and imported from a `blob:` URL of exactly those bytes (so `script-src` needs `blob:`), never
 * fetched again by URL.
 * The result is wrapped in an object: `cv` has a `then` that never settles, so it must not be awaited.
 */
export async function loadOpenCv(assetBaseUrl: string, timeoutMs = 60_000): Promise<{ cv: OpenCv }> {
  let cv: OpenCv;
  try {
    cv = (await importVerifiedModule<{ default: OpenCv }>(RUNTIME_ID, assetBaseUrl)).default;
  } catch (cause) {
    if (cause instanceof EkycError) throw cause;
    throw new EkycError('model_load_failed', 'OpenCV.js could not be imported', { cause, details: { id: RUNTIME_ID } });
  }
  const started = performance.now();
  while (typeof (cv as { Mat?: unknown }).Mat !== 'function') {
    if (performance.now() - started > timeoutMs) {
      throw new EkycError('model_load_failed', 'OpenCV.js did not initialise in time', { details: { id: RUNTIME_ID, timeoutMs } });
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { cv };
}
