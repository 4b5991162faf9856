import { EkycError } from '../errors.ts';
import { CHALLENGES, CHALLENGE_KINDS, type ChallengeDefinition, type ChallengeKind } from './challenges.ts';
import { assertChallengeCount } from './sequence.ts';

/** Where the face should be, in coordinates normalised to the frame (0..1 on both axes). */
export interface FramingLimits {
  /** The face box centre must lie inside this ellipse. */
  readonly oval: { readonly cx: number; readonly cy: number; readonly rx: number; readonly ry: number };
  /** Inter-ocular distance (eye centres) over frame width. */
  readonly minDistance: number;
  readonly maxDistance: number;
  /** Mean luma 0..1 below which the frame is too dark. */
  readonly minBrightness: number;
  /** Largest move of the face box centre between consecutive frames while the baseline is taken. */
  readonly maxMotion: number;
}

export interface BaselineLimits {
  /** Consecutive good frames, spanning at least `durationMs`, make the neutral baseline. */
  readonly minFrames: number;
  readonly durationMs: number;
  /** Without a baseline by then the session times out. */
  readonly timeoutMs: number;
  /** A neutral face looks at the camera: |yaw|, |pitch| at most these (degrees). */
  readonly maxYaw: number;
  readonly maxPitch: number;
  /** The more open eye's aspect ratio must be at least this (eyes open). */
  readonly minEyeOpenness: number;
}

export interface LivenessConfig {
  /** Number of challenges drawn from the nonce, 2-4. */
  readonly challengeCount: number;
  /** Time from a challenge's activation to its pass. */
  readonly challengeWindowMs: number;
  /** A response starting sooner than this after activation is anticipated, not a reaction: failed. */
  readonly minLatencyMs: number;
  /** A response starting later than this: timed out. */
  readonly maxLatencyMs: number;
  /** Failed or timed-out challenges that may be tried again, over the whole session. */
  readonly maxRetries: number;
  /** Frames closer than this to the previous kept frame are dropped before judging (downsampling). */
  readonly minFrameIntervalMs: number;
  /** A longer gap between kept frames during a challenge fails it (frames held back). */
  readonly maxFrameGapMs: number;
  readonly baseline: BaselineLimits;
  readonly framing: FramingLimits;
  /** Challenge definitions; defaults to CHALLENGES. Part of the config so the verifier judges with the same table. */
  readonly challenges: Readonly<Record<ChallengeKind, ChallengeDefinition>>;
}

export const DEFAULT_LIVENESS_CONFIG: LivenessConfig = {
  challengeCount: 3,
  challengeWindowMs: 6000,
  // Visual simple reaction times are ~200-250 ms; a response within 150 ms was under way before the prompt.
  minLatencyMs: 150,
  maxLatencyMs: 4000,
  maxRetries: 1,
  minFrameIntervalMs: 30,
  maxFrameGapMs: 500,
  // A phone held below the face reads 15-25 degrees of pitch on the mesh; challenges are judged relative to the baseline, so it need not be frontal.
  baseline: { minFrames: 8, durationMs: 600, timeoutMs: 15000, maxYaw: 20, maxPitch: 25, minEyeOpenness: 0.15 },
  framing: { oval: { cx: 0.5, cy: 0.45, rx: 0.14, ry: 0.16 }, minDistance: 0.09, maxDistance: 0.3, minBrightness: 0.18, maxMotion: 0.04 },
  challenges: CHALLENGES,
};

/** Merges a partial config onto the defaults (nested groups merged one level deep). */
export function livenessConfig(partial: Partial<LivenessConfig> = {}): LivenessConfig {
  const config: LivenessConfig = {
    ...DEFAULT_LIVENESS_CONFIG,
    ...partial,
    baseline: { ...DEFAULT_LIVENESS_CONFIG.baseline, ...partial.baseline },
    framing: { ...DEFAULT_LIVENESS_CONFIG.framing, ...partial.framing },
    challenges: { ...DEFAULT_LIVENESS_CONFIG.challenges, ...partial.challenges },
  };
  assertLivenessConfig(config);
  return config;
}

function bad(field: string, value: unknown): never {
  throw new EkycError('invalid_argument', `Liveness config field ${field} is out of range`, { details: { field, value: typeof value === 'number' ? value : String(value) } });
}

function nonNegative(field: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) bad(field, value);
}

export function assertLivenessConfig(config: LivenessConfig): void {
  assertChallengeCount(config.challengeCount);
  nonNegative('challengeWindowMs', config.challengeWindowMs);
  nonNegative('minLatencyMs', config.minLatencyMs);
  nonNegative('maxLatencyMs', config.maxLatencyMs);
  if (config.maxLatencyMs < config.minLatencyMs) bad('maxLatencyMs', config.maxLatencyMs);
  if (!Number.isInteger(config.maxRetries) || config.maxRetries < 0 || config.maxRetries > 10) bad('maxRetries', config.maxRetries);
  nonNegative('minFrameIntervalMs', config.minFrameIntervalMs);
  if (!(config.maxFrameGapMs > 0)) bad('maxFrameGapMs', config.maxFrameGapMs);
  if (!Number.isInteger(config.baseline.minFrames) || config.baseline.minFrames < 1) bad('baseline.minFrames', config.baseline.minFrames);
  nonNegative('baseline.durationMs', config.baseline.durationMs);
  if (!(config.baseline.timeoutMs > 0)) bad('baseline.timeoutMs', config.baseline.timeoutMs);
  const f = config.framing;
  if (!(f.oval.rx > 0 && f.oval.ry > 0)) bad('framing.oval', 'radius');
  if (!(f.minDistance >= 0 && f.maxDistance > f.minDistance)) bad('framing.maxDistance', f.maxDistance);
  for (const kind of CHALLENGE_KINDS) {
    const d = config.challenges[kind];
    if (!d || d.kind !== kind) bad(`challenges.${kind}`, 'missing');
    if (!(d.enter > d.exit && d.exit >= 0)) bad(`challenges.${kind}.exit`, d.exit);
    nonNegative(`challenges.${kind}.holdMs`, d.holdMs);
  }
}
