/**
 * Liveness challenges as data. One engine (engine.ts) walks these definitions; adding a challenge
 * means adding a row here, not a code path.
 *
 * Every threshold is relative to the neutral baseline taken before the first challenge, so a
 * person whose eyes are narrow, or who sits slightly turned, is judged on their own change.
 * An "excursion" is how far a frame's signal has moved from the baseline in the challenge's
 * direction: `direction * (value / baseline - 1)` for ratio signals, `direction * (value - baseline)`
 * for difference signals. `enter` starts the response; the excursion must then stay at or above
 * `exit` (hysteresis: noise around `enter` cannot toggle the state) for `holdMs`; a challenge with
 * `requireReturn` passes only when the excursion falls back to `exit` or below (a blink is a close
 * and a re-open). `conflicts` are challenges whose own response during this one fails it (turning
 * the wrong way).
 *
 * Directions follow the convention of docs/liveness.md: on the unmirrored frame, `turn_left` is the
 * user's own left, the nose moves toward the image's right, and yaw grows.
 */

export const CHALLENGE_KINDS = ['blink', 'smile', 'turn_left', 'turn_right'] as const;
export type ChallengeKind = (typeof CHALLENGE_KINDS)[number];

/** Per-frame signals a challenge can be judged on (see signals.ts for how they are measured). */
export type ChallengeSignal = 'eyeOpenness' | 'smile' | 'yaw';

export interface ChallengeDefinition {
  readonly kind: ChallengeKind;
  readonly signal: ChallengeSignal;
  /** `ratio`: value / baseline - 1; `difference`: value - baseline (units of the signal). */
  readonly scale: 'ratio' | 'difference';
  /** +1 when the response raises the signal, -1 when it lowers it. */
  readonly direction: 1 | -1;
  /** Excursion that starts the response. */
  readonly enter: number;
  /** Excursion below which an engaged response is released (hysteresis), and the rest band. */
  readonly exit: number;
  /** How long the excursion must stay at or above `exit` after `enter`. */
  readonly holdMs: number;
  /** Passes only after the excursion comes back to `exit` or below. */
  readonly requireReturn: boolean;
  readonly conflicts: readonly ChallengeKind[];
}

/**
 * Default thresholds. Blink: the more open eye at <= 55% of its baseline aspect ratio (refined
 * mesh eyes measured 0.30-0.35 open, 0.04-0.13 closed: a closed eye is at <= 40% of open), then back
 * above 80%. Smile: mouth width / eye-corner distance plus corner lift up by 0.08 (docs/liveness.md).
 * Turns: 10 degrees from the baseline yaw, released under 5: the mesh's depth-based yaw reads 0.4-0.7
 * of a turn (generated 30-degree turns read 11-21), so 10 asks for a turn of roughly 15-25 degrees.
 */
export const CHALLENGES: Readonly<Record<ChallengeKind, ChallengeDefinition>> = {
  blink: { kind: 'blink', signal: 'eyeOpenness', scale: 'ratio', direction: -1, enter: 0.45, exit: 0.2, holdMs: 0, requireReturn: true, conflicts: [] },
  smile: { kind: 'smile', signal: 'smile', scale: 'difference', direction: 1, enter: 0.08, exit: 0.04, holdMs: 200, requireReturn: false, conflicts: [] },
  turn_left: { kind: 'turn_left', signal: 'yaw', scale: 'difference', direction: 1, enter: 10, exit: 5, holdMs: 150, requireReturn: false, conflicts: ['turn_right'] },
  turn_right: { kind: 'turn_right', signal: 'yaw', scale: 'difference', direction: -1, enter: 10, exit: 5, holdMs: 150, requireReturn: false, conflicts: ['turn_left'] },
};

export function isChallengeKind(value: unknown): value is ChallengeKind {
  return typeof value === 'string' && (CHALLENGE_KINDS as readonly string[]).includes(value);
}
