/**
 * A liveness session in the evidence bundle: the manifest's `liveness` member (per-challenge
 * summary plus the full transcript the verifier replays) and one artifact per keyframe. Keyframes
 * travel as raw RGBA (`application/octet-stream`, width x height x 4 bytes; the verifier decodes
 * that form): the artifact's SHA-256 is then exactly the hash the transcript recorded for the
 * keyframe, so the transcript and the pixels tie without re-encoding.
 */
import type { ArtifactInput } from '../evidence/artifacts.ts';
import type { EvidenceLiveness, EvidenceLivenessChallenge } from '../evidence/schema.ts';
import { EkycError } from '../errors.ts';
import { sha256Hex } from '../hash.ts';
import type { RgbaImage } from '../image/rgba.ts';
import type { ChallengeAttempt, KeyframeRole, LivenessTranscript } from './engine.ts';
import type { SignalColumn } from './frame.ts';

export interface KeyframeImage {
  readonly role: KeyframeRole;
  /** The keyframe's time as the transcript records it (whole ms). */
  readonly t: number;
  readonly image: RgbaImage;
}

export interface LivenessEvidenceInput {
  /** The verifier's session nonce (the order was drawn from it); recorded as the challenge seed. */
  readonly nonce: string;
  readonly transcript: LivenessTranscript;
  readonly keyframes: readonly KeyframeImage[];
  /** Epoch ms at transcript time 0 (`performance.timeOrigin` when times are `performance.now()`). */
  readonly timeOrigin: number;
}

export interface LivenessEvidence {
  readonly liveness: EvidenceLiveness;
  /** One `liveness_keyframe` artifact per transcript keyframe, in the transcript's order. */
  readonly artifacts: ArtifactInput[];
}

/** Per-challenge summary columns and their names in the manifest. */
const SUMMARY: ReadonlyArray<readonly [string, (c: Record<SignalColumn, (number | null)[]>, i: number) => number | null]> = [
  ['eye', (c, i) => (c.eyeL[i] === null || c.eyeR[i] === null ? null : Math.max(c.eyeL[i]!, c.eyeR[i]!))],
  ['smile', (c, i) => c.smile[i] ?? null],
  ['yaw', (c, i) => c.yaw[i] ?? null],
];

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

function challengeSummary(transcript: LivenessTranscript, attempt: ChallengeAttempt, order: number, keyframeIds: string[], iso: (t: number) => string): EvidenceLivenessChallenge {
  const end = attempt.endedAt ?? transcript.frames.t[transcript.frames.t.length - 1] ?? attempt.activatedAt;
  const indices: number[] = [];
  transcript.frames.t.forEach((t, i) => {
    if (t >= attempt.activatedAt && t <= end) indices.push(i);
  });
  const signals: EvidenceLivenessChallenge['signals'] = {};
  for (const [name, read] of SUMMARY) {
    const values = indices.map((i) => read(transcript.frames.signals, i)).filter((v): v is number => v !== null);
    if (values.length) signals[name] = { min: Math.min(...values), max: Math.max(...values), mean: round3(values.reduce((s, v) => s + v, 0) / values.length) };
  }
  return {
    order,
    kind: attempt.kind,
    status: attempt.state === 'active' ? 'aborted' : attempt.state,
    issuedAt: iso(attempt.activatedAt),
    completedAt: iso(end),
    frames: indices.length,
    signals,
    keyframeArtifactIds: keyframeIds,
  };
}

/**
 * The manifest member and keyframe artifacts of one liveness session. Throws `invalid_argument`
 * when a transcript keyframe has no image, or its image does not hash to the recorded SHA-256.
 */
export async function livenessEvidence(input: LivenessEvidenceInput): Promise<LivenessEvidence> {
  const { transcript } = input;
  if (!Number.isFinite(input.timeOrigin)) throw new EkycError('invalid_argument', 'timeOrigin must be epoch milliseconds');
  const iso = (t: number): string => new Date(Math.round(input.timeOrigin + t)).toISOString();
  const artifacts: ArtifactInput[] = [];
  const idsByRole = new Map<string, string[]>();
  for (const [k, keyframe] of transcript.keyframes.entries()) {
    const image = input.keyframes.find((f) => f.role === keyframe.role && f.t === keyframe.t)?.image;
    if (!image) throw new EkycError('invalid_argument', 'A transcript keyframe has no image', { details: { role: keyframe.role, t: keyframe.t } });
    const bytes = new Uint8Array(image.data.buffer as ArrayBuffer, image.data.byteOffset, image.data.byteLength);
    const sha256 = await sha256Hex(bytes);
    if (keyframe.sha256 !== sha256) throw new EkycError('invalid_argument', 'A keyframe image does not match the hash in the transcript', { details: { role: keyframe.role, t: keyframe.t } });
    const id = `liveness-keyframe-${k}-${keyframe.role.replace(/_/g, '-')}`;
    artifacts.push({ id, kind: 'liveness_keyframe', mediaType: 'application/octet-stream', data: new Uint8Array(bytes), width: image.width, height: image.height, capturedAt: iso(keyframe.t) });
    idsByRole.set(`${keyframe.role}@${keyframe.t}`, [id]);
  }
  // One entry per challenge asked: its last attempt (a failed try that was retried stays in the
  // transcript; the summary says how the challenge ended, as the verifier compares it). An attempt's
  // keyframe is the one taken at its heldAt.
  const last = new Map<number, ChallengeAttempt>();
  for (const attempt of transcript.attempts) last.set(attempt.index, attempt);
  const challenges = [...last.values()].map((attempt) =>
    challengeSummary(transcript, attempt, attempt.index, attempt.heldAt === null ? [] : (idsByRole.get(`${attempt.kind}@${attempt.heldAt}`) ?? []), iso));
  return {
    // A JSON-plain copy: the manifest's type is the schema's (mutable arrays), and the bundle must not share the caller's objects.
    liveness: { challengeSeed: input.nonce, challenges, passiveScore: null, transcript: JSON.parse(JSON.stringify(transcript)) as NonNullable<EvidenceLiveness['transcript']> },
    artifacts,
  };
}
