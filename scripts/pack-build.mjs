#!/usr/bin/env node
// Builds one workspace package to ESM JavaScript + .d.ts for npm: `tsc -p tsconfig.build.json`,
// then one rewrite tsc does not do. Usage: node scripts/pack-build.mjs packages/workers
//
// Why tsc and not a bundler: the package stays one module per source file, so an integrator's
// bundler (Vite, webpack 5) tree-shakes it and sees each `new Worker(new URL('./x.worker.js',
// import.meta.url), { type: 'module' })` as a worker entry, which both bundle on their own.
// A no-bundler page uses the prebuilt bundle of @ekyc/elements instead (its vite.config.ts).
//
// The rewrite: `rewriteRelativeImportExtensions` turns `import './a.ts'` into `./a.js`, but the
// worker URLs are plain strings inside `new URL(...)`, so they are rewritten here. JSON imports get
// `with { type: 'json' }`, which Node and browsers require (bundlers accept both); an `import()` of an
// expression (a blob: URL of verified bytes) gets `/* webpackIgnore: true */`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const WORKER_URL = /new URL\((['"])(\.{1,2}\/[^'"]+)\.ts\1,\s*import\.meta\.url\)/g;
const JSON_IMPORT = /^(import\s+[^;]*?\s+from\s+(['"])[^'"]+\.json\2)\s*;/gm;
const LEFTOVER_TS = /(['"])\.{1,2}\/[^'"]+\.ts\1/;
// `import(expression)`: the SDK imports verified runtime code from blob: URLs. webpack 5 turns an
// expression import it cannot resolve into an empty context that rejects at run time, unless told
// to leave it to the browser; tsc moves comments written in the source into its helper call, so the
// hint is added here, right after `import(`.
const EXPRESSION_IMPORT = /(?<![.\w$`])import\((?!\s*['"`)])(?!\s*\/\* webpackIgnore)/g;

/**
 * One emitted module, rewritten: worker URLs to `.js`, JSON imports with their attribute, expression
 * imports left to the browser by webpack.
 * Throws when a relative `.ts` specifier is left (a pattern neither tsc nor this rewrite handles).
 */
export function rewriteEmitted(source, file = 'module') {
  let workerUrls = 0;
  const text = source
    .replace(WORKER_URL, (_m, q, path) => {
      workerUrls += 1;
      return `new URL(${q}${path}.js${q}, import.meta.url)`;
    })
    .replace(JSON_IMPORT, (m, head) => (/\bwith\s*\{/.test(m) ? m : `${head} with { type: 'json' };`))
    .replace(EXPRESSION_IMPORT, 'import(/* webpackIgnore: true */ ');
  const left = text.match(LEFTOVER_TS);
  if (left) throw new Error(`${file}: a relative .ts specifier is left after the build: ${left[0]}`);
  return { text, workerUrls };
}

function build(dir) {
  const dist = join(dir, 'dist');
  const tsc = resolve(import.meta.dirname, '../node_modules/typescript/bin/tsc');
  rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.build.json')], { stdio: 'inherit' });
  let files = 0;
  let workerUrls = 0;
  for (const file of walk(dist)) {
    if (!file.endsWith('.js')) continue;
    const before = readFileSync(file, 'utf8');
    const after = rewriteEmitted(before, file);
    if (after.text !== before) writeFileSync(file, after.text);
    workerUrls += after.workerUrls;
    files += 1;
  }
  const tests = [...walk(dist)].filter((f) => /\.test\.(js|d\.ts)$/.test(f));
  if (tests.length) throw new Error(`tests were emitted into dist: ${tests.join(', ')}`);
  console.log(`${dir}: ${files} modules in dist, ${workerUrls} worker URLs rewritten`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) build(resolve(process.argv[2] ?? '.'));

function* walk(root) {
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
