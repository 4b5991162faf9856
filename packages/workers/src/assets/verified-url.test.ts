import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex, type RuntimeManifest } from '@ekyc/core';
import { exactArrayBuffer, fetchRuntimeObjectUrl, namedObjectUrl, runtimeMediaType } from './verified-url.ts';

const BASE = 'http://127.0.0.1:5173/ekyc/';
const glue = new TextEncoder().encode('export default function factory() { return 42; }\n');

async function manifestFor(bytes: Uint8Array<ArrayBuffer>): Promise<RuntimeManifest> {
  return {
    version: 1,
    assets: [{ id: 'glue', runtime: 'test', file: 'rt/glue.mjs', source: { package: 'p', version: '1.0.0', path: 'glue.mjs' }, sha256: await sha256Hex(bytes), bytes: bytes.byteLength }],
  } as unknown as RuntimeManifest;
}

/** The network is the one faked boundary: it answers with `answers` in order and counts requests. */
function serve(...answers: Uint8Array[]): { requests: string[] } {
  const requests: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    requests.push(url);
    const body = answers[Math.min(requests.length - 1, answers.length - 1)]!;
    return new Response(new Uint8Array(body), { status: 200 });
  });
  return { requests };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('runtimeMediaType', () => {
  it('names wasm and JavaScript by extension, anything else as bytes', () => {
    expect(runtimeMediaType('ort/ort-wasm-simd-threaded.wasm')).toBe('application/wasm');
    expect(runtimeMediaType('ort/ort-wasm-simd-threaded.MJS')).toBe('text/javascript');
    expect(runtimeMediaType('tesseract/tesseract-core-simd-lstm.wasm.js')).toBe('text/javascript');
    expect(runtimeMediaType('tesseract/eng.traineddata.gz')).toBe('application/octet-stream');
  });
});

describe('namedObjectUrl', () => {
  it('puts the file name in the fragment, replacing any earlier one', () => {
    const url = 'blob:http://127.0.0.1:5173/0b5c9a5e-5d1f-4c53-9a55-3f8a0b1c2d3e';
    expect(namedObjectUrl(url, 'tesseract/tesseract-core-simd-lstm.wasm.js')).toBe(`${url}#tesseract-core-simd-lstm.wasm.js`);
    expect(namedObjectUrl(`${url}#old.js`, 'a b.js')).toBe(`${url}#a%20b.js`);
    expect(namedObjectUrl(url, 'tesseract/tesseract-core-simd-lstm.wasm.js').endsWith('js')).toBe(true);
  });
});

describe('exactArrayBuffer', () => {
  it('copies exactly the view, not the whole underlying buffer, and shares nothing with it', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const view = backing.subarray(2, 5);
    const copy = exactArrayBuffer(view);
    expect(Array.from(new Uint8Array(copy))).toEqual([1, 2, 3]);
    backing[2] = 7;
    expect(new Uint8Array(copy)[0]).toBe(1);
  });
});

describe('fetchRuntimeObjectUrl', () => {
  it('requests the file once and its blob: URL serves the verified bytes, even if they change later', async () => {
    const manifest = await manifestFor(glue);
    const network = serve(glue, new TextEncoder().encode('throw new Error("second answer");'));
    const verified = await fetchRuntimeObjectUrl('glue', BASE, manifest);
    try {
      expect(network.requests).toEqual([`${BASE}wasm/rt/glue.mjs`]);
      expect(verified.url.startsWith('blob:')).toBe(true);
      expect(verified.namedUrl).toBe(`${verified.url}#glue.mjs`);
      verified.bytes.fill(0);
      vi.unstubAllGlobals();
      const served = await (await fetch(verified.url)).arrayBuffer();
      expect(new Uint8Array(served)).toEqual(glue);
      expect(network.requests).toHaveLength(1);
    } finally {
      verified.revoke();
    }
  });

  it('creates no URL for bytes that fail the hash check', async () => {
    const manifest = await manifestFor(glue);
    const tampered = new Uint8Array(glue);
    tampered[tampered.length - 3] = tampered[tampered.length - 3]! ^ 1;
    serve(tampered);
    const created = vi.spyOn(URL, 'createObjectURL');
    await expect(fetchRuntimeObjectUrl('glue', BASE, manifest)).rejects.toMatchObject({ code: 'asset_hash_mismatch' });
    expect(created).not.toHaveBeenCalled();
    created.mockRestore();
  });
});
