// The prebuilt browser bundle of @ekyc/elements (dist/browser/), for pages without a bundler:
// `<script type="module" src="…/dist/browser/ekyc-elements.js">` defines every `ekyc-*` element.
// Everything is bundled in (lit, flow, workers, core, comlink, onnxruntime-web, …): module workers
// cannot use an import map, so the worker chunks must hold no bare specifiers either.
// Built from dist/ (the tsc output of this package and its dependencies), i.e. what npm ships.
import { defineConfig, defaultClientConditions } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  // Relative URLs for the worker chunks: `new URL('./x.worker-<hash>.js', import.meta.url)`,
  // wherever the integrator serves the folder from (else they are emitted as `/assets/…`).
  base: './',
  logLevel: 'warn',
  resolve: {
    // Without `source`: the dependencies resolve to their built dist. onnxruntime-web loads its WASM
    // glue from the asset folder (hash-checked), never from an inlined copy.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('dist/browser', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Models and .wasm never go into JS: they are self-hosted files fetched and verified at run time.
    assetsInlineLimit: 0,
    // Warnings about big chunks are about the worker chunks, which load only when their step starts.
    chunkSizeWarningLimit: 4096,
    // An app build with one entry that keeps its exports, not lib mode: lib mode leaves whitespace
    // and comments in ES output (for re-bundling), and this bundle is served as is. Measured on the
    // first-step JS: see docs/install.md.
    rollupOptions: {
      input: fileURLToPath(new URL('dist/index.js', import.meta.url)),
      preserveEntrySignatures: 'strict',
      output: { entryFileNames: 'ekyc-elements.js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
