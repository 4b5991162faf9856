/**
 * Re-scoring of one verified bundle, the pure part shared by the verifier (packages/verifier,
 * onnxruntime-node) and the auditor page (workers, onnxruntime-web): which faces are compared, the
 * face match band, the liveness transcript judged again with the session nonce, continuity across
 * the keyframes, the document checks, every recorded check compared with its re-scored value
 * (compare.ts), and the risk signals and hard rules core's decideRisk routes. The callers run the
 * face models and hand in the embeddings; nothing here touches a model, a file or a clock.
 */
import { cosineSimilarity, bandFor } from '../face/index.ts';
import * as liveness from '../liveness/index.ts';
import * as risk from '../risk/index.ts';
import type { DocumentType } from '../document/index.ts';
import type { EvidenceArtifact, EvidenceCheck, EvidenceManifest } from '../evidence/schema.ts';
import { EkycError } from '../errors.ts';
import { readBundleContent, type BundleContent, type BundleLike } from './content.ts';
import { checkDocumentRead, type DocumentFindings } from './document.ts';
import { compareCheck, type RescoredCheck } from './compare.ts';
import { mrzFindingRoute, routeRules } from './routing.ts';

export interface RescoreConfig {
  acceptedDocuments: readonly DocumentType[];
  acceptedCountries: readonly string[];
  /** Face match approve threshold; review from 0.15 below. */
  faceMatch: number;
  faceContinuity: number;
  minimumAge: number;
  /** A client face score this far from the re-scored one routes to review. */
  clientDisagreement: number;
  livenessChallengeCount: number;
}

/** The reference verifier's default session configuration (packages/verifier/src/session-config.ts). */
export const DEFAULT_RESCORE_CONFIG: RescoreConfig = {
  acceptedDocuments: ['passport', 'id_card'], acceptedCountries: [], faceMatch: 0.5, faceContinuity: 0.5, minimumAge: 18, clientDisagreement: 0.15, livenessChallengeCount: 3,
};

/** One image's face: the embedding, or why there is none (`absent`, `undecodable`, `face_not_found`, `face_multiple`). */
export type FaceOutcome = { status: 'ok'; embedding: ArrayLike<number> } | { status: string };

export interface FaceEmbeddings {
  document: FaceOutcome;
  selfie: FaceOutcome;
  /** By keyframe artifact id; a keyframe left out counts as not embedded. */
  keyframes: ReadonlyMap<string, FaceOutcome>;
}

export interface FaceArtifacts {
  /** The portrait, else the document crop (several faces allowed: the best is taken). */
  document: EvidenceArtifact | undefined;
  /** The face crop, else the first keyframe (exactly one face). */
  selfie: EvidenceArtifact | undefined;
  keyframes: EvidenceArtifact[];
}

/** Which artifacts the face match and continuity compare. */
export function faceArtifacts(manifest: EvidenceManifest): FaceArtifacts {
  const of = (kind: EvidenceArtifact['kind']) => manifest.artifacts.filter((artifact) => artifact.kind === kind);
  const keyframes = of('liveness_keyframe');
  return { document: of('portrait')[0] ?? of('document_crop')[0], selfie: of('face_crop')[0] ?? keyframes[0], keyframes };
}

export interface EvidenceRescore {
  decision: risk.RiskDecision;
  signals: risk.RiskSignal[];
  hardRules: risk.HardRule[];
  document: DocumentFindings;
  content: BundleContent;
  judgement: liveness.LivenessJudgement | null;
  /** The EkycError code when the transcript could not be judged. */
  judgementError: string | null;
  continuity: liveness.KeyframeContinuity | null;
  similarity: number | null;
  /** Every recorded check against its re-scored value. */
  checks: RescoredCheck[];
}

type Signal = risk.RiskSignal;
const missing = (name: risk.RiskSignalName, reasonCodes: string[] = []): Signal => ({ name, score: null, status: 'missing', source: 'none', reasonCodes, details: {} });
const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
const clientCheck = (manifest: EvidenceManifest, kind: string): EvidenceCheck | undefined => manifest.checks.find((check) => check.kind === kind);

export interface RescoreInput {
  config: RescoreConfig;
  /** Two-digit MRZ years, expiry and age are judged on this day (the verifier: when the evidence arrived). */
  referenceDate: Date;
  /** Null when no face engine ran. */
  faces: FaceEmbeddings | null;
  policy?: risk.RiskPolicy;
}

export async function rescoreEvidence(bundle: BundleLike, input: RescoreInput): Promise<EvidenceRescore> {
  const { manifest } = bundle;
  const { config } = input;
  const content = readBundleContent(bundle);
  const signals: Signal[] = [];
  const hardRules: risk.HardRule[] = [];

  // Face match: the document portrait (or the document crop) against the selfie.
  const faceMatchClient = clientCheck(manifest, 'face.match');
  let similarity: number | null = null;
  if (input.faces === null) {
    signals.push(missing('face_match', ['face_engine_unavailable']));
  } else {
    const { document: documentFace, selfie } = input.faces;
    if (documentFace.status !== 'ok' || selfie.status !== 'ok') {
      signals.push(missing('face_match', [`face_match_${documentFace.status !== 'ok' ? 'document' : 'selfie'}_${documentFace.status !== 'ok' ? documentFace.status : selfie.status}`]));
    } else {
      similarity = cosineSimilarity((documentFace as { embedding: ArrayLike<number> }).embedding, (selfie as { embedding: ArrayLike<number> }).embedding);
      const approveFrom = config.faceMatch;
      const band = bandFor(similarity, { approve: approveFrom, review: Math.max(-1, approveFrom - 0.15) });
      const score = band === 'approve' ? 1 : band === 'review' ? 0.5 : 0;
      const reasonCodes = band === 'approve' ? [] : [band === 'review' ? 'face_match_low' : 'face_match_failed'];
      if (band === 'reject') hardRules.push({ code: 'face_match_failed', escalateTo: 'reject' });
      const details: Signal['details'] = { similarity: round(similarity), threshold: approveFrom };
      if (faceMatchClient !== undefined && faceMatchClient.score !== null) {
        const gap = Math.abs(faceMatchClient.score - similarity);
        details.clientScore = faceMatchClient.score;
        details.disagreement = round(gap);
        if (gap > config.clientDisagreement || (faceMatchClient.status === 'pass') !== (band === 'approve')) {
          reasonCodes.push('client_score_disagreement');
          hardRules.push({ code: 'client_score_disagreement', escalateTo: 'review' });
        }
      }
      signals.push({ name: 'face_match', score, status: 'scored', source: 'server', reasonCodes, details });
    }
  }

  // Liveness: the transcript judged again (order from the nonce), the server's judgement wins;
  // without one, the manifest's summary is the client's claim, capped at 0.8.
  let judgement: liveness.LivenessJudgement | null = null;
  let judgementError: string | null = null;
  let livenessSignal: Signal;
  let keyframeYaws: { yaw: number; sha256: string | null }[] = [];
  // Pushed after the continuity rules, in the order the verifier always recorded them.
  const livenessRules: risk.HardRule[] = [];
  const clientPassed = manifest.liveness !== null && manifest.liveness.challenges.length > 0 && manifest.liveness.challenges.every((c) => c.status === 'passed');
  if (content.transcript !== undefined) {
    const transcriptSource = content.transcriptSource;
    try {
      judgement = await liveness.judgeTranscript(content.transcript, {
        nonce: manifest.session.nonce,
        config: liveness.livenessConfig({ challengeCount: config.livenessChallengeCount }),
      });
      const passed = judgement.consistent && judgement.state === 'passed';
      const reasonCodes: string[] = [];
      if (!judgement.consistent) {
        reasonCodes.push('liveness_transcript_mismatch');
        livenessRules.push({ code: 'liveness_transcript_mismatch', escalateTo: 'reject' });
      } else if (!passed) {
        reasonCodes.push('liveness_failed');
      }
      if (manifest.liveness !== null && clientPassed !== passed) {
        reasonCodes.push('client_score_disagreement');
        livenessRules.push({ code: 'client_score_disagreement', escalateTo: 'review' });
      }
      // judgeTranscript parsed it without throwing, and the schema transforms nothing: the value is a transcript.
      if (judgement.consistent) keyframeYaws = (content.transcript as liveness.LivenessTranscript).keyframes.map((k) => ({ yaw: k.signals.yaw, sha256: k.sha256 }));
      livenessSignal = {
        name: 'face_liveness', score: passed ? 1 : 0, status: 'scored', source: 'server', reasonCodes,
        details: { state: judgement.state, consistent: judgement.consistent, mismatches: judgement.mismatches.join(',') || null, transcriptSource },
      };
    } catch (error) {
      if (!(error instanceof EkycError)) throw error;
      judgementError = error.code;
      livenessRules.push({ code: 'liveness_transcript_invalid', escalateTo: 'reject' });
      livenessSignal = { name: 'face_liveness', score: 0, status: 'scored', source: 'server', reasonCodes: ['liveness_transcript_invalid'], details: { error: error.code, transcriptSource } };
    }
  } else if (manifest.liveness === null || manifest.liveness.challenges.length === 0) {
    livenessSignal = missing('face_liveness', ['liveness_absent']);
  } else {
    const passed = manifest.liveness.challenges.filter((challenge) => challenge.status === 'passed').length;
    const required = Math.max(1, config.livenessChallengeCount);
    const reasonCodes = ['liveness_transcript_absent'];
    if (passed < required) reasonCodes.push('liveness_challenges_incomplete');
    livenessSignal = { name: 'face_liveness', score: 0.8 * Math.min(1, passed / required), status: 'scored', source: 'client', reasonCodes, details: { challenges: manifest.liveness.challenges.length, passed, required } };
  }

  // Continuity of the face across the keyframes, pose-matched on the transcript's yaw (the keyframe
  // whose pixel hash is the artifact's SHA-256): a low link between like poses is another face
  // (reject); across a wider yaw gap fr-feature cannot tell, so it goes to review (docs/liveness.md).
  let continuity: liveness.KeyframeContinuity | null = null;
  const keyframes = faceArtifacts(manifest).keyframes;
  if (livenessSignal.status === 'scored' && input.faces !== null && keyframes.length >= 2) {
    const faces: liveness.PosedFace[] = [];
    const unclaimed = [...keyframeYaws];
    for (const [order, keyframe] of keyframes.entries()) {
      const outcome = input.faces.keyframes.get(keyframe.id);
      if (outcome === undefined || outcome.status !== 'ok') continue;
      const index = unclaimed.findIndex((k) => k.sha256 === keyframe.sha256);
      const recorded = index >= 0 ? unclaimed.splice(index, 1)[0]! : null;
      // Time order from capturedAt, ties by manifest order.
      faces.push({ t: Date.parse(keyframe.capturedAt) + order / 1000, yaw: recorded?.yaw ?? null, embedding: (outcome as { embedding: ArrayLike<number> }).embedding });
    }
    continuity = liveness.judgeKeyframeContinuity(faces, { threshold: config.faceContinuity });
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
      continuity = null;
    }
  } else if (livenessSignal.status === 'scored') {
    livenessSignal.reasonCodes.push('face_continuity_unchecked');
  }
  hardRules.push(...livenessRules);
  signals.push(livenessSignal);

  // Document: MRZ parsed again, visual zone against MRZ, expiry / age / acceptance, the flow's document checks.
  const document = checkDocumentRead(content.documentRead, config, input.referenceDate);
  const documentChecksClient = clientCheck(manifest, 'document.checks');
  const recordedDocumentCodes = documentChecksClient === undefined ? [] : String(documentChecksClient.details['issues'] ?? '').split(',').filter(Boolean);
  if (document.mrzValid === null) {
    signals.push(missing('document_authenticity', ['document_read_absent']), missing('data_checks', ['document_read_absent']));
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
    const mrzClient = clientCheck(manifest, 'mrz.check_digits');
    if (mrzClient !== undefined && (mrzClient.status === 'pass') !== document.mrzValid) {
      authReasons.push('client_score_disagreement');
      hardRules.push({ code: 'client_score_disagreement', escalateTo: 'review' });
    }
    signals.push({ name: 'document_authenticity', score: authenticity, status: 'scored', source: 'server', reasonCodes: authReasons, details: { format: document.format, mrzValid: document.mrzValid, vizMatches: document.vizMatches } });

    const dataRoutes = [...document.policyFailures, ...document.acceptanceFailures].map(mrzFindingRoute);
    const dataReasons = dataRoutes.map((route) => route.reason);
    hardRules.push(...routeRules(dataRoutes));
    const dataDetails: Signal['details'] = { checks: 4, failed: dataReasons.length };
    const routingReasons = [...dataReasons];
    if (document.documentChecks !== null && documentChecksClient !== undefined) {
      dataDetails.documentChecks = document.documentChecks.join(',') || null;
      // The device passed what the same checks fail (or the reverse): a client that lies about its checks, or another policy.
      if ((documentChecksClient.status === 'pass') !== (document.documentChecks.length === 0)) {
        routingReasons.push('client_score_disagreement');
        hardRules.push({ code: 'client_score_disagreement', escalateTo: 'review' });
      }
    }
    signals.push({ name: 'data_checks', score: document.mrzValid && dataReasons.length === 0 ? 1 : 0, status: 'scored', source: 'server', reasonCodes: routingReasons, details: dataDetails });
  }

  signals.push(missing('document_liveness', ['document_liveness_engine_absent']));
  signals.push(missing('sanctions', ['screening_not_configured']));
  signals.push(missing('device_velocity', ['velocity_not_configured']));

  // Each recorded check against its re-scored value.
  const checks = manifest.checks.map((check): RescoredCheck => {
    switch (check.kind) {
      case 'mrz.check_digits':
        return compareCheck(check, document.mrzValid === null ? null : document.mrzValid ? 1 : 0, document.mrzValid === null ? 'document_read_absent' : null);
      case 'face.match':
        return compareCheck(check, similarity, input.faces === null ? 'face_engine_unavailable' : similarity === null ? 'face_not_found' : null);
      case 'liveness.active': {
        const passed = judgement === null ? null : judgement.consistent && judgement.state === 'passed' ? 1 : 0;
        return compareCheck(check, passed, judgementError ?? (judgement === null ? 'liveness_transcript_absent' : judgement.mismatches.join(',') || null));
      }
      case 'document.checks':
        return compareCheck(check, document.documentChecks === null ? null : document.documentChecks.length === 0 ? 1 : 0,
          document.documentChecks === null ? (document.mrzValid === false ? 'mrz_invalid' : 'document_read_absent') : null,
          document.documentChecks === null ? undefined : { recorded: recordedDocumentCodes, rescored: document.documentChecks });
      case 'document.viz_cross_check': {
        // Inconclusive on the device (nothing compared) stays unscored here too.
        const recordedFields = String(check.details['mismatched'] ?? '').split(',').filter(Boolean);
        return compareCheck(check, document.vizMatches === null ? null : document.vizMatches ? 1 : 0, document.vizMatches === null ? 'viz_not_compared' : null,
          document.vizMatches === null ? undefined : { recorded: recordedFields, rescored: document.vizMismatchedFields });
      }
      default:
        return compareCheck(check, null, 'no_engine_for_kind');
    }
  });

  return { decision: risk.decideRisk(signals, hardRules, input.policy), signals, hardRules, document, content, judgement, judgementError, continuity, similarity, checks };
}
