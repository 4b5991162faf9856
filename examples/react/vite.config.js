import { defineConfig, defaultClientConditions } from 'vite';

export default defineConfig({
  resolve: {
    // onnxruntime-web without its own copy of the 26.8 MB .wasm in your build: the SDK loads the
    // hash-checked runtime from public/ekyc (ekyc-assets) instead.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  // Module workers, as the SDK's `new Worker(new URL('./x.worker.js', import.meta.url), { type: 'module' })`.
  worker: { format: 'es' },
  // Pre-bundling moves a package's files into node_modules/.vite, which breaks the workers'
  // relative URLs in the dev server; the build is not affected.
  optimizeDeps: { exclude: ['@ekyc/elements', '@ekyc/flow', '@ekyc/workers'] },
  // Models and .wasm are fetched from public/ekyc at run time, never inlined.
  build: { assetsInlineLimit: 0 },
});
