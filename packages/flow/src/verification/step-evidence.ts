/**
 * `evidence`: binds the session key, encodes the images, lists the checks, and builds, signs and
 * seals the bundle. Runs after consent (loaded with ./runtime.ts).
 */
import type { ArtifactInput, EvidenceCheck, EvidenceLiveness, RgbaImage } from '@ekyc/core';
import type { PrintedFields } from './document.ts';
import type { FlowHost } from './flow-host.ts';

const SDK_VERSION = '0.1.0';
/** Longest side of evidence images: the verifier's face models work on far less, and bundles stay under a few MB. */
const EVIDENCE_MAX_SIDE = 1600;

/** The printed fields read since document-read (step-read.ts), waited for with a progress event when not in yet. */
async function printedFields(host: FlowHost): Promise<PrintedFields> {
  const pending = host.data.printed;
  if (pending === null) return {};
  let settled = false;
  void pending.then(() => { settled = true; });
  await Promise.resolve();
  if (settled) return pending;
  host.progress({ kind: 'processing', step: 'evidence', task: 'document.printed', done: 0, total: 1 });
  const printed = await pending;
  host.progress({ kind: 'processing', step: 'evidence', task: 'document.printed', done: 1, total: 1 });
  return printed;
}

export async function stepEvidence(host: FlowHost, signal: AbortSignal): Promise<{ sealed: Uint8Array | null; evidenceId: string | null }> {
  host.enter('evidence', null);
  const { resolved } = host.data;
  const session = resolved!.session;
  const signer = await host.deps.signer();
  // The key is bound before anything is signed with it; afterwards the session cannot move to another device.
  if (resolved!.api && resolved!.clientToken) await resolved!.api.bindKey(session.sessionId, resolved!.clientToken, signer.publicKeyJwk, signal);
  signal.throwIfAborted();
  const encode = async (id: string, kind: ArtifactInput['kind'], image: RgbaImage<Uint8ClampedArray>, capturedAt: string): Promise<ArtifactInput> => {
    const limited = host.rt.limitSide(image, EVIDENCE_MAX_SIDE);
    return { id, kind, mediaType: 'image/jpeg', data: await host.deps.images.encodeJpeg(limited), width: limited.width, height: limited.height, capturedAt };
  };
  const artifacts: ArtifactInput[] = [];
  const checks: EvidenceCheck[] = [];
  const { front, back, portrait, selfie, mrz } = host.data;
  const total = 4;
  let done = 0;
  const tick = (): void => host.progress({ kind: 'processing', step: 'evidence', task: 'evidence.images', done: ++done, total });
  if (front?.rectified) artifacts.push(await encode('document-front', 'document_crop', front.rectified, front.capturedAt));
  tick();
  if (back?.rectified) artifacts.push(await encode('document-back', 'document_back', back.rectified, back.capturedAt));
  tick();
  if (portrait) artifacts.push(await encode('portrait', 'portrait', portrait, front!.capturedAt));
  tick();
  if (selfie) artifacts.push(await encode('selfie', 'face_crop', selfie.image, selfie.capturedAt));
  tick();
  // An MRZ reading, else a driving licence's printed fields (ekyc.licence.read): what the verifier re-checks.
  const viz = host.rt.evidenceViz(await printedFields(host), host.data.edits);
  const documentRead = host.rt.documentReadArtifact(mrz, viz) ?? (mrz === null ? host.rt.licenceReadArtifact(front?.read ?? null) : null);
  const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
  if (documentRead) artifacts.push({ id: 'document-read', kind: 'other', mediaType: 'application/json', data: json(documentRead), capturedAt: (front ?? back)!.capturedAt });
  // Where the document lay in each captured image (docs/auditor.md draws it); nothing routes on it.
  for (const [side, id] of [[front, 'document-front'], [back, 'document-back']] as const) {
    const geometry = side && artifacts.some((artifact) => artifact.id === id) ? host.rt.documentGeometryArtifact(side, id, host.state.review?.documentType ?? null) : null;
    if (geometry) artifacts.push({ id: `${id}-geometry`, kind: 'other', mediaType: 'application/json', data: json(geometry), capturedAt: side!.capturedAt });
  }
  // The side the reading came from; an MRZ completed from the front (step-read.ts) is no side's own: the side it was read on.
  const readSide = host.data.sides.find((side) => side.read.mrz === mrz) ?? host.rt.mrzSideOf(host.data.sides);
  if (host.state.review) checks.push(...host.rt.documentChecks(host.state.review, mrz, documentRead !== null, readSide?.frames));
  if (host.state.review && mrz !== null) checks.push(host.rt.vizCrossCheck(viz, mrz, documentRead !== null));
  const faceMatch = host.state.faceMatch;
  if (host.planned('face-match')) {
    const thresholds = host.rt.matchThresholds(session.config.thresholds.faceMatch, host.options.thresholds?.faceMatch);
    checks.push({
      // `pass` means approve, as the verifier reads it (a review band is inconclusive, not a pass).
      id: 'face-match', kind: 'face.match', status: faceMatch === null || faceMatch.band === 'review' ? 'inconclusive' : faceMatch.band === 'approve' ? 'pass' : 'fail',
      score: faceMatch?.similarity ?? null, threshold: thresholds.approve, errorCode: null,
      artifactIds: artifacts.filter((a) => a.id === 'portrait' || a.id === 'selfie').map((a) => a.id), details: { band: faceMatch?.band ?? 'none' },
    });
  }
  let liveness: EvidenceLiveness | null = null;
  if (selfie?.outcome) {
    const evidence = await host.rt.livenessEvidenceOf(selfie.outcome);
    liveness = evidence.liveness;
    artifacts.push(...evidence.artifacts);
    // The verifier replays the transcript from an `other` JSON artifact (docs/verifier.md, What the server reads).
    artifacts.push({ id: 'liveness-transcript', kind: 'other', mediaType: 'application/json', data: json(selfie.outcome.transcript), capturedAt: selfie.capturedAt });
    checks.push({ id: 'liveness', kind: 'liveness.active', status: selfie.outcome.state === 'passed' ? 'pass' : 'fail', score: null, threshold: null, errorCode: null, artifactIds: evidence.artifacts.map((a) => a.id), details: { state: selfie.outcome.state } });
  }
  await host.data.events!.append('evidence.built', { artifacts: artifacts.length, checks: checks.length });
  host.progress({ kind: 'processing', step: 'evidence', task: 'evidence.seal', done: 0, total: 1 });
  const result = await host.rt.sealRun({
    sdkVersion: host.options.sdkVersion ?? SDK_VERSION, session, startedAt: host.data.startedAt, completedAt: host.deps.now(),
    consent: { ...host.state.consent!, scopes: [...host.state.consent!.scopes] }, artifacts, checks, liveness, runtime: host.runtime ?? null, camera: host.data.camera, events: host.data.events!,
  }, signer);
  host.progress({ kind: 'processing', step: 'evidence', task: 'evidence.seal', done: 1, total: 1 });
  host.complete('evidence');
  return { sealed: result.sealed, evidenceId: result.evidenceId };
}
