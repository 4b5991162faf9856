import type { liveness, RgbaImage } from '@ekyc/core';
import { createRandom } from './random.ts';
import { animateFace, NEUTRAL_POSE, type FacePose } from './face-animation.ts';

/**
 * Scripts of generated liveness clips: when each challenge is performed and how it moves, plus a
 * slow natural sway, as a pose per time. Deterministic for a seed.
 */

type ChallengeKind = liveness.ChallengeKind;

export interface ClipScript {
  readonly fps: number;
  /** Neutral time before the first action (the engine takes its baseline here). */
  readonly leadMs: number;
  /** Pause between the end of one action and the start of the next. */
  readonly gapMs: number;
  readonly performs: readonly ChallengeKind[];
  /** Amplitude of the slow sway (pixels); 0 for a locked-off photo. */
  readonly swayPx: number;
  readonly seed: number;
}

export const DEFAULT_CLIP: Omit<ClipScript, 'performs' | 'seed'> = { fps: 20, leadMs: 1500, gapMs: 900, swayPx: 1.5 };

/** Rise, hold and fall of each movement (ms) and its full amplitude. */
export const ACTION_PROFILES: Readonly<Record<ChallengeKind, { rise: number; hold: number; fall: number }>> = {
  blink: { rise: 90, hold: 120, fall: 120 },
  smile: { rise: 300, hold: 1000, fall: 400 },
  turn_left: { rise: 500, hold: 600, fall: 500 },
  turn_right: { rise: 500, hold: 600, fall: 500 },
};
// People asked to turn their head turn it 30-45 degrees; the mesh reads 13.8-28.2 degrees of an animated 30-degree turn (docs/liveness.md).
const TURN_DEGREES = 30;

/** Width (px) the clips' warp fields are sized for: the face of a selfie composed for a clip. */
export const CLIP_FACE_WIDTH = 210;

/**
 * The script of a generated clip performing `performs` (DEFAULT_CLIP's timing). `still`: a photo held
 * still (the printed-photo attack), no sway; `leadMs`: neutral time before the first action (a camera run
 * needs longer than the default, its baseline starts with the first tracked frame).
 */
export function clipScript(performs: readonly ChallengeKind[], seed: number, options: { leadMs?: number; still?: boolean } = {}): ClipScript {
  return { ...DEFAULT_CLIP, performs, seed, swayPx: options.still ? 0 : DEFAULT_CLIP.swayPx, leadMs: options.leadMs ?? DEFAULT_CLIP.leadMs };
}

/** How many frames `script` lasts. */
export function clipFrameCount(script: ClipScript): number {
  return Math.round((clipDuration(script) * script.fps) / 1000);
}

/**
 * Frame `i` of `script` performed by the face of `photo` (its landmarks `mesh`, as the face tracker gives
 * them): poses are a function of time, so any frame can be made alone. `still`: the neutral photo throughout.
 */
export function clipFrame(photo: RgbaImage, mesh: ArrayLike<number>, script: ClipScript, i: number, still = false): RgbaImage {
  return animateFace(photo, mesh, still ? NEUTRAL_POSE : poseAt(script, (i * 1000) / script.fps), CLIP_FACE_WIDTH);
}

export function actionDuration(kind: ChallengeKind): number {
  const p = ACTION_PROFILES[kind];
  return p.rise + p.hold + p.fall;
}

export function clipDuration(script: ClipScript): number {
  return script.leadMs + script.performs.reduce((sum, kind) => sum + actionDuration(kind) + script.gapMs, 0) + 500;
}

function envelope(dt: number, p: { rise: number; hold: number; fall: number }): number {
  if (dt < 0) return 0;
  if (dt < p.rise) return 0.5 - 0.5 * Math.cos((Math.PI * dt) / p.rise);
  if (dt < p.rise + p.hold) return 1;
  if (dt < p.rise + p.hold + p.fall) return 0.5 + 0.5 * Math.cos((Math.PI * (dt - p.rise - p.hold)) / p.fall);
  return 0;
}

/** The pose at time `t` (ms from the clip start). */
export function poseAt(script: ClipScript, t: number): FacePose {
  let eyeClosure = 0;
  let smile = 0;
  let yaw = 0;
  let start = script.leadMs;
  for (const kind of script.performs) {
    const k = envelope(t - start, ACTION_PROFILES[kind]);
    if (kind === 'blink') eyeClosure = Math.max(eyeClosure, k);
    else if (kind === 'smile') smile = Math.max(smile, k);
    else yaw += (kind === 'turn_left' ? 1 : -1) * TURN_DEGREES * k;
    start += actionDuration(kind) + script.gapMs;
  }
  // Slow sway from a few seeded sinusoids: a live head is never still.
  const random = createRandom(script.seed);
  const [f1, f2, p1, p2] = [random.range(0.3, 0.7), random.range(0.2, 0.5), random.range(0, 2 * Math.PI), random.range(0, 2 * Math.PI)];
  const s = t / 1000;
  return {
    eyeClosure,
    smile,
    yaw: yaw + script.swayPx * 0.4 * Math.sin(2 * Math.PI * f2 * s + p1),
    dx: script.swayPx * Math.sin(2 * Math.PI * f1 * s + p1),
    dy: script.swayPx * 0.7 * Math.sin(2 * Math.PI * f2 * s + p2),
  };
}
