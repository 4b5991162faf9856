import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build step without type declarations
import { derive, withCompiledWasmHook } from './ort-compiled-wasm.mjs';
import { findPackageDir } from '../build.mjs';

// The derived glue runs here in Node (onnxruntime-web's glue supports it) with the real binary; in
// the browser e2e/verified-runtime.spec.ts and e2e/models.spec.ts run it through onnxruntime-web.
const dist = path.join(findPackageDir('onnxruntime-web'), 'dist');
const dir = mkdtempSync(path.join(os.tmpdir(), 'ort-compiled-wasm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Glue {
  default(config: object): Promise<Record<string, unknown>>;
  provideCompiledWasm(module: WebAssembly.Module): void;
}

async function importDerived(file: string, name: string): Promise<Glue> {
  const target = path.join(dir, name);
  writeFileSync(target, (await derive(readFileSync(path.join(dist, file)))) as Uint8Array);
  return (await import(pathToFileURL(target).href)) as Glue;
}

const neverFetch = (): never => { throw new Error('the glue looked up its binary'); };

describe('ort-compiled-wasm derive step', () => {
  it('starts onnxruntime from the module it was given, without looking up a binary', async () => {
    const glue = await importDerived('ort-wasm-simd-threaded.mjs', 'provided.mjs');
    glue.provideCompiledWasm(await WebAssembly.compile(readFileSync(path.join(dist, 'ort-wasm-simd-threaded.wasm'))));
    const runtime = await glue.default({ numThreads: 1, locateFile: neverFetch });
    expect(typeof runtime['_OrtInit']).toBe('function');
    expect(typeof runtime['_OrtCreateSession']).toBe('function');
  }, 60_000);

  it('behaves as published until provideCompiledWasm is called', async () => {
    const glue = await importDerived('ort-wasm-simd-threaded.mjs', 'untouched.mjs');
    await expect(glue.default({ numThreads: 1, locateFile: neverFetch })).rejects.toThrow(/looked up its binary/);
  });

  it('patches both pinned glues (CPU and WebGPU builds), deterministically', async () => {
    for (const file of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.asyncify.mjs']) {
      const source = readFileSync(path.join(dist, file));
      const a = Buffer.from((await derive(source)) as Uint8Array);
      expect(a.equals(Buffer.from((await derive(source)) as Uint8Array))).toBe(true);
      expect(a.toString()).toContain('export function provideCompiledWasm(');
    }
  });

  it('refuses a glue it does not recognise, or one already derived', () => {
    expect(() => withCompiledWasmHook('export default 1')).toThrow(/pinned onnxruntime-web glue/);
    const once = withCompiledWasmHook(readFileSync(path.join(dist, 'ort-wasm-simd-threaded.mjs'), 'utf8')) as string;
    expect(() => withCompiledWasmHook(once)).toThrow();
  });
});
