import { createRequire } from 'node:module';
import type { OpenCv } from '../src/pipelines/quality/opencv-frame.ts';

/**
 * OpenCV.js (the same WASM build the workers run) loaded in Node for unit tests. The package's CommonJS
 * entry starts compiling its WASM on require and fills in `Mat` when it is ready; there is no promise to
 * wait on, so readiness is polled. It comes back in a box: the module object is itself a thenable
 * (Emscripten's), so a promise resolved with it would chain into its `then` and never settle.
 */
export async function loadOpenCvForTests(): Promise<{ cv: OpenCv }> {
  const cv = createRequire(import.meta.url)('@techstark/opencv-js') as OpenCv;
  await new Promise<void>((resolve) => {
    const poll = (): void => void ((cv as { Mat?: unknown }).Mat ? resolve() : setTimeout(poll, 20));
    poll();
  });
  return { cv };
}
