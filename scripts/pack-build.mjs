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
// `with { type: 'json' }`, which Node and browsers require (bundlers accept both).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '.');
const dist = join(dir, 'dist');
const tsc = resolve(import.meta.dirname, '../node_modules/typescript/bin/tsc');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.build.json')], { stdio: 'inherit' });

const WORKER_URL = /new URL\((['"])(\.{1,2}\/[^'"]+)\.ts\1,\s*import\.meta\.url\)/g;
const JSON_IMPORT = /^(import\s+[^;]*?\s+from\s+(['"])[^'"]+\.json\2)\s*;/gm;
const LEFTOVER_TS = /(['"])\.{1,2}\/[^'"]+\.ts\1/;

let files = 0;
let workerUrls = 0;
for (const file of walk(dist)) {
  if (!file.endsWith('.js')) continue;
  const before = readFileSync(file, 'utf8');
  const after = before
    .replace(WORKER_URL, (_m, q, path) => {
      workerUrls += 1;
      return `new URL(${q}${path}.js${q}, import.meta.url)`;
    })
    .replace(JSON_IMPORT, (m, head) => (/\bwith\s*\{/.test(m) ? m : `${head} with { type: 'json' };`));
  const left = after.match(LEFTOVER_TS);
  if (left) throw new Error(`${file}: a relative .ts specifier is left after the build: ${left[0]}`);
  if (after !== before) writeFileSync(file, after);
  files += 1;
}
const tests = [...walk(dist)].filter((f) => /\.test\.(js|d\.ts)$/.test(f));
if (tests.length) throw new Error(`tests were emitted into dist: ${tests.join(', ')}`);
console.log(`${dir}: ${files} modules in dist, ${workerUrls} worker URLs rewritten`);

function* walk(root) {
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
