/**
 * Re-scoring in the browser: the face models run here through the workers' FaceClient
 * (fr-detect + fr-landmark68 + fr-feature on onnxruntime-web, in a worker) on every face-bearing
 * image (for the overlays), and core's `rescore.rescoreEvidence` (the very function the reference
 * verifier runs after its own model runs) does the rest: MRZ, the flow's document checks, the
 * liveness transcript judged again with the session nonce, continuity, each recorded check
 * compared within core's tolerances, and the risk routing. A driving licence (no MRZ, its printed
 * fields in `ekyc.licence.read`) is re-checked with core's `rescore.rescoreLicence`, as the verifier
 * re-checks it.
 */
import { face as coreFace, liveness, rescore as coreRescore, risk, type EvidenceArtifact, type EvidenceBundle, type MrzReadResult } from '@ekyc/core';
import type { FaceClient } from '@ekyc/workers';

export const RESCORE_TOLERANCE = coreRescore.RESCORE_TOLERANCE;
export type RescoredCheck = coreRescore.RescoredCheck;

export interface FaceFinding {
  artifactId: string;
  faces: coreFace.FaceDetection[];
  /** The face that would be embedded (index into faces), when one could be used. */
  chosen: number | null;
  /** Set on the two images the face match compares. */
  matchRole: 'document' | 'selfie' | null;
}

/** A driving licence's printed fields as the device sent them, and the document checks run on the certain ones here. */
export interface LicenceReport {
  read: coreRescore.LicenceRead;
  /** The facts the checks were given: only the certain fields. */
  facts: coreRescore.LicenceFindings['facts'];
  /** The failure codes found here, and those the device recorded (`document.checks` details.issues). */
  codes: string[];
  recordedCodes: string[] | null;
}

export interface RescoreReport {
  checks: RescoredCheck[];
  /** Null for an MRZ document or a bundle without a licence reading. */
  licence: LicenceReport | null;
  mrz: MrzReadResult | null;
  documentChecks: string[] | null;
  judgement: liveness.LivenessJudgement | null;
  judgementError: string | null;
  faces: Map<string, FaceFinding>;
  similarity: number | null;
  continuityMinimum: number | null;
  risk: risk.RiskDecision;
  /** Which configuration the routing used: the session's own (from the verifier), one typed in the page (for a file), or the verifier's default. */
  configSource: 'session' | 'typed' | 'default';
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

/** A session configuration as the verifier returns it (GET /audit/sessions/:id/evidence), read as core's re-scoring reads it. */
export function rescoreConfigFrom(config: Record<string, unknown> | null): coreRescore.RescoreConfig | null {
  if (config === null) return null;
  const thresholds = config['thresholds'] as Record<string, unknown> | undefined;
  const num = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
  const base = coreRescore.DEFAULT_RESCORE_CONFIG;
  return {
    acceptedDocuments: Array.isArray(config['acceptedDocuments']) ? config['acceptedDocuments'] as coreRescore.RescoreConfig['acceptedDocuments'] : base.acceptedDocuments,
    acceptedCountries: Array.isArray(config['acceptedCountries']) ? config['acceptedCountries'] as string[] : base.acceptedCountries,
    faceMatch: num(thresholds?.['faceMatch'], base.faceMatch),
    faceContinuity: num(thresholds?.['faceContinuity'], base.faceContinuity),
    minimumAge: num(thresholds?.['minimumAge'], base.minimumAge),
    clientDisagreement: num(thresholds?.['clientDisagreement'], base.clientDisagreement),
    livenessChallengeCount: num(config['livenessChallengeCount'], base.livenessChallengeCount),
  };
}

export interface RescoreOptions {
  /** Signals the verifier's deployment does not run (its VERIFIER_RISK_OPTIONAL_SIGNALS): left out of the risk score, as there. */
  optionalSignals?: readonly risk.RiskSignalName[];
  /** The session's own configuration (from the verifier), or one typed in the page; else the verifier's default. */
  config?: coreRescore.RescoreConfig | null;
  /** Where `config` came from (default: `session` when given). */
  configSource?: 'session' | 'typed';
  /** When the evidence arrived (from the verifier); else the session end. Expiry and age are judged on this day. */
  referenceDate?: Date | null;
}

export async function rescoreInBrowser(bundle: EvidenceBundle, faceClient: FaceClient | null, options: RescoreOptions = {}): Promise<RescoreReport> {
  const { manifest } = bundle;
  const timings: Record<string, number> = {};

  // Faces: every image with a face-bearing kind, detected and embedded in the face worker.
  let t = performance.now();
  const faces = new Map<string, FaceFinding>();
  const outcomes = new Map<string, coreRescore.FaceOutcome>();
  const faceKinds = new Set(['portrait', 'document_crop', 'face_crop', 'liveness_keyframe']);
  if (faceClient !== null) {
    for (const artifact of manifest.artifacts) {
      if (!faceKinds.has(artifact.kind)) continue;
      const bytes = bundle.artifacts.get(artifact.id);
      const image = bytes === undefined ? null : await decodeArtifactImage(artifact, bytes);
      if (image === null) {
        outcomes.set(artifact.id, { status: 'undecodable' });
        continue;
      }
      const found = await faceClient.embedAll(frameOf(image));
      // Several faces are allowed on the document (its ghost image), as the verifier allows them.
      const several = artifact.kind === 'portrait' || artifact.kind === 'document_crop';
      let chosen: number | null = null;
      if (found.length === 1 || (several && found.length > 1)) {
        chosen = found.reduce((best, entry, index) => (entry.face.score > found[best]!.face.score ? index : best), 0);
        outcomes.set(artifact.id, { status: 'ok', embedding: found[chosen]!.embedding });
      } else {
        outcomes.set(artifact.id, { status: found.length === 0 ? 'face_not_found' : 'face_multiple' });
      }
      faces.set(artifact.id, { artifactId: artifact.id, faces: found.map((entry) => entry.face), chosen, matchRole: null });
    }
  }
  const roles = coreRescore.faceArtifacts(manifest);
  const mark = (artifact: EvidenceArtifact | undefined, role: 'document' | 'selfie'): void => {
    const finding = artifact === undefined ? undefined : faces.get(artifact.id);
    if (finding !== undefined) finding.matchRole = role;
  };
  mark(roles.document, 'document');
  mark(roles.selfie, 'selfie');
  const outcomeOf = (artifact: EvidenceArtifact | undefined): coreRescore.FaceOutcome => (artifact === undefined ? { status: 'absent' } : outcomes.get(artifact.id) ?? { status: 'undecodable' });
  const embeddings: coreRescore.FaceEmbeddings | null = faceClient === null ? null : {
    document: outcomeOf(roles.document),
    selfie: outcomeOf(roles.selfie),
    keyframes: new Map(roles.keyframes.map((keyframe) => [keyframe.id, outcomeOf(keyframe)])),
  };
  timings['face'] = performance.now() - t;

  // Everything else: core's re-scoring, as the verifier runs it.
  t = performance.now();
  const config = options.config ?? null;
  const rescoreConfig = config ?? coreRescore.DEFAULT_RESCORE_CONFIG;
  const referenceDate = options.referenceDate ?? new Date(manifest.session.completedAt);
  const policy = { ...risk.DEFAULT_RISK_POLICY, optional: options.optionalSignals ?? [] };
  const result = await coreRescore.rescoreEvidence(bundle, { config: rescoreConfig, referenceDate, faces: embeddings, policy });
  // A licence: its checks on the printed fields replace the document signals, as on the verifier.
  const licence = coreRescore.rescoreLicence(bundle, result, rescoreConfig, referenceDate, policy);
  timings['scoring'] = performance.now() - t;
  const links = result.continuity?.links ?? [];
  const recorded = manifest.checks.find((check) => check.kind === 'document.checks');
  return {
    checks: licence?.checks ?? result.checks,
    licence: licence && {
      read: licence.read, facts: licence.findings.facts, codes: [...licence.findings.codes],
      recordedCodes: recorded === undefined ? null : String(recorded.details['issues'] ?? '').split(',').filter(Boolean),
    },
    mrz: result.document.mrz, documentChecks: licence ? [...licence.findings.codes] : result.document.documentChecks, judgement: result.judgement, judgementError: result.judgementError,
    faces, similarity: result.similarity, continuityMinimum: links.length > 0 ? Math.min(...links.map((link) => link.similarity)) : null,
    risk: licence?.decision ?? result.decision, configSource: config === null ? 'default' : options.configSource ?? 'session', timings,
  };
}
