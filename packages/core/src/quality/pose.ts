import { homographyFromPoints } from './geometry.ts';
import type { Quad } from './types.ts';

/** Width / height of the ICAO 9303 formats: ID-1 (85.6 x 53.98 mm), ID-2 (105 x 74 mm), ID-3 (125 x 88 mm). */
export const DOCUMENT_ASPECTS = Object.freeze({ id1: 85.6 / 53.98, id2: 105 / 74, id3: 125 / 88 });

export interface PoseEstimate {
  /** Angle between the document plane and the image plane, degrees. */
  tiltDeg: number;
  /** The focal length (px) the quad is best explained with. */
  focalPx: number;
  /** The document's width / height, as the quad rectified with that focal length shows it. */
  aspect: number;
}

export interface PoseOptions {
  /** Aspect ratios (width / height) a document may have; the quad picks the nearest. */
  aspects?: readonly number[];
  /** Focal lengths searched, as fractions of the frame's longer side. */
  minFocalFraction?: number;
  maxFocalFraction?: number;
}

const UNIT_SQUARE = [
  { x: 0, y: 0 },
  { x: 1, y: 0 },
  { x: 1, y: 1 },
  { x: 0, y: 1 },
] as const;

/** Focal lengths tried between the bounds, evenly in log scale: 24 coarse steps (9%), then 8 fine ones each way around the best (1%). */
const COARSE_STEPS = 24;
const FINE_STEPS = 8;

/**
 * Tilt of a rectangular document from its quad alone, without a guessed focal length. A pinhole
 * camera centred in the frame maps the document rectangle by H = K [r1 r2 t]; for the right focal
 * length f, the columns of K^-1 H are orthogonal (the rectangle's corners are right angles) and their
 * lengths are in the document's aspect ratio (ID-1, ID-2 or ID-3). Both are measured for every focal
 * length in a range (coarse, then fine around the best) and the one that fits both best is kept; the tilt follows from the plane normal
 * r1 x r2. When the quad has little perspective, f is weakly determined, but then so is the tilt's
 * dependence on it.
 */
export function estimatePose(quad: Quad, frameWidth: number, frameHeight: number, options: PoseOptions = {}): PoseEstimate {
  const aspects = options.aspects ?? Object.values(DOCUMENT_ASPECTS);
  const longSide = Math.max(frameWidth, frameHeight);
  const minF = (options.minFocalFraction ?? 0.35) * longSide;
  const maxF = (options.maxFocalFraction ?? 3) * longSide;
  const cx = frameWidth / 2;
  const cy = frameHeight / 2;
  const h = homographyFromPoints(UNIT_SQUARE, quad.map((p) => ({ x: p.x - cx, y: p.y - cy })));
  if (!h) return { tiltDeg: 90, focalPx: minF, aspect: 1 };
  const logFormats = aspects.map(Math.log);
  // The fit of one focal length: squared cosine of the rectified corner angle plus squared log-distance of
  // the rectified aspect to the nearest format (either way up: a document held in portrait).
  const fit = (f: number): { cost: number; aspect: number } => {
    const a0 = h[0] / f, a1 = h[3] / f, a2 = h[6];
    const b0 = h[1] / f, b1 = h[4] / f, b2 = h[7];
    const la = Math.sqrt(a0 * a0 + a1 * a1 + a2 * a2);
    const lb = Math.sqrt(b0 * b0 + b1 * b1 + b2 * b2);
    const cosine = (a0 * b0 + a1 * b1 + a2 * b2) / (la * lb);
    const logAspect = Math.abs(Math.log(la / lb));
    let aspectError = Infinity;
    for (const r of logFormats) aspectError = Math.min(aspectError, Math.abs(logAspect - Math.abs(r)));
    return { cost: cosine * cosine + aspectError * aspectError, aspect: la / lb };
  };
  // Coarse steps over the range, then fine steps around the best one.
  const ratio = maxF / minF;
  let bestK = 0;
  let best = { cost: Infinity, focalPx: minF, aspect: 1 };
  for (let k = 0; k <= COARSE_STEPS; k++) {
    const f = minF * ratio ** (k / COARSE_STEPS);
    const r = fit(f);
    if (r.cost < best.cost) {
      best = { cost: r.cost, focalPx: f, aspect: r.aspect };
      bestK = k;
    }
  }
  for (let k = -FINE_STEPS; k <= FINE_STEPS; k++) {
    const f = minF * ratio ** ((bestK + k / FINE_STEPS) / COARSE_STEPS);
    if (f < minF || f > maxF) continue;
    const r = fit(f);
    if (r.cost < best.cost) best = { cost: r.cost, focalPx: f, aspect: r.aspect };
  }
  return { tiltDeg: tiltFromHomography(h, best.focalPx), focalPx: best.focalPx, aspect: best.aspect };
}

/** The angle of the plane normal r1 x r2 (the columns of K^-1 H) to the optical axis, degrees. */
function tiltFromHomography(h: readonly number[], f: number): number {
  const unit = (v: readonly [number, number, number]): [number, number, number] => {
    const n = Math.hypot(v[0], v[1], v[2]);
    return [v[0] / n, v[1] / n, v[2] / n];
  };
  const r1 = unit([h[0]! / f, h[3]! / f, h[6]!]);
  const r2 = unit([h[1]! / f, h[4]! / f, h[7]!]);
  const normal = [r1[1] * r2[2] - r1[2] * r2[1], r1[2] * r2[0] - r1[0] * r2[2], r1[0] * r2[1] - r1[1] * r2[0]] as const;
  const cos = Math.abs(normal[2]) / Math.hypot(normal[0], normal[1], normal[2]);
  return (Math.acos(Math.min(1, cos)) * 180) / Math.PI;
}
