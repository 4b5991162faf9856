/**
 * Per-frame liveness signals from the 468/478-point face mesh (MediaPipe topology; with the
 * attention model the eye and lip points are the refined ones). Points are x, y, z triples in frame
 * pixels on the unmirrored frame; z is the mesh's depth (larger = farther from the camera), on
 * roughly the scale of x.
 *
 * Every signal except the box and distance is a ratio of distances on the face or an angle, so it
 * does not change when a photo is slid, scaled or rotated in the image plane: a rigidly moved
 * photo cannot blink or smile (tested in signals.test.ts).
 */
import { EkycError } from '../errors.ts';
import type { FaceSignals } from './frame.ts';

/** Mesh indices used here. Names are the subject's own sides (subject's right eye = image left). */
export const MESH = {
  rightEye: { outer: 33, inner: 133, upper: [160, 158] as const, lower: [144, 153] as const },
  leftEye: { outer: 263, inner: 362, upper: [385, 387] as const, lower: [380, 373] as const },
  mouth: { right: 61, left: 291, upperLip: 13, lowerLip: 14 },
  forehead: 10,
  chin: 152,
  noseTip: 1,
} as const;

export interface Vec3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

function point(points: ArrayLike<number>, index: number): Vec3 {
  return { x: points[index * 3]!, y: points[index * 3 + 1]!, z: points[index * 3 + 2]! };
}

const dist2 = (a: Vec3, b: Vec3): number => Math.hypot(a.x - b.x, a.y - b.y);
const sub = (a: Vec3, b: Vec3): Vec3 => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });
const mid = (a: Vec3, b: Vec3): Vec3 => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, z: (a.z + b.z) / 2 });
const cross = (a: Vec3, b: Vec3): Vec3 => ({ x: a.y * b.z - a.z * b.y, y: a.z * b.x - a.x * b.z, z: a.x * b.y - a.y * b.x });
const DEG = 180 / Math.PI;

function eyeAspectRatio(points: ArrayLike<number>, eye: (typeof MESH)['rightEye'] | (typeof MESH)['leftEye']): number {
  const width = dist2(point(points, eye.outer), point(points, eye.inner));
  if (!(width > 0)) return 0;
  const open = dist2(point(points, eye.upper[0]), point(points, eye.lower[0])) + dist2(point(points, eye.upper[1]), point(points, eye.lower[1]));
  return open / (2 * width);
}

export interface HeadAngles {
  readonly yaw: number;
  readonly pitch: number;
  readonly roll: number;
}

/**
 * Head angles in degrees from the mesh's own 3-D points: the face plane's normal is the eye line
 * (subject's right to left outer corner) crossed with the forehead-to-chin line. Yaw grows when
 * the subject turns to their own left (their left eye goes back), pitch when the chin goes down,
 * roll is the eye line's angle on the image (clockwise positive, y down).
 */
export function headAngles(points: ArrayLike<number>): HeadAngles {
  const eyeLine = sub(point(points, MESH.leftEye.outer), point(points, MESH.rightEye.outer));
  const vertical = sub(point(points, MESH.chin), point(points, MESH.forehead));
  const n = cross(eyeLine, vertical);
  const roll = Math.atan2(eyeLine.y, eyeLine.x);
  // The normal in the face's upright frame (roll removed), so an in-plane rotation moves roll only.
  const nx = n.x * Math.cos(roll) + n.y * Math.sin(roll);
  const ny = -n.x * Math.sin(roll) + n.y * Math.cos(roll);
  return { yaw: Math.atan2(-nx, n.z) * DEG, pitch: Math.atan2(-ny, n.z) * DEG, roll: roll * DEG };
}

/**
 * Smile: mouth width over the outer eye-corner distance, plus the corners' lift above the lip
 * centre in the same unit, measured along the face's own vertical (roll removed).
 */
export function smileScore(points: ArrayLike<number>): number {
  const r = point(points, MESH.rightEye.outer);
  const l = point(points, MESH.leftEye.outer);
  const eyes = dist2(r, l);
  if (!(eyes > 0)) return 0;
  const ux = (l.x - r.x) / eyes;
  const uy = (l.y - r.y) / eyes;
  const mouthR = point(points, MESH.mouth.right);
  const mouthL = point(points, MESH.mouth.left);
  const centre = mid(point(points, MESH.mouth.upperLip), point(points, MESH.mouth.lowerLip));
  const corners = mid(mouthR, mouthL);
  // Face-down axis is the eye line turned +90 degrees: (-uy, ux).
  const lift = (centre.x - corners.x) * -uy + (centre.y - corners.y) * ux;
  return dist2(mouthR, mouthL) / eyes + lift / eyes;
}

export interface FrameSize {
  readonly width: number;
  readonly height: number;
}

/** All signals of one face for the engine. `points` holds at least 468 x, y, z triples. */
export function faceSignalsFromLandmarks(points: ArrayLike<number>, frame: FrameSize): FaceSignals {
  if (!points || points.length < 468 * 3 || points.length % 3 !== 0) {
    throw new EkycError('invalid_argument', 'Face landmarks are 468 or 478 x, y, z triples', { details: { length: points?.length ?? 0 } });
  }
  if (!(frame.width > 0 && frame.height > 0)) throw new EkycError('invalid_argument', 'The frame size must be positive', { details: { ...frame } });
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < 468 * 3; i += 3) {
    const x = points[i]!;
    const y = points[i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(points[i + 2]!)) {
      throw new EkycError('invalid_argument', 'Face landmarks must be finite', { details: { index: i / 3 } });
    }
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const angles = headAngles(points);
  const rightCentre = mid(point(points, MESH.rightEye.outer), point(points, MESH.rightEye.inner));
  const leftCentre = mid(point(points, MESH.leftEye.outer), point(points, MESH.leftEye.inner));
  return {
    eyeOpennessLeft: eyeAspectRatio(points, MESH.leftEye),
    eyeOpennessRight: eyeAspectRatio(points, MESH.rightEye),
    smile: smileScore(points),
    yaw: angles.yaw,
    pitch: angles.pitch,
    roll: angles.roll,
    box: { x: minX / frame.width, y: minY / frame.height, width: (maxX - minX) / frame.width, height: (maxY - minY) / frame.height },
    distance: dist2(rightCentre, leftCentre) / frame.width,
  };
}

/** Mean luma (BT.601) of an RGBA frame, 0..1, over a grid of about `samples` pixels. */
export function meanBrightness(rgba: ArrayLike<number>, width: number, height: number, samples = 4096): number {
  if (!(width > 0 && height > 0) || rgba.length < width * height * 4) {
    throw new EkycError('invalid_frame', 'The RGBA buffer does not match its size', { details: { width, height, length: rgba.length } });
  }
  const step = Math.max(1, Math.floor(Math.sqrt((width * height) / samples)));
  let sum = 0;
  let n = 0;
  for (let y = step >> 1; y < height; y += step) {
    for (let x = step >> 1; x < width; x += step) {
      const i = (y * width + x) * 4;
      sum += 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
      n++;
    }
  }
  return sum / n / 255;
}
