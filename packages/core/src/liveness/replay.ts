/**
 * Replay and injection signals. Each is a scored measurement with its risk (0 looks live, 1 looks
 * like a replay or an injected stream). None blocks a session on its own: they are not validated
 * on real attacks (docs/liveness.md gives what was measured), so they are reported for the risk
 * engine and the reviewer, and `blocking` is always false.
 */
import type { LivenessSeries } from './engine.ts';

export type ReplaySignalId = 'static_image' | 'frame_timing' | 'virtual_camera' | 'face_continuity' | 'portrait_match' | 'screen_flicker' | 'screen_moire' | 'fr_liveness';

export interface ReplaySignal {
  readonly id: ReplaySignalId;
  /** The measurement (units per signal, see each function); null when it could not be measured. */
  readonly value: number | null;
  /** 0..1. */
  readonly risk: number;
  /** risk >= 0.5. */
  readonly flagged: boolean;
  readonly blocking: false;
  /** Whether the signal's meaning was validated on real attacks. None is yet. */
  readonly validated: false;
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

function signal(id: ReplaySignalId, value: number | null, risk: number): ReplaySignal {
  const r = Math.round(clamp01(risk) * 1000) / 1000;
  return { id, value, risk: r, flagged: r >= 0.5, blocking: false, validated: false };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Micro-motion: the 90th percentile of frame-to-frame change of the non-rigid signals (eye
 * openness and smile; ratios, so sliding a photo does not create any). A still image fed as a
 * camera still changes the landmarks a little (the tracker's crop follows its own output), so the
 * scale comes from measurement: generated static clips read 0.002-0.010 and animated ones
 * 0.019-0.043 (docs/liveness.md). Risk 1 up to 0.008, 0 from 0.02.
 */
export function staticImageSignal(series: LivenessSeries): ReplaySignal {
  const { eyeL, eyeR, smile } = series.signals;
  const changes: number[] = [];
  for (let i = 1; i < eyeL.length; i++) {
    const a = [eyeL[i - 1], eyeR[i - 1], smile[i - 1]];
    const b = [eyeL[i], eyeR[i], smile[i]];
    if (a.some((v) => v === null) || b.some((v) => v === null)) continue;
    changes.push(Math.max(...b.map((v, k) => Math.abs(v! - a[k]!))));
  }
  if (changes.length < 5) return signal('static_image', null, 0);
  const value = quantile(changes, 0.9);
  return signal('static_image', value, (0.02 - value) / 0.012);
}

/**
 * Frame timing: coefficient of variation of the intervals between frame timestamps (pass every
 * frame's time, not only the kept ones, where available). A camera has a few ms of jitter; a
 * synthetic stream can be exact (too regular, CV < 0.005) and a stitched one stalls (CV > 0.5).
 */
export function frameTimingSignal(timestamps: readonly number[]): ReplaySignal {
  if (timestamps.length < 10) return signal('frame_timing', null, 0);
  const intervals: number[] = [];
  for (let i = 1; i < timestamps.length; i++) intervals.push(timestamps[i]! - timestamps[i - 1]!);
  const mean = intervals.reduce((s, v) => s + v, 0) / intervals.length;
  if (!(mean > 0)) return signal('frame_timing', null, 1);
  const sd = Math.sqrt(intervals.reduce((s, v) => s + (v - mean) ** 2, 0) / intervals.length);
  const cv = sd / mean;
  const risk = cv < 0.005 ? 0.6 : cv > 0.5 ? Math.min(1, 0.5 + (cv - 0.5)) : 0;
  return signal('frame_timing', Math.round(cv * 1e4) / 1e4, risk);
}

/**
 * Virtual cameras by device label (seed 004's list plus common ones). Chromium's own fake device
 * (used by this project's tests) is on the list: a test run is an injected stream. Its generated
 * pattern is labelled `fake_device_0`; fed a file (`--use-file-for-fake-video-capture`), the track
 * is labelled with the file's path, so a label ending in a format that flag plays (y4m, mjpeg) is a
 * file played as a camera. A browser launched with such flags can also rename the track: the label
 * catches tools, not a determined attacker.
 */
export const VIRTUAL_CAMERA_PATTERNS: readonly RegExp[] = [
  /\bOBS\b/i, /manycam/i, /snap camera/i, /xsplit/i, /camtwist/i, /e2esoft|vcam/i, /splitcam/i, /\bNDI\b/i,
  /mmhmm/i, /droidcam/i, /ivcam/i, /epoccam/i, /youcam/i, /camo\b/i, /virtual/i, /fake/i, /webcamoid/i, /v4l2loopback|dummy video/i,
  /\.(y4m|mjpe?g)$/i,
];

export function virtualCameraSignal(label: string | null | undefined): ReplaySignal {
  if (label === null || label === undefined || label === '') return signal('virtual_camera', null, 0);
  const hit = VIRTUAL_CAMERA_PATTERNS.some((p) => p.test(label));
  return signal('virtual_camera', hit ? 1 : 0, hit ? 1 : 0);
}

/**
 * Continuity: the lowest cosine between the session's reference face and each keyframe's face
 * (FaceContinuity.check over the keyframes). Risk 1 below the threshold: 0.4 by default, above every
 * impostor pair measured for fr-feature (0.366) and below turned, smiling keyframes of one person
 * (generated clips went down to 0.496).
 */
export function faceContinuitySignal(minimumSimilarity: number | null, threshold = 0.4): ReplaySignal {
  if (minimumSimilarity === null) return signal('face_continuity', null, 0);
  return signal('face_continuity', minimumSimilarity, minimumSimilarity < threshold ? 1 : 0);
}

/** The selfie against the document portrait (face match cosine and its bands). */
export function portraitMatchSignal(cosine: number | null, bands = { approve: 0.5, review: 0.35 }): ReplaySignal {
  if (cosine === null) return signal('portrait_match', null, 0);
  return signal('portrait_match', cosine, cosine >= bands.approve ? 0 : cosine >= bands.review ? 0.5 : 1);
}

/**
 * Screen flicker: a screen filmed by a camera beats with its refresh, so the frame brightness
 * alternates. Value: RMS of the second difference of the brightness series over its mean (slow
 * lighting changes cancel out). Risk 1 from 0.02 (2% frame-to-frame alternation) up.
 */
export function screenFlickerSignal(brightness: readonly number[]): ReplaySignal {
  if (brightness.length < 10) return signal('screen_flicker', null, 0);
  const mean = brightness.reduce((s, v) => s + v, 0) / brightness.length;
  if (!(mean > 0)) return signal('screen_flicker', null, 0);
  let sum = 0;
  for (let i = 2; i < brightness.length; i++) sum += (brightness[i]! - 2 * brightness[i - 1]! + brightness[i - 2]!) ** 2;
  const value = Math.sqrt(sum / (brightness.length - 2)) / mean;
  return signal('screen_flicker', Math.round(value * 1e4) / 1e4, value / 0.02);
}

/**
 * Screen moiré: the median `moireScore` (moire.ts) over the keyframes' faces, log10 of the strongest
 * high-frequency component over the median one. Risk 0 up to `clear`, 0.5 (flagged) at `flagged`, 1 at
 * twice that step. Set on 6 faces (`eval:liveness --moire`): their frames as a camera gives them,
 * turned or JPEG-compressed, read 0.55-1.44; filmed off a simulated screen (testkit
 * simulateScreenReplay), 1.74-3.00 but for an axis-aligned screen at exactly 2 camera pixels per
 * screen pixel (pattern at Nyquist, 1.22-1.46). No real screen replay was available (docs/liveness.md).
 */
export const MOIRE_SCALE = { clear: 1.45, flagged: 1.6 } as const;

export function screenMoireSignal(value: number | null): ReplaySignal {
  if (value === null) return signal('screen_moire', null, 0);
  return signal('screen_moire', value, 0.5 * (value - MOIRE_SCALE.clear) / (MOIRE_SCALE.flagged - MOIRE_SCALE.clear));
}

/** The experimental fr-liveness class-1 score (docs/face.md: class meanings not established). */
export function frLivenessSignal(liveScore: number | null): ReplaySignal {
  if (liveScore === null) return signal('fr_liveness', null, 0);
  return signal('fr_liveness', liveScore, 1 - liveScore);
}

export interface ReplayInputs {
  readonly series: LivenessSeries;
  /** Every frame's timestamp, before downsampling (defaults to the series'). */
  readonly timestamps?: readonly number[];
  readonly cameraLabel?: string | null;
  readonly continuityMinimum?: number | null;
  readonly portraitCosine?: number | null;
  readonly frLivenessScore?: number | null;
  /** Median moiré score of the keyframes' faces (`moireScore`). */
  readonly moire?: number | null;
}

export function assessReplaySignals(input: ReplayInputs): ReplaySignal[] {
  return [
    staticImageSignal(input.series),
    frameTimingSignal(input.timestamps ?? input.series.t),
    virtualCameraSignal(input.cameraLabel),
    faceContinuitySignal(input.continuityMinimum ?? null),
    portraitMatchSignal(input.portraitCosine ?? null),
    screenFlickerSignal(input.series.brightness),
    screenMoireSignal(input.moire ?? null),
    frLivenessSignal(input.frLivenessScore ?? null),
  ];
}
