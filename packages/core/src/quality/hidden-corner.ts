import { isConvexQuad, orderQuad } from './geometry.ts';
import { intersectLines } from './lines.ts';
import type { Point, Quad } from './types.ts';

/** Smallest angle (degrees) at a rebuilt corner: two sides of a document meet near square, even in perspective. */
const MIN_CORNER_ANGLE_DEG = 45;

/**
 * Quads rebuilt around a corner something hides (a thumb holding the card): the outline keeps three
 * corners in a row, A, B, C, then leaves the card's side after C, goes round what covers the fourth
 * corner and comes back onto the card's other side before A. The hidden corner is where the lines of
 * those two sides meet (the edge leaving C, the edge arriving at A); the vertices between them are
 * the cover, not the card. One quad per run of three consecutive vertices of a closed polygon of 5+
 * vertices; corners may lie anywhere: callers judge them.
 */
export function quadsWithHiddenCorner(polygon: readonly Point[]): Quad[] {
  const n = polygon.length;
  if (n < 5) return [];
  const minCorner = Math.sin((MIN_CORNER_ANGLE_DEG * Math.PI) / 180);
  const quads: Quad[] = [];
  for (let start = 0; start < n; start++) {
    const a = polygon[start]!;
    const b = polygon[(start + 1) % n]!;
    const c = polygon[(start + 2) % n]!;
    const afterC = polygon[(start + 3) % n]!;
    const beforeA = polygon[(start + n - 1) % n]!;
    const leaving = unit(c, afterC);
    const arriving = unit(beforeA, a);
    if (!leaving || !arriving) continue;
    if (Math.abs(leaving.x * arriving.y - leaving.y * arriving.x) < minCorner) continue;
    const hidden = intersectLines({ point: c, direction: leaving }, { point: a, direction: arriving });
    if (!hidden) continue;
    // The hidden corner lies ahead of C along its side and behind A along its own: else the two
    // edges are not the sides running into one corner.
    if (dot(leaving, hidden, c) <= 0 || dot(arriving, a, hidden) <= 0) continue;
    const quad = orderQuad([a, b, c, hidden]);
    if (isConvexQuad(quad)) quads.push(quad);
  }
  return quads;
}

function unit(from: Point, to: Point): Point | null {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  return length < 1e-9 ? null : { x: (to.x - from.x) / length, y: (to.y - from.y) / length };
}

/** Component of `to - from` along `direction`. */
function dot(direction: Point, to: Point, from: Point): number {
  return direction.x * (to.x - from.x) + direction.y * (to.y - from.y);
}
