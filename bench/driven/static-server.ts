/**
 * A static server that serves the SDK the way docs/install.md tells an integrator to: the prebuilt
 * browser bundle of @ekyc/elements and the self-hosted assets, gzip-compressed (level 6, the level
 * `npm run size` counts), `.wasm` as application/wasm, tesseract's `.traineddata.gz` as opaque bytes,
 * COOP/COEP/CORP on every response, and `Cache-Control: public, max-age=31536000, immutable` on the
 * versioned assets and content-hashed chunks (`revalidate` files get `no-cache` plus an ETag, as the
 * unhashed entry and the HTML page should). The Vite dev server cannot stand in for it: it serves
 * sources unbundled and uncompressed, with `no-cache`, so neither cold bytes nor warm starts would
 * mean anything.
 *
 * Compressed bodies are made once before the server listens (kept in the OS temp folder, keyed by
 * path, size and mtime), so compression never runs inside a measurement.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Mount {
  /** URL prefix, with a trailing slash: `/ekyc/`. */
  prefix: string;
  dir: string;
  /** `immutable`: one year, never revalidated; `revalidate`: `no-cache` + ETag (304 when unchanged). */
  caching: 'immutable' | 'revalidate' | ((file: string) => 'immutable' | 'revalidate');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8',
  '.onnx': 'application/octet-stream', '.tflite': 'application/octet-stream', '.data': 'application/octet-stream',
  '.bin': 'application/octet-stream', '.gz': 'application/gzip', '.jpg': 'image/jpeg', '.png': 'image/png',
};
/** docs/install.md "Serving": what to compress. `.gz` never (its bytes are hash-checked as they are). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.txt', '.onnx', '.tflite', '.data']);

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };

const gzipDir = path.join(os.tmpdir(), 'ekyc-bench-gzip');

function gzipPathOf(file: string): string {
  const s = statSync(file);
  return path.join(gzipDir, `${createHash('sha1').update(`${file}\0${s.size}\0${s.mtimeMs}`).digest('hex')}.gz`);
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/** Compresses every compressible file of the mounts that has no up-to-date compressed copy yet. */
function precompress(mounts: readonly Mount[]): void {
  mkdirSync(gzipDir, { recursive: true });
  for (const mount of mounts) {
    for (const file of filesUnder(mount.dir)) {
      if (!COMPRESSIBLE.has(path.extname(file))) continue;
      const target = gzipPathOf(file);
      if (!existsSync(target)) writeFileSync(target, gzipSync(readFileSync(file), { level: 6 }));
    }
  }
}

/** One answered request, as the server saw it: what really crossed the network (HTTP cache hits never reach it). */
export interface ServedRequest {
  path: string;
  /** Epoch ms when the request arrived. */
  at: number;
  status: number;
  /** Body bytes sent (compressed when gzip was sent), headers not included. */
  bodyBytes: number;
}

export interface StaticServer {
  url: string;
  /** Every request answered since the server started, in order. */
  served: ServedRequest[];
  close(): Promise<void>;
}

export async function startStaticServer(mounts: readonly Mount[]): Promise<StaticServer> {
  for (const mount of mounts) if (!existsSync(mount.dir)) throw new Error(`static server: ${mount.dir} does not exist (see the suite's header for the command that makes it)`);
  precompress(mounts);
  const served: ServedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    for (const [name, value] of Object.entries(ISOLATION)) res.setHeader(name, value);
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const mount = mounts.find((m) => pathname.startsWith(m.prefix));
    const file = mount ? path.join(mount.dir, pathname.slice(mount.prefix.length)) : null;
    if (!mount || !file || !file.startsWith(path.resolve(mount.dir) + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end();
      served.push({ path: pathname, at, status: 404, bodyBytes: 0 });
      return;
    }
    const stat = statSync(file);
    const ext = path.extname(file);
    const caching = typeof mount.caching === 'function' ? mount.caching(file) : mount.caching;
    const etag = `"${stat.size.toString(16)}-${Math.round(stat.mtimeMs).toString(16)}"`;
    res.setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    res.setHeader('Cache-Control', caching === 'immutable' ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.setHeader('ETag', etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      served.push({ path: pathname, at, status: 304, bodyBytes: 0 });
      return;
    }
    const gzip = COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? gzipPathOf(file) : file;
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    const bodyBytes = statSync(body).size;
    res.setHeader('Content-Length', bodyBytes);
    res.statusCode = 200;
    served.push({ path: pathname, at, status: 200, bodyBytes: req.method === 'HEAD' ? 0 : bodyBytes });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(body).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    served,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
