/** Plain geometry shared by detection, alignment and cropping. Coordinates are image pixels. */

import type { Point } from '../image/point.ts';

export type { Point };

/** Axis-aligned box: top-left corner and size. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * A 2x3 affine matrix [a, b, c, d, e, f] mapping (x, y) to (a*x + b*y + c, d*x + e*y + f),
 * the layout OpenCV's warpAffine uses.
 */
export type Affine = readonly [number, number, number, number, number, number];

export function applyAffine(m: Affine, p: Point): Point {
  return { x: m[0] * p.x + m[1] * p.y + m[2], y: m[3] * p.x + m[4] * p.y + m[5] };
}

/** Returns the inverse, or undefined when the matrix is singular. */
export function invertAffine(m: Affine): Affine | undefined {
  const det = m[0] * m[4] - m[1] * m[3];
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) return undefined;
  const a = m[4] / det;
  const b = -m[1] / det;
  const d = -m[3] / det;
  const e = m[0] / det;
  return [a, b, -(a * m[2] + b * m[5]), d, e, -(d * m[2] + e * m[5])];
}

export function boxArea(box: Box): number {
  return Math.max(0, box.width) * Math.max(0, box.height);
}

export function intersectionOverUnion(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** A square box around the centre of `box`, its side `factor` times the box's longer side. */
export function squareAround(box: Box, factor: number): Box {
  const side = Math.max(box.width, box.height) * factor;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

export function scaleBox(box: Box, factor: number): Box {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return { x: cx - (box.width * factor) / 2, y: cy - (box.height * factor) / 2, width: box.width * factor, height: box.height * factor };
}
