// webpack 5: `new Worker(new URL('./x.worker.js', import.meta.url), { type: 'module' })` in
// @ekyc/workers becomes a worker chunk of its own; nothing else to configure for it.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './main.js',
  output: {
    path: fileURLToPath(new URL('dist', import.meta.url)),
    // The entry keeps its name for index.html (revalidate it); chunks are content-hashed (immutable).
    filename: '[name].js',
    chunkFilename: '[name].[contenthash].js',
    publicPath: 'auto',
    clean: true,
    module: true,
    chunkFormat: 'module',
  },
  experiments: { outputModule: true },
  resolve: {
    // onnxruntime-web without its own copy of the .wasm: the SDK loads the hash-checked runtime
    // from the ekyc-assets folder.
    conditionNames: ['onnxruntime-web-use-extern-wasm', 'browser', 'import', 'module', 'default'],
  },
  module: {
    rules: [
      {
        // MediaPipe imports its loader with `import(url)` (a blob: URL of verified bytes, in the
        // liveness worker): left to the browser, else webpack makes it an empty context that rejects.
        test: /[\\/]@mediapipe[\\/]tasks-vision[\\/]vision_bundle\.mjs$/,
        parser: { import: false },
      },
    ],
  },
  performance: { hints: false },
};
