/**
 * Re-scoring in the browser with the engines the device and the verifier run: core's readMrz and
 * checkMrzPolicy on the device's MRZ reading, core's judgeTranscript on the liveness transcript
 * (order from the session nonce), the face models through the workers' FaceClient
 * (fr-detect + fr-landmark68 + fr-feature on onnxruntime-web, in a worker), and core's decideRisk
 * over signals built as the reference verifier builds them (docs/verifier.md, default session
 * configuration). Each recorded check is compared with the in-browser score within a stated
 * tolerance (docs/auditor.md).
 */
import { checkMrzPolicy, face as coreFace, liveness, readMrz, risk, type EvidenceArtifact, type EvidenceBundle, type EvidenceCheck, type MrzReadResult } from '@ekyc/core';
import type { FaceClient } from '@ekyc/workers';
import type { BundleContent } from './content.ts';

/**
 * Largest accepted |recorded - re-scored| per check kind. MRZ and liveness are deterministic
 * engines with integer results: exact. Face match crosses runtimes and encodings: the same pixels
 * on onnxruntime-node (jpeg-js) and onnxruntime-web (the browser's decoder) differed by 0.0009 and
 * 0.0007 (e2e bundles), and VerificationFlow scores the pixels before it downscales and
 * JPEG-encodes them into the bundle, which the auditor re-scores: 0.012 on the e2e upload session
 * (docs/auditor.md). 0.05 is four times the largest measured and a third of the 0.15 band between
 * the review and approve thresholds.
 */
export const RESCORE_TOLERANCE: Readonly<Record<string, number>> = {
  'mrz.check_digits': 0,
  'liveness.active': 0,
  'face.match': 0.05,
};

/** Kinds whose result is pass or fail: a check recorded with a status and no score compares as 1 or 0. */
const STATUS_SCORED = new Set(['mrz.check_digits', 'liveness.active']);

/** The verifier's default session configuration (packages/verifier/src/session-config.ts). */
export const DEFAULT_AUDIT_CONFIG = {
  faceMatch: 0.5, faceContinuity: 0.5, minimumAge: 18, livenessChallengeCount: 3, acceptedDocuments: ['passport', 'id_card'] as string[],
};

export interface FaceFinding {
  artifactId: string;
  faces: coreFace.FaceDetection[];
  /** The face that would be embedded (index into faces), when one could be used. */
  chosen: number | null;
  /** Set on the two images the face match compares. */
  matchRole: 'document' | 'selfie' | null;
}

export interface RescoredCheck {
  checkId: string;
  kind: string;
  recorded: number | null;
  recordedStatus: EvidenceCheck['status'];
  rescored: number | null;
  difference: number | null;
  tolerance: number | null;
  /** `match`: within tolerance; `differs`: outside it; `not_rescored`: the engine could not run (see note). */
  verdict: 'match' | 'differs' | 'not_rescored';
  note: string | null;
}

export interface RescoreReport {
  checks: RescoredCheck[];
  mrz: MrzReadResult | null;
  judgement: liveness.LivenessJudgement | null;
  judgementError: string | null;
  faces: Map<string, FaceFinding>;
  similarity: number | null;
  continuityMinimum: number | null;
  risk: risk.RiskDecision;
  timings: Record<string, number>;
}

/** Encoded images through the browser's decoder; raw RGBA (`application/octet-stream` of width x height x 4 bytes, as liveness keyframes travel) as is. */
export async function decodeArtifactImage(artifact: EvidenceArtifact, bytes: Uint8Array): Promise<ImageData | null> {
  if (artifact.mediaType === 'application/octet-stream') {
    const { width, height } = artifact;
    if (width === null || height === null || width * height * 4 !== bytes.byteLength || width === 0) return null;
    return new ImageData(new Uint8ClampedArray(bytes), width, height);
  }
  if (artifact.mediaType !== 'image/jpeg' && artifact.mediaType !== 'image/png' && artifact.mediaType !== 'image/webp') return null;
  try {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: artifact.mediaType }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    return context.getImageData(0, 0, canvas.width, canvas.height);
  } catch {
    return null;
  }
}

/** A copy: the face worker takes the buffer over (transferred). */
const frameOf = (image: ImageData): { width: number; height: number; data: Uint8ClampedArray<ArrayBuffer> } =>
  ({ width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) });

function compare(check: EvidenceCheck, rescored: number | null, note: string | null): RescoredCheck {
  const tolerance = RESCORE_TOLERANCE[check.kind] ?? null;
  const fromStatus = check.score === null && STATUS_SCORED.has(check.kind) && (check.status === 'pass' || check.status === 'fail');
  const recorded = fromStatus ? (check.status === 'pass' ? 1 : 0) : check.score;
  if (rescored === null || recorded === null || tolerance === null) {
    return { checkId: check.id, kind: check.kind, recorded, recordedStatus: check.status, rescored, difference: null, tolerance, verdict: 'not_rescored', note: note ?? (tolerance === null ? 'no_engine_for_kind' : 'no_score') };
  }
  const difference = rescored - recorded;
  return {
    checkId: check.id, kind: check.kind, recorded, recordedStatus: check.status, rescored, difference, tolerance,
    verdict: Math.abs(difference) <= tolerance + 1e-12 ? 'match' : 'differs', note: fromStatus ? ['recorded as status', note].filter(Boolean).join('; ') : note,
  };
}

type Signal = risk.RiskSignal;
const missing = (name: risk.RiskSignalName, reasonCodes: string[]): Signal => ({ name, score: null, status: 'missing', source: 'none', reasonCodes, details: {} });

export interface RescoreOptions {
  /** Signals the verifier's deployment does not run (its VERIFIER_RISK_OPTIONAL_SIGNALS): left out of the risk score, as there. */
  optionalSignals?: readonly risk.RiskSignalName[];
}

export async function rescoreInBrowser(bundle: EvidenceBundle, content: BundleContent, faceClient: FaceClient | null, options: RescoreOptions = {}): Promise<RescoreReport> {
  const { manifest } = bundle;
  const timings: Record<string, number> = {};
  const referenceDate = new Date(manifest.session.completedAt);
  const byKind = (kind: EvidenceArtifact['kind']) => manifest.artifacts.filter((artifact) => artifact.kind === kind);
  const signals: Signal[] = [];
  const hardRules: risk.HardRule[] = [];

  // MRZ: the device's lines read again.
  let t = performance.now();
  const mrz = content.documentRead === null ? null : readMrz(content.documentRead.mrzLines, { referenceDate });
  timings['mrz'] = performance.now() - t;

  // Liveness: the transcript replayed through a fresh engine, order from the nonce.
  t = performance.now();
  let judgement: liveness.LivenessJudgement | null = null;
  let judgementError: string | null = null;
  if (content.transcript !== undefined) {
    try {
      judgement = await liveness.judgeTranscript(content.transcript, { nonce: manifest.session.nonce });
    } catch (error) {
      judgementError = (error as { code?: string }).code ?? 'liveness_transcript_invalid';
    }
  }
  timings['liveness'] = performance.now() - t;

  // Faces: every image with a face-bearing kind, detected and embedded in the face worker.
  t = performance.now();
  const faces = new Map<string, FaceFinding>();
  const embeddings = new Map<string, Float32Array>();
  const faceKinds = new Set(['portrait', 'document_crop', 'face_crop', 'liveness_keyframe']);
  if (faceClient !== null) {
    for (const artifact of manifest.artifacts) {
      if (!faceKinds.has(artifact.kind)) continue;
      const bytes = bundle.artifacts.get(artifact.id);
      const image = bytes === undefined ? null : await decodeArtifactImage(artifact, bytes);
      if (image === null) continue;
      const found = await faceClient.embedAll(frameOf(image));
      const several = artifact.kind === 'portrait' || artifact.kind === 'document_crop';
      let chosen: number | null = null;
      if (found.length === 1 || (several && found.length > 1)) {
        chosen = found.reduce((best, entry, index) => (entry.face.score > found[best]!.face.score ? index : best), 0);
        embeddings.set(artifact.id, found[chosen]!.embedding);
      }
      faces.set(artifact.id, { artifactId: artifact.id, faces: found.map((entry) => entry.face), chosen, matchRole: null });
    }
  }
  const documentFace = (byKind('portrait')[0] ?? byKind('document_crop')[0])?.id;
  const selfieFace = (byKind('face_crop')[0] ?? byKind('liveness_keyframe')[0])?.id;
  if (documentFace !== undefined && faces.has(documentFace)) faces.get(documentFace)!.matchRole = 'document';
  if (selfieFace !== undefined && faces.has(selfieFace)) faces.get(selfieFace)!.matchRole = 'selfie';
  const a = documentFace === undefined ? undefined : embeddings.get(documentFace);
  const b = selfieFace === undefined ? undefined : embeddings.get(selfieFace);
  const similarity = a !== undefined && b !== undefined ? coreFace.cosineSimilarity(a, b) : null;
  // Continuity as the verifier judges it (core's judgeKeyframeContinuity): each keyframe against
  // the earlier one nearest in yaw, the yaw taken from the transcript keyframe its hash names.
  let continuityMinimum: number | null = null;
  let continuity: liveness.KeyframeContinuity | null = null;
  const recordedKeyframes = judgement !== null && judgement.consistent && content.transcript !== undefined
    ? [...(content.transcript as liveness.LivenessTranscript).keyframes.map((k) => ({ yaw: k.signals.yaw, sha256: k.sha256 }))]
    : [];
  const posedFaces: liveness.PosedFace[] = [];
  for (const [order, artifact] of byKind('liveness_keyframe').entries()) {
    const embedding = embeddings.get(artifact.id);
    if (embedding === undefined) continue;
    const index = recordedKeyframes.findIndex((k) => k.sha256 === artifact.sha256);
    const recorded = index >= 0 ? recordedKeyframes.splice(index, 1)[0]! : null;
    posedFaces.push({ t: Date.parse(artifact.capturedAt) + order / 1000, yaw: recorded?.yaw ?? null, embedding });
  }
  if (posedFaces.length >= 2) {
    continuity = liveness.judgeKeyframeContinuity(posedFaces, { threshold: DEFAULT_AUDIT_CONFIG.faceContinuity });
    continuityMinimum = Math.min(...continuity.links.map((link) => link.similarity));
  }
  timings['face'] = performance.now() - t;

  // Each recorded check against the in-browser score.
  const checks = manifest.checks.map((check): RescoredCheck => {
    switch (check.kind) {
      case 'mrz.check_digits':
        return compare(check, mrz === null ? null : mrz.valid ? 1 : 0, mrz === null ? 'document_read_absent' : null);
      case 'face.match':
        return compare(check, similarity, faceClient === null ? 'face_engine_unavailable' : similarity === null ? 'face_not_found' : null);
      case 'liveness.active': {
        const passed = judgement === null ? null : judgement.consistent && judgement.state === 'passed' ? 1 : 0;
        return compare(check, passed, judgementError ?? (judgement === null ? 'liveness_transcript_absent' : judgement.mismatches.join(',') || null));
      }
      default:
        return compare(check, null, 'no_engine_for_kind');
    }
  });

  // Risk, as the verifier routes it.
  if (similarity === null) signals.push(missing('face_match', [faceClient === null ? 'face_engine_unavailable' : 'face_not_found']));
  else {
    const band = coreFace.bandFor(similarity, { approve: DEFAULT_AUDIT_CONFIG.faceMatch, review: DEFAULT_AUDIT_CONFIG.faceMatch - 0.15 });
    if (band === 'reject') hardRules.push({ code: 'face_match_failed', escalateTo: 'reject' });
    signals.push({ name: 'face_match', score: band === 'approve' ? 1 : band === 'review' ? 0.5 : 0, status: 'scored', source: 'server', reasonCodes: band === 'approve' ? [] : [band === 'review' ? 'face_match_low' : 'face_match_failed'], details: { similarity: Math.round(similarity * 1000) / 1000 } });
  }
  if (judgement !== null || judgementError !== null) {
    const passed = judgement !== null && judgement.consistent && judgement.state === 'passed';
    const reasonCodes: string[] = [];
    if (judgementError !== null) { reasonCodes.push('liveness_transcript_invalid'); hardRules.push({ code: 'liveness_transcript_invalid', escalateTo: 'reject' }); }
    else if (!judgement!.consistent) { reasonCodes.push('liveness_transcript_mismatch'); hardRules.push({ code: 'liveness_transcript_mismatch', escalateTo: 'reject' }); }
    let score = passed ? 1 : 0;
    if (continuity?.verdict === 'broken') {
      score = 0;
      reasonCodes.push('face_continuity_broken');
      hardRules.push({ code: 'face_continuity_broken', escalateTo: 'reject' });
    } else if (continuity?.verdict === 'uncertain') {
      reasonCodes.push('face_continuity_uncertain');
      hardRules.push({ code: 'face_continuity_uncertain', escalateTo: 'review' });
    } else if (continuity === null) reasonCodes.push('face_continuity_unchecked');
    signals.push({ name: 'face_liveness', score, status: 'scored', source: 'server', reasonCodes, details: {} });
  } else if (manifest.liveness !== null && manifest.liveness.challenges.length > 0) {
    const passedCount = manifest.liveness.challenges.filter((challenge) => challenge.status === 'passed').length;
    signals.push({ name: 'face_liveness', score: 0.8 * Math.min(1, passedCount / DEFAULT_AUDIT_CONFIG.livenessChallengeCount), status: 'scored', source: 'client', reasonCodes: ['liveness_transcript_absent'], details: {} });
  } else signals.push(missing('face_liveness', ['liveness_absent']));
  if (mrz === null) {
    signals.push(missing('document_authenticity', ['document_read_absent']), missing('data_checks', ['document_read_absent']));
  } else {
    const reasons: string[] = [];
    let authenticity = mrz.valid ? 1 : 0;
    if (!mrz.valid) { reasons.push('mrz_invalid'); hardRules.push({ code: 'mrz_invalid', escalateTo: 'review' }); }
    if (content.documentRead?.viz === undefined) { reasons.push('viz_cross_check_missing'); authenticity = Math.min(authenticity, 0.8); }
    signals.push({ name: 'document_authenticity', score: authenticity, status: 'scored', source: 'server', reasonCodes: reasons, details: {} });
    const value = (name: keyof typeof mrz.fields): string | null => mrz.fields[name]?.value ?? null;
    const dataReasons: string[] = mrz.valid
      ? checkMrzPolicy({ birthDate: value('birthDate'), expiryDate: value('expiryDate') }, { minimumAge: DEFAULT_AUDIT_CONFIG.minimumAge, referenceDate }).map((f) => (f === 'expired' ? 'document_expired' : f))
      : [];
    for (const code of dataReasons) hardRules.push({ code, escalateTo: code === 'validity_too_long' || code === 'date_unreadable' ? 'review' : 'reject' });
    signals.push({ name: 'data_checks', score: mrz.valid && dataReasons.length === 0 ? 1 : 0, status: 'scored', source: 'server', reasonCodes: dataReasons, details: {} });
  }
  signals.push(missing('document_liveness', ['document_liveness_engine_absent']), missing('sanctions', ['screening_not_configured']), missing('device_velocity', ['velocity_not_configured']));

  return { checks, mrz, judgement, judgementError, faces, similarity, continuityMinimum, risk: risk.decideRisk(signals, hardRules, { ...risk.DEFAULT_RISK_POLICY, optional: options.optionalSignals ?? [] }), timings };
}
