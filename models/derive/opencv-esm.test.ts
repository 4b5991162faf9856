import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build step without type declarations
import { derive, patchOpenCv } from './opencv-esm.mjs';

// Running the derived module is covered in the browser (e2e/quality.spec.ts: the worker loads it and
// no CSP report appears); here the text transformation itself is checked.
const require = createRequire(import.meta.url);
const source = readFileSync(require.resolve('@techstark/opencv-js/dist/opencv.js'), 'utf8');

describe('opencv-esm derive step', () => {
  it('replaces every string-built function of embind', () => {
    expect(source).toMatch(/new Function/);
    const patched = patchOpenCv(source) as string;
    expect(patched).not.toMatch(/new Function|new_\(Function/);
    expect(patched).toContain('function craftInvokerFunction(');
  });

  it('wraps the script as an ES module with a default export, deterministically', async () => {
    const bytes = new TextEncoder().encode(source);
    const a = new TextDecoder().decode(await derive(bytes));
    const b = new TextDecoder().decode(await derive(bytes));
    expect(a).toBe(b);
    expect(a).toMatch(/export default umdRoot\.cv;\n$/);
  });

  it('refuses a source it does not recognise instead of half-patching it', () => {
    expect(() => patchOpenCv('not opencv')).toThrow(/not found exactly once/);
  });
});
