import type { Point, Quad } from './types.ts';

/** A 3x3 homography, row-major. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

export const distance = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

/** Solves A x = b in place by Gaussian elimination with partial pivoting; `null` when singular. */
function solveLinear(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    if (Math.abs(a[pivot]![col]!) < 1e-12) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    for (let row = col + 1; row < n; row++) {
      const factor = a[row]![col]! / a[col]![col]!;
      for (let k = col; k < n; k++) a[row]![k]! -= factor * a[col]![k]!;
      b[row]! -= factor * b[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = b[row]!;
    for (let k = row + 1; k < n; k++) sum -= a[row]![k]! * x[k]!;
    x[row] = sum / a[row]![row]!;
  }
  return x;
}

/** The homography taking each `from[i]` to `to[i]` (four correspondences); `null` for degenerate input. */
export function homographyFromPoints(from: readonly Point[], to: readonly Point[]): Homography | null {
  if (from.length !== 4 || to.length !== 4) return null;
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  const h = solveLinear(a, b);
  if (!h || h.some((value) => !Number.isFinite(value))) return null;
  return [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
}

export function applyHomography(h: Homography, p: Point): Point {
  const w = h[6] * p.x + h[7] * p.y + h[8];
  return { x: (h[0] * p.x + h[1] * p.y + h[2]) / w, y: (h[3] * p.x + h[4] * p.y + h[5]) / w };
}

const UNIT_SQUARE: readonly Point[] = [
  { x: 0, y: 0 },
  { x: 1, y: 0 },
  { x: 1, y: 1 },
  { x: 0, y: 1 },
];

/**
 * Angle in degrees between the document plane and the image plane, from the quad alone: with a
 * pinhole camera of focal length `focalPx` centred in the frame, the homography from the document
 * rectangle to the normalised image holds the plane's first two rotation axes (up to scale) in
 * its columns, and their cross product is the plane normal. The document's aspect ratio cancels out.
 */
export function estimateTiltDeg(quad: Quad, frameWidth: number, frameHeight: number, focalPx: number): number {
  const cx = frameWidth / 2;
  const cy = frameHeight / 2;
  const normalised = quad.map((p) => ({ x: (p.x - cx) / focalPx, y: (p.y - cy) / focalPx }));
  const h = homographyFromPoints(UNIT_SQUARE, normalised);
  if (!h) return 90;
  const unit = (v: readonly [number, number, number]): [number, number, number] => {
    const n = Math.hypot(v[0], v[1], v[2]);
    return [v[0] / n, v[1] / n, v[2] / n];
  };
  const r1 = unit([h[0], h[3], h[6]]);
  const r2 = unit([h[1], h[4], h[7]]);
  const normal = [r1[1] * r2[2] - r1[2] * r2[1], r1[2] * r2[0] - r1[0] * r2[2], r1[0] * r2[1] - r1[1] * r2[0]] as const;
  const cos = Math.abs(normal[2]) / Math.hypot(normal[0], normal[1], normal[2]);
  return (Math.acos(Math.min(1, cos)) * 180) / Math.PI;
}

/** Puts four points in top-left, top-right, bottom-right, bottom-left order (in-plane rotations under 45°). */
export function orderQuad(points: readonly Point[]): Quad {
  if (points.length !== 4) throw new RangeError('orderQuad needs four points');
  const cx = points.reduce((s, p) => s + p.x, 0) / 4;
  const cy = points.reduce((s, p) => s + p.y, 0) / 4;
  // Clockwise on screen (y down) starting from the upper-left diagonal: a stable insertion sort by
  // angle, each angle found once (the line-quad and subset routes order thousands of quads a frame).
  const sorted = [points[0]!, points[1]!, points[2]!, points[3]!];
  const angles = sorted.map((p) => Math.atan2(p.y - cy, p.x - cx));
  for (let i = 1; i < 4; i++) {
    const point = sorted[i]!;
    const angle = angles[i]!;
    let j = i;
    for (; j > 0 && angles[j - 1]! > angle; j--) {
      sorted[j] = sorted[j - 1]!;
      angles[j] = angles[j - 1]!;
    }
    sorted[j] = point;
    angles[j] = angle;
  }
  let start = 0;
  for (let i = 1; i < 4; i++) if (sorted[i]!.x + sorted[i]!.y < sorted[start]!.x + sorted[start]!.y) start = i;
  return [sorted[start]!, sorted[(start + 1) % 4]!, sorted[(start + 2) % 4]!, sorted[(start + 3) % 4]!];
}

/** Longer of the two mean opposite-edge lengths, as a fraction of the frame width. */
export function widthFraction(quad: Quad, frameWidth: number): number {
  const [tl, tr, br, bl] = quad;
  const horizontal = (distance(tl, tr) + distance(bl, br)) / 2;
  const vertical = (distance(tl, bl) + distance(tr, br)) / 2;
  return Math.max(horizontal, vertical) / frameWidth;
}

/** Smallest distance from a corner to the frame border; negative when a corner lies outside. */
export function cornerMarginPx(quad: Quad, frameWidth: number, frameHeight: number): number {
  return Math.min(...quad.map((p) => Math.min(p.x, p.y, frameWidth - p.x, frameHeight - p.y)));
}

export function quadArea(quad: Quad): number {
  let twice = 0;
  for (let i = 0; i < 4; i++) {
    const a = quad[i]!;
    const b = quad[(i + 1) % 4]!;
    twice += a.x * b.y - b.x * a.y;
  }
  return Math.abs(twice) / 2;
}

export function isConvexQuad(quad: Quad): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = quad[i]!;
    const b = quad[(i + 1) % 4]!;
    const c = quad[(i + 2) % 4]!;
    const cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
    if (Math.abs(cross) < 1e-9) return false;
    if (sign === 0) sign = Math.sign(cross);
    else if (Math.sign(cross) !== sign) return false;
  }
  return true;
}

/** Mean displacement of corresponding corners. */
export function meanCornerShift(a: Quad, b: Quad): number {
  return (distance(a[0], b[0]) + distance(a[1], b[1]) + distance(a[2], b[2]) + distance(a[3], b[3])) / 4;
}

/** Largest distance between corresponding corners. */
export function maxCornerError(a: Quad, b: Quad): number {
  return Math.max(distance(a[0], b[0]), distance(a[1], b[1]), distance(a[2], b[2]), distance(a[3], b[3]));
}

/** Where the horizontal line at `y` crosses a convex polygon: [left, right], or `null` when it misses it. */
export function rowSpan(polygon: readonly Point[], y: number): readonly [number, number] | null {
  let left = Infinity;
  let right = -Infinity;
  for (let k = 0; k < polygon.length; k++) {
    const a = polygon[k]!;
    const b = polygon[(k + 1) % polygon.length]!;
    if ((a.y <= y && b.y > y) || (b.y <= y && a.y > y)) {
      const x = a.x + ((y - a.y) / (b.y - a.y)) * (b.x - a.x);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  return left <= right ? [left, right] : null;
}
