/**
 * The liveness transcript as a zod schema: validation before replay, the TypeScript shape the
 * engine writes, and the `liveness.transcript` member of the evidence bundle.
 */
import { z } from 'zod';
import { CHALLENGE_KINDS } from './challenges.ts';
import { SIGNAL_COLUMNS } from './frame.ts';

// Strict CSP (no 'unsafe-eval'): zod must not compile validators with `new Function`.
z.config({ jitless: true });

/** Caps keep a hostile transcript from costing the verifier unbounded time: 30 fps for 10 minutes. */
export const MAX_TRANSCRIPT_FRAMES = 18_000;

const kind = z.enum(CHALLENGE_KINDS);
const finite = z.number().refine(Number.isFinite, 'finite number');
const ms = finite;
const nullableMs = ms.nullable();
const reason = z.enum(['too_early', 'too_late', 'window_elapsed', 'wrong_response', 'face_multiple', 'frame_gap', 'baseline_timeout']);
const state = z.enum(['waiting', 'active', 'passed', 'failed', 'timed_out']);
const attemptState = z.enum(['active', 'passed', 'failed', 'timed_out']);

const definition = z.strictObject({
  kind,
  signal: z.enum(['eyeOpenness', 'smile', 'yaw']),
  scale: z.enum(['ratio', 'difference']),
  direction: z.union([z.literal(1), z.literal(-1)]),
  enter: finite,
  exit: finite,
  holdMs: finite,
  requireReturn: z.boolean(),
  conflicts: z.array(kind).max(CHALLENGE_KINDS.length),
});

export const livenessConfigSchema = z.strictObject({
  challengeCount: z.number().int(),
  challengeWindowMs: finite,
  minLatencyMs: finite,
  maxLatencyMs: finite,
  maxRetries: z.number().int(),
  minFrameIntervalMs: finite,
  maxFrameGapMs: finite,
  baseline: z.strictObject({ minFrames: z.number().int(), durationMs: finite, timeoutMs: finite, maxYaw: finite, maxPitch: finite, minEyeOpenness: finite }),
  framing: z.strictObject({
    oval: z.strictObject({ cx: finite, cy: finite, rx: finite, ry: finite }),
    minDistance: finite,
    maxDistance: finite,
    minBrightness: finite,
    maxMotion: finite,
  }),
  challenges: z.strictObject({ blink: definition, smile: definition, turn_left: definition, turn_right: definition }),
});

const column = z.array(finite.nullable()).max(MAX_TRANSCRIPT_FRAMES);
const signalColumns = z.strictObject(Object.fromEntries(SIGNAL_COLUMNS.map((c) => [c, column])) as Record<(typeof SIGNAL_COLUMNS)[number], typeof column>);
const signalValues = z.strictObject(Object.fromEntries(SIGNAL_COLUMNS.map((c) => [c, finite])) as Record<(typeof SIGNAL_COLUMNS)[number], typeof finite>);

export const livenessTranscriptSchema = z.strictObject({
  format: z.literal('ekyc-liveness-transcript'),
  version: z.literal(1),
  config: livenessConfigSchema,
  sequence: z.strictObject({ source: z.enum(['nonce', 'explicit']), order: z.array(kind).min(1).max(CHALLENGE_KINDS.length) }),
  frames: z.strictObject({
    t: z.array(ms).max(MAX_TRANSCRIPT_FRAMES),
    faceCount: z.array(z.number().int().nonnegative()).max(MAX_TRANSCRIPT_FRAMES),
    brightness: z.array(finite).max(MAX_TRANSCRIPT_FRAMES),
    signals: signalColumns,
  }),
  baseline: z
    .strictObject({ startedAt: ms, completedAt: ms, frames: z.number().int().nonnegative(), eyeOpenness: finite, smile: finite, yaw: finite, pitch: finite })
    .nullable(),
  attempts: z
    .array(
      z.strictObject({
        kind,
        index: z.number().int().nonnegative(),
        attempt: z.number().int().nonnegative(),
        state: attemptState,
        activatedAt: ms,
        armedAt: nullableMs,
        onsetAt: nullableMs,
        heldAt: nullableMs,
        passedAt: nullableMs,
        endedAt: nullableMs,
        reason: reason.nullable(),
        peak: finite,
      }),
    )
    .max(64),
  keyframes: z
    .array(
      z.strictObject({
        role: z.union([z.literal('neutral'), kind]),
        t: ms,
        sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
        landmarks: z.array(finite).max(478 * 3).nullable(),
        signals: signalValues,
      }),
    )
    .max(64),
  result: z.strictObject({ state, reason: reason.nullable(), passed: z.array(kind).max(CHALLENGE_KINDS.length), completedAt: nullableMs }),
});
