import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM build script without types.
import { rewriteEmitted } from './pack-build.mjs';

const rewrite = rewriteEmitted as (source: string, file?: string) => { text: string; workerUrls: number };

describe('pack-build rewrite of tsc output', () => {
  it('points worker URLs at the emitted .js, which tsc leaves as .ts', () => {
    const source = "create: () => new Worker(new URL('./face.worker.ts', import.meta.url), { type: 'module' })";
    const { text, workerUrls } = rewrite(source);
    expect(text).toBe("create: () => new Worker(new URL('./face.worker.js', import.meta.url), { type: 'module' })");
    expect(workerUrls).toBe(1);
  });

  it('adds the JSON import attribute Node and browsers require, once', () => {
    const source = "import modelManifestJson from '@ekyc/models/manifest.json';\nimport x from './y.js';";
    const once = rewrite(source).text;
    expect(once).toBe("import modelManifestJson from '@ekyc/models/manifest.json' with { type: 'json' };\nimport x from './y.js';");
    expect(rewrite(once).text).toBe(once);
  });

  it('refuses a relative .ts specifier it cannot place', () => {
    expect(() => rewrite("const u = './helper.ts';", 'dist/a.js')).toThrow(/dist\/a\.js: a relative \.ts specifier is left/);
  });

  it('leaves bare and absolute specifiers alone', () => {
    const source = "import { a } from 'comlink';\nconst w = new URL('https://example.test/x.ts');";
    expect(rewrite(source)).toEqual({ text: source, workerUrls: 0 });
  });
});

describe('pack-build: imports of verified blob: URLs under webpack', () => {
  it('tells webpack to leave an expression import to the browser, once', () => {
    const source = 'return (await import(__rewriteRelativeImportExtension(/* @vite-ignore */ verified.url)));';
    const once = rewrite(source).text;
    expect(once).toBe('return (await import(/* webpackIgnore: true */ __rewriteRelativeImportExtension(/* @vite-ignore */ verified.url)));');
    expect(rewrite(once).text).toBe(once);
  });

  it('leaves literal imports and methods named import alone', () => {
    const source = "const m = await import('./chunk.js');\nawait self.import(url);\n// an `import()` in a comment";
    expect(rewrite(source).text).toBe(source);
  });
});
