import { meanColour } from './border-reach.ts';
import { segmentSupportReaches, visibleSegment, type EdgeSupportOptions, type PixelImage } from './edge-support.ts';
import { distance } from './geometry.ts';
import { intersectLines, outwardSide, quadFromLines, quadSideLines, type Line } from './lines.ts';
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
  /**
   * Whether only the colour outside the quad must carry on (the edge and its outer colour): where the outline
   * is a column of the document beside a printed box, the inside changes past the box's corner (the box ends,
   * the stock goes on) while the band above it or the table beside the card's edge does not.
   */
  outsideOnly?: boolean;
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
 * support and the side's two colours either side of it (its outer colour only, with `outsideOnly`), until
 * a piece has neither or the frame border is reached. A length of 0 when the side's colours are too alike
 * to follow, or its first piece fails.
 */
export function sideContinuation(image: PixelImage, quad: Quad, side: number, past: 'start' | 'end', options: ContinuationOptions): Continuation {
  const none = { length: 0, toBorder: false };
  const lines = quadSideLines(quad);
  if (!lines) return none;
  const a = quad[side]!;
  const b = quad[(side + 1) % 4]!;
  const outward = outwardSide(quad, lines, side).normal;
  const normal = { x: -outward.x, y: -outward.y };
  const { colourOffset: offset } = options;
  const inside = colourBeside(image, a, b, normal, offset);
  const outside = colourBeside(image, a, b, normal, -offset);
  if (largestDifference(inside, outside) < options.minSideContrast) return none;
  const from = past === 'end' ? b : a;
  const along = lines[side]!.direction;
  const direction = past === 'end' ? along : { x: -along.x, y: -along.y };
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
      const visible = inFrame(start) ? visibleSegment(start, end, image.width, image.height, 1) : null;
      if (!visible || distance(start, visible.b) < piece / 3) return { length: walked, toBorder: walked > 0 };
      end = visible.b;
      toBorder = true;
    }
    const carries =
      segmentSupportReaches(image, start, end, options, options.minSupport) &&
      (options.outsideOnly === true || largestDifference(colourBeside(image, start, end, normal, offset), inside) <= options.maxColourDifference) &&
      largestDifference(colourBeside(image, start, end, normal, -offset), outside) <= options.maxColourDifference;
    if (!carries) return { length: walked, toBorder: false };
    walked += distance(start, end);
    if (toBorder) return { length: walked, toBorder: true };
  }
}

/** The frame border nearest `p`, as a line. */
function nearestBorder(p: Point, width: number, height: number): Line {
  const right = width - 1;
  const bottom = height - 1;
  const gaps = [p.x, p.y, right - p.x, bottom - p.y];
  const nearest = gaps.indexOf(Math.min(...gaps));
  if (nearest === 0) return { point: { x: 0, y: 0 }, direction: { x: 0, y: 1 } };
  if (nearest === 1) return { point: { x: 0, y: 0 }, direction: { x: 1, y: 0 } };
  if (nearest === 2) return { point: { x: right, y: 0 }, direction: { x: 0, y: 1 } };
  return { point: { x: 0, y: bottom }, direction: { x: 1, y: 0 } };
}

/**
 * `quad` with the side that meets side `side` at its corner `past` moved to where side `side` stops
 * carrying on (`continuation`): toward the vanishing point it shares with the side opposite it (the
 * two are parallel on the document), or, where the side carries on to the frame border, onto the border
 * it reaches (the document runs off the frame there). `null` if the lines do not meet.
 */
export function moveSidePastContinuation(quad: Quad, side: number, past: 'start' | 'end', continuation: Continuation, frameWidth: number, frameHeight: number): Quad | null {
  const lines = quadSideLines(quad);
  if (!lines) return null;
  const corner = past === 'end' ? (side + 1) % 4 : side;
  // The side that meets `side` at `corner`, the one opposite it, and how far it runs.
  const moved = past === 'end' ? (side + 1) % 4 : (side + 3) % 4;
  const opposite = (moved + 2) % 4;
  const carried = lines[side]!.direction;
  const sign = past === 'end' ? 1 : -1;
  const c = quad[corner]!;
  const newCorner = { x: c.x + sign * carried.x * continuation.length, y: c.y + sign * carried.y * continuation.length };
  let line: Line;
  if (continuation.toBorder) line = nearestBorder(newCorner, frameWidth, frameHeight);
  else {
    const vanishing = intersectLines(lines[moved]!, lines[opposite]!);
    const extent = distance(quad[moved]!, quad[(moved + 1) % 4]!);
    if (vanishing && distance(vanishing, newCorner) < 50 * (extent + 1)) {
      const toward = { x: vanishing.x - newCorner.x, y: vanishing.y - newCorner.y };
      const length = Math.hypot(toward.x, toward.y) || 1;
      line = { point: newCorner, direction: { x: toward.x / length, y: toward.y / length } };
    } else line = { point: newCorner, direction: lines[moved]!.direction };
  }
  return quadFromLines(lines.map((l, k) => (k === moved ? line : l)));
}
