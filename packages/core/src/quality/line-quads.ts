import { orderQuad, isConvexQuad, quadArea } from './geometry.ts';
import { intersectLines, quadFromLines, type Line } from './lines.ts';
import type { Point, Quad } from './types.ts';

/** Pieces within this angle (degrees) and offset (px) of a longer one lie on the same side: one line. */
const SAME_LINE_ANGLE_DEG = 2;
const SAME_LINE_OFFSET_PX = 4;

/** A straight piece of an outline, e.g. one edge of a simplified contour. */
export interface Segment {
  a: Point;
  b: Point;
}

export interface LineQuadOptions {
  /** Longest segments used (the rest are ignored); the work grows with its fourth power. */
  maxLines?: number;
  /** Largest angle (degrees) between two lines taken as opposite sides of one quad. */
  maxOppositeAngleDeg?: number;
  /** Smallest angle (degrees) between the two pairs of opposite sides. */
  minCornerAngleDeg?: number;
  /**
   * For a second look where the longest lines made no outline: at least this many of the lines used cross the
   * longest one (at 45° or more), where the segments have them, the longest crossing lines left out taking the
   * place of the shortest lines along it (`distinctLines`), and only quads with a side on a line so brought in
   * are returned (the others are quads of the longest lines alone). 0 (the default): the longest lines,
   * whichever way they lie, and all their quads.
   */
  minCrossingLines?: number;
}

/**
 * Quads whose sides lie on four of the longest segments: two nearly parallel pairs, crossing at a
 * clear angle, corners at the lines' intersections. A document merged with clutter along one side
 * loses the corners of its outline, but its sides survive as long straight pieces; this gives its
 * outline back. Corners may lie outside the segments (and outside the frame): callers check them.
 */
export function quadsFromLines(segments: readonly Segment[], options: LineQuadOptions = {}): Quad[] {
  const maxLines = options.maxLines ?? 12;
  const maxOpposite = ((options.maxOppositeAngleDeg ?? 30) * Math.PI) / 180;
  const minCorner = ((options.minCornerAngleDeg ?? 45) * Math.PI) / 180;
  const minCrossing = options.minCrossingLines ?? 0;
  const { lines, brought } = distinctLines(segments, maxLines, minCrossing);
  if (minCrossing > 0 && brought === 0) return [];
  // Lines from `firstBrought` on were brought in across the longest: with `minCrossing`, a quad needs one.
  const firstBrought = minCrossing > 0 ? lines.length - brought : 0;
  const pairs: [number, number][] = [];
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      if (between(lines[i]!.angle, lines[j]!.angle) <= maxOpposite && !sameLine(lines[i]!.line, lines[j]!.line)) pairs.push([i, j]);
    }
  }
  const quads: Quad[] = [];
  for (let p = 0; p < pairs.length; p++) {
    for (let q = p + 1; q < pairs.length; q++) {
      const [i, j] = pairs[p]!;
      const [k, l] = pairs[q]!;
      if (i === k || i === l || j === k || j === l) continue;
      if (Math.max(i, j, k, l) < firstBrought) continue;
      if (between(lines[i]!.angle, lines[k]!.angle) < minCorner) continue;
      // Around the quad: one side of the first pair, one of the second, the other of the first, the other of the second.
      const corners = quadFromLines([lines[i]!.line, lines[k]!.line, lines[j]!.line, lines[l]!.line]);
      if (!corners) continue;
      const quad = orderQuad(corners);
      if (isConvexQuad(quad)) quads.push(quad);
    }
  }
  return quads;
}

export interface BorderQuadOptions extends LineQuadOptions {
  /** How far (px) from the frame border a segment's end may stop and still be taken to run to it. */
  borderReach?: number;
}

/**
 * Quads of a document running off one side of the frame: three of the longest segments' lines (two
 * nearly parallel sides whose segments both run to the frame border, and a side crossing them) closed
 * by the frame border line across from the third. The fourth side is out of view; the border stands in
 * for it, so the quad is the document's part up to the border (`quadsFromLines` needs four lines, and a
 * contour's hull loses a side that leaves the frame at a corner: its part in view has five corners).
 * Corners may lie outside the frame: callers check them, and the border side's strip (see
 * `sidesOnFrameBorder`).
 */
export function quadsClosedByBorder(segments: readonly Segment[], width: number, height: number, options: BorderQuadOptions = {}): Quad[] {
  const maxOpposite = ((options.maxOppositeAngleDeg ?? 30) * Math.PI) / 180;
  const minCorner = ((options.minCornerAngleDeg ?? 45) * Math.PI) / 180;
  const reach = options.borderReach ?? 4;
  const { lines } = distinctLines(segments, options.maxLines ?? 12);
  const nearBorder = (p: Point) => p.x <= reach || p.y <= reach || p.x >= width - 1 - reach || p.y >= height - 1 - reach;
  const runsOff = lines.map((l) => nearBorder(l.segment.a) || nearBorder(l.segment.b));
  // Top, right, bottom, left; undirected angles 0 (horizontal) and pi/2 (vertical).
  const borders = [
    { line: { point: { x: 0, y: 0 }, direction: { x: 1, y: 0 } }, angle: 0 },
    { line: { point: { x: width - 1, y: 0 }, direction: { x: 0, y: 1 } }, angle: Math.PI / 2 },
    { line: { point: { x: 0, y: height - 1 }, direction: { x: 1, y: 0 } }, angle: 0 },
    { line: { point: { x: 0, y: 0 }, direction: { x: 0, y: 1 } }, angle: Math.PI / 2 },
  ];
  const quads: Quad[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!runsOff[i]) continue;
    for (let j = i + 1; j < lines.length; j++) {
      if (!runsOff[j] || between(lines[i]!.angle, lines[j]!.angle) > maxOpposite || sameLine(lines[i]!.line, lines[j]!.line)) continue;
      for (let k = 0; k < lines.length; k++) {
        if (k === i || k === j || between(lines[i]!.angle, lines[k]!.angle) < minCorner || between(lines[j]!.angle, lines[k]!.angle) < minCorner) continue;
        for (const border of borders) {
          if (between(border.angle, lines[k]!.angle) > maxOpposite) continue;
          const corners = quadFromLines([lines[i]!.line, lines[k]!.line, lines[j]!.line, border.line]);
          if (!corners) continue;
          const quad = orderQuad(corners);
          if (isConvexQuad(quad)) quads.push(quad);
        }
      }
    }
  }
  return quads;
}

/** Angle between two undirected line angles (radians). */
function between(a: number, b: number): number {
  const d = Math.abs(a - b) % Math.PI;
  return Math.min(d, Math.PI - d);
}

/** A segment's line, with its undirected angle in [0, pi) and the segment's end points. */
interface DistinctLine {
  line: Line;
  angle: number;
  segment: Segment;
}

/**
 * The `maxLines` longest segments as distinct lines, longest first: one side is found many times (thin and
 * dilated edges, both ways round an open outline), so pieces within SAME_LINE_ANGLE_DEG and
 * SAME_LINE_OFFSET_PX of a longer one count once, and a short side still makes the list. With `minCrossing`,
 * at least that many of them cross the longest line (at 45° or more) where the segments have them: the longest
 * crossing lines left out replace the shortest lines along it, and `brought` counts them (they are last). On a
 * striped background (a weave, wood grain) the longest lines all lie along the stripes and crowd out a card's
 * two sides across them, and no quad has them.
 */
function distinctLines(segments: readonly Segment[], maxLines: number, minCrossing = 0): { lines: DistinctLine[]; brought: number } {
  const sameAngle = (SAME_LINE_ANGLE_DEG * Math.PI) / 180;
  const lines: DistinctLine[] = [];
  const crossingLeftOut: DistinctLine[] = [];
  const crosses = (line: DistinctLine): boolean => between(line.angle, lines[0]!.angle) >= Math.PI / 4;
  const sorted = [...segments].map((s) => ({ s, length: Math.hypot(s.b.x - s.a.x, s.b.y - s.a.y) })).filter((l) => l.length >= 1).sort((x, y) => y.length - x.length);
  for (const { s, length } of sorted) {
    if (lines.length >= maxLines && crossingLeftOut.length >= minCrossing) break;
    const direction = { x: (s.b.x - s.a.x) / length, y: (s.b.y - s.a.y) / length };
    const angle = (Math.atan2(direction.y, direction.x) + Math.PI) % Math.PI;
    const candidate = { line: { point: s.a, direction }, angle, segment: s };
    const same = (l: DistinctLine): boolean => between(l.angle, angle) <= sameAngle && sameLine(l.line, candidate.line, SAME_LINE_OFFSET_PX);
    if (lines.some(same) || crossingLeftOut.some(same)) continue;
    if (lines.length < maxLines) lines.push(candidate);
    else if (crosses(candidate)) crossingLeftOut.push(candidate);
  }
  const missing = minCrossing - lines.filter(crosses).length;
  let brought = 0;
  for (const line of crossingLeftOut.slice(0, Math.max(0, missing))) {
    let along = lines.length - 1 - brought;
    while (along > 0 && crosses(lines[along]!)) along--;
    if (along === 0) break;
    lines.splice(along, 1);
    lines.push(line);
    brought++;
  }
  return { lines, brought };
}

export interface CornerViewOptions {
  /** Longest segments used, as for `quadsFromLines`. */
  maxLines?: number;
  /** Smallest angle (degrees) between the two sides meeting at the corner in view. */
  minCornerAngleDeg?: number;
  /** How far (px) from the frame border a segment's far end may stop and still be taken to run to it. */
  borderReach?: number;
  /**
   * Least distance (px) of the corner in view from every frame border (default: twice `borderReach`).
   * A corner nearer a border than that puts one side in view along the border: the quad is then
   * nearly the frame itself, and a card lying wholly in view inside it reads as one running off.
   */
  clearance?: number;
}

/** A document running off the frame, seen from one of its corners: the corner in view and where its two sides leave the frame. */
export interface CornerView {
  corner: Point;
  exits: [Point, Point];
  /**
   * The part in view as a quad: closed by the frame corner between the exits when they lie on adjacent
   * borders; on opposite borders the part in view has five corners (two frame corners), and the quad
   * leaves out the exit whose loss leaves more of it (its fifth side, from the corner in view to a
   * frame corner, then runs inside the document).
   */
  quad: Quad;
}

/**
 * Documents running off the frame at a corner, from two of the longest segments: a card seen from one
 * corner shows only the two sides meeting there, each running on to the frame border; the rest of it
 * is out of view. Their lines meet at the corner in view (inside the frame, `clearance` px clear of
 * every border), each is followed away from it (toward its segment's far end, which must reach within
 * `borderReach` of the border) to where it leaves the frame. Exits on the same border make no view.
 * Callers judge the two sides in view (edge support) and that the document reaches the border.
 */
export function cornerViewsFromLines(segments: readonly Segment[], width: number, height: number, options: CornerViewOptions = {}): CornerView[] {
  const { lines } = distinctLines(segments, options.maxLines ?? 12);
  const minCorner = ((options.minCornerAngleDeg ?? 45) * Math.PI) / 180;
  const reach = options.borderReach ?? 4;
  const clearance = options.clearance ?? 2 * reach;
  const nearBorder = (p: Point) => p.x <= reach || p.y <= reach || p.x >= width - 1 - reach || p.y >= height - 1 - reach;
  const views: CornerView[] = [];
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const first = lines[i]!;
      const second = lines[j]!;
      if (between(first.angle, second.angle) < minCorner) continue;
      const corner = intersectLines(first.line, second.line);
      if (!corner || corner.x < clearance || corner.y < clearance || corner.x > width - 1 - clearance || corner.y > height - 1 - clearance) continue;
      const exits: { point: Point; border: number }[] = [];
      for (const { segment } of [first, second]) {
        // Away from the corner: toward the segment's end farther from it, which must reach the border.
        const far = Math.hypot(segment.a.x - corner.x, segment.a.y - corner.y) > Math.hypot(segment.b.x - corner.x, segment.b.y - corner.y) ? segment.a : segment.b;
        if (!nearBorder(far)) break;
        const exit = borderExit(corner, far, width, height);
        if (!exit) break;
        exits.push(exit);
      }
      if (exits.length < 2) continue;
      const view = cornerView(corner, exits[0]!, exits[1]!, width, height);
      if (view) views.push(view);
    }
  }
  return views;
}

/** The view (see `CornerView`) of a corner and its two exits, or `null` when they make none. */
export function cornerView(corner: Point, a: { point: Point; border: number }, b: { point: Point; border: number }, width: number, height: number): CornerView | null {
  if (a.border === b.border) return null;
  const exits: [Point, Point] = [a.point, b.point];
  const frameCorner = cornerBetween(a.border, b.border, width, height);
  if (frameCorner) {
    const quad = orderQuad([corner, a.point, frameCorner, b.point]);
    return isConvexQuad(quad) ? { corner, exits, quad } : null;
  }
  // Opposite borders: the part in view holds the two frame corners on the side the sides open toward.
  const unit = (p: Point) => {
    const length = Math.hypot(p.x - corner.x, p.y - corner.y) || 1;
    return { x: (p.x - corner.x) / length, y: (p.y - corner.y) / length };
  };
  const ua = unit(a.point);
  const ub = unit(b.point);
  const opening = { x: ua.x + ub.x, y: ua.y + ub.y };
  const vertical = a.border % 2 === 0;
  const far = vertical ? (opening.x > 0 ? width - 1 : 0) : opening.y > 0 ? height - 1 : 0;
  const nearA: Point = vertical ? { x: far, y: a.point.y } : { x: a.point.x, y: far };
  const nearB: Point = vertical ? { x: far, y: b.point.y } : { x: b.point.x, y: far };
  let best: Quad | null = null;
  for (const corners of [[corner, a.point, nearA, nearB], [corner, nearA, nearB, b.point]]) {
    const quad = orderQuad(corners);
    if (isConvexQuad(quad) && (!best || quadArea(quad) > quadArea(best))) best = quad;
  }
  return best ? { corner, exits, quad: best } : null;
}

/** Where the ray from `from` through `through` leaves the frame (see `borderExit`), or `null`. */
export function frameExitOf(from: Point, through: Point, width: number, height: number): { point: Point; border: number } | null {
  return borderExit(from, through, width, height);
}

/** Borders: 0 top, 1 right, 2 bottom, 3 left. Where the ray from `from` through `through` leaves the frame [0, width-1] x [0, height-1]. */
function borderExit(from: Point, through: Point, width: number, height: number): { point: Point; border: number } | null {
  const dx = through.x - from.x;
  const dy = through.y - from.y;
  let best: { t: number; border: number } | null = null;
  const consider = (t: number, border: number): void => {
    if (t > 0 && (!best || t < best.t)) best = { t, border };
  };
  if (dy < 0) consider(-from.y / dy, 0);
  if (dx > 0) consider((width - 1 - from.x) / dx, 1);
  if (dy > 0) consider((height - 1 - from.y) / dy, 2);
  if (dx < 0) consider(-from.x / dx, 3);
  const found = best as { t: number; border: number } | null;
  if (!found) return null;
  return { point: { x: from.x + dx * found.t, y: from.y + dy * found.t }, border: found.border };
}

/** The frame corner shared by two adjacent borders (see `borderExit`), or `null` for the same or opposite borders. */
function cornerBetween(a: number, b: number, width: number, height: number): Point | null {
  if (a === b || (a + 2) % 4 === b) return null;
  const top = a === 0 || b === 0;
  const left = a === 3 || b === 3;
  return { x: left ? 0 : width - 1, y: top ? 0 : height - 1 };
}

/** Two lines closer than `maxOffset` px (at b's point) are one side, not two. */
function sameLine(a: Line, b: Line, maxOffset = 2): boolean {
  const offset = Math.abs((b.point.x - a.point.x) * a.direction.y - (b.point.y - a.point.y) * a.direction.x);
  return offset < maxOffset;
}
