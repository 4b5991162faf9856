import { distance } from './geometry.ts';
import type { Point } from './types.ts';

/** A line through `point` along the unit vector `direction`. */
export interface Line {
  point: Point;
  direction: Point;
}

/** Total-least-squares line through the points (principal axis); `null` for fewer than two distinct points. */
export function fitLine(points: readonly Point[]): Line | null {
  if (points.length < 2) return null;
  let mx = 0;
  let my = 0;
  for (const p of points) {
    mx += p.x;
    my += p.y;
  }
  mx /= points.length;
  my /= points.length;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const p of points) {
    const dx = p.x - mx;
    const dy = p.y - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx + syy < 1e-12) return null;
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  return { point: { x: mx, y: my }, direction: { x: Math.cos(angle), y: Math.sin(angle) } };
}

export function distanceToLine(line: Line, p: Point): number {
  return Math.abs((p.x - line.point.x) * line.direction.y - (p.y - line.point.y) * line.direction.x);
}

/** Fits, drops points farther than `maxResidual` from the fit, and fits again. */
export function fitLineRobust(points: readonly Point[], maxResidual: number): Line | null {
  const first = fitLine(points);
  if (!first) return null;
  const inliers = points.filter((p) => distanceToLine(first, p) <= maxResidual);
  return inliers.length >= Math.max(2, points.length / 2) ? fitLine(inliers) : first;
}

/** Intersection of two lines; `null` when they are (nearly) parallel. */
export function intersectLines(a: Line, b: Line): Point | null {
  const det = a.direction.x * b.direction.y - a.direction.y * b.direction.x;
  if (Math.abs(det) < 1e-9) return null;
  const dx = b.point.x - a.point.x;
  const dy = b.point.y - a.point.y;
  const t = (dx * b.direction.y - dy * b.direction.x) / det;
  return { x: a.point.x + t * a.direction.x, y: a.point.y + t * a.direction.y };
}

/**
 * Re-fits each side of a rough quad (e.g. a simplified contour, whose vertices can sit on a rounded
 * corner or a bump) to the outline points near it: the points within `maxDistance` of the side, away
 * from its ends, get a robust line; corners become the intersections of adjacent lines. A side with
 * too few points keeps its line. Returns `null` when adjacent lines are parallel.
 */
export function fitQuadToPoints<Q extends readonly [Point, Point, Point, Point]>(quad: Q, points: readonly Point[], maxDistance: number): [Point, Point, Point, Point] | null {
  const sides = quadSideLines(quad);
  if (!sides) return null;
  const lines: Line[] = [];
  for (let side = 0; side < 4; side++) {
    const a = quad[side]!;
    const { direction } = sides[side]!;
    const length = distance(a, quad[(side + 1) % 4]!);
    const near: Point[] = [];
    for (const p of points) {
      const along = ((p.x - a.x) * direction.x + (p.y - a.y) * direction.y) / length;
      if (along < 0.1 || along > 0.9) continue;
      if (Math.abs((p.x - a.x) * direction.y - (p.y - a.y) * direction.x) <= maxDistance) near.push(p);
    }
    const fitted = near.length >= 2 ? fitLineRobust(near, maxDistance / 3) : null;
    lines.push(fitted ?? { point: a, direction });
  }
  return quadFromLines(lines);
}

/**
 * The lines along a quad's sides, in order (TL-TR, TR-BR, BR-BL, BL-TL): line i runs through corner i
 * toward corner i + 1 (unit direction). `null` when a side is shorter than a pixel, where a direction
 * means nothing. The inverse of `quadFromLines`.
 */
export function quadSideLines(quad: readonly [Point, Point, Point, Point]): [Line, Line, Line, Line] | null {
  const lines: Line[] = [];
  for (let side = 0; side < 4; side++) {
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const length = distance(a, b);
    if (length < 1) return null;
    lines.push({ point: a, direction: { x: (b.x - a.x) / length, y: (b.y - a.y) / length } });
  }
  return [lines[0]!, lines[1]!, lines[2]!, lines[3]!];
}

/**
 * Side `side` of a quad (the line from corner `side` to the next, `lines[side]`) seen from inside: its
 * unit normal pointing away from the quad's centre, and the quad's depth across it (twice the
 * centre's distance to the side's midpoint). Used to move a side outward in proportion to the quad.
 */
export function outwardSide(quad: readonly [Point, Point, Point, Point], lines: readonly Line[], side: number): { normal: Point; depth: number } {
  const a = quad[side]!;
  const b = quad[(side + 1) % 4]!;
  const { direction } = lines[side]!;
  const cx = (quad[0].x + quad[1].x + quad[2].x + quad[3].x) / 4;
  const cy = (quad[0].y + quad[1].y + quad[2].y + quad[3].y) / 4;
  const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  let normal = { x: -direction.y, y: direction.x };
  if (normal.x * (mid.x - cx) + normal.y * (mid.y - cy) < 0) normal = { x: -normal.x, y: -normal.y };
  return { normal, depth: 2 * Math.abs(normal.x * (mid.x - cx) + normal.y * (mid.y - cy)) };
}

/** Corners as the intersections of consecutive lines (corner i where line i-1 meets line i); `null` when two are parallel. */
export function quadFromLines(lines: readonly Line[]): [Point, Point, Point, Point] | null {
  const corners: Point[] = [];
  for (let i = 0; i < 4; i++) {
    const corner = intersectLines(lines[(i + 3) % 4]!, lines[i]!);
    if (!corner) return null;
    corners.push(corner);
  }
  return [corners[0]!, corners[1]!, corners[2]!, corners[3]!];
}
