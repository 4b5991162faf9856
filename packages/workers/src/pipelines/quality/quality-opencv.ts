import { EkycError } from '@ekyc/core';
import { fetchRuntimeFile, runtimeFileUrl } from '../../assets/fetch-asset.ts';
import type { OpenCv } from './quality-analyzer.ts';

const RUNTIME_ID = 'opencv-esm';

/**
 * Loads OpenCV.js in a module worker from the integrator's asset folder. The file is the ES module
 * derived by `npm run assets` (models/derive/opencv-esm.mjs): no `eval`/`new Function`, so it runs
 * under `script-src 'self' 'wasm-unsafe-eval'`. Its bytes are hash-checked first; the `import()`
 * that follows reads the same URL (normally from the HTTP cache). Importing verified bytes through a
 * `blob:` URL would close that gap but needs `blob:` in script-src, which the SDK's CSP does not allow.
 * The result is wrapped in an object: `cv` has a `then` that never settles, so it must not be awaited.
 */
export async function loadOpenCv(assetBaseUrl: string, timeoutMs = 60_000): Promise<{ cv: OpenCv }> {
  await fetchRuntimeFile(RUNTIME_ID, assetBaseUrl);
  let cv: OpenCv;
  try {
    const module = (await import(/* @vite-ignore */ runtimeFileUrl(RUNTIME_ID, assetBaseUrl))) as { default: OpenCv };
    cv = module.default;
  } catch (cause) {
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
