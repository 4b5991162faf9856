import { EkycError } from '@ekyc/core';
import { compileRuntimeWasm } from '../../assets/fetch-asset.ts';
import { importVerifiedModule } from '../../assets/verified-url.ts';
import type { OpenCv } from './quality-analyzer.ts';

const WASM_ID = 'opencv-wasm';
const LOADER_ID = 'opencv-loader';

/** What OpenCV.js's Emscripten factory reads from the object it is given (which becomes `cv`). */
interface OpenCvModuleConfig {
  instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
  onRuntimeInitialized(): void;
  onAbort(reason: unknown): void;
}
type OpenCvFactory = (config: OpenCvModuleConfig) => OpenCv;

/**
 * Loads OpenCV.js in a module worker from the integrator's asset folder, as two files derived by
 * `npm run assets` (models/derive/opencv-split.mjs): the wasm, compiled from its own
 * `application/wasm` response while it is hash-checked (compileRuntimeWasm), and a 0.2 MB ES module
 * loader without `eval`/`new Function` (so it runs under a CSP without `unsafe-eval`), imported from
 * a `blob:` URL of its verified bytes (so `script-src` needs `blob:`). Neither is fetched twice.
 * The embedded build (10.4 MB of JavaScript with the wasm as base64) took 2.5-3.1 s per worker start
 * at load 8-9, most of it parsing and decoding; this one 0.3-0.6 s (opencv-split.mjs).
 * The result is wrapped in an object: `cv` has a `then` that never settles, so it must not be awaited.
 */
export async function loadOpenCv(assetBaseUrl: string, timeoutMs = 60_000): Promise<{ cv: OpenCv }> {
  const compiled = compileRuntimeWasm(WASM_ID, assetBaseUrl);
  compiled.catch(() => undefined);
  let factory: OpenCvFactory;
  let module: WebAssembly.Module;
  try {
    factory = (await importVerifiedModule<{ default: OpenCvFactory }>(LOADER_ID, assetBaseUrl)).default;
    module = await compiled;
  } catch (cause) {
    if (cause instanceof EkycError) throw cause;
    throw new EkycError('model_load_failed', 'OpenCV.js could not be imported', { cause, details: { id: LOADER_ID } });
  }
  return new Promise((resolve, reject) => {
    const fail = (cause: unknown): void => {
      clearTimeout(timer);
      reject(new EkycError('model_load_failed', 'OpenCV.js did not initialise', { cause, details: { id: WASM_ID } }));
    };
    const timer = setTimeout(() => {
      reject(new EkycError('model_load_failed', 'OpenCV.js did not initialise in time', { details: { id: WASM_ID, timeoutMs } }));
    }, timeoutMs);
    const cv = factory({
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module), fail);
        return {}; // Emscripten's "instantiating asynchronously" answer
      },
      onRuntimeInitialized() {
        clearTimeout(timer);
        resolve({ cv });
      },
      onAbort: fail,
    });
  });
}
