/**
 * The evidence bundle format, version 1. The zod schemas are the single source of truth:
 * the TypeScript types, runtime validation and the JSON Schema in docs/evidence.schema.json
 * all come from them. Objects are strict: an unknown field is a schema error, so anything a
 * verifier accepts is covered by the signature and understood by the verifier.
 */
import { z } from 'zod';
import { livenessTranscriptSchema } from '../liveness/transcript-schema.ts';

// Strict CSP (no 'unsafe-eval'): zod must not compile validators with `new Function`.
z.config({ jitless: true });

export const EVIDENCE_FORMAT = 'ekyc-evidence';
/** Bumped on any change a version-1 verifier would reject (see docs/evidence.md, Versioning). */
export const EVIDENCE_SCHEMA_VERSION = 1;

const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');
const isoTimeSchema = z.iso.datetime({ offset: false, precision: 3 });
const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'identifier: letters, digits, . _ : -');
const nonceSchema = z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'base64url nonce, 16 to 256 characters');
const shortText = z.string().max(512);
const scalarSchema = z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]);
/** Flat, PII-free key/value details; nested structures belong in their own schema. */
const detailsSchema = z.record(idSchema, scalarSchema);

export const sessionSchema = z.strictObject({
  id: idSchema,
  /** Issued by the verifier before the session; binds the bundle to one verification. */
  nonce: nonceSchema,
  startedAt: isoTimeSchema,
  completedAt: isoTimeSchema,
});

export const consentSchema = z.strictObject({
  /** Integrator's identifier and version of the consent text shown. */
  textId: idSchema,
  textVersion: z.string().min(1).max(64),
  /** SHA-256 of the exact UTF-8 text shown, so the text itself can stay on the server. */
  textSha256: sha256HexSchema,
  locale: z.string().min(2).max(35),
  scopes: z.array(idSchema).max(32),
  grantedAt: isoTimeSchema,
});

export const backendSchema = z.enum(['webgpu', 'wasm']);

export const environmentSchema = z.strictObject({
  userAgent: shortText,
  language: z.string().max(35),
  platform: shortText.optional(),
  runtime: z.strictObject({
    requested: z.enum(['auto', 'webgpu', 'wasm']),
    chosen: backendSchema,
    /** Why this backend was chosen (e.g. "webgpu adapter unavailable"). */
    reason: shortText,
    wasmThreads: z.number().int().min(1).max(64),
  }),
  camera: z.strictObject({
    label: shortText,
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    frameRate: z.number().positive().nullable(),
    facingMode: z.enum(['user', 'environment', 'unknown']),
  }).nullable(),
  capabilities: z.strictObject({
    webgpu: z.boolean(),
    wasmSimd: z.boolean(),
    wasmThreads: z.boolean(),
    crossOriginIsolated: z.boolean(),
    offscreenCanvas: z.boolean(),
    hardwareConcurrency: z.number().int().nonnegative(),
    deviceMemoryGb: z.number().nonnegative().nullable(),
  }),
});

export const artifactKindSchema = z.enum(['document_crop', 'document_back', 'portrait', 'liveness_keyframe', 'face_crop', 'other']);
export const artifactMediaTypeSchema = z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/json', 'application/octet-stream']);

/** An artifact's metadata; its bytes travel next to the manifest in the container. */
export const artifactSchema = z.strictObject({
  id: idSchema,
  kind: artifactKindSchema,
  mediaType: artifactMediaTypeSchema,
  bytes: z.number().int().nonnegative(),
  sha256: sha256HexSchema,
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
  capturedAt: isoTimeSchema,
});

export const checkStatusSchema = z.enum(['pass', 'fail', 'inconclusive', 'error']);

export const checkSchema = z.strictObject({
  id: idSchema,
  /** What was checked, e.g. "mrz.check_digits", "face.match", "liveness.active". */
  kind: idSchema,
  status: checkStatusSchema,
  score: z.number().nullable(),
  threshold: z.number().nullable(),
  /** EkycError code when status is "error" or a typed failure explains a "fail". */
  errorCode: idSchema.nullable(),
  /** Artifact ids this check looked at. */
  artifactIds: z.array(idSchema).max(64),
  details: detailsSchema,
});

const signalSummarySchema = z.strictObject({
  min: z.number(),
  max: z.number(),
  mean: z.number(),
});

export const livenessChallengeSchema = z.strictObject({
  order: z.number().int().nonnegative(),
  kind: idSchema,
  status: z.enum(['passed', 'failed', 'timed_out', 'aborted']),
  issuedAt: isoTimeSchema,
  completedAt: isoTimeSchema,
  frames: z.number().int().nonnegative(),
  /** Per-signal summary over the challenge's frames (e.g. yaw, ear, smile). */
  signals: z.record(idSchema, signalSummarySchema),
  keyframeArtifactIds: z.array(idSchema).max(64),
});

export const livenessSchema = z.strictObject({
  /** Seed or server value that decided the challenge order, so a replay can reproduce it. */
  challengeSeed: z.string().max(256),
  challenges: z.array(livenessChallengeSchema).max(32),
  passiveScore: z.number().nullable(),
  /** The engine's transcript (core/liveness), which the verifier replays with judgeTranscript. */
  transcript: livenessTranscriptSchema.optional(),
});

export const modelRefSchema = z.strictObject({
  id: idSchema,
  sha256: sha256HexSchema,
});

export const timingSchema = z.strictObject({
  phase: idSchema,
  ms: z.number().nonnegative(),
});

export const eventSchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  at: isoTimeSchema,
  type: idSchema,
  data: detailsSchema,
  /** sha256(JCS({ prev, event: { seq, at, type, data } })), see chain.ts. */
  hash: sha256HexSchema,
});

export const publicKeyJwkSchema = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  y: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/** Everything the session key signs. */
export const manifestSchema = z.strictObject({
  format: z.literal(EVIDENCE_FORMAT),
  schemaVersion: z.literal(EVIDENCE_SCHEMA_VERSION),
  sdkVersion: z.string().min(1).max(64),
  session: sessionSchema,
  consent: consentSchema,
  environment: environmentSchema,
  artifacts: z.array(artifactSchema).max(256),
  checks: z.array(checkSchema).max(256),
  liveness: livenessSchema.nullable(),
  models: z.array(modelRefSchema).max(64),
  timings: z.array(timingSchema).max(256),
  events: z.array(eventSchema).max(10_000),
  chain: z.strictObject({
    algorithm: z.literal('sha256-jcs-v1'),
    length: z.number().int().nonnegative(),
    head: sha256HexSchema,
  }),
  signer: z.strictObject({
    alg: z.literal('ES256'),
    publicKeyJwk: publicKeyJwkSchema,
  }),
});

/** The decrypted bundle: signed manifest, detached JWS over its JCS form, and the artifact bytes. */
export const bundleHeaderSchema = z.strictObject({
  manifest: manifestSchema,
  /** Compact JWS with detached payload ("header..signature"), payload = JCS(manifest). */
  signature: z.string().regex(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/),
});

export type EvidenceSession = z.infer<typeof sessionSchema>;
export type EvidenceConsent = z.infer<typeof consentSchema>;
export type EvidenceEnvironment = z.infer<typeof environmentSchema>;
export type EvidenceArtifact = z.infer<typeof artifactSchema>;
export type EvidenceArtifactKind = z.infer<typeof artifactKindSchema>;
export type EvidenceArtifactMediaType = z.infer<typeof artifactMediaTypeSchema>;
export type EvidenceCheck = z.infer<typeof checkSchema>;
export type EvidenceLiveness = z.infer<typeof livenessSchema>;
export type EvidenceLivenessChallenge = z.infer<typeof livenessChallengeSchema>;
export type EvidenceModelRef = z.infer<typeof modelRefSchema>;
export type EvidenceTiming = z.infer<typeof timingSchema>;
export type EvidenceEvent = z.infer<typeof eventSchema>;
export type EvidencePublicKeyJwk = z.infer<typeof publicKeyJwkSchema>;
export type EvidenceManifest = z.infer<typeof manifestSchema>;
export type EvidenceBundleHeader = z.infer<typeof bundleHeaderSchema>;
export type EvidenceDetails = z.infer<typeof detailsSchema>;

/** A decrypted, decoded bundle: header plus artifact bytes keyed by artifact id. */
export interface EvidenceBundle {
  manifest: EvidenceManifest;
  signature: string;
  artifacts: ReadonlyMap<string, Uint8Array>;
}

/** JSON Schema (draft 2020-12) of the bundle header, for docs and non-TypeScript verifiers. */
export function evidenceJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(bundleHeaderSchema) as Record<string, unknown>;
}
