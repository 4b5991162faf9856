/**
 * Server-side re-scoring of one verified bundle: every score the verifier can repeat is
 * repeated (face match, continuity, MRZ, data checks), server results win, and each client
 * score is compared with the server's. What the bundle cannot support is marked missing.
 * The result feeds core's risk routing.
 */
import { EkycError, face as coreFace, liveness, risk, type EvidenceArtifact, type EvidenceBundle } from '@ekyc/core';
import type { ServerFaceEngine } from '../face/engine.ts';
import type { SessionConfig } from '../session-config.ts';
import { checkDocument, findDocumentRead, type DocumentFindings } from './document.ts';
import { decodeArtifact } from './images.ts';

export interface RescoreResult {
  decision: risk.RiskDecision;
  document: DocumentFindings;
  /** Per-check timings in ms (not personal data). */
  timings: Record<string, number>;
  /** The selfie's face embedding (fr-feature), for duplicate detection; null when none was embedded. */
  selfieEmbedding: Float32Array | null;
}

type Signal = risk.RiskSignal;

const missing = (name: risk.RiskSignalName, reasonCodes: string[] = [], details: Signal['details'] = {}): Signal => ({ name, score: null, status: 'missing', source: 'none', reasonCodes, details });

function clientCheck(bundle: EvidenceBundle, kind: string) {
  return bundle.manifest.checks.find((check) => check.kind === kind);
}

async function embedArtifact(engine: ServerFaceEngine, bundle: EvidenceBundle, artifact: EvidenceArtifact | undefined, allowSeveral: boolean) {
  if (artifact === undefined) return { status: 'absent' as const };
  const bytes = bundle.artifacts.get(artifact.id);
  const pixels = bytes === undefined ? null : decodeArtifact(artifact, bytes);
  if (pixels === null) return { status: 'undecodable' as const };
  return engine.embedBestFace(pixels, { allowSeveral });
}

export const LIVENESS_TRANSCRIPT_FORMAT = 'ekyc-liveness-transcript';

/** The first `other` JSON artifact whose content passes `accept`. */
export function findJsonArtifact(bundle: EvidenceBundle, accept: (value: unknown) => boolean): unknown {
  for (const artifact of bundle.manifest.artifacts) {
    if (artifact.kind !== 'other' || artifact.mediaType !== 'application/json') continue;
    const bytes = bundle.artifacts.get(artifact.id);
    if (bytes === undefined) continue;
    try {
      const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
      if (accept(value)) return value;
    } catch {
      // not JSON
    }
  }
  return undefined;
}

interface LivenessFinding {
  status: 'scored' | 'missing';
  score: number | null;
  source: Signal['source'];
  reasonCodes: string[];
  details: Signal['details'];
  hardRules: risk.HardRule[];
  /** Keyframes of a consistent transcript (yaw, pixel hash), to pose-match continuity; empty otherwise. */
  keyframes: readonly { yaw: number; sha256: string | null }[];
  signal(): Signal;
}

function finding(init: Omit<LivenessFinding, 'signal' | 'keyframes'> & { keyframes?: LivenessFinding['keyframes'] }): LivenessFinding {
  return { keyframes: [], ...init, signal() { return { name: 'face_liveness', score: this.status === 'scored' ? this.score : null, status: this.status, source: this.source, reasonCodes: this.reasonCodes, details: this.details }; } };
}

/**
 * The transcript (`manifest.liveness.transcript`, else an `other` JSON artifact of format
 * `ekyc-liveness-transcript`) is replayed by core's judgeTranscript with the session nonce and the
 * verifier's config: the server's judgement wins.
 * Without one, the manifest's liveness summary is the client's claim: scored, capped at 0.8.
 */
async function judgeLiveness(bundle: EvidenceBundle, config: SessionConfig): Promise<LivenessFinding> {
  const { manifest } = bundle;
  const clientPassed = manifest.liveness !== null && manifest.liveness.challenges.length > 0 && manifest.liveness.challenges.every((c) => c.status === 'passed');
  const fromManifest = manifest.liveness?.transcript;
  const transcript: unknown = fromManifest ?? findJsonArtifact(bundle, (value) => (value as { format?: unknown } | null)?.format === LIVENESS_TRANSCRIPT_FORMAT);
  if (transcript !== undefined) {
    const transcriptSource = fromManifest !== undefined ? 'manifest' : 'artifact';
    try {
      const judgement = await liveness.judgeTranscript(transcript, {
        nonce: manifest.session.nonce,
        config: liveness.livenessConfig({ challengeCount: config.livenessChallengeCount }),
      });
      const passed = judgement.consistent && judgement.state === 'passed';
      const reasonCodes: string[] = [];
      const hardRules: risk.HardRule[] = [];
      if (!judgement.consistent) {
        reasonCodes.push('liveness_transcript_mismatch');
        hardRules.push({ code: 'liveness_transcript_mismatch', escalateTo: 'reject' });
      } else if (!passed) {
        reasonCodes.push('liveness_failed');
      }
      if (manifest.liveness !== null && clientPassed !== passed) {
        reasonCodes.push('client_score_disagreement');
        hardRules.push({ code: 'client_score_disagreement', escalateTo: 'review' });
      }
      // judgeTranscript parsed it without throwing, and the schema transforms nothing: the value is a transcript.
      const keyframes = judgement.consistent ? (transcript as liveness.LivenessTranscript).keyframes.map((k) => ({ yaw: k.signals.yaw, sha256: k.sha256 })) : [];
      return finding({
        status: 'scored', score: passed ? 1 : 0, source: 'server', reasonCodes, hardRules, keyframes,
        details: { state: judgement.state, consistent: judgement.consistent, mismatches: judgement.mismatches.join(',') || null, transcriptSource },
      });
    } catch (error) {
      if (!(error instanceof EkycError)) throw error;
      return finding({ status: 'scored', score: 0, source: 'server', reasonCodes: ['liveness_transcript_invalid'], hardRules: [{ code: 'liveness_transcript_invalid', escalateTo: 'reject' }], details: { error: error.code, transcriptSource } });
    }
  }
  if (manifest.liveness === null || manifest.liveness.challenges.length === 0) {
    return finding({ status: 'missing', score: null, source: 'none', reasonCodes: ['liveness_absent'], hardRules: [], details: {} });
  }
  const passed = manifest.liveness.challenges.filter((challenge) => challenge.status === 'passed').length;
  const required = Math.max(1, config.livenessChallengeCount);
  const reasonCodes = ['liveness_transcript_absent'];
  if (passed < required) reasonCodes.push('liveness_challenges_incomplete');
  // The client's own claim, without frames to replay: never a full score.
  return finding({ status: 'scored', score: 0.8 * Math.min(1, passed / required), source: 'client', reasonCodes, hardRules: [], details: { challenges: manifest.liveness.challenges.length, passed, required } });
}

export async function rescoreBundle(bundle: EvidenceBundle, options: {
  config: SessionConfig;
  face: ServerFaceEngine | null;
  policy?: risk.RiskPolicy;
  referenceDate: Date;
}): Promise<RescoreResult> {
  const { manifest } = bundle;
  const { config } = options;
  const timings: Record<string, number> = {};
  const signals: Signal[] = [];
  const hardRules: risk.HardRule[] = [];
  const artifactsOf = (kind: EvidenceArtifact['kind']) => manifest.artifacts.filter((artifact) => artifact.kind === kind);

  // Face match: the document portrait (or the document crop) against the selfie.
  let t = performance.now();
  const faceMatchClient = clientCheck(bundle, 'face.match');
  const keyframes = artifactsOf('liveness_keyframe');
  let selfieEmbedding: Float32Array | null = null;
  if (options.face === null) {
    signals.push(missing('face_match', ['face_engine_unavailable']));
  } else {
    const documentFace = await embedArtifact(options.face, bundle, artifactsOf('portrait')[0] ?? artifactsOf('document_crop')[0], true);
    const selfie = await embedArtifact(options.face, bundle, artifactsOf('face_crop')[0] ?? keyframes[0], false);
    if (selfie.status === 'ok') selfieEmbedding = selfie.embedding;
    if (documentFace.status !== 'ok' || selfie.status !== 'ok') {
      signals.push(missing('face_match', [`face_match_${documentFace.status !== 'ok' ? 'document' : 'selfie'}_${documentFace.status !== 'ok' ? documentFace.status : selfie.status}`]));
    } else {
      const similarity = coreFace.cosineSimilarity(documentFace.embedding, selfie.embedding);
      const approveFrom = config.thresholds.faceMatch;
      const band = coreFace.bandFor(similarity, { approve: approveFrom, review: Math.max(-1, approveFrom - 0.15) });
      const score = band === 'approve' ? 1 : band === 'review' ? 0.5 : 0;
      const reasonCodes = band === 'approve' ? [] : [band === 'review' ? 'face_match_low' : 'face_match_failed'];
      if (band === 'reject') hardRules.push({ code: 'face_match_failed', escalateTo: 'reject' });
      const details: Signal['details'] = { similarity: Math.round(similarity * 1000) / 1000, threshold: approveFrom };
      if (faceMatchClient !== undefined && faceMatchClient.score !== null) {
        const gap = Math.abs(faceMatchClient.score - similarity);
        details.clientScore = faceMatchClient.score;
        details.disagreement = Math.round(gap * 1000) / 1000;
        const clientPassed = faceMatchClient.status === 'pass';
        if (gap > config.thresholds.clientDisagreement || clientPassed !== (band === 'approve')) {
          reasonCodes.push('client_score_disagreement');
          hardRules.push({ code: 'client_score_disagreement', escalateTo: 'review' });
        }
      }
      signals.push({ name: 'face_match', score, status: 'scored', source: 'server', reasonCodes, details });
    }
  }
  timings.faceMatch = performance.now() - t;

  // Face liveness: the transcript judged again by core's liveness engine (order from the nonce),
  // and continuity of the face across the keyframes on the server, pose-matched on the transcript's
  // yaw (core's judgeKeyframeContinuity): a low link between like poses is another face (reject);
  // across a wider yaw gap fr-feature cannot tell, so it goes to review (docs/liveness.md).
  t = performance.now();
  const livenessSignal = await judgeLiveness(bundle, config);
  if (livenessSignal.status === 'scored' && options.face !== null && keyframes.length >= 2) {
    const faces: liveness.PosedFace[] = [];
    const unclaimed = [...livenessSignal.keyframes];
    for (const [order, keyframe] of keyframes.entries()) {
      const result = await embedArtifact(options.face, bundle, keyframe, false);
      if (result.status !== 'ok') continue;
      // The artifact's hash ties it to one transcript keyframe and its yaw; without one, no yaw.
      // Time order from capturedAt (evidence.ts writes the keyframe's time), ties by manifest order.
      const index = unclaimed.findIndex((k) => k.sha256 === keyframe.sha256);
      const recorded = index >= 0 ? unclaimed.splice(index, 1)[0]! : null;
      faces.push({ t: Date.parse(keyframe.capturedAt) + order / 1000, yaw: recorded?.yaw ?? null, embedding: result.embedding });
    }
    const continuity = liveness.judgeKeyframeContinuity(faces, { threshold: config.thresholds.faceContinuity });
    const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
    livenessSignal.details.continuityFrames = faces.length;
    livenessSignal.details.continuityPoseMatched = continuity.poseMatched;
    livenessSignal.details.continuityLinks = continuity.links.map((l) => `${round(l.againstYaw)}->${round(l.yaw)}:${round(l.similarity)}:${l.verdict}`).join(',') || null;
    if (continuity.verdict === 'broken') {
      livenessSignal.score = 0;
      livenessSignal.reasonCodes.push('face_continuity_broken');
      hardRules.push({ code: 'face_continuity_broken', escalateTo: 'reject' });
    } else if (continuity.verdict === 'uncertain') {
      livenessSignal.reasonCodes.push('face_continuity_uncertain');
      hardRules.push({ code: 'face_continuity_uncertain', escalateTo: 'review' });
    } else if (faces.length < 2) {
      livenessSignal.reasonCodes.push('face_continuity_unchecked');
    }
  } else if (livenessSignal.status === 'scored') {
    livenessSignal.reasonCodes.push('face_continuity_unchecked');
  }
  hardRules.push(...livenessSignal.hardRules);
  signals.push(livenessSignal.signal());
  timings.faceLiveness = performance.now() - t;

  // Document: MRZ parsed again, visual zone against MRZ, expiry / age / acceptance.
  t = performance.now();
  const document = checkDocument(findDocumentRead(bundle), config, options.referenceDate);
  if (document.mrzValid === null) {
    signals.push(missing('document_authenticity', ['document_read_absent']));
    signals.push(missing('data_checks', ['document_read_absent']));
  } else {
    const authReasons: string[] = [];
    let authenticity = document.mrzValid ? 1 : 0;
    if (!document.mrzValid) {
      authReasons.push('mrz_invalid');
      hardRules.push({ code: 'mrz_invalid', escalateTo: 'review' });
    }
    if (document.vizMatches === false) {
      authenticity = Math.min(authenticity, 0.2);
      authReasons.push('viz_mrz_mismatch');
      hardRules.push({ code: 'viz_mrz_mismatch', escalateTo: 'review' });
    } else if (document.vizMatches === null) {
      authReasons.push('viz_cross_check_missing');
      authenticity = Math.min(authenticity, 0.8);
    }
    const mrzClient = clientCheck(bundle, 'mrz.check_digits');
    if (mrzClient !== undefined && (mrzClient.status === 'pass') !== document.mrzValid) {
      authReasons.push('client_score_disagreement');
      hardRules.push({ code: 'client_score_disagreement', escalateTo: 'review' });
    }
    signals.push({ name: 'document_authenticity', score: authenticity, status: 'scored', source: 'server', reasonCodes: authReasons, details: { format: document.format, mrzValid: document.mrzValid, vizMatches: document.vizMatches } });

    const dataReasons = [...document.policyFailures.map((failure) => (failure === 'expired' ? 'document_expired' : failure)), ...document.acceptanceFailures];
    for (const code of dataReasons) hardRules.push({ code, escalateTo: code === 'validity_too_long' || code === 'date_unreadable' ? 'review' : 'reject' });
    signals.push({ name: 'data_checks', score: document.mrzValid && dataReasons.length === 0 ? 1 : 0, status: 'scored', source: 'server', reasonCodes: dataReasons, details: { checks: 4, failed: dataReasons.length } });
  }
  timings.document = performance.now() - t;

  signals.push(missing('document_liveness', ['document_liveness_engine_absent']));
  signals.push(missing('sanctions', ['screening_not_configured']));
  signals.push(missing('device_velocity', ['velocity_not_configured']));

  return { decision: risk.decideRisk(signals, hardRules, options.policy), document, timings, selfieEmbedding };
}
