#!/usr/bin/env node
// Size budget check (`npm run size`, part of `npm test`) and the numbers of the `sizes` bench suite.
// Measures what each step of <ekyc-flow> transfers, raw and gzip (zlib level 6, a server default),
// from what ships: the prebuilt browser bundle of @ekyc/elements (packages/elements/dist/browser,
// `npm run build`) and the self-hosted assets (demo/public/ekyc, `npm run assets`), per the
// step -> worker -> assets table of @ekyc/flow (WORKER_ASSETS). Exits 1 when a budget is exceeded.
//
// Steps, in flow order; each counts only what is new at that step (a file loads once):
//   idle          the page defines the elements (<ekyc-flow> shown, not started)
//   consent       + the flow code loaded by start(): the first step's JS
//   document      + the flow code loaded once consent is granted (a dynamic import of the flow chunk),
//                   quality and document workers (the document worker is preloaded at document-front)
//   document-read + face worker (portrait detection)
//   liveness      + liveness worker (face mesh); face-match reuses the face worker
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

const repo = resolve(import.meta.dirname, '..');
const bundleDir = join(repo, 'packages/elements/dist/browser');
const assetDir = join(repo, 'demo/public/ekyc');

/**
 * Budgets in gzip bytes: the build fails above them. `goal` is the target of issue #17 where the
 * budget is looser (the measured size today plus a small margin, so it can only ratchet down).
 */
const KB = 1024;
const MB = 1024 * 1024;
export const BUDGETS = {
  // JS of the page before start(): the elements themselves (lit, i18n, styles).
  idle: { gzip: 80 * KB, goal: 80 * KB },
  // Measured 55.5 KB on 2026-12-02, after the flow's steps after consent moved out too (109.5 KB before the post-consent code, with zod and jose through
  // @ekyc/core's evidence code, moved into a chunk that VerificationFlow imports once consent is granted).
  'first-step-js': { gzip: 60 * KB, goal: 80 * KB },
  // Measured 16.00 / 2.82 / 5.60 MB, 24.47 MB in all, on 2026-12-02: 20.77 / 5.86 / 5.60, 32.29 MB before
  // PP-OCRv4 rec and the three face models were stored with float16 weights (models/derive/onnx-fp16.mjs).
  // Then 15.09 MB for document, 23.57 MB in all, once OpenCV.js's wasm was served as its own file
  // (3.35 MB of JS with base64 inside -> 2.37 MB wasm + 0.05 MB loader; models/derive/opencv-split.mjs).
  document: { gzip: 15.4 * MB },
  'document-read': { gzip: 3 * MB },
  liveness: { gzip: 5.8 * MB },
  total: { gzip: 24 * MB, goal: 25 * MB },
};

const STEP_WORKERS = { document: ['quality', 'document'], 'document-read': ['face'], liveness: ['liveness'] };

export async function measureSizes() {
  const entry = join(bundleDir, 'ekyc-elements.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\``);
  if (!existsSync(join(assetDir, 'models/manifest.json'))) throw new Error(`${assetDir} is missing: run \`npm run assets\``);
  const { WORKER_ASSETS } = await import(pathToFileURL(join(repo, 'packages/flow/dist/verification/workers.js')).href);
  const manifests = {
    models: JSON.parse(readFileSync(join(assetDir, 'models/manifest.json'), 'utf8')),
    wasm: JSON.parse(readFileSync(join(assetDir, 'wasm/manifest.json'), 'utf8')),
  };

  const loaded = new Set();
  const steps = [];
  const add = (name, files) => {
    const fresh = [];
    for (const f of files) {
      if (loaded.has(f.path)) continue;
      loaded.add(f.path);
      fresh.push(f);
    }
    const js = fresh.filter((f) => f.kind === 'js');
    steps.push({
      step: name,
      files: fresh.map(({ path, kind, raw, gzip }) => ({ file: path.slice(repo.length + 1), kind, raw, gzip })),
      raw: sum(fresh, 'raw'), gzip: sum(fresh, 'gzip'), jsRaw: sum(js, 'raw'), jsGzip: sum(js, 'gzip'),
    });
  };

  const graph = chunkGraph(entry);
  add('idle', graph.staticFiles.map((p) => measure(p, 'js')));
  add('consent', graph.dynamicFiles.map((p) => measure(p, 'js')));
  for (const [step, workers] of Object.entries(STEP_WORKERS)) {
    const files = step === 'document' ? graph.laterFiles.map((p) => measure(p, 'js')) : [];
    for (const worker of workers) {
      const chunk = graph.workers.get(worker) ?? fail(`no ${worker} worker chunk in ${bundleDir}`);
      files.push(measure(chunk, 'js'));
      for (const { id, group } of WORKER_ASSETS[worker]) {
        const asset = manifests[group].assets.find((a) => a.id === id) ?? fail(`asset ${id} is not in the ${group} manifest`);
        files.push(measure(join(assetDir, group, asset.file), 'asset'));
      }
    }
    add(step, files);
  }
  const total = { step: 'total', raw: sum(steps, 'raw'), gzip: sum(steps, 'gzip'), jsRaw: sum(steps, 'jsRaw'), jsGzip: sum(steps, 'jsGzip') };
  const firstStep = { step: 'first-step-js', raw: steps[0].jsRaw + steps[1].jsRaw, gzip: steps[0].jsGzip + steps[1].jsGzip };
  return { steps, total, firstStep };
}

/**
 * The bundle's chunks: static imports of the entry; the entry's dynamic imports (with their static
 * imports), loaded by start(); the dynamic imports of those (loaded after consent); worker chunks.
 */
function chunkGraph(entry) {
  const read = (file) => readFileSync(file, 'utf8');
  const staticOf = (file, seen = new Set()) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    // Minified or not: `import{a as b}from"./x.js"`, `export * from './x.js'`, `import"./x.js"`.
    for (const [, spec] of read(file).matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*[^'"`;()]*?from\s*["'`](\.[^"'`]+)["'`]/g)) staticOf(resolve(dirname(file), spec), seen);
    for (const [, spec] of read(file).matchAll(/(?:^|[;\n}])\s*import\s*["'`](\.[^"'`]+)["'`]/g)) staticOf(resolve(dirname(file), spec), seen);
    return seen;
  };
  const staticFiles = [...staticOf(entry)];
  const dynamic = new Set();
  const later = new Set();
  const workers = new Map();
  const visit = (file, seen = new Set()) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = read(file);
    const into = staticFiles.includes(file) ? dynamic : later;
    for (const [, spec] of text.matchAll(/import\(\s*["'`](\.[^"'`]+)["'`]\s*\)/g)) {
      for (const f of staticOf(resolve(dirname(file), spec))) if (!staticFiles.includes(f) && !dynamic.has(f)) into.add(f);
    }
    for (const [, spec] of text.matchAll(/new URL\(\s*["'`]([^"'`]+\.worker-[^"'`]+\.js)["'`],\s*import\.meta\.url\)/g)) {
      const path = resolve(bundleDir, spec);
      workers.set(basename(path).replace(/\.worker-.*$/, ''), path);
    }
  };
  for (const f of staticFiles) visit(f);
  for (const f of [...dynamic]) visit(f);
  for (const f of [...later]) visit(f);
  return { staticFiles, dynamicFiles: [...dynamic], laterFiles: [...later].filter((f) => !dynamic.has(f)), workers };
}

const sizes = new Map();
function measure(path, kind) {
  if (!sizes.has(path)) {
    const bytes = readFileSync(path);
    sizes.set(path, { path, kind, raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length });
  }
  return sizes.get(path);
}

const sum = (items, key) => items.reduce((n, item) => n + item[key], 0);
const fail = (message) => {
  throw new Error(`size: ${message}`);
};
export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const human = (bytes) => (bytes < 1024 * 1024 ? kb(bytes) : mb(bytes));

/** The markdown table docs/install.md shows. */
export function sizeTable({ steps, total, firstStep }) {
  const row = (s) => `| ${s.step} | ${human(s.jsRaw)} | ${human(s.jsGzip)} | ${human(s.raw)} | ${human(s.gzip)} | ${BUDGETS[s.step] ? human(BUDGETS[s.step].gzip) : ''} |`;
  return [
    '| step | JS raw | JS gzip | all raw | all gzip | budget (gzip) |',
    '|---|---|---|---|---|---|',
    ...steps.map(row),
    row(total),
    '',
    `First-step JS (idle + consent: what <ekyc-flow> needs to render consent): ${kb(firstStep.raw)} raw, ${kb(firstStep.gzip)} gzip (budget ${kb(BUDGETS['first-step-js'].gzip)}, goal ${kb(BUDGETS['first-step-js'].goal)}).`,
  ].join('\n');
}

/** Which measured sizes exceed their budget (fails the build) or only their goal (reported). */
export function checkBudgets({ steps, total, firstStep }, budgets = BUDGETS) {
  const checked = [...steps, total, firstStep];
  return {
    over: checked.filter((s) => budgets[s.step] && s.gzip > budgets[s.step].gzip),
    missed: checked.filter((s) => budgets[s.step]?.goal && s.gzip > budgets[s.step].goal),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await measureSizes();
  console.log(sizeTable(result));
  const { over, missed } = checkBudgets(result);
  for (const s of over) console.error(`size: ${s.step} is ${human(s.gzip)} gzip, over its budget of ${human(BUDGETS[s.step].gzip)}`);
  for (const s of missed) console.log(`size: ${s.step} is ${human(s.gzip)} gzip, the goal is ${human(BUDGETS[s.step].goal)} (not met yet)`);
  if (over.length) process.exitCode = 1;
}
