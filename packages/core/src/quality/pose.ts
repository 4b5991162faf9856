import { homographyFromPoints, orderQuad } from './geometry.ts';
import type { Point, Quad } from './types.ts';

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
  /**
   * Weight of the aspect's fit against the right angles' (default 1). With little perspective the right
   * angles hold for any focal length, and the aspect alone picks one: a quad whose aspect is off the
   * format by a few percent (a side on a band's edge, a rounded corner cut) is then explained as a
   * tilt that foreshortens it (a 5% shorter side reads as 18 degrees). The tilt check weighs it less
   * (`TILT_ASPECT_WEIGHT` in the quality worker).
   */
  aspectWeight?: number;
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
  const aspectWeight = options.aspectWeight ?? 1;
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
    return { cost: cosine * cosine + aspectWeight * aspectError * aspectError, aspect: la / lb };
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

/** Least cosine, in the document's plane, between a side in view and the box's axis it runs along (14°). */
const MIN_AXIS_FIT = 0.97;

type Vec3 = [number, number, number];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const crossOf = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const scaled = (a: Vec3, k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
const plus = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const normalised = (a: Vec3): Vec3 => scaled(a, 1 / (Math.hypot(a[0], a[1], a[2]) || 1));

/**
 * The smallest document (a format's aspect, either way up) in the plane of `box` (a rectangle printed
 * on it: a portrait box, a field) that has `corner` as a corner, its sides running from there toward
 * `towardA` and `towardB` along the box's axes, and holds every point of `visible` (the part of it in
 * view): a document running off the frame, completed from the corner it shows. The plane is the box's
 * pose (`estimatePose`); its sides meet the box's vanishing points, so the quad's own pose is the box's.
 * `null` when the box gives no plane the points lie in front of, or the sides do not follow its axes.
 */
export function documentAroundCorner(box: Quad, corner: Point, towardA: Point, towardB: Point, visible: readonly Point[], frameWidth: number, frameHeight: number, aspects: readonly number[] = Object.values(DOCUMENT_ASPECTS)): Quad | null {
  const cx = frameWidth / 2;
  const cy = frameHeight / 2;
  const { focalPx: f } = estimatePose(box, frameWidth, frameHeight, { aspects });
  const h = homographyFromPoints(UNIT_SQUARE, box.map((p) => ({ x: p.x - cx, y: p.y - cy })));
  if (!h) return null;
  // The box's axes in space (the columns of K^-1 H), made orthogonal.
  const first = normalised([h[0]! / f, h[3]! / f, h[6]!]);
  const second = normalised(plus([h[1]! / f, h[4]! / f, h[7]!], scaled(first, -dot([h[1]! / f, h[4]! / f, h[7]!], first))));
  const normal = crossOf(first, second);
  const ray = (p: Point): Vec3 => [(p.x - cx) / f, (p.y - cy) / f, 1];
  const image = (v: Vec3): Point | null => (v[2] <= 1e-9 ? null : { x: cx + (f * v[0]) / v[2], y: cy + (f * v[1]) / v[2] });
  const origin = ray(corner);
  const offset = dot(origin, normal);
  const onPlane = (p: Point): Vec3 | null => {
    const r = ray(p);
    const along = dot(r, normal);
    if (Math.abs(along) < 1e-12 || offset / along <= 0) return null;
    return scaled(r, offset / along);
  };
  // Each side in view takes the axis whose image runs along it, pointing its way.
  const axisToward = (target: Point): { axis: Vec3; fit: number } | null => {
    const there = onPlane(target);
    if (!there) return null;
    const d = plus(there, scaled(origin, -1));
    const length = Math.hypot(d[0], d[1], d[2]) || 1;
    const [a, b] = [dot(d, first) / length, dot(d, second) / length];
    return Math.abs(a) >= Math.abs(b) ? { axis: scaled(first, Math.sign(a)), fit: Math.abs(a) } : { axis: scaled(second, Math.sign(b)), fit: Math.abs(b) };
  };
  const alongA = axisToward(towardA);
  const alongB = axisToward(towardB);
  if (!alongA || !alongB || alongA.fit < MIN_AXIS_FIT || alongB.fit < MIN_AXIS_FIT || Math.abs(dot(alongA.axis, alongB.axis)) > 0.5) return null;
  let extentA = 0;
  let extentB = 0;
  for (const p of visible) {
    const there = onPlane(p);
    if (!there) return null;
    const d = plus(there, scaled(origin, -1));
    extentA = Math.max(extentA, dot(d, alongA.axis));
    extentB = Math.max(extentB, dot(d, alongB.axis));
  }
  if (extentA <= 0 || extentB <= 0) return null;
  let best: { a: number; b: number } | null = null;
  for (const format of aspects) {
    for (const r of [format, 1 / format]) {
      const b = Math.max(extentB, extentA / r);
      const a = r * b;
      if (!best || a * b < best.a * best.b) best = { a, b };
    }
  }
  const corners = [origin, plus(origin, scaled(alongA.axis, best!.a)), plus(plus(origin, scaled(alongA.axis, best!.a)), scaled(alongB.axis, best!.b)), plus(origin, scaled(alongB.axis, best!.b))].map(image);
  if (corners.some((p) => p === null)) return null;
  return orderQuad(corners as Point[]);
}
