#!/usr/bin/env node
// Printed visual-zone (VIZ) evaluation in headless Chromium, through the document worker the SDK ships
// (OpenCV.js rectification, PP-OCRv4 det + rec, core's label/value assembly, MRZ cross-check).
//
//   npm run eval:viz                                   # synthetic documents, five layouts, mild + strong
//   npm run eval:viz -- --count 20 --levels mild       # documents per level, levels to run
//   npm run eval:viz -- --modified 10                  # documents per level with a changed printed name or birth date
//   npm run eval:viz -- --no-mrz 5                     # documents per level printed without an MRZ
//   npm run eval:viz -- --licences 10                  # EU-layout driving licences per level (numbered fields, no MRZ)
//   npm run eval:viz -- --data DIR                     # DIR holds images + labels.json
//        { "img.jpg": { "viz": { "surname": "...", "birthDate": "1974-08-12", ... }, "mrz": ["line1", "line2"] } }
//   options: --seed N, --verbose (every box read)
//
// Progress goes to stderr; the LAST stdout line is one JSON object:
// { documents, fields: { surname: { documents, correct, correctAnyConfidence, flagged, silentErrors, accuracy }, ... },
//   silentErrors, crossCheck: { genuine, falseMismatches, falseMismatchRate, modified, detected, detectionRate,
//   modifiedFlaggedUncertain }, noMrz, licences: { documents, fields, levels, silentErrors, issuingState }, levels, failed, medianMs }.
// licences.issuingState: the state read from the emblem's sign (ISO alpha-3) against the printed sign, scored like a field.
// `documents`, `fields` and `levels` cover the five MRZ layouts only; licences are reported apart.
// correct = read, certain and right; flagged = uncertain or not found; a silent error is a certain, wrong value.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { document as coreDocument } from '@ekyc/core';
import { reloadTolerantCall, withEvalPage } from './eval-page.mjs';

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const dataDir = option('--data');
const count = Number(option('--count') ?? 20);
const levels = (option('--levels') ?? 'mild,strong').split(',');
const seed0 = Number(option('--seed') ?? 1000);
const modifiedCount = Number(option('--modified') ?? 10);
const noMrzCount = Number(option('--no-mrz') ?? 5);
const licenceCount = Number(option('--licences') ?? 10);
const verbose = args.includes('--verbose');
const FORMATS = ['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB'];
const FIELDS = ['surname', 'givenNames', 'birthDate', 'expiryDate', 'issueDate', 'documentNumber', 'sex', 'nationality'];
/** What an EU-layout licence prints that the reader returns (1, 2, 3, 4a, 4b, 5). */
const LICENCE_FIELDS = ['surname', 'givenNames', 'birthDate', 'issueDate', 'expiryDate', 'documentNumber'];
const log = (...m) => console.error('[eval:viz]', ...m);

const normalise = (field, v) => (v == null ? null : field === 'documentNumber' ? String(v).replace(/[\s<-]/g, '').toUpperCase() : String(v).toUpperCase().replace(/\s+/g, ' ').trim());

/** Per field: right and certain, right at any confidence, flagged (uncertain or not found), silently wrong. */
function scoreFields(visualZone, truth) {
  const out = {};
  for (const f of FIELDS) {
    if (truth[f] == null || truth[f] === '') continue;
    const read = visualZone?.fields?.[f];
    const right = read?.value != null && normalise(f, read.value) === normalise(f, truth[f]);
    out[f] = { correct: Boolean(read && right && !read.uncertain), correctAnyConfidence: Boolean(read && right), flagged: !read || read.uncertain || read.value == null, silentError: Boolean(read && !read.uncertain && read.value != null && !right), value: read?.value ?? null, truth: truth[f] };
  }
  return out;
}

function aggregateFields(rows) {
  const out = {};
  for (const f of FIELDS) {
    const r = rows.map((x) => x[f]).filter(Boolean);
    if (!r.length) continue;
    out[f] = {
      documents: r.length,
      correct: r.filter((x) => x.correct).length,
      correctAnyConfidence: r.filter((x) => x.correctAnyConfidence).length,
      flagged: r.filter((x) => x.flagged).length,
      silentErrors: r.filter((x) => x.silentError).length,
      accuracy: r.filter((x) => x.correct).length / r.length,
    };
  }
  return out;
}

/** The issuing state as a field: right and certain, right at any confidence, flagged, silently wrong. */
function scoreState(reading, sign) {
  const truth = coreDocument.countryOfSign(sign);
  const right = reading?.value != null && reading.value === truth;
  return { correct: Boolean(right && !reading.uncertain), correctAnyConfidence: right, flagged: !reading || reading.uncertain || reading.value == null, silentError: Boolean(reading && !reading.uncertain && reading.value != null && !right), value: reading?.value ?? null, truth, sign: reading?.sign ?? null, reasons: reading?.reasons ?? ['not_read'] };
}

function aggregateState(rows) {
  if (!rows.length) return null;
  return {
    documents: rows.length,
    correct: rows.filter((x) => x.correct).length,
    correctAnyConfidence: rows.filter((x) => x.correctAnyConfidence).length,
    flagged: rows.filter((x) => x.flagged).length,
    silentErrors: rows.filter((x) => x.silentError).length,
  };
}

function licenceSummary(rows, byLevel, stateRows, stateByLevel) {
  const fields = aggregateFields(rows);
  const state = aggregateState(stateRows);
  return {
    documents: rows.length,
    fields,
    silentErrors: Object.values(fields).reduce((s, f) => s + f.silentErrors, 0) + (state?.silentErrors ?? 0),
    issuingState: state,
    levels: Object.fromEntries(Object.entries(byLevel).map(([k, v]) => [k, { documents: v.length, fields: aggregateFields(v), issuingState: aggregateState(stateByLevel[k] ?? []) }])),
  };
}

function median(values) {
  const s = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.floor(s.length / 2)]) : null;
}

function withPage(run) {
  return withEvalPage({ pagePath: 'e2e/pages/document.html' }, (page, { open }) => run(reloadTolerantCall(page, open, log)));
}

/** A printed field changed the way a forger would: another name, or a birth date years earlier. */
function modification(i, fields) {
  if (i % 2 === 0) {
    const names = ['HARRISON', 'LINDQVIST', 'BECKER', 'MORENO'];
    return { field: 'surname', overrides: { surname: names.find((n) => n !== fields.surname) } };
  }
  const [y, m, d] = fields.birthDate.split('-');
  return { field: 'birthDate', overrides: { birthDate: `${Number(y) - 7}-${m}-${d}` } };
}

async function evaluate(call) {
  const fieldRows = [];
  const byLevel = {};
  const failed = [];
  const timings = [];
  const crossCheck = { genuine: 0, compared: 0, falseMismatches: 0, falseMismatchFields: {}, modified: 0, detected: 0, modifiedFlaggedUncertain: 0, missed: [] };
  const noMrzRows = [];
  const licenceRows = [];
  const licenceErrors = [];
  const licenceByLevel = {};
  const stateRows = [];
  const stateByLevel = {};
  const note = (name, scored, r) => {
    const wrong = Object.entries(scored).filter(([, s]) => !s.correct);
    if (wrong.length) failed.push(name);
    log(name, wrong.length ? wrong.map(([f, s]) => `${f}:${s.silentError ? 'SILENT ' : ''}${JSON.stringify(s.value)}≠${JSON.stringify(s.truth)}`).join(' ') : 'all fields right', r?.timings?.visualZoneMs ? `${Math.round(r.timings.visualZoneMs)} ms (detect ${Math.round(r.visualZone.timings.detectMs)}, recognise ${Math.round(r.visualZone.timings.recognizeMs)} for ${r.visualZone.texts.length} boxes)` : '');
    if (verbose) for (const [f] of wrong) { const v = r?.visualZone?.fields?.[f]; if (v) log(`  ${f}: ${JSON.stringify(v.raw)} confidence ${v.confidence.toFixed(2)} ${v.reasons.join(',')}`); }
    if (verbose && r?.visualZone) log('  boxes:', r.visualZone.texts.map((t) => `${t.text}(${t.confidence.toFixed(2)})`).join(' | '));
  };
  if (dataDir) {
    const labels = JSON.parse(readFileSync(path.join(dataDir, 'labels.json'), 'utf8'));
    for (const [file, label] of Object.entries(labels)) {
      const bytes = readFileSync(path.join(dataDir, file));
      const mime = /\.png$/i.test(file) ? 'image/png' : 'image/jpeg';
      const r = await call(([b, m]) => window.documentTest.readBytesVisualZone(b, m), [bytes.toString('base64'), mime]);
      if ('error' in r) { failed.push(file); log(file, r.error); continue; }
      const scored = scoreFields(r.visualZone, label.viz ?? {});
      fieldRows.push(scored);
      (byLevel.data ??= []).push(scored);
      if (r.timings?.visualZoneMs) timings.push(r.timings.visualZoneMs);
      if (r.crossCheck) { crossCheck.genuine++; if (r.crossCheck.signal) { crossCheck.falseMismatches++; for (const f of r.crossCheck.mismatches) crossCheck.falseMismatchFields[f] = (crossCheck.falseMismatchFields[f] ?? 0) + 1; } }
      note(file, scored, r);
    }
  } else {
    for (const level of levels) {
      for (let i = 0; i < count; i++) {
        const format = FORMATS[i % FORMATS.length];
        const seed = seed0 + i + (level === 'strong' ? 100_000 : 0);
        const r = await call((c) => window.documentTest.readVisualZone(c), { format, seed, level });
        const scored = scoreFields(r.viz.visualZone, r.truth.viz);
        fieldRows.push(scored);
        (byLevel[level] ??= []).push(scored);
        timings.push(r.viz.timings.visualZoneMs);
        if (r.crossCheck) {
          crossCheck.genuine++;
          crossCheck.compared += r.crossCheck.compared.length;
          if (r.crossCheck.signal) {
            crossCheck.falseMismatches++;
            for (const f of r.crossCheck.mismatches) {
              crossCheck.falseMismatchFields[f] = (crossCheck.falseMismatchFields[f] ?? 0) + 1;
              log(`  FALSE MISMATCH ${f}: printed ${JSON.stringify(r.viz.visualZone.fields[f]?.value)} vs MRZ ${JSON.stringify(r.mrz.mrz?.fields?.[f])} (MRZ uncertain: ${r.mrz.mrz?.uncertainFields?.includes(f)})`);
            }
          }
        }
        note(`${level}/${format}/${seed}`, scored, r.viz);
      }
      for (let i = 0; i < modifiedCount; i++) {
        const format = FORMATS[i % FORMATS.length];
        const seed = seed0 + 2000 + i + (level === 'strong' ? 100_000 : 0);
        // The genuine fields of this seed first, to change one of them.
        const probe = await call((c) => window.documentTest.renderFields(c), { format, seed });
        const { field, overrides } = modification(i, probe);
        const r = await call((c) => window.documentTest.readVisualZone(c), { format, seed, level, vizOverrides: overrides });
        crossCheck.modified++;
        const hit = Boolean(r.crossCheck?.signal && r.crossCheck.mismatches.includes(field));
        if (hit) crossCheck.detected++;
        else if (r.crossCheck?.fields?.[field] === 'uncertain' || r.crossCheck == null) crossCheck.modifiedFlaggedUncertain++;
        if (!hit) crossCheck.missed.push(`${level}/${format}/${seed}:${field}:${r.crossCheck?.fields?.[field] ?? 'no MRZ'}`);
        log(`modified ${level}/${format}/${seed} ${field}`, hit ? 'detected' : `not detected (${r.crossCheck?.fields?.[field] ?? 'no valid MRZ'})`);
      }
      for (let i = 0; i < noMrzCount; i++) {
        const format = FORMATS[i % FORMATS.length];
        const seed = seed0 + 4000 + i + (level === 'strong' ? 100_000 : 0);
        const r = await call((c) => window.documentTest.readVisualZone(c), { format, seed, level, omitMrz: true });
        const scored = scoreFields(r.viz.visualZone, r.truth.viz);
        noMrzRows.push(scored);
        note(`no-mrz ${level}/${format}/${seed}`, scored, r.viz);
      }
      for (let i = 0; i < licenceCount; i++) {
        const seed = seed0 + 6000 + i + (level === 'strong' ? 100_000 : 0);
        // A read that throws counts as every field not found (flagged), and the run goes on.
        const r = await call((c) => window.documentTest.readLicence(c).catch((e) => ({ error: String(e?.code ?? e), truth: null })), { seed, level });
        if (r.error) {
          log(`licence ${level}/${seed} read failed: ${r.error}`);
          failed.push(`licence ${level}/${seed}`);
          licenceErrors.push(`${level}/${seed}:${r.error}`);
          continue;
        }
        const truth = Object.fromEntries(LICENCE_FIELDS.map((f) => [f, r.truth.viz[f]]));
        const scored = scoreFields(r.read.visualZone, truth);
        licenceRows.push(scored);
        (licenceByLevel[level] ??= []).push(scored);
        const state = scoreState(r.read.visualZone?.issuingState, r.truth.viz.issuingState);
        stateRows.push(state);
        (stateByLevel[level] ??= []).push(state);
        log(`  issuing state ${state.correct ? 'right' : state.silentError ? 'SILENT' : 'flagged'}: ${JSON.stringify(state.value)} (sign ${JSON.stringify(state.sign)}, ${state.reasons.join(',') || 'certain'}) vs ${state.truth}`);
        note(`licence ${level}/${seed} (${r.read.visualZone?.layout ?? 'no visual zone'})`, scored, r.read);
      }
    }
  }
  const fields = aggregateFields(fieldRows);
  return {
    documents: fieldRows.length,
    fields,
    silentErrors: Object.values(fields).reduce((s, f) => s + f.silentErrors, 0),
    crossCheck: {
      ...crossCheck,
      falseMismatchRate: crossCheck.genuine ? crossCheck.falseMismatches / crossCheck.genuine : null,
      detectionRate: crossCheck.modified ? crossCheck.detected / crossCheck.modified : null,
    },
    ...(noMrzRows.length ? { noMrz: { documents: noMrzRows.length, fields: aggregateFields(noMrzRows) } } : {}),
    ...(licenceRows.length || licenceErrors.length ? { licences: { ...licenceSummary(licenceRows, licenceByLevel, stateRows, stateByLevel), readErrors: licenceErrors } } : {}),
    levels: Object.fromEntries(Object.entries(byLevel).map(([k, v]) => [k, { documents: v.length, fields: aggregateFields(v) }])),
    failed,
    medianMs: { visualZone: median(timings) },
  };
}

const summary = await withPage(evaluate);
console.log(JSON.stringify(summary));
