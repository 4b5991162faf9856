/**
 * The auditor page: open an evidence bundle (a file with the verifier key, a decrypted container,
 * or by session id from the verifier with an operator token), verify every check with core and show
 * each one's result, replay the session (timeline, images with overlays, liveness plots), show
 * models and timings, re-score in the browser and compare, print a report, and act on review cases.
 */
import { risk as coreRisk, rescore as rescoreCore, type EvidenceBundle } from '@ekyc/core';
import { FaceClient, modelManifest, type BackendPreference } from '@ekyc/workers';
import { byId, fixed, h } from './dom.ts';
import { parsedTranscript, readContent, type BundleContent } from './content.ts';
import { decodeArtifactImage, rescoreConfigFrom, rescoreInBrowser, RESCORE_TOLERANCE, type LicenceReport, type RescoreReport } from './rescore.ts';
import { drawMrzGrid, drawOverlay, drawSourceFrame, type TranscriptFace } from './overlays.ts';
import { signalPlots } from './plots.ts';
import { classifyBundleBytes, parsePrivateKeyFile, readFileBytes, type BundleSource } from './source.ts';
import { CHECK_LABELS, CODE_TEXT, NOTE_TEXT, STATUS_TEXT, VERDICT_TEXT } from './text.ts';
import { verifyForAudit, type SessionRecord, type VerificationReport } from './verify.ts';
import { setupReview, type ReviewHooks } from './review.ts';

const requested = new URLSearchParams(location.search).get('backend');
const backend: BackendPreference = requested === 'wasm' || requested === 'webgpu' ? requested : 'auto';
let faceClient: FaceClient | null = null;

function status(text: string): void {
  byId('open-status').textContent = text;
}

function faceEngine(): FaceClient {
  faceClient ??= new FaceClient({ assetBaseUrl: new URL('/ekyc/', location.href).href, backend }, 170_000);
  return faceClient;
}

function section(id: string, ...children: (Node | string)[]): void {
  const target = byId(id);
  target.replaceChildren(...children);
  target.hidden = false;
}

function showSummary(bundle: EvidenceBundle | null, source: BundleSource, report: VerificationReport): void {
  const rows: [string, string][] = [['Source', `${source.kind === 'sealed' ? 'sealed bundle' : 'decrypted container'} (${source.origin})`], ['Checked at', report.checkedAt]];
  if (report.header?.kid) rows.push(['Verifier key id', report.header.kid]);
  if (bundle) {
    const { manifest } = bundle;
    rows.push(
      ['Session', manifest.session.id], ['Started', manifest.session.startedAt], ['Completed', manifest.session.completedAt],
      ['SDK', manifest.sdkVersion], ['Runtime', `${manifest.environment.runtime.chosen} (requested ${manifest.environment.runtime.requested}: ${manifest.environment.runtime.reason})`],
      ['Camera', manifest.environment.camera?.label ?? 'none'],
    );
  }
  section('summary', h('h2', {}, 'Bundle'), h('dl', {}, ...rows.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value)))));
}

function showChecks(report: VerificationReport): void {
  const list = h('ul', { class: 'checks', id: 'check-list' });
  for (const check of report.checks) {
    const label = CHECK_LABELS[check.id];
    const reason = check.code ? CODE_TEXT[check.code] ?? check.code : check.note ? NOTE_TEXT[check.note] ?? check.note : '';
    const item = h('li', { 'data-check': check.id, 'data-status': check.status },
      h('span', { class: `badge ${check.status}` }, STATUS_TEXT[check.status]),
      h('strong', {}, label.title),
      check.code ? h('code', {}, check.code) : null,
      h('p', { class: 'what' }, label.what),
      reason ? h('p', { class: 'reason' }, reason) : null,
    );
    if (check.items && check.items.length > 0) {
      item.append(h('ul', { class: 'items' }, ...check.items.map((entry) => h('li', { 'data-artifact': entry.id, 'data-status': entry.status }, h('span', { class: `badge ${entry.status}` }, STATUS_TEXT[entry.status]), ` ${entry.id}`, entry.code ? h('code', {}, entry.code) : null))));
    }
    list.append(item);
  }
  const failed = report.checks.filter((check) => check.status === 'fail').length;
  const open = report.checks.filter((check) => check.status === 'not_run' || check.status === 'not_checked').length;
  section('verification', h('h2', {}, 'Verification'),
    h('p', { id: 'verification-summary' }, `${report.checks.length - failed - open} passed, ${failed} failed, ${open} not run or not checked.`), list);
}

function showScores(bundle: EvidenceBundle): void {
  const rows = bundle.manifest.checks.map((check) => {
    const meter = check.score !== null && check.threshold !== null
      ? h('span', { class: 'meter', role: 'img', 'aria-label': `score ${check.score} against threshold ${check.threshold}` }, h('span', { class: 'fill' }), h('span', { class: 'mark' }))
      : h('span', {}, '—');
    if (meter.classList.contains('meter')) {
      const max = Math.max(1, check.score!, check.threshold!);
      (meter.firstElementChild as HTMLElement).style.width = `${(Math.max(0, check.score!) / max) * 100}%`;
      (meter.lastElementChild as HTMLElement).style.left = `${(check.threshold! / max) * 100}%`;
      meter.classList.add(check.score! >= check.threshold! ? 'above' : 'below');
    }
    return h('tr', { 'data-check-id': check.id },
      h('td', {}, check.kind), h('td', {}, h('span', { class: `badge ${check.status === 'pass' ? 'pass' : check.status === 'fail' ? 'fail' : 'not_run'}` }, check.status)),
      h('td', { class: 'num' }, fixed(check.score)), h('td', { class: 'num' }, fixed(check.threshold)), h('td', {}, meter), h('td', {}, check.errorCode ?? ''));
  });
  section('scores', h('h2', {}, 'Recorded checks'),
    h('table', {}, h('thead', {}, h('tr', {}, ...['check', 'status', 'score', 'threshold', 'score / threshold', 'error'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, ...rows)));
}

function showTimeline(bundle: EvidenceBundle): void {
  const { manifest } = bundle;
  const start = Date.parse(manifest.session.startedAt);
  type Entry = { at: string; kind: string; text: string; target?: string };
  const entries: Entry[] = [
    ...manifest.events.map((event) => ({ at: event.at, kind: 'event', text: `${event.type} ${Object.entries(event.data).map(([k, v]) => `${k}=${String(v)}`).join(' ')}` })),
    ...manifest.artifacts.map((artifact) => ({ at: artifact.capturedAt, kind: 'capture', text: `${artifact.kind} ${artifact.id} (${artifact.mediaType}, ${artifact.bytes} bytes${artifact.width ? `, ${artifact.width}×${artifact.height}` : ''})`, target: `replay-${artifact.id}` })),
    ...(manifest.liveness?.challenges ?? []).map((challenge) => ({ at: challenge.issuedAt, kind: 'challenge', text: `challenge ${challenge.order + 1}: ${challenge.kind} ${challenge.status}, ${challenge.frames} frames, keyframes ${challenge.keyframeArtifactIds.join(', ') || 'none'}` })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const list = h('ol', { class: 'timeline', id: 'timeline-list' }, ...entries.map((entry) => h('li', { 'data-kind': entry.kind },
    h('span', { class: 'offset' }, `+${((Date.parse(entry.at) - start) / 1000).toFixed(2)} s`), h('span', { class: 'kind' }, entry.kind),
    entry.target ? h('a', { href: `#${entry.target}` }, entry.text) : h('span', {}, entry.text))));
  section('timeline', h('h2', {}, 'Timeline'), list);
}

/**
 * The transcript's face for each keyframe artifact: the transcript keyframe whose pixel hash is the
 * artifact's SHA-256 (raw RGBA keyframes, core livenessEvidence), else the keyframe taken for the
 * challenge that lists the artifact.
 */
function transcriptFaces(bundle: EvidenceBundle, content: BundleContent): Map<string, TranscriptFace> {
  const faces = new Map<string, TranscriptFace>();
  const { transcript } = parsedTranscript(content);
  if (transcript === null) return faces;
  const faceOf = (keyframe: (typeof transcript.keyframes)[number]): TranscriptFace => {
    const s = keyframe.signals;
    return { role: keyframe.role, box: { x: s.boxX, y: s.boxY, width: s.boxW, height: s.boxH }, landmarks: keyframe.landmarks };
  };
  for (const artifact of bundle.manifest.artifacts) {
    const keyframe = transcript.keyframes.find((k) => k.sha256 === artifact.sha256);
    if (keyframe !== undefined) faces.set(artifact.id, faceOf(keyframe));
  }
  for (const challenge of bundle.manifest.liveness?.challenges ?? []) {
    const keyframe = transcript.keyframes.find((k) => k.role === challenge.kind);
    if (keyframe === undefined) continue;
    for (const id of challenge.keyframeArtifactIds) if (!faces.has(id)) faces.set(id, faceOf(keyframe));
  }
  return faces;
}

async function showReplay(bundle: EvidenceBundle, content: BundleContent, rescore: RescoreReport | null): Promise<void> {
  const figures: HTMLElement[] = [];
  const recorded = transcriptFaces(bundle, content);
  for (const artifact of bundle.manifest.artifacts) {
    const bytes = bundle.artifacts.get(artifact.id);
    if (bytes === undefined) continue;
    const image = await decodeArtifactImage(artifact, bytes);
    if (image === null) continue;
    const canvas = h('canvas', { 'data-artifact': artifact.id, role: 'img', 'aria-label': `${artifact.kind} ${artifact.id} with overlays` });
    const found = rescore?.faces.get(artifact.id);
    const geometry = content.geometries.find((entry) => entry.artifactId === artifact.id) ?? null;
    const mrzBoxes = geometry !== null && (geometry.version === 1 ? geometry.mrzZone !== undefined : geometry.mrzLines.length > 0) && (rescore?.mrz ?? null) !== null;
    drawOverlay(canvas, image, {
      geometry,
      mrz: geometry !== null ? rescore?.mrz ?? null : null,
      faces: found?.faces ?? [],
      chosenFace: found?.chosen ?? null,
      matchRole: found?.matchRole ?? null,
      transcript: recorded.get(artifact.id) ?? null,
    });
    const notes = [
      found ? `${found.faces.length} face(s) found in the browser` : null,
      found?.matchRole ? `${found.matchRole} side of the face match` : null,
      geometry ? `document quad${mrzBoxes ? ' and MRZ field boxes' : geometry.version === 2 && geometry.mrzLines.length > 0 ? ' and MRZ lines' : ''}` : null,
      recorded.has(artifact.id) ? `transcript keyframe (${recorded.get(artifact.id)!.role})` : null,
    ].filter(Boolean).join('; ');
    figures.push(h('figure', { id: `replay-${artifact.id}` }, canvas, h('figcaption', {}, `${artifact.kind} · ${artifact.id} · ${artifact.capturedAt}${notes ? ` · ${notes}` : ''}`)));
    if (geometry?.version === 2) {
      // The captured frame is not in the bundle: its outline and the quad the document was rectified from.
      const frame = h('canvas', { 'data-source-frame': artifact.id, role: 'img', 'aria-label': `captured frame of ${artifact.id} with the document quad` });
      drawSourceFrame(frame, geometry);
      figures.push(h('figure', { id: `replay-source-${artifact.id}` }, frame, h('figcaption', {},
        `captured frame of ${artifact.id}: ${geometry.source.width}×${geometry.source.height}, document quad ${geometry.source.quad.map(([x, y]) => `(${Math.round(x)}, ${Math.round(y)})`).join(' ')} ${geometry.source.quadFrom === 'detected' ? 'detected by the camera' : 'the whole image (an upload)'}, rectified to ${geometry.rectified.width}×${geometry.rectified.height}${geometry.documentType ? `, ${geometry.documentType}` : ''}${geometry.sizeClass ? ` (${geometry.sizeClass})` : ''}${geometry.rectified.rotated180 ? ', MRZ read upside down' : ''}`)));
    }
  }
  if (rescore?.mrz) {
    const grid = h('canvas', { id: 'mrz-grid', role: 'img', 'aria-label': 'MRZ lines with field boxes' });
    drawMrzGrid(grid, rescore.mrz);
    const fields = Object.values(rescore.mrz.fields).filter((field) => field !== undefined);
    figures.push(h('figure', { id: 'replay-mrz' }, grid, h('figcaption', {},
      `MRZ ${rescore.mrz.format ?? 'unknown format'}, ${rescore.mrz.valid ? 'valid' : 'not valid'}: ${fields.filter((f) => f!.valid).length}/${fields.length} fields valid (green), invalid in red`)));
  }
  if (rescore?.licence) figures.push(licenceFigure(rescore.licence));
  section('replay', h('h2', {}, 'Captures and overlays'),
    h('p', { class: 'hint legend' }, 'Blue: document quad (on a rectified image, its border; the captured frame is drawn beside it). Green/red: MRZ fields valid/invalid. Orange: faces and keypoints found in the browser, violet: the two faces the face match compares. Cyan: the face box (dashed) and landmarks the liveness transcript recorded.'),
    h('div', { class: 'figures' }, ...figures));
}

/** In the order the card numbers them. */
const LICENCE_FIELD_LABELS: Readonly<Record<rescoreCore.LicenceField, string>> = {
  surname: '1. surname', givenNames: '2. given names', birthDate: '3. date of birth', issueDate: '4a. date of issue', expiryDate: '4b. date of expiry', documentNumber: '5. licence number', issuingState: 'issuing state (emblem)',
};

/** A driving licence's re-check: each printed field the device sent, certain or doubted (only certain ones are checked), and the checks found here against the recorded ones. */
function licenceFigure(licence: LicenceReport): HTMLElement {
  const { read } = licence;
  const rows = (Object.keys(LICENCE_FIELD_LABELS) as rescoreCore.LicenceField[]).map((name) => {
    const doubted = read.uncertain.includes(name);
    const value = read.fields[name] ?? null;
    const shown = name === 'issuingState' && read.sign ? `${value ?? '—'} (sign ${read.sign})` : value ?? '—';
    return h('tr', { 'data-field': name, 'data-certain': String(!doubted && value !== null) }, h('td', {}, LICENCE_FIELD_LABELS[name]), h('td', {}, shown),
      h('td', {}, h('span', { class: `badge ${doubted || value === null ? 'not_run' : 'pass'}` }, value === null ? 'not read' : doubted ? 'doubted: not checked' : 'certain')));
  });
  const found = licence.codes.length === 0 ? 'none failed' : licence.codes.join(', ');
  const recorded = licence.recordedCodes === null ? 'no document.checks recorded' : `the device recorded ${licence.recordedCodes.join(', ') || 'none failed'}`;
  const state = read.fields.issuingState ?? null;
  const stateLine = state === null ? 'issuing state not read' : `issuing state ${state}, ${read.uncertain.includes('issuingState') ? 'doubted' : 'certain'}`;
  return h('figure', { id: 'replay-licence', 'data-codes': licence.codes.join(',') },
    h('table', { id: 'licence-table' }, h('thead', {}, h('tr', {}, ...['field (number on the card)', 'as the device read it', 'certainty'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, ...rows)),
    h('figcaption', {}, `Driving licence (printed fields, no MRZ): ${stateLine}; document checks on the certain fields in this browser: ${found}; ${recorded}.`));
}

function showLiveness(bundle: EvidenceBundle, content: BundleContent, rescore: RescoreReport | null): void {
  const { manifest } = bundle;
  const { transcript, code } = parsedTranscript(content);
  const challenges = manifest.liveness?.challenges ?? [];
  const table = h('table', {}, h('thead', {}, h('tr', {}, ...['#', 'challenge', 'status', 'frames', 'signals (min / mean / max)'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...challenges.map((challenge) => h('tr', {}, h('td', {}, String(challenge.order + 1)), h('td', {}, challenge.kind), h('td', {}, challenge.status), h('td', { class: 'num' }, String(challenge.frames)),
      h('td', {}, Object.entries(challenge.signals).map(([name, s]) => `${name} ${s.min} / ${s.mean} / ${s.max}`).join('; ') || '—')))));
  const judged = rescore?.judgement;
  const verdict = judged
    ? `Judged again in this browser: ${judged.state}, ${judged.consistent ? 'consistent with the recorded result' : `MISMATCH (${judged.mismatches.join(', ')})`}; order ${transcript?.sequence.order.join(' → ') ?? ''} from the nonce.`
    : code ? `The transcript does not parse: ${code}.` : rescore?.judgementError ? `The transcript could not be judged: ${rescore.judgementError}.` : 'No liveness transcript in this bundle: only the summary above.';
  section('liveness', h('h2', {}, 'Liveness'), table, h('p', { id: 'liveness-verdict' }, verdict),
    ...(transcript ? signalPlots(transcript) : []));
}

function showModels(bundle: EvidenceBundle): void {
  const known = new Map(modelManifest.assets.map((asset) => [asset.id, asset.sha256]));
  const models = bundle.manifest.models.map((model) => {
    const expected = known.get(model.id);
    const verdict = expected === undefined ? 'not in this SDK\'s manifest' : expected === model.sha256 ? 'same as this SDK\'s manifest' : 'DIFFERENT from this SDK\'s manifest';
    return h('tr', { 'data-model': model.id }, h('td', {}, model.id), h('td', {}, h('code', { class: 'hash' }, model.sha256)), h('td', {}, verdict));
  });
  const timings = bundle.manifest.timings.map((timing) => h('tr', {}, h('td', {}, timing.phase), h('td', { class: 'num' }, `${timing.ms.toFixed(1)} ms`)));
  section('models', h('h2', {}, 'Models and timings'),
    h('table', {}, h('thead', {}, h('tr', {}, ...['model', 'sha256', 'against this SDK'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, ...models)),
    h('table', { id: 'timings' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'phase'), h('th', { scope: 'col' }, 'time'))), h('tbody', {}, ...timings)));
}

function showRescore(report: RescoreReport | null, error: string | null): void {
  if (report === null) {
    section('rescore', h('h2', {}, 'Re-scored in this browser'), h('p', { id: 'rescore-error' }, `Re-scoring did not complete: ${error ?? 'unknown'}.`));
    document.body.dataset.rescore = 'failed';
    return;
  }
  const rows = report.checks.map((check) => h('tr', { 'data-check-id': check.checkId, 'data-verdict': check.verdict },
    h('td', {}, check.kind), h('td', { class: 'num' }, fixed(check.recorded, 4)), h('td', { class: 'num' }, fixed(check.rescored, 4)),
    h('td', { class: 'num', 'data-difference': check.difference ?? '' }, check.difference === null ? '—' : check.difference.toExponential(2)),
    h('td', { class: 'num' }, check.tolerance === null ? '—' : String(check.tolerance)),
    h('td', {}, h('span', { class: `badge ${check.verdict === 'match' ? 'pass' : check.verdict === 'differs' ? 'fail' : 'not_run'}` }, VERDICT_TEXT[check.verdict]), check.note ? ` ${check.note}` : '')));
  const { risk } = report;
  section('rescore', h('h2', {}, 'Re-scored in this browser'),
    h('p', { class: 'hint' }, `Same engines as the device and the verifier: readMrz, judgeTranscript, the face models in a worker (${backend}), decideRisk. Tolerances: ${Object.entries(RESCORE_TOLERANCE).map(([k, v]) => `${k} ${v}`).join(', ')}.`),
    h('table', { id: 'rescore-table' }, h('thead', {}, h('tr', {}, ...['check', 'recorded', 'in this browser', 'difference', 'tolerance', 'verdict'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, ...rows)),
    h('p', { id: 'risk-line' }, `Risk (verifier rules, ${report.configSource === 'session' ? 'the session\'s configuration' : report.configSource === 'typed' ? 'the session configuration typed in this page' : 'default session configuration'}${optionalRiskSignals().length ? `, without ${optionalRiskSignals().join(', ')}` : ''}): ${risk.outcome} ${risk.score.toFixed(1)} · ${risk.reasonCodes.join(', ') || 'no reason codes'}`),
    h('p', { class: 'hint' }, `Re-scoring took: ${Object.entries(report.timings).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ')}.`));
  document.body.dataset.rescore = 'done';
}

const reviewHooks: ReviewHooks = { open: (source, session) => openBundle(source, session) };

async function openBundle(source: BundleSource, session: SessionRecord | null = null, checkedAt?: Date, typedConfig: rescoreCore.RescoreConfig | null = null): Promise<void> {
  document.body.dataset.state = 'verifying';
  delete document.body.dataset.rescore;
  for (const id of ['summary', 'verification', 'scores', 'rescore', 'timeline', 'replay', 'liveness', 'models']) byId(id).hidden = true;
  status('Verifying…');
  const when = checkedAt ?? (session?.receivedAt ? new Date(session.receivedAt) : new Date());
  const report = await verifyForAudit(source, { session, checkedAt: when });
  showSummary(report.bundle, source, report);
  showChecks(report);
  document.body.dataset.state = 'verified';
  const { bundle } = report;
  if (bundle === null) {
    status('The bundle could not be opened: see the failed check.');
    return;
  }
  const content = readContent(bundle);
  showScores(bundle);
  showTimeline(bundle);
  showModels(bundle);
  showLiveness(bundle, content, null);
  status('Re-scoring in this browser (face models load in a worker)…');
  let rescore: RescoreReport | null = null;
  let error: string | null = null;
  const optionalSignals = optionalRiskSignals();
  // From the verifier: the session's own configuration, and dates judged on the day the evidence arrived, as the verifier judged them.
  // From a file: the session configuration typed in the page, if any (the verifier's default otherwise).
  const sessionConfig = rescoreConfigFrom(session?.config ?? null);
  const rescoreOptions = {
    optionalSignals, config: sessionConfig ?? typedConfig, ...(sessionConfig === null && typedConfig !== null ? { configSource: 'typed' as const } : {}),
    referenceDate: session?.receivedAt ? new Date(session.receivedAt) : null,
  };
  try {
    rescore = await rescoreInBrowser(bundle, faceEngine(), rescoreOptions);
  } catch (cause) {
    error = (cause as { code?: string }).code ?? 'unexpected';
    console.error('re-scoring failed', cause);
    rescore = await rescoreInBrowser(bundle, null, rescoreOptions).catch(() => null);
  }
  showRescore(rescore, error);
  showLiveness(bundle, content, rescore);
  await showReplay(bundle, content, rescore);
  status('Done.');
  document.body.dataset.state = 'replayed';
}

/** The risk signals the verifier's deployment leaves out (its VERIFIER_RISK_OPTIONAL_SIGNALS), as typed in the page; unknown names are ignored. */
function optionalRiskSignals(): coreRisk.RiskSignalName[] {
  const known = new Set<string>(coreRisk.RISK_SIGNALS);
  return byId<HTMLInputElement>('optional-signals').value.split(/[\s,]+/).filter((name): name is coreRisk.RiskSignalName => known.has(name));
}

async function openFromFiles(): Promise<void> {
  const bundleFile = byId<HTMLInputElement>('bundle-file').files?.[0];
  const keyFile = byId<HTMLInputElement>('key-file').files?.[0];
  if (!bundleFile) return status('Choose a bundle file first.');
  let key = null;
  try {
    key = keyFile ? parsePrivateKeyFile(await keyFile.text()) : null;
  } catch (error) {
    return status(`The key file was refused: ${(error as { code?: string }).code ?? 'invalid_argument'}.`);
  }
  let typedConfig: rescoreCore.RescoreConfig | null = null;
  const configText = byId<HTMLInputElement>('session-config').value.trim();
  try {
    typedConfig = configText ? rescoreConfigFrom(JSON.parse(configText) as Record<string, unknown>) : null;
  } catch {
    return status('The session configuration was refused: not JSON.');
  }
  const at = byId<HTMLInputElement>('checked-at').value;
  await openBundle(classifyBundleBytes(await readFileBytes(bundleFile), key, bundleFile.name), null, at ? new Date(at) : undefined, typedConfig);
}

byId('open-file').addEventListener('click', () => void openFromFiles().catch((error: unknown) => { console.error(error); status('Opening failed: see the console.'); }));
byId('print').addEventListener('click', () => window.print());
setupReview(reviewHooks);
// `?session=<id>` (the demo page links here when a verification ends) fills the session id.
const linked = new URLSearchParams(location.search).get('session');
if (linked) byId<HTMLInputElement>('session-id').value = linked;
document.body.dataset.ready = 'true';
