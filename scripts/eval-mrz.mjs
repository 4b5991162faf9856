#!/usr/bin/env node
// MRZ reading evaluation in headless Chromium, through the document worker the SDK ships
// (OpenCV.js rectification and line finding, PP-OCRv4 rec + tesseract.js, merged under the check digits).
//
//   npm run eval:mrz                                   # synthetic documents, all five layouts, mild + strong
//   npm run eval:mrz -- --count 20 --levels mild       # documents per level, levels to run
//   npm run eval:mrz -- --data DIR                     # DIR holds images + labels.json { "img.jpg": { "mrz": ["line1", "line2"] } }
//   npm run eval:mrz -- --fonts [a,b,...]             # the synthetic set once per MRZ print variant (testkit's
//                                                      # MRZ_FONT_VARIANTS: OCR-B thinner/heavier/smaller, other
//                                                      # monospace faces); all variants when no list is given
//   npm run eval:mrz -- --px-per-mm 7.5                # documents rendered at 7.5 px/mm (190 DPI) instead of 12
//   npm run eval:mrz -- --stress [stamp,hologram,shadow,small,photo]  # testkit's mrz-stress.ts conditions on top
//                                                      # of --levels (default mild here): an inked stamp or a hologram
//                                                      # over the MRZ, uneven light, a document filling 25-40% of a
//                                                      # photo, a photo of a page turned and tilted on a textured table;
//                                                      # opt-in only (not in the bare --stress list, so its numbers
//                                                      # stay comparable): glare (camera-order specular hotspots),
//                                                      # booklet (an open passport's spread), thumb (a thumb over an edge);
//                                                      # read as uploads (no quad given), as --data is.
//                                                      # All five when no list is given; combines with --fonts
//   npm run eval:mrz -- --stress --write DIR           # also write the frames (PNG) and labels.json to DIR, so
//                                                      # `--data DIR` scores the same set
//   options: --no-quad (synthetic frames read as uploads: no quad given, the page's outline searched for),
//            --no-outline (uploads read as the whole image, no outline search: how they were read before it),
//            --no-baseline (skip tesseract full-page), --seed N, --streams N (camera path: frames needed, up to 8;
//            stream seeds are seed+500.., the same at each level), --stream-stress glare (a hotspot over the MRZ
//            in every frame, moving between frames), --no-fusion (camera path votes whole-frame readings only),
//            --compare-fusion (the same reads also voted whole-frame only: camera[level].withoutFusion),
//            --back-only (a TD1 card's back read alone; by default a back refused, or doubting its
//            number or a date, is completed from its front's printed zone, as the flow does: `otherSide`
//            in the summary counts those and scores every document on its MRZ side alone too),
//            --dump-reads DIR (synthetic stills: each document's engine reads as the merge took them,
//            `DocumentReadOptions.mrzEvidence`, with its true lines, to DIR/<name>.reads.json: the merge
//            can then be replayed in Node, and a document kept as a recorded-reads test fixture)
//
// Progress goes to stderr; the LAST stdout line is one JSON object:
// { documents, fullyCorrect, silentErrors, flagged, refused, correctButUncertain, cer, failed: [names],
//   engines: { ppocr, tesseract, ocrb, tesseractFullPage }, levels, located: { [route]: reads }, medianMs }.
// An engine's figures are its own reads merged alone: with the fast path, PP-OCR and tesseract.js read
// only the lines (or documents) the OCR-B cell reader did not settle, so theirs are partial.
// flagged = refused (not valid) or valid with uncertainFields; a silent error is a valid read with a
// wrong field not in uncertainFields. With --fonts, `fonts` holds the same figures per variant
// ({ [variant]: { documents, fullyCorrect, silentErrors, ..., failed, engines, levels } }) and a table
// goes to stderr; the top-level figures are over all variants. With --stress, `stress` holds them per
// condition (per font/condition with --fonts) and a table goes to stderr.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reloadTolerantCall, withEvalPage } from './eval-page.mjs';

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const dataDir = option('--data');
const count = Number(option('--count') ?? 20);
/** Stress conditions (null: none); [] means all of them. */
const stress = args.includes('--stress') ? (option('--stress') && !option('--stress').startsWith('--') ? option('--stress').split(',') : ['stamp', 'hologram', 'shadow', 'small', 'photo']) : null;
const levels = (option('--levels') ?? (stress ? 'mild' : 'mild,strong')).split(',');
/** Read synthetic frames as uploads (no quad): always with --stress, as --data reads its images. */
const noQuad = args.includes('--no-quad') || stress !== null;
const writeDir = option('--write');
const seed0 = Number(option('--seed') ?? 1000);
const withBaseline = !args.includes('--no-baseline');
/** Uploads (no quad) read as the whole image, without the outline search. */
const noOutline = args.includes('--no-outline');
/** Camera path: documents per level streamed frame by frame until the vote is stable (0 = skip). */
const streams = Number(option('--streams') ?? 0);
/** Camera path condition: `glare` puts a hotspot over the MRZ in every frame, moving between frames. */
const streamStress = option('--stream-stress');
/** Camera path without cross-frame fusion (whole-frame readings voted only, as before it). */
const noFusion = args.includes('--no-fusion');
/** Camera path: vote the same reads both ways, with fusion and whole frames only (`withoutFusion` in the result). */
const compareFusion = args.includes('--compare-fusion');
/** Per-document detail on stderr for misses: truth, each engine's raw lines, the merged lines, uncertain fields. */
const verbose = args.includes('--verbose');
const dumpReads = option('--dump-reads');
/**
 * A TD1 card is read as the flow reads it, both sides: where its back's MRZ is refused or doubts its
 * number or a date, the front's printed zone is read and the back completed from it. `--back-only` reads the
 * back alone (every result before 2026-12-06); the summary's `otherSide` gives both either way.
 */
const backOnly = args.includes('--back-only');
/**
 * Pixels per millimetre the synthetic stills are rendered at (default 12, ~305 DPI): a document smaller in
 * the frame, a lower-resolution camera or scan. The levels' blur, noise and JPEG act in pixels, as a
 * camera's do. Camera streams (--streams) and --data images are read as they are.
 */
const pxPerMm = option('--px-per-mm') === undefined ? undefined : Number(option('--px-per-mm'));
if (pxPerMm !== undefined && !(pxPerMm >= 3 && pxPerMm <= 24)) throw new Error('--px-per-mm takes 3 to 24');
/** MRZ print variants to run (null: only the generator's OCR-B); [] asks the page for all of them. */
const fonts = args.includes('--fonts') ? (option('--fonts') && !option('--fonts').startsWith('--') ? option('--fonts').split(',') : []) : null;
const FORMATS = ['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB'];
const log = (...m) => console.error('[eval:mrz]', ...m);

function editDistance(a, b) {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

/** Scores one reading (an MrzSummary, or null when nothing was read) against the truth. */
function score(summary, rawLines, truthLines, truthFields) {
  const truthText = truthLines.join('\n');
  const text = summary?.corrected?.length ? summary.corrected.join('\n') : (rawLines ?? []).join('\n');
  const cer = Math.min(1, editDistance(text, truthText) / truthText.length);
  const valid = Boolean(summary?.valid);
  const wrong = valid ? Object.keys(truthFields).filter((f) => (summary.fields[f] ?? null) !== truthFields[f]) : [];
  const uncertain = new Set(summary?.uncertainFields ?? []);
  const silent = wrong.filter((f) => !uncertain.has(f));
  return {
    fullyCorrect: valid && wrong.length === 0,
    silentError: silent.length > 0,
    flagged: !valid || uncertain.size > 0,
    refused: !valid,
    // Valid, every field right, yet some shown as unconfirmed.
    correctButUncertain: valid && wrong.length === 0 && uncertain.size > 0,
    cer,
  };
}

function aggregate(rows) {
  const n = rows.length || 1;
  return {
    documents: rows.length,
    fullyCorrect: rows.filter((r) => r.fullyCorrect).length / n,
    silentErrors: rows.filter((r) => r.silentError).length,
    flagged: rows.filter((r) => r.flagged).length,
    refused: rows.filter((r) => r.refused).length,
    correctButUncertain: rows.filter((r) => r.correctButUncertain).length,
    cer: rows.reduce((s, r) => s + r.cer, 0) / n,
  };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
}

function withPage(run) {
  return withEvalPage({ pagePath: 'e2e/pages/document.html' }, (page, { open }) => run(reloadTolerantCall(page, open, log)));
}

const newTally = () => ({ rows: { combined: [], ppocr: [], tesseract: [], ocrb: [], baseline: [] }, byLevel: {}, failed: [] });

/** A tally's figures: combined, per engine and per level. */
function summarize({ rows, byLevel, failed }) {
  return {
    ...aggregate(rows.combined),
    failed,
    engines: { ppocr: aggregate(rows.ppocr), tesseract: aggregate(rows.tesseract), ...(rows.ocrb.length ? { ocrb: aggregate(rows.ocrb) } : {}), ...(rows.baseline.length ? { tesseractFullPage: aggregate(rows.baseline) } : {}) },
    levels: Object.fromEntries(Object.entries(byLevel).map(([k, v]) => [k, aggregate(v)])),
  };
}

async function evaluate(call) {
  const all = newTally();
  const { rows, failed } = all;
  const timings = [];
  /** Per MRZ print variant (--fonts) and per stress condition (--stress). */
  const byFont = {};
  const byStress = {};
  /** Reads per route the document was taken from (`DocumentRead.located`). */
  const located = {};
  /** TD1 cards whose front was read (`frontFill`), those the front completed, and every document scored on its MRZ side alone. */
  const otherSide = { read: 0, completed: 0, backAlone: {} };
  const record = (name, level, read, truthLines, truthFields, font, condition, sides) => {
    if (dumpReads && read.mrzEvidence) {
      mkdirSync(dumpReads, { recursive: true });
      writeFileSync(path.join(dumpReads, `${name.replaceAll('/', '-')}.reads.json`), JSON.stringify({ truth: truthLines, ...read.mrzEvidence, ...(sides?.frontVisualZone ? { frontVisualZone: sides.frontVisualZone } : {}) }));
    }
    const combined = score(read.mrz, read.engines?.ppocr?.lines, truthLines, truthFields);
    const alone = sides ? score(sides.backMrz, read.engines?.ppocr?.lines, truthLines, truthFields) : combined;
    (otherSide.backAlone[level] ??= []).push(alone);
    if (sides) {
      otherSide.read++;
      if (sides.completed) otherSide.completed++;
      log(name, `front read: back alone ${alone.fullyCorrect ? 'ok' : alone.silentError ? 'SILENT ERROR' : 'flagged'}, ${sides.completed ? 'completed from the front' : 'nothing filled'}`);
    }
    const tallies = [all];
    if (font) tallies.push(byFont[font] ??= newTally());
    if (condition) tallies.push(byStress[font ? `${font}/${condition}` : condition] ??= newTally());
    for (const t of tallies) {
      t.rows.combined.push(combined);
      (t.byLevel[level] ??= []).push(combined);
      for (const engine of ['ppocr', 'tesseract', 'ocrb']) {
        const e = read.engines?.[engine];
        if (engine === 'ocrb' && !e) continue;
        t.rows[engine].push(score(e?.mrz ?? null, e?.lines, truthLines, truthFields));
      }
      if (read.baseline) t.rows.baseline.push(score(read.baseline, null, truthLines, truthFields));
      if (!combined.fullyCorrect) t.failed.push(name);
    }
    if (read.timings) timings.push(read.timings);
    const passes = Object.entries(read.engines ?? {}).map(([k, e]) => `${k}:${e.variants}/${Math.round(e.ms)}ms`).join(' ');
    if (read.located) located[read.located] = (located[read.located] ?? 0) + 1;
    const outline = read.timings?.outlineMs !== undefined ? ` ${read.located}${read.outline?.rejected ? `(${read.outline.rejected})` : ''} outline ${Math.round(read.timings.outlineMs)} ms` : '';
    log(name, combined.fullyCorrect ? 'ok' : combined.silentError ? 'SILENT ERROR' : 'flagged', `cer=${combined.cer.toFixed(3)}`, read.timings ? `${Math.round(read.timings.totalMs)} ms (ocr ${Math.round(read.timings.ocrMs)})${outline}` : '', passes);
    if (verbose && (!combined.fullyCorrect || args.includes('--verbose-all'))) {
      log('  truth ', truthLines.join(' | '));
      for (const [engine, e] of Object.entries(read.engines ?? {})) log(`  ${engine.padEnd(9)}`, e.lines.join(' | '), `(${e.variants} variants)`, `min conf ${(e.lineConfidence ?? []).map((c) => (c === null ? '-' : c.toFixed(2))).join('/')}`, `valid=${e.mrz.valid} uncertain=${e.mrz.uncertainFields.join(',')}`);
      log('  merged', (read.mrz?.corrected ?? []).join(' | '), `valid=${read.mrz?.valid}`, `uncertain=${(read.mrz?.uncertainFields ?? []).join(',')}`, `errors=${(read.mrz?.errors ?? []).join(',')}`, `lines=${read.lines?.length}`);
    }
  };
  if (dataDir) {
    const labels = JSON.parse(readFileSync(path.join(dataDir, 'labels.json'), 'utf8'));
    for (const [file, label] of Object.entries(labels)) {
      const bytes = readFileSync(path.join(dataDir, file));
      const mime = /\.png$/i.test(file) ? 'image/png' : 'image/jpeg';
      const { read, mrzFields } = await call(([b, m, t, bl, o]) => window.documentTest.readBytes(b, m, t, bl, o), [bytes.toString('base64'), mime, label.mrz, withBaseline, !noOutline]);
      if ('error' in read) { rows.combined.push({ fullyCorrect: false, silentError: false, flagged: true, refused: true, correctButUncertain: false, cer: 1 }); failed.push(file); log(file, read.error); continue; }
      record(file, 'data', read, label.mrz, mrzFields);
    }
  } else {
    const variants = fonts === null ? [undefined] : fonts.length ? fonts : await call(() => window.documentTest.mrzFonts());
    const labels = {};
    if (writeDir) mkdirSync(writeDir, { recursive: true });
    for (const font of variants) {
      for (const condition of stress ?? [undefined]) {
        for (const level of levels) {
          for (let i = 0; i < count; i++) {
            const format = FORMATS[i % FORMATS.length];
            const seed = seed0 + i + (level === 'strong' ? 100_000 : 0);
            const c = { format, seed, level, baseline: withBaseline, ...(noQuad ? { useQuad: false } : {}), ...(noOutline ? { findOutline: false } : {}), ...(font ? { mrzFont: font } : {}), ...(pxPerMm ? { pxPerMm } : {}), ...(condition ? { stress: condition } : {}), ...(writeDir ? { includeFrame: true } : {}), ...(dumpReads ? { mrzEvidence: true } : {}), ...(backOnly || writeDir ? {} : { frontFill: true }) };
            const r = await call((x) => window.documentTest.readSynthetic(x), c);
            const name = `${font ? `${font}/` : ''}${condition ? `${condition}/` : ''}${level}/${format}/${seed}`;
            if (writeDir && r.framePng) {
              const file = `${name.replaceAll('/', '_')}.png`;
              writeFileSync(path.join(writeDir, file), Buffer.from(r.framePng, 'base64'));
              labels[file] = { mrz: r.truth.mrz };
            }
            record(name, level, r.read, r.truth.mrz, r.truth.mrzFields, font, condition, r.otherSide);
          }
        }
      }
    }
    if (writeDir) { writeFileSync(path.join(writeDir, 'labels.json'), `${JSON.stringify(labels, null, 1)}\n`); log(`wrote ${Object.keys(labels).length} images and labels.json to ${writeDir}`); }
  }
  const camera = {};
  if (!dataDir && streams > 0) {
    for (const level of levels) {
      const runs = [];
      for (let i = 0; i < streams; i++) {
        const r = await call(([f, sd, l, st, fu, cmp]) => window.documentTest.stream(f, sd, l, 8, st, fu, cmp), [FORMATS[i % FORMATS.length], seed0 + 500 + i, level, streamStress, !noFusion, compareFusion]);
        log(`stream ${level}/${FORMATS[i % FORMATS.length]}/${seed0 + 500 + i}`, r.status, r.frames, r.correct, r.fusedFrames ? `fused ${r.fusedFrames} frames` : '', r.uncertain?.length ? `uncertain ${r.uncertain.join(',')}` : '', r.without ? `| without fusion: ${r.without.status} ${r.without.frames} ${r.without.correct}` : '', r.fusion ? `| last fusion: ${r.fusion}` : '');
        runs.push(r);
      }
      const tally = (list, fusion) => {
        const stable = list.filter((r) => r.status === 'stable');
        return {
          documents: list.length, stable: stable.length, wrongStable: stable.filter((r) => !r.correct).length,
          gaveUp: list.filter((r) => r.status === 'gave_up').length, fused: stable.filter((r) => r.fusedFrames).length,
          stableWithUncertain: stable.filter((r) => r.uncertain?.length).length,
          medianFrames: median(stable.map((r) => r.frames)), ...(streamStress ? { condition: streamStress } : {}), fusion,
          note: 'frames include one leading frame with no document',
        };
      };
      const fusionMs = runs.flatMap((r) => r.fusionMs ?? []);
      camera[level] = { ...tally(runs, !noFusion), ...(fusionMs.length ? { fusionMs: { tries: fusionMs.length, median: median(fusionMs), max: Math.max(...fusionMs) } } : {}), ...(compareFusion ? { withoutFusion: tally(runs.map((r) => r.without), false) } : {}) };
    }
  }
  const t = (key) => median(timings.map((x) => x[key]));
  const perFont = Object.fromEntries(Object.entries(byFont).map(([k, v]) => [k, summarize(v)]));
  if (Object.keys(perFont).length) logFontTable(perFont);
  const perStress = Object.fromEntries(Object.entries(byStress).map(([k, v]) => [k, summarize(v)]));
  if (Object.keys(perStress).length) logFontTable(perStress, 'condition');
  return {
    ...summarize(all),
    ...(Object.keys(perFont).length ? { fonts: perFont } : {}),
    ...(Object.keys(perStress).length ? { stress: perStress } : {}),
    ...(Object.keys(camera).length ? { camera } : {}),
    ...(dataDir ? {} : { otherSide: { frontRead: otherSide.read, completed: otherSide.completed, backAlone: Object.fromEntries(Object.entries(otherSide.backAlone).map(([level, list]) => [level, aggregate(list)])) } }),
    located,
    medianMs: { rectify: t('rectifyMs'), locate: t('locateMs'), ocr: t('ocrMs'), merge: t('mergeMs'), total: t('totalMs'), ...(timings.some((x) => x.outlineMs !== undefined) ? { outline: median(timings.filter((x) => x.outlineMs !== undefined).map((x) => x.outlineMs)) } : {}) },
  };
}

/** One row per variant and level (merged), then each engine's own reads over both levels. */
function logFontTable(perFont, what = 'font') {
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  log(`${what} | level | documents | fully correct | silent | refused | valid, some uncertain | CER`);
  for (const [font, f] of Object.entries(perFont)) {
    for (const [level, a] of Object.entries(f.levels)) log(`${font} | ${level} | ${a.documents} | ${pct(a.fullyCorrect)} | ${a.silentErrors} | ${a.refused} | ${a.flagged - a.refused} | ${a.cer.toFixed(4)}`);
    for (const [engine, a] of Object.entries(f.engines)) log(`${font} | ${engine} alone | ${a.documents} | ${pct(a.fullyCorrect)} | ${a.silentErrors} | ${a.refused} | ${a.flagged - a.refused} | ${a.cer.toFixed(4)}`);
  }
}

const summary = await withPage(evaluate);
console.log(JSON.stringify(summary));
