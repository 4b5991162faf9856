import { meanColour } from './border-reach.ts';
import { segmentSupportReaches, type EdgeSupportOptions, type PixelImage } from './edge-support.ts';
import { distance } from './geometry.ts';
import type { Point, Quad } from './types.ts';

// A document's side ends at its corner. When an outline's side carries on past a corner as the same
// edge (the same two colours either side of it), the corner is no document corner: the outline is a
// part of a larger document cut by an inner edge (a portrait box's side, the MRZ band's top) where the
// document's own outline is too faint or broken to be found whole.

export interface ContinuationOptions extends EdgeSupportOptions {
  /** Edge support each piece of the continuation needs. */
  minSupport: number;
  /** Largest difference (8-bit levels, any channel) between the side's and the continuation's colours, either side of it. */
  maxColourDifference: number;
  /** Least difference (8-bit levels, any channel) between the side's two colours: a side between like colours cannot be followed. */
  minSideContrast: number;
  /** How far (px) either side of the edge its colours are read. */
  colourOffset: number;
  /** Length (px) of each piece followed. */
  pieceLength: number;
}

export interface Continuation {
  /** How far (px) past the corner the side carries on. */
  length: number;
  /** Whether it carries on to the frame border (the document runs off the frame there). */
  toBorder: boolean;
}

/** Colours read at 9 points spread over the middle 60% of a segment, `offset` px along `normal`. */
function colourBeside(image: PixelImage, a: Point, b: Point, normal: Point, offset: number): number[] {
  const points: Point[] = [];
  for (let i = 0; i <= 8; i++) {
    const t = 0.2 + (0.6 * i) / 8;
    points.push({ x: a.x + (b.x - a.x) * t + normal.x * offset, y: a.y + (b.y - a.y) * t + normal.y * offset });
  }
  return meanColour(image, points);
}

const largestDifference = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

/**
 * How far side `side` of `quad` (from corner `side` to the next) carries on past one of its corners
 * (`past`: 'end' is the next corner, 'start' its own) as the same edge: piece by piece, each with edge
 * support and the side's two colours either side of it, until a piece has neither or the frame border
 * is reached. A length of 0 when the side's colours are too alike to follow, or its first piece fails.
 */
export function sideContinuation(image: PixelImage, quad: Quad, side: number, past: 'start' | 'end', options: ContinuationOptions): Continuation {
  const a = quad[side]!;
  const b = quad[(side + 1) % 4]!;
  const length = distance(a, b);
  const none = { length: 0, toBorder: false };
  if (length < 1) return none;
  const centre = { x: (quad[0].x + quad[1].x + quad[2].x + quad[3].x) / 4, y: (quad[0].y + quad[1].y + quad[2].y + quad[3].y) / 4 };
  let normal = { x: -(b.y - a.y) / length, y: (b.x - a.x) / length };
  if ((centre.x - a.x) * normal.x + (centre.y - a.y) * normal.y < 0) normal = { x: -normal.x, y: -normal.y };
  const { colourOffset: offset } = options;
  const inside = colourBeside(image, a, b, normal, offset);
  const outside = colourBeside(image, a, b, normal, -offset);
  if (largestDifference(inside, outside) < options.minSideContrast) return none;
  const from = past === 'end' ? b : a;
  const direction = past === 'end' ? { x: (b.x - a.x) / length, y: (b.y - a.y) / length } : { x: (a.x - b.x) / length, y: (a.y - b.y) / length };
  const at = (t: number): Point => ({ x: from.x + direction.x * t, y: from.y + direction.y * t });
  const inFrame = (p: Point): boolean => p.x >= 1 && p.y >= 1 && p.x <= image.width - 2 && p.y <= image.height - 2;
  const piece = options.pieceLength;
  let walked = 0;
  for (;;) {
    const start = at(walked);
    let end = at(walked + piece);
    let toBorder = false;
    if (!inFrame(end)) {
      // The last piece ends at the border: shortened there, and judged if it is not too short to tell.
      let lo = 0;
      let hi = piece;
      for (let i = 0; i < 12; i++) {
        const mid = (lo + hi) / 2;
        if (inFrame(at(walked + mid))) lo = mid;
        else hi = mid;
      }
      if (lo < piece / 3) return { length: walked, toBorder: walked > 0 };
      end = at(walked + lo);
      toBorder = true;
    }
    const carries =
      segmentSupportReaches(image, start, end, options, options.minSupport) &&
      largestDifference(colourBeside(image, start, end, normal, offset), inside) <= options.maxColourDifference &&
      largestDifference(colourBeside(image, start, end, normal, -offset), outside) <= options.maxColourDifference;
    if (!carries) return { length: walked, toBorder: false };
    walked += distance(start, end);
    if (toBorder) return { length: walked, toBorder: true };
  }
}

function intersect(a: Point, b: Point, c: Point, d: Point): Point | null {
  const r = { x: b.x - a.x, y: b.y - a.y };
  const s = { x: d.x - c.x, y: d.y - c.y };
  const denominator = r.x * s.y - r.y * s.x;
  if (Math.abs(denominator) < 1e-9) return null;
  const t = ((c.x - a.x) * s.y - (c.y - a.y) * s.x) / denominator;
  return { x: a.x + r.x * t, y: a.y + r.y * t };
}

/** The frame border nearest `p`, as two points on it. */
function nearestBorder(p: Point, width: number, height: number): [Point, Point] {
  const right = width - 1;
  const bottom = height - 1;
  const gaps = [p.x, p.y, right - p.x, bottom - p.y];
  const nearest = gaps.indexOf(Math.min(...gaps));
  if (nearest === 0) return [{ x: 0, y: 0 }, { x: 0, y: bottom }];
  if (nearest === 1) return [{ x: 0, y: 0 }, { x: right, y: 0 }];
  if (nearest === 2) return [{ x: right, y: 0 }, { x: right, y: bottom }];
  return [{ x: 0, y: bottom }, { x: right, y: bottom }];
}

/**
 * `quad` with the side that meets side `side` at its corner `past` moved to where side `side` stops
 * carrying on (`continuation`): toward the vanishing point it shares with the side opposite it (the
 * two are parallel on the document), or, where the side carries on to the frame border, onto the border
 * it reaches (the document runs off the frame there). `null` if the lines do not meet.
 */
export function moveSidePastContinuation(quad: Quad, side: number, past: 'start' | 'end', continuation: Continuation, frameWidth: number, frameHeight: number): Quad | null {
  const corner = past === 'end' ? (side + 1) % 4 : side;
  const other = past === 'end' ? side : (side + 1) % 4;
  // The moved side runs from `corner` to `far`; the side beyond `far` runs on to `beyond`.
  const far = past === 'end' ? (side + 2) % 4 : (side + 3) % 4;
  const beyond = past === 'end' ? (side + 3) % 4 : (side + 2) % 4;
  const c = quad[corner]!;
  const o = quad[other]!;
  const length = distance(c, o);
  if (length < 1) return null;
  const newCorner = { x: c.x + ((c.x - o.x) / length) * continuation.length, y: c.y + ((c.y - o.y) / length) * continuation.length };
  let line: [Point, Point];
  if (continuation.toBorder) line = nearestBorder(newCorner, frameWidth, frameHeight);
  else {
    // The side opposite the moved one runs from `other` to `beyond`.
    const vanishing = intersect(c, quad[far]!, o, quad[beyond]!);
    const direction = { x: quad[far]!.x - c.x, y: quad[far]!.y - c.y };
    const toward = vanishing && distance(vanishing, newCorner) < 50 * (distance(c, quad[far]!) + 1) ? { x: vanishing.x - newCorner.x, y: vanishing.y - newCorner.y } : direction;
    // Pointing from the new corner toward the far side, whichever side of it the vanishing point lies.
    const sign = toward.x * direction.x + toward.y * direction.y < 0 ? -1 : 1;
    line = [newCorner, { x: newCorner.x + sign * toward.x, y: newCorner.y + sign * toward.y }];
  }
  const atCorner = intersect(o, c, line[0], line[1]);
  const atFar = intersect(quad[far]!, quad[beyond]!, line[0], line[1]);
  if (!atCorner || !atFar) return null;
  const result: [Point, Point, Point, Point] = [quad[0], quad[1], quad[2], quad[3]];
  result[corner] = atCorner;
  result[far] = atFar;
  return result;
}
