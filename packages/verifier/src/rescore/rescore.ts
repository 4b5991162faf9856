/**
 * Server-side re-scoring of one verified bundle: the face models run here (onnxruntime-node) on
 * the images core's `rescore.faceArtifacts` names, and core's `rescore.rescoreEvidence` (the same
 * function the auditor page runs) does the rest: face match band, the liveness transcript judged
 * again, continuity, the document checks, each client check compared with the re-scored value,
 * and the risk routing. A driving licence (no MRZ, its printed fields in `ekyc.licence.read`) has
 * its document checks run here on those fields (licence.ts). What the bundle cannot support is marked missing.
 */
import { rescore as coreRescore, risk, type EvidenceArtifact, type EvidenceBundle } from '@ekyc/core';
import type { ServerFaceEngine } from '../face/engine.ts';
import type { SessionConfig } from '../session-config.ts';
import { decodeArtifact } from './images.ts';
import { rescoreLicence, type LicenceFindings } from './licence.ts';

export interface RescoreResult {
  decision: risk.RiskDecision;
  document: coreRescore.DocumentFindings;
  /** Each client check against the server's value (tolerances of docs/auditor.md). */
  checks: coreRescore.RescoredCheck[];
  /** A driving licence's re-checked printed fields; null for an MRZ document or none. */
  licence: LicenceFindings | null;
  /** Per-check timings in ms (not personal data). */
  timings: Record<string, number>;
  /** The selfie's face embedding (fr-feature), for duplicate detection; null when none was embedded. */
  selfieEmbedding: Float32Array | null;
}

export const LIVENESS_TRANSCRIPT_FORMAT = coreRescore.LIVENESS_TRANSCRIPT_FORMAT;

async function embedArtifact(engine: ServerFaceEngine, bundle: EvidenceBundle, artifact: EvidenceArtifact | undefined, allowSeveral: boolean) {
  if (artifact === undefined) return { status: 'absent' as const };
  const bytes = bundle.artifacts.get(artifact.id);
  const pixels = bytes === undefined ? null : decodeArtifact(artifact, bytes);
  if (pixels === null) return { status: 'undecodable' as const };
  return engine.embedBestFace(pixels, { allowSeveral });
}

/** The session configuration as core's re-scoring reads it. */
export function rescoreConfigOf(config: SessionConfig): coreRescore.RescoreConfig {
  const { thresholds } = config;
  return {
    acceptedDocuments: config.acceptedDocuments, acceptedCountries: config.acceptedCountries, faceMatch: thresholds.faceMatch, faceContinuity: thresholds.faceContinuity,
    minimumAge: thresholds.minimumAge, clientDisagreement: thresholds.clientDisagreement, livenessChallengeCount: config.livenessChallengeCount,
  };
}

export async function rescoreBundle(bundle: EvidenceBundle, options: {
  config: SessionConfig;
  face: ServerFaceEngine | null;
  policy?: risk.RiskPolicy;
  referenceDate: Date;
}): Promise<RescoreResult> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  let faces: coreRescore.FaceEmbeddings | null = null;
  let selfieEmbedding: Float32Array | null = null;
  if (options.face !== null) {
    const roles = coreRescore.faceArtifacts(bundle.manifest);
    const documentFace = await embedArtifact(options.face, bundle, roles.document, true);
    const selfie = await embedArtifact(options.face, bundle, roles.selfie, false);
    if (selfie.status === 'ok') selfieEmbedding = selfie.embedding;
    const keyframes = new Map<string, coreRescore.FaceOutcome>();
    if (roles.keyframes.length >= 2) {
      for (const keyframe of roles.keyframes) keyframes.set(keyframe.id, await embedArtifact(options.face, bundle, keyframe, false));
    }
    faces = { document: documentFace, selfie, keyframes };
  }
  timings.faces = performance.now() - t;
  t = performance.now();
  const config = rescoreConfigOf(options.config);
  const result = await coreRescore.rescoreEvidence(bundle, { config, referenceDate: options.referenceDate, faces, ...(options.policy ? { policy: options.policy } : {}) });
  const licence = rescoreLicence(bundle, result, config, options.referenceDate, options.policy);
  timings.scoring = performance.now() - t;
  if (licence === null) return { decision: result.decision, document: result.document, checks: result.checks, licence: null, timings, selfieEmbedding };
  // The licence number (certain only) and state key duplicate detection as an MRZ document's do.
  const document = { ...result.document, documentNumber: licence.findings.documentNumber, issuingState: licence.findings.facts.issuingState };
  return { decision: licence.decision, document, checks: licence.checks, licence: licence.findings, timings, selfieEmbedding };
}
