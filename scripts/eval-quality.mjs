#!/usr/bin/env node
// Capture-quality evaluation in headless Chromium, through the worker pipeline the SDK ships, on
// frames from @ekyc/testkit (seeded, labels exact by construction).
//
//   npm run eval:quality                 # 300 frames, seeds 1000..1299; writes the table into docs/quality.md
//   npm run eval:quality -- --count 60 --first 5000 --no-write
//   npm run eval:quality -- --no-write --dump /tmp/frames.json   # also every frame's label and assessment
//
// "Positive" for every check means "the check flags a problem". Checks that need a document are
// scored on frames where a document is present and was found (their count is in the table).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : fallback; };
const count = option('--count', 300);
const first = option('--first', 1000);
const write = !args.includes('--no-write');
const dump = args.includes('--dump') ? args[args.indexOf('--dump') + 1] : undefined;
const log = (...m) => console.error('[eval:quality]', ...m);
// No hot reload mid-run when a source file changes.
process.env.EKYC_NO_HMR = '1';

// The defaults of packages/core/src/quality/thresholds.ts, restated for the ground truth.
const T = { minWidth: 0.5, maxWidth: 0.9, margin: 0.02 * 720, tilt: 15, glare: 0.05, minBrightness: 80, maxBrightness: 200 };
/** Blur sigma at the 640-px reference above which text is visibly soft: the ground truth for "blurry". */
const BLURRY_SIGMA_AT_REFERENCE = 1.2;

const truth = {
  distance: (l) => l.widthFraction < T.minWidth || l.widthFraction > T.maxWidth,
  cutoff: (l) => l.cornerMarginPx < T.margin,
  tilt: (l) => l.tiltDeg > T.tilt,
  focus: (l) => l.blurSigmaAtReference > BLURRY_SIGMA_AT_REFERENCE,
  glare: (l) => l.glareFraction > T.glare,
  lighting: (l) => l.brightness < T.minBrightness || l.brightness > T.maxBrightness,
};

const dist = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
const quantile = (values, q) => { const s = [...values].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN; };
const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');

function confusion(pairs) {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const [actual, predicted] of pairs) {
    if (actual && predicted) tp++; else if (!actual && predicted) fp++; else if (actual && !predicted) fn++; else tn++;
  }
  return { tp, fp, fn, tn, precision: tp / (tp + fp), recall: tp / (tp + fn), n: pairs.length, positives: tp + fn };
}

async function run() {
  execFileSync(process.execPath, [path.join(root, 'models/build-assets.mjs')], { stdio: 'ignore' });
  const server = await createServer({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'error', server: { port: 5192, strictPort: false } });
  await server.listen();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(900_000);
    await page.goto(new URL('e2e/pages/quality.html', server.resolvedUrls.local[0]).href);
    await page.waitForSelector('body[data-ready=true]', { state: 'attached' });
    const results = [];
    for (let seed = first; seed < first + count; seed += 25) {
      results.push(...(await page.evaluate(([s, n]) => window.qualityTest.evaluateMany(s, n), [seed, Math.min(25, first + count - seed)])));
      log(`${results.length}/${count}`);
    }
    return results;
  } finally {
    await browser.close();
    await server.close();
  }
}

function summarize(results) {
  const withDoc = results.filter((r) => r.label.document);
  const empty = results.filter((r) => !r.label.document);
  const found = withDoc.filter((r) => r.assessment.metrics.document);
  const rows = [];
  const detection = confusion(results.map((r) => [!r.label.document, !r.assessment.metrics.document]));
  rows.push({ check: 'document (no_document)', ...detection, scope: `all ${results.length} frames (${empty.length} without a document)` });
  for (const [check, isProblem] of Object.entries(truth)) {
    rows.push({ check, ...confusion(found.map((r) => [isProblem(r.label), !r.assessment.checks[check]])), scope: `${found.length} frames with a found document` });
  }
  // Corner error on documents fully in view (a cut-off corner has no pixel to find).
  const inView = found.filter((r) => r.label.cornerMarginPx > 0);
  const errors = inView.map((r) => Math.max(...r.label.corners.map((c, i) => dist(c, r.assessment.metrics.document.corners[i]))));
  const relative = inView.map((r, i) => errors[i] / (r.label.widthFraction * 1280));
  const located = relative.filter((e) => e < 0.05).length;
  const tiltErrors = inView.map((r) => Math.abs(r.label.tiltDeg - r.assessment.metrics.document.tiltDeg));
  const good = found.filter((r) => Object.values(truth).every((f) => !f(r.label)));
  const goodPassed = good.filter((r) => r.assessment.guidance[0] === 'good').length;
  const badCaptured = found.filter((r) => Object.values(truth).some((f) => f(r.label)) && r.assessment.guidance[0] === 'good').length
    + empty.filter((r) => r.assessment.guidance[0] === 'good').length;
  const analyzeMs = results.map((r) => r.assessment.analyzeMs);
  return { rows, inView: inView.length, errors, relative, located, tiltErrors, good: good.length, goodPassed, badCaptured, analyzeMs, total: results.length, byBackground: byBackground(withDoc) };
}

function byBackground(withDoc) {
  const groups = {};
  for (const r of withDoc) {
    const g = (groups[r.label.background] ??= { frames: 0, found: 0 });
    g.frames++;
    if (r.assessment.metrics.document) g.found++;
  }
  return groups;
}

function table(s) {
  const lines = [
    `Generated set: ${s.total} frames (1280x720, seeds ${first}..${first + count - 1}), \`npm run eval:quality\`, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| check | precision | recall | problems / scored | scope |',
    '|---|---|---|---|---|',
    ...s.rows.map((r) => `| ${r.check} | ${pct(r.precision)} | ${pct(r.recall)} | ${r.positives} / ${r.n} | ${r.scope} |`),
    '',
    '| corners (documents fully in view, found) | value |',
    '|---|---|',
    `| frames | ${s.inView} |`,
    `| max corner error, median | ${quantile(s.errors, 0.5).toFixed(2)} px |`,
    `| max corner error, 90th percentile | ${quantile(s.errors, 0.9).toFixed(2)} px |`,
    `| located within 5% of the document width | ${pct(s.located / s.inView)} |`,
    `| tilt error, median / 90th percentile | ${quantile(s.tiltErrors, 0.5).toFixed(2)}° / ${quantile(s.tiltErrors, 0.9).toFixed(2)}° |`,
    '',
    '| end to end | value |',
    '|---|---|',
    `| good frames (no problem by the labels) judged \`good\` | ${s.goodPassed} / ${s.good} |`,
    `| frames with a problem (or no document) judged \`good\` | ${s.badCaptured} |`,
    `| document found, by background | ${Object.entries(s.byBackground).map(([k, v]) => `${k} ${v.found}/${v.frames}`).join(', ')} |`,
    `| analysis time in the worker, median (incl. first-call warm-up outliers) | ${quantile(s.analyzeMs, 0.5).toFixed(1)} ms |`,
  ];
  return lines.join('\n');
}

const results = await run();
if (dump) writeFileSync(dump, JSON.stringify(results.map(({ label, assessment }) => ({ label, assessment: { ...assessment, frame: undefined } }))));
const summary = summarize(results);
const markdown = table(summary);
console.log(markdown);
if (write) {
  const doc = path.join(root, 'docs/quality.md');
  const text = readFileSync(doc, 'utf8');
  const start = '<!-- eval:quality:start -->';
  const end = '<!-- eval:quality:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error('docs/quality.md lacks the eval:quality markers');
  writeFileSync(doc, `${text.slice(0, a + start.length)}\n${markdown}\n${text.slice(b)}`);
  log('table written to docs/quality.md');
}
