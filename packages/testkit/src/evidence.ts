/**
 * A realistic, deterministic evidence input for tests, benchmarks, e2e pages and the verifier's
 * own tests: the shape of a complete session with seeded pseudo-random artifact bytes.
 * Contains no personal data. No DOM: importable from Node tests as `@ekyc/testkit/evidence`.
 */
import { EventChain, type ArtifactInput, type EvidenceArtifactKind, type EvidenceInput, type EvidenceLiveness } from '@ekyc/core';

export interface SampleEvidenceOptions {
  sessionId: string;
  nonce: string;
  /** Session start; every later timestamp advances from it in fixed steps. */
  startedAt: Date;
  /** Byte sizes of the artifacts (document crop, portrait, then keyframes). */
  artifactBytes?: readonly number[];
  seed?: number;
  eventCount?: number;
  /**
   * A real liveness session (core `liveness.livenessEvidence`, e.g. of a `LivenessCapture` outcome):
   * its manifest member (with the transcript) and raw-RGBA keyframe artifacts replace the sample's
   * seeded keyframes and summary. Its times must lie after `startedAt`; the session's completion
   * moves past the latest of them.
   */
  liveness?: { liveness: EvidenceLiveness; artifacts: readonly ArtifactInput[] };
}

/** xorshift32: a small seeded generator so fixtures are reproducible. */
function seededBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let state = seed >>> 0 || 0x9e3779b9;
  for (let index = 0; index < length; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[index] = state & 0xff;
  }
  return out;
}

export async function createSampleEvidenceInput(options: SampleEvidenceOptions): Promise<EvidenceInput> {
  const seed = options.seed ?? 1;
  const stepMs = 250;
  let tick = 0;
  const at = (): Date => new Date(options.startedAt.getTime() + stepMs * ++tick);
  const iso = (): string => at().toISOString();
  const events = new EventChain(options.sessionId, options.nonce, at);
  await events.append('session.started', { backend: 'wasm' });
  const consentAt = iso();
  await events.append('consent.granted', { textVersion: '2024-06' });

  const sizes = options.artifactBytes ?? [24_000, 12_000, 6_000, 6_000];
  const kinds: EvidenceArtifactKind[] = ['document_crop', 'portrait'];
  const artifacts: ArtifactInput[] = (options.liveness ? sizes.slice(0, kinds.length) : sizes).map((bytes, index) => {
    const kind = kinds[index] ?? 'liveness_keyframe';
    return {
      id: `${kind}-${index}`,
      kind,
      mediaType: 'image/jpeg',
      data: seededBytes(bytes, seed * 7919 + index),
      width: 640,
      height: 400,
      capturedAt: iso(),
    };
  });
  if (options.liveness) artifacts.push(...options.liveness.artifacts);
  for (const artifact of artifacts) await events.append('artifact.captured', { artifactId: artifact.id, kind: artifact.kind });
  const extraEvents = options.eventCount ?? 6;
  for (let index = 0; index < extraEvents; index += 1) {
    await events.append('quality.frame', { frame: index, sharpness: ((seed * 31 + index * 17) % 100) / 100, glare: false });
  }
  const challengeIssued = iso();
  const challengeDone = iso();
  await events.append('liveness.completed', { challenges: 2, passed: true });
  const keyframes = artifacts.filter((artifact) => artifact.kind === 'liveness_keyframe').map((artifact) => artifact.id);
  let completedAt = iso();
  if (options.liveness) {
    const times = [...options.liveness.liveness.challenges.map((c) => c.completedAt), ...options.liveness.artifacts.map((a) => a.capturedAt)].map(Date.parse);
    const latest = Math.max(Date.parse(completedAt), ...times);
    completedAt = new Date(latest).toISOString();
  }

  return {
    sdkVersion: '0.1.0',
    session: { id: options.sessionId, nonce: options.nonce, startedAt: options.startedAt.toISOString(), completedAt },
    consent: {
      textId: 'kyc-consent', textVersion: '2024-06', textSha256: 'a'.repeat(64), locale: 'en-GB',
      scopes: ['identity_verification', 'biometric_match'], grantedAt: consentAt,
    },
    environment: {
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0', language: 'en-GB', platform: 'Linux',
      runtime: { requested: 'auto', chosen: 'wasm', reason: 'webgpu adapter unavailable', wasmThreads: 1 },
      camera: { label: 'Integrated Camera', width: 1280, height: 720, frameRate: 30, facingMode: 'user' },
      capabilities: {
        webgpu: false, wasmSimd: true, wasmThreads: true, crossOriginIsolated: true,
        offscreenCanvas: true, hardwareConcurrency: 2, deviceMemoryGb: 8,
      },
    },
    artifacts,
    checks: [
      { id: 'mrz', kind: 'mrz.check_digits', status: 'pass', score: 1, threshold: 1, errorCode: null, artifactIds: [artifacts[0]?.id ?? 'none'], details: { format: 'TD3' } },
      { id: 'face-match', kind: 'face.match', status: 'pass', score: 0.71 + (seed % 10) / 100, threshold: 0.4, errorCode: null, artifactIds: artifacts.slice(0, 2).map((a) => a.id), details: { model: 'fr-feature' } },
      { id: 'liveness', kind: 'liveness.active', status: !options.liveness || options.liveness.liveness.transcript?.result.state === 'passed' ? 'pass' : 'fail', score: null, threshold: null, errorCode: null, artifactIds: keyframes, details: {} },
    ],
    liveness: options.liveness?.liveness ?? {
      challengeSeed: `seed-${seed}`,
      challenges: [
        { order: 0, kind: 'turn_left', status: 'passed', issuedAt: challengeIssued, completedAt: challengeDone, frames: 41, signals: { yaw: { min: -2, max: 24, mean: 11.5 } }, keyframeArtifactIds: keyframes.slice(0, 1) },
        { order: 1, kind: 'blink', status: 'passed', issuedAt: challengeIssued, completedAt: challengeDone, frames: 27, signals: { ear: { min: 0.08, max: 0.33, mean: 0.27 } }, keyframeArtifactIds: keyframes.slice(1) },
      ],
      passiveScore: null,
    },
    models: [{ id: 'fr-feature', sha256: 'b'.repeat(64) }, { id: 'ppocr-rec', sha256: 'c'.repeat(64) }],
    timings: [{ phase: 'document', ms: 5400 }, { phase: 'liveness', ms: 8100 }, { phase: 'match', ms: 48.5 }],
    events,
  };
}
