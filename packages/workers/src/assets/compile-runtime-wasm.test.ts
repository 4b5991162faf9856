import { afterEach, describe, expect, it, vi } from 'vitest';
import { EkycError, sha256Hex, type RuntimeManifest } from '@ekyc/core';
import { compileRuntimeWasm, isWasmMediaType } from './fetch-asset.ts';

const BASE = 'http://127.0.0.1:5173/ekyc/';
// (module (func (export "answer") (result i32) i32.const 42))
const ANSWER_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
  0x03, 0x02, 0x01, 0x00,
  0x07, 0x0a, 0x01, 0x06, 0x61, 0x6e, 0x73, 0x77, 0x65, 0x72, 0x00, 0x00,
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,
]);

async function manifestFor(bytes: Uint8Array<ArrayBuffer>): Promise<RuntimeManifest> {
  return {
    version: 1,
    assets: [{ id: 'bin', runtime: 'opencv', file: 'rt/bin.wasm', source: { package: 'p', version: '1.0.0', path: 'bin.wasm' }, sha256: await sha256Hex(bytes), bytes: bytes.byteLength }],
  } as unknown as RuntimeManifest;
}

/** The network is the one faked boundary: one answer with the given media type; requests counted. */
function serve(body: Uint8Array, contentType: string): { requests: string[] } {
  const requests: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    requests.push(url);
    return new Response(new Uint8Array(body), { status: 200, headers: { 'Content-Type': contentType } });
  });
  return { requests };
}

async function answerOf(module: WebAssembly.Module): Promise<number> {
  const instance = await WebAssembly.instantiate(module, {});
  return (instance.exports['answer'] as () => number)();
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('compileRuntimeWasm', () => {
  it('compiles an application/wasm response by streaming, from one request, once its hash matched', async () => {
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    const network = serve(ANSWER_WASM, 'application/wasm');
    const module = await compileRuntimeWasm('bin', BASE, await manifestFor(ANSWER_WASM), { onProgress: () => undefined });
    expect(await answerOf(module)).toBe(42);
    expect(streaming).toHaveBeenCalledTimes(1);
    expect(network.requests).toEqual([`${BASE}wasm/rt/bin.wasm`]);
  });

  it('compiles the verified bytes when the server sends another media type', async () => {
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    const network = serve(ANSWER_WASM, 'application/octet-stream');
    const module = await compileRuntimeWasm('bin', BASE, await manifestFor(ANSWER_WASM), { onProgress: () => undefined });
    expect(await answerOf(module)).toBe(42);
    expect(streaming).not.toHaveBeenCalled();
    expect(network.requests).toHaveLength(1);
  });

  it('returns no module for bytes that fail the hash check, even though they compile', async () => {
    const pinned = await manifestFor(new Uint8Array([...ANSWER_WASM.subarray(0, -2), 0x2b, 0x0b])); // i32.const 43
    serve(ANSWER_WASM, 'application/wasm');
    const error = await compileRuntimeWasm('bin', BASE, pinned, { onProgress: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EkycError);
    expect((error as EkycError).code).toBe('asset_hash_mismatch');
  });

  it('is model_load_failed when the pinned bytes are not a wasm module', async () => {
    const junk = new TextEncoder().encode('not wasm at all');
    serve(junk, 'application/wasm');
    const error = await compileRuntimeWasm('bin', BASE, await manifestFor(junk), { onProgress: () => undefined }).catch((e: unknown) => e);
    expect((error as EkycError).code).toBe('model_load_failed');
    expect((error as EkycError).details).toMatchObject({ id: 'bin' });
  });
});

describe('isWasmMediaType', () => {
  it('accepts application/wasm with parameters or another case, nothing else', () => {
    expect(isWasmMediaType('application/wasm')).toBe(true);
    expect(isWasmMediaType('Application/WASM; charset=binary')).toBe(true);
    expect(isWasmMediaType('application/octet-stream')).toBe(false);
    expect(isWasmMediaType(null)).toBe(false);
  });
});
