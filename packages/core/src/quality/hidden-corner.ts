import { isConvexQuad, orderQuad } from './geometry.ts';
import { segmentSupport, type EdgeSupportOptions, type PixelImage } from './edge-support.ts';
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

/** Options of `refitAroundCoveredCorner`. */
export interface CoveredCornerOptions extends EdgeSupportOptions {
  /** Largest turn (degrees) of a side about its far corner. */
  maxTurnDeg: number;
  /** Share of each side, from its far corner, whose edge support decides its direction (the part a thumb leaves in view). */
  span: number;
}

/** Turn step (degrees) of the side scan: 0.5° moves the end of a 600-px side by 5 px, within the support scan's reach. */
const TURN_STEP_DEG = 0.5;

/**
 * The quad with corner `corner` rebuilt when something covering it (a thumb over a held card's corner,
 * running off the frame) pulled the outline out there: the two sides meeting at that corner are each
 * turned about their other corner, kept, to the direction where the first `span` of the side (the part
 * in view) has the most edge support, and the corner is put where the turned sides meet. `null` when
 * they meet behind either kept corner or the quad is no longer convex.
 */
export function refitAroundCoveredCorner(image: PixelImage, quad: Quad, corner: number, options: CoveredCornerOptions): Quad | null {
  const before = quad[(corner + 3) % 4]!;
  const after = quad[(corner + 1) % 4]!;
  const target = quad[corner]!;
  const first = bestDirection(image, before, target, options);
  const second = bestDirection(image, after, target, options);
  if (!first || !second) return null;
  const hidden = intersectLines({ point: before, direction: first }, { point: after, direction: second });
  if (!hidden || dot(first, hidden, before) <= 0 || dot(second, hidden, after) <= 0) return null;
  const rebuilt = quad.map((p, k) => (k === corner ? hidden : p)) as unknown as Quad;
  return isConvexQuad(rebuilt) ? rebuilt : null;
}

/**
 * The direction from `pivot`, within `maxTurnDeg` of the way to `toward`, along which the side's first
 * `span` has the most edge support. An edge is found over a run of directions (the support scan's
 * width seen from the pivot): the middle of the run of best support nearest the way to `toward`.
 */
function bestDirection(image: PixelImage, pivot: Point, toward: Point, options: CoveredCornerOptions): Point | null {
  const base = unit(pivot, toward);
  if (!base) return null;
  const reach = options.span * Math.hypot(toward.x - pivot.x, toward.y - pivot.y);
  const steps = Math.floor(options.maxTurnDeg / TURN_STEP_DEG);
  const turn = (k: number): Point => {
    const angle = (k * TURN_STEP_DEG * Math.PI) / 180;
    return { x: base.x * Math.cos(angle) - base.y * Math.sin(angle), y: base.x * Math.sin(angle) + base.y * Math.cos(angle) };
  };
  const supports: number[] = [];
  for (let k = -steps; k <= steps; k++) {
    const direction = turn(k);
    supports.push(segmentSupport(image, pivot, { x: pivot.x + direction.x * reach, y: pivot.y + direction.y * reach }, options));
  }
  const best = Math.max(...supports);
  // The best turn nearest none, then the run of equal support around it.
  let at = -1;
  for (let i = 0; i < supports.length; i++) if (supports[i] === best && (at < 0 || Math.abs(i - steps) < Math.abs(at - steps))) at = i;
  let first = at;
  let last = at;
  while (first > 0 && supports[first - 1] === best) first--;
  while (last < supports.length - 1 && supports[last + 1] === best) last++;
  return turn((first + last) / 2 - steps);
}
