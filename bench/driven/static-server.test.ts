import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from './static-server.ts';

/** The serving policy the readiness bench claims to measure under (docs/install.md "Serving"). */
describe('bench static server', () => {
  let dir: string;
  let server: StaticServer;
  const wasm = new Uint8Array(4096).map((_, i) => i % 7);
  const traineddata = gzipSync(Buffer.from('eng traineddata bytes'));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ekyc-static-test-'));
    mkdirSync(path.join(dir, 'assets/models'), { recursive: true });
    mkdirSync(path.join(dir, 'sdk'), { recursive: true });
    writeFileSync(path.join(dir, 'assets/rt.wasm'), wasm);
    writeFileSync(path.join(dir, 'assets/models/eng.traineddata.gz'), traineddata);
    writeFileSync(path.join(dir, 'sdk/entry.js'), 'export const a = 1;\n'.repeat(50));
    writeFileSync(path.join(dir, 'sdk/chunk-AbCdEf12.js'), 'export const b = 2;\n');
    server = await startStaticServer([
      { prefix: '/ekyc/', dir: path.join(dir, 'assets'), caching: 'immutable' },
      { prefix: '/sdk/', dir: path.join(dir, 'sdk'), caching: (file) => (/-[A-Za-z0-9]{8}\.js$/.test(file) ? 'immutable' : 'revalidate') },
    ]);
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) => fetch(new URL(url, server.url), { headers: { 'accept-encoding': 'gzip', ...headers } });

  it('sends assets gzip, immutable, as application/wasm, with the isolation headers', async () => {
    const response = await get('/ekyc/rt.wasm');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/wasm');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    // fetch decodes Content-Encoding itself: the bytes must be the file's.
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(wasm);
    const last = server.served.at(-1)!;
    expect(last).toMatchObject({ path: '/ekyc/rt.wasm', status: 200 });
    expect(last.bodyBytes).toBe(gzipSync(wasm, { level: 6 }).length);
  });

  it('sends a .gz asset as its own bytes, never with Content-Encoding', async () => {
    const response = await get('/ekyc/models/eng.traineddata.gz');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('content-type')).toBe('application/gzip');
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(traineddata)).toBe(true);
    expect(gunzipSync(body).toString()).toBe('eng traineddata bytes');
  });

  it('revalidates the unhashed entry (no-cache + ETag, 304) and keeps hashed chunks immutable', async () => {
    const entry = await get('/sdk/entry.js');
    expect(entry.headers.get('cache-control')).toBe('no-cache');
    const etag = entry.headers.get('etag')!;
    const again = await get('/sdk/entry.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(server.served.at(-1)).toMatchObject({ path: '/sdk/entry.js', status: 304, bodyBytes: 0 });
    expect((await get('/sdk/chunk-AbCdEf12.js')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers 404 outside the mounts and for paths that climb out of them', async () => {
    expect((await get('/elsewhere/x.js')).status).toBe(404);
    // An encoded slash survives URL normalisation and is decoded by the server: it must not climb out.
    expect((await get('/ekyc/..%2Fsdk/entry.js')).status).toBe(404);
    expect((await get('/ekyc/missing.onnx')).status).toBe(404);
  });
});
