/**
 * Synthetic signal streams for tests and evaluation: a neutral face with seeded noise, and a
 * performer that reacts to the engine's prompts the way a person does (a reaction delay, then the
 * movement's profile). Pure and deterministic for a given seed.
 */
import type { ChallengeKind } from './challenges.ts';
import type { LivenessEngine, LivenessStep } from './engine.ts';
import type { FaceSignals, LivenessFrame } from './frame.ts';
import { mulberry32 } from '../random.ts';

/** The seeded PRNG of test noise: core's one mulberry32. */
export const seededRandom = mulberry32;

export const NEUTRAL_FACE: FaceSignals = {
  eyeOpennessLeft: 0.32,
  eyeOpennessRight: 0.31,
  smile: 0.62,
  yaw: 1,
  pitch: 3,
  roll: 0.5,
  box: { x: 0.36, y: 0.24, width: 0.28, height: 0.38 },
  distance: 0.13,
};

/** Offsets a movement applies to the neutral face at `dt` ms after it started. */
export type Movement = (dt: number) => Partial<Pick<FaceSignals, 'eyeOpennessLeft' | 'eyeOpennessRight' | 'smile' | 'yaw' | 'pitch'>> | null;

function ramp(dt: number, rise: number, hold: number, fall: number): number {
  if (dt < 0) return 0;
  if (dt < rise) return dt / rise;
  if (dt < rise + hold) return 1;
  if (dt < rise + hold + fall) return 1 - (dt - rise - hold) / fall;
  return 0;
}

/** Movement profiles of an ordinary response (durations from typical blink / smile / turn timing). */
export const MOVEMENTS: Readonly<Record<ChallengeKind, { readonly movement: Movement; readonly durationMs: number }>> = {
  blink: {
    durationMs: 300,
    movement: (dt) => {
      const k = ramp(dt, 80, 80, 120);
      return { eyeOpennessLeft: NEUTRAL_FACE.eyeOpennessLeft * (1 - 0.75 * k), eyeOpennessRight: NEUTRAL_FACE.eyeOpennessRight * (1 - 0.75 * k) };
    },
  },
  smile: { durationMs: 1600, movement: (dt) => ({ smile: NEUTRAL_FACE.smile + 0.14 * ramp(dt, 250, 900, 400) }) },
  turn_left: { durationMs: 1500, movement: (dt) => ({ yaw: NEUTRAL_FACE.yaw + 28 * ramp(dt, 450, 500, 500) }) },
  turn_right: { durationMs: 1500, movement: (dt) => ({ yaw: NEUTRAL_FACE.yaw - 28 * ramp(dt, 450, 500, 500) }) },
};

export interface PerformerOptions {
  readonly seed?: number;
  /** Delay between a prompt and the start of the movement. */
  readonly reactionMs?: number;
  /** Which movement to perform for a prompt (default: the one asked); null performs nothing. */
  readonly respond?: (asked: ChallengeKind, attempt: number) => ChallengeKind | null;
  /** Noise amplitude (EAR units; yaw gets 40x in degrees). */
  readonly noise?: number;
  /** Frames per second. */
  readonly fps?: number;
  /** Per-frame override (two faces, no face, darkness...). */
  readonly override?: (t: number, frame: LivenessFrame) => LivenessFrame;
}

/** Runs an engine against a reacting synthetic person until it ends or `limitMs` passes. */
export function perform(engine: LivenessEngine, options: PerformerOptions = {}, limitMs = 40_000): LivenessStep[] {
  const random = seededRandom(options.seed ?? 1);
  const noise = options.noise ?? 0.004;
  const interval = 1000 / (options.fps ?? 30);
  const reaction = options.reactionMs ?? 450;
  const steps: LivenessStep[] = [];
  let prompt = null as { key: string; at: number; kind: ChallengeKind | null } | null;
  let last = null as LivenessStep | null;
  for (let t = 1000; t < 1000 + limitMs; t += interval) {
    const challenge = last?.challenge;
    if (challenge && challenge.state === 'active') {
      const key = `${challenge.index}/${challenge.attempt}`;
      if (prompt?.key !== key) prompt = { key, at: t, kind: options.respond ? options.respond(challenge.kind, challenge.attempt) : challenge.kind };
    }
    const jitter = (scale: number): number => (random() * 2 - 1) * scale;
    let face: FaceSignals = {
      ...NEUTRAL_FACE,
      eyeOpennessLeft: NEUTRAL_FACE.eyeOpennessLeft + jitter(noise),
      eyeOpennessRight: NEUTRAL_FACE.eyeOpennessRight + jitter(noise),
      smile: NEUTRAL_FACE.smile + jitter(noise),
      yaw: NEUTRAL_FACE.yaw + jitter(noise * 40),
      pitch: NEUTRAL_FACE.pitch + jitter(noise * 40),
    };
    if (prompt?.kind) {
      const offsets = MOVEMENTS[prompt.kind].movement(t - prompt.at - reaction);
      if (offsets) face = { ...face, ...offsets };
    }
    let frame: LivenessFrame = { t, faceCount: 1, brightness: 0.5, face };
    if (options.override) frame = options.override(t, frame);
    last = engine.push(frame);
    steps.push(last);
    if (last.state === 'passed' || last.state === 'failed' || last.state === 'timed_out') break;
  }
  return steps;
}

/** A synthetic face's expression and pose, for landmark-level tests. */
export interface SyntheticPose {
  /** Degrees, same conventions as signals.ts. */
  readonly yaw?: number;
  readonly pitch?: number;
  readonly roll?: number;
  /** Pixels per model unit (the model's eyes are 90 units apart). */
  readonly scale?: number;
  readonly cx?: number;
  readonly cy?: number;
  /** 0 open .. 1 closed. */
  readonly eyeClosure?: number;
  /** 0 neutral .. 1 full smile (corners out and up). */
  readonly smile?: number;
}

/**
 * A 478-point mesh with the MediaPipe indices signals.ts reads placed on a rough 3-D face (units
 * about a millimetre, x toward the image right, y down, z away from the camera), the other points
 * on the face oval; rotated (yaw about y, pitch about x, roll in the image plane) and projected
 * orthographically.
 */
export function syntheticMesh(pose: SyntheticPose = {}): Float64Array {
  const closure = pose.eyeClosure ?? 0;
  const smile = pose.smile ?? 0;
  const model = new Float64Array(478 * 3);
  for (let i = 0; i < 478; i++) {
    const a = (i / 478) * 2 * Math.PI;
    model.set([62 * Math.cos(a), 88 * Math.sin(a), 25], i * 3);
  }
  const open = 5 * (1 - closure);
  const set = (i: number, x: number, y: number, z: number): void => model.set([x, y, z], i * 3);
  set(33, -45, -30, 12); set(133, -15, -30, 6); set(160, -37, -30 - open, 4); set(158, -23, -30 - open, 3); set(144, -37, -30 + open, 4); set(153, -23, -30 + open, 3);
  set(263, 45, -30, 12); set(362, 15, -30, 6); set(387, 37, -30 - open, 4); set(385, 23, -30 - open, 3); set(373, 37, -30 + open, 4); set(380, 23, -30 + open, 3);
  // The rest of each eye's contour on the same lids (the eyelid animation reads it), corner to corner.
  const lid = (ids: readonly number[], from: number, to: number, sign: number): void =>
    ids.forEach((id, k) => {
      const x = from + ((to - from) * (k + 1)) / (ids.length + 1);
      set(id, x, -30 + sign * open * Math.sqrt(Math.max(0, 1 - ((Math.abs(x) - 30) / 15) ** 2)) * 1.13, 4);
    });
  for (const [ids, from, to, sign] of [
    [[246, 161, 159, 157, 173], -45, -15, -1], [[7, 163, 145, 154, 155], -45, -15, 1],
    [[466, 388, 386, 384, 398], 45, 15, -1], [[249, 390, 374, 381, 382], 45, 15, 1],
  ] as const) lid(ids, from, to, sign);
  set(61, -25 - 4 * smile, 45 - 6 * smile, 6); set(291, 25 + 4 * smile, 45 - 6 * smile, 6); set(13, 0, 41, -4); set(14, 0, 49, -4);
  set(1, 0, 8, -30); set(10, 0, -85, 8); set(152, 0, 85, 8);
  const rad = Math.PI / 180;
  const [sy, cy] = [Math.sin((pose.yaw ?? 0) * rad), Math.cos((pose.yaw ?? 0) * rad)];
  const [sp, cp] = [Math.sin((pose.pitch ?? 0) * rad), Math.cos((pose.pitch ?? 0) * rad)];
  const [sr, cr] = [Math.sin((pose.roll ?? 0) * rad), Math.cos((pose.roll ?? 0) * rad)];
  const scale = pose.scale ?? 1;
  const out = new Float64Array(478 * 3);
  for (let i = 0; i < 478; i++) {
    let x = model[i * 3]!;
    let y = model[i * 3 + 1]!;
    let z = model[i * 3 + 2]!;
    [x, z] = [x * cy - z * sy, z * cy + x * sy];
    [y, z] = [y * cp - z * sp, z * cp + y * sp];
    [x, y] = [x * cr - y * sr, x * sr + y * cr];
    out.set([x * scale + (pose.cx ?? 320), y * scale + (pose.cy ?? 240), z * scale], i * 3);
  }
  return out;
}
