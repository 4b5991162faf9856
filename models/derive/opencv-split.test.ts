import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build step without type declarations
import { derive, extractWasm, loaderScript } from './opencv-split.mjs';

// Running the split files is covered in the browser (e2e/verified-runtime.spec.ts and
// e2e/quality.spec.ts: the worker compiles the wasm, imports the loader under an enforced CSP and
// measures a frame); here the split itself is checked.
const require = createRequire(import.meta.url);
const source = readFileSync(require.resolve('@techstark/opencv-js/dist/opencv.js'), 'utf8');

describe('opencv-split derive step', () => {
  it('decodes the embedded binary into a wasm module WebAssembly accepts', () => {
    const wasm = extractWasm(source) as Uint8Array;
    expect([...wasm.subarray(0, 8)]).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    expect(WebAssembly.validate(wasm)).toBe(true);
    // base64 holds 3 bytes per 4 characters: what is left in the loader is a small fraction of the source
    expect(wasm.byteLength).toBeGreaterThan(source.length * 0.7);
  });

  it('writes a loader without the data: URI and without string-built functions, exporting the factory', () => {
    const loader = loaderScript(source) as string;
    expect(loader).not.toContain('var wasmBinaryFile="data:');
    expect(loader).not.toMatch(/new Function|new_\(Function/);
    expect(loader).not.toContain('return cv(Module);');
    expect(loader).toMatch(/export default umdRoot\.cv;\n$/);
    expect(loader.length).toBeLessThan(source.length / 40);
  });

  it('is deterministic for both parts', async () => {
    const bytes = new TextEncoder().encode(source);
    for (const part of ['wasm', 'loader']) {
      const a = (await derive(bytes, { part })) as Uint8Array;
      const b = (await derive(bytes, { part })) as Uint8Array;
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    }
  });

  it('refuses an unknown part and a source it does not recognise', async () => {
    await expect(derive(new TextEncoder().encode(source), { part: 'js' })).rejects.toThrow(/params\.part/);
    expect(() => extractWasm('not opencv')).toThrow(/not found exactly once/);
  });
});
