import { EkycError } from '../errors.ts';

/** Signals of the one face being judged, measured on the unmirrored frame (signals.ts). */
export interface FaceSignals {
  /** Eye aspect ratio of the user's own left / right eye (image right / left). */
  readonly eyeOpennessLeft: number;
  readonly eyeOpennessRight: number;
  /** Mouth width over eye-corner distance plus corner lift (signals.ts). */
  readonly smile: number;
  /** Degrees. Yaw grows when the user turns to their own left (nose toward the image's right). */
  readonly yaw: number;
  /** Degrees, positive when the chin goes down. */
  readonly pitch: number;
  /** Degrees of the eye line from horizontal, clockwise on the image. */
  readonly roll: number;
  /** Face box normalised to the frame (0..1). */
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** Inter-ocular distance (eye centres) over frame width. */
  readonly distance: number;
}

/** One camera frame as the engine sees it: no pixels, only measurements. */
export interface LivenessFrame {
  /** Milliseconds on a monotonic clock (performance.now() or the video frame's time). */
  readonly t: number;
  readonly faceCount: number;
  /** Signals of the face when exactly one was found (ignored otherwise). */
  readonly face?: FaceSignals;
  /** Mean luma of the frame, 0..1. */
  readonly brightness: number;
}

/** The series columns recorded per frame in a transcript, in this order. */
export const SIGNAL_COLUMNS = ['eyeL', 'eyeR', 'smile', 'yaw', 'pitch', 'roll', 'boxX', 'boxY', 'boxW', 'boxH', 'distance'] as const;
export type SignalColumn = (typeof SIGNAL_COLUMNS)[number];

/** Decimal places kept per column: below the landmark noise (docs/liveness.md), so nothing judged is lost. */
const DECIMALS: Readonly<Record<SignalColumn | 'brightness', number>> = {
  eyeL: 3, eyeR: 3, smile: 3, yaw: 1, pitch: 1, roll: 1, boxX: 3, boxY: 3, boxW: 3, boxH: 3, distance: 3, brightness: 3,
};

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  return rounded === 0 ? 0 : rounded; // no -0 in JSON round trips
}

function finite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new EkycError('invalid_frame', `Liveness frame field ${name} must be a finite number`, { details: { field: name } });
  }
  return value;
}

/**
 * Validates a frame and rounds it to what a transcript records, so the engine decides on exactly
 * the values the verifier will replay. Rounding twice gives the same value.
 */
export function quantizeFrame(frame: LivenessFrame): LivenessFrame {
  if (frame === null || typeof frame !== 'object') throw new EkycError('invalid_frame', 'A liveness frame must be an object');
  const t = Math.round(finite('t', frame.t));
  const faceCount = finite('faceCount', frame.faceCount);
  if (!Number.isInteger(faceCount) || faceCount < 0) throw new EkycError('invalid_frame', 'faceCount must be a non-negative integer', { details: { faceCount } });
  const brightness = round(finite('brightness', frame.brightness), DECIMALS.brightness);
  // Only a frame with exactly one face is judged on its signals; others keep their count only,
  // exactly as a transcript records them.
  if (faceCount !== 1) return { t, faceCount, brightness };
  if (!frame.face) throw new EkycError('invalid_frame', 'A frame with one face must carry its signals', { details: { faceCount } });
  const f = frame.face;
  const face: FaceSignals = {
    eyeOpennessLeft: round(finite('eyeOpennessLeft', f.eyeOpennessLeft), DECIMALS.eyeL),
    eyeOpennessRight: round(finite('eyeOpennessRight', f.eyeOpennessRight), DECIMALS.eyeR),
    smile: round(finite('smile', f.smile), DECIMALS.smile),
    yaw: round(finite('yaw', f.yaw), DECIMALS.yaw),
    pitch: round(finite('pitch', f.pitch), DECIMALS.pitch),
    roll: round(finite('roll', f.roll), DECIMALS.roll),
    box: {
      x: round(finite('box.x', f.box?.x), DECIMALS.boxX),
      y: round(finite('box.y', f.box?.y), DECIMALS.boxY),
      width: round(finite('box.width', f.box?.width), DECIMALS.boxW),
      height: round(finite('box.height', f.box?.height), DECIMALS.boxH),
    },
    distance: round(finite('distance', f.distance), DECIMALS.distance),
  };
  return { t, faceCount, brightness, face };
}

export function frameColumns(frame: LivenessFrame): Record<SignalColumn, number> | undefined {
  const f = frame.face;
  if (!f) return undefined;
  return {
    eyeL: f.eyeOpennessLeft, eyeR: f.eyeOpennessRight, smile: f.smile, yaw: f.yaw, pitch: f.pitch, roll: f.roll,
    boxX: f.box.x, boxY: f.box.y, boxW: f.box.width, boxH: f.box.height, distance: f.distance,
  };
}

export function frameFromColumns(t: number, faceCount: number, brightness: number, c: Readonly<Record<SignalColumn, number>> | undefined): LivenessFrame {
  if (!c) return { t, faceCount, brightness };
  return {
    t, faceCount, brightness,
    face: {
      eyeOpennessLeft: c.eyeL, eyeOpennessRight: c.eyeR, smile: c.smile, yaw: c.yaw, pitch: c.pitch, roll: c.roll,
      box: { x: c.boxX, y: c.boxY, width: c.boxW, height: c.boxH }, distance: c.distance,
    },
  };
}
