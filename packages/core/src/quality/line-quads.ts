import { orderQuad, isConvexQuad } from './geometry.ts';
import { quadFromLines, type Line } from './lines.ts';
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
  const between = (a: number, b: number) => {
    const d = Math.abs(a - b) % Math.PI;
    return Math.min(d, Math.PI - d);
  };
  const sameAngle = (SAME_LINE_ANGLE_DEG * Math.PI) / 180;
  const lines: { line: Line; angle: number }[] = [];
  const sorted = [...segments].map((s) => ({ s, length: Math.hypot(s.b.x - s.a.x, s.b.y - s.a.y) })).filter((l) => l.length >= 1).sort((x, y) => y.length - x.length);
  for (const { s, length } of sorted) {
    if (lines.length >= maxLines) break;
    const direction = { x: (s.b.x - s.a.x) / length, y: (s.b.y - s.a.y) / length };
    // Undirected angle in [0, pi).
    const angle = (Math.atan2(direction.y, direction.x) + Math.PI) % Math.PI;
    const candidate = { line: { point: s.a, direction }, angle };
    // One side is found many times (thin and dilated edges, both ways round an open outline): counted
    // once, so that the longest pieces are distinct lines and a short side still makes the list.
    if (lines.some((l) => between(l.angle, angle) <= sameAngle && sameLine(l.line, candidate.line, SAME_LINE_OFFSET_PX))) continue;
    lines.push(candidate);
  }
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

/** Two lines closer than `maxOffset` px (at b's point) are one side, not two. */
function sameLine(a: Line, b: Line, maxOffset = 2): boolean {
  const offset = Math.abs((b.point.x - a.point.x) * a.direction.y - (b.point.y - a.point.y) * a.direction.x);
  return offset < maxOffset;
}
