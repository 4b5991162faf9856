import { defineConfig, defaultClientConditions, defaultServerConditions, type Plugin } from 'vite';
import { createReadStream, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Cross-origin isolation (needed for WASM threads) requires these headers on every response,
 * 404s included, or an isolated page cannot even load its own missing-file errors.
 */
export const isolationHeaders: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The strict policy the SDK is built to run under: no eval, no inline scripts, nothing from
 * another origin. Served report-only so a violation shows up in tests (e2e/no-external.spec.ts
 * fails on any) instead of silently breaking a page under development.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  // blob: only for runtime code the SDK hash-checked and runs from those bytes (docs/runtime.md).
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "font-src 'self'",
  // blob: for tesseract.js, which fetches its traineddata itself: given a blob: URL of verified bytes.
  "connect-src 'self' blob:",
  // blob: for onnxruntime-web's pthread workers, started from the verified glue's blob: URL.
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Asset files that are gzip archives (tesseract's `eng.traineddata.gz`) must arrive as the exact
 * bytes the manifest hashes. Vite's static server labels them `Content-Encoding: gzip`, so the
 * browser unpacks them and the sha256 check fails; serve them as opaque bytes instead.
 */
function servePrecompressedAsBytes(
  req: { url?: string },
  res: { statusCode: number; setHeader(name: string, value: string | number): void; end(): void } & NodeJS.WritableStream,
  next: () => void,
): void {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (!path.startsWith('/ekyc/') || !path.endsWith('.gz') || path.includes('..')) return next();
  const file = fileURLToPath(new URL(`demo/public${path}`, import.meta.url));
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return next();
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/gzip');
  res.setHeader('Content-Length', size);
  res.setHeader('Cache-Control', 'no-cache');
  createReadStream(file).pipe(res);
}

function crossOriginIsolation(): Plugin {
  const apply = (_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    for (const [name, value] of Object.entries(isolationHeaders)) res.setHeader(name, value);
    res.setHeader('Content-Security-Policy-Report-Only', contentSecurityPolicy);
    next();
  };
  return {
    name: 'ekyc:cross-origin-isolation',
    configureServer(server) {
      server.middlewares.use(apply);
      server.middlewares.use(servePrecompressedAsBytes);
      server.middlewares.use((req, res, next) => {
        if (req.url === '/' || req.url === '/index.html') {
          res.statusCode = 302;
          res.setHeader('Location', '/demo/');
          res.end();
          return;
        }
        next();
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use(apply);
    },
  };
}

export default defineConfig({
  root,
  publicDir: 'demo/public',
  appType: 'mpa',
  plugins: [crossOriginIsolation()],
  resolve: {
    // `source`: workspace packages resolve to TypeScript sources.
    // `onnxruntime-web-use-extern-wasm`: onnxruntime-web loads its WASM glue from our own asset folder.
    conditions: ['source', 'onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions], externalConditions: ['source'] } },
  worker: { format: 'es' },
  optimizeDeps: {
    // Crawl worker entries up front: a dependency discovered late re-optimizes and reloads pages.
    entries: ['demo/**/*.html', 'e2e/pages/**/*.html', 'bench/**/*.html', 'packages/*/src/**/*.worker.ts'],
    include: ['comlink', 'onnxruntime-web/webgpu', 'wasm-feature-detect', 'zod', 'jose', '@ekyc/core > canonicalize', 'idb'],
  },
  server: {
    port: 5173,
    strictPort: true,
    host: '127.0.0.1',
    // Tests and benchmarks must never see a page reload because a file changed on disk.
    hmr: process.env['EKYC_NO_HMR'] ? false : undefined,
    fs: { allow: [root, '/usr/share/fonts'] },
  },
  preview: { port: 4173, strictPort: true, host: '127.0.0.1' },
  build: {
    outDir: 'dist/demo',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        demo: fileURLToPath(new URL('demo/index.html', import.meta.url)),
        auditor: fileURLToPath(new URL('demo/auditor.html', import.meta.url)),
      },
    },
  },
});
