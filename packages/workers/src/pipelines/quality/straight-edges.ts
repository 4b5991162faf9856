import { quality } from '@ekyc/core';
import type { Mat, MatScope, OpenCv } from './opencv-frame.ts';
import { shortestPiece } from './search-scale.ts';

// Straight lines of an edge map, for the outline search (candidates.ts) where contours give none.

/** Edge pixels on a line (fraction of the shortest straight piece, `shortestPiece`) for the Hough transform to report it. */
const HOUGH_MIN_VOTES_FRACTION = 0.6;
/** Largest gap (reduced pixels) within one straight piece: a corner's rounding or a speck of clutter, not a side's end. */
const HOUGH_MAX_GAP = 3;
/**
 * Largest share of edge pixels in the edge map for its straight lines to be read. Above it the map is
 * a texture (a woven fabric, a busy print: 0.27 on bench frame 5015, against 0.04-0.08 for a card on a
 * table), whose lines are the weave's, and the Hough transform costs 10-20 ms.
 */
const MAX_STRAIGHT_EDGE_DENSITY = 0.15;

/**
 * The straight pieces of an edge map (`cv.HoughLinesP`), in full-resolution pixels. Unlike a contour's
 * simplified edges they do not depend on what the edge touches: a card's side met all along by clutter
 * (objects under it, a table's edges) is one contour with the clutter, simplified into chords that lie
 * on none of its sides, yet its edge pixels still lie on one line. None from a texture's edge map
 * (`MAX_STRAIGHT_EDGE_DENSITY`). `pieceShare`: the shortest piece reported, as a share of the usual
 * (`shortestPiece`); pieces are joined across gaps of the usual piece's length.
 */
export function straightEdges(cv: OpenCv, edges: Mat, scale: number, scope: MatScope, angleStepDeg = 1, pieceShare = 1): quality.Segment[] {
  if (cv.countNonZero(edges) > MAX_STRAIGHT_EDGE_DENSITY * edges.cols * edges.rows) return [];
  const usual = shortestPiece(edges.cols, edges.rows);
  const joinGap = JOIN_GAP_FRACTION * usual * scale;
  const minLength = pieceShare * usual;
  const lines = scope.mat();
  cv.HoughLinesP(edges, lines, 1, (angleStepDeg * Math.PI) / 180, Math.round(HOUGH_MIN_VOTES_FRACTION * minLength), minLength, HOUGH_MAX_GAP);
  const ends = lines.data32S;
  const segments: quality.Segment[] = [];
  for (let k = 0; k < lines.rows; k++) {
    const at = 4 * k;
    segments.push({ a: { x: (ends[at]! + 0.5) * scale, y: (ends[at + 1]! + 0.5) * scale }, b: { x: (ends[at + 2]! + 0.5) * scale, y: (ends[at + 3]! + 0.5) * scale } });
  }
  return joinCollinear(segments, JOIN_OFFSET_PX * scale, joinGap);
}

/** Angle step (degrees) of the Hough transform for a held card's sides: half the votes of 1°, the same cards found (held tuning sets). */
const LONG_EDGE_ANGLE_STEP_DEG = 2;

/**
 * The straight pieces of the edge map's long outlines only (`straightEdges` of `longOutlines`), for a held
 * card's sides (outline-policy.ts `heldCardFromLines`): print makes short pieces (glyphs, the MRZ's
 * characters) whose baselines the Hough transform reports as long lines, and the longest lines a card's
 * quads are built from were then the MRZ's rather than the card's (held 480001). Dropping them found 1-5
 * more held cards per tuning set of 150. The transform's cost grows with edge pixels times angles (about 1
 * microsecond each in OpenCV.js: 2.8 ms on a card's frame at 1°): at 2° on the long outlines about 1 ms.
 * `pieceShare` (see `straightEdges`) shortens the straight pieces reported on those outlines only: the
 * outlines kept are still the long ones. `long`: `longOutlines` of the edge map, found once for every
 * `pieceShare` asked.
 */
export function longStraightEdges(cv: OpenCv, long: Mat, scale: number, scope: MatScope, pieceShare = 1): quality.Segment[] {
  return straightEdges(cv, long, scale, scope, LONG_EDGE_ANGLE_STEP_DEG, pieceShare);
}

/**
 * The edge map less every connected piece of edge shorter (its box's longer side) than the shortest
 * straight piece (`shortestPiece`): the outlines a card's sides can lie on. About 0.7 ms on a 320x180 map
 * (the connected components 0.5), so it is found once per frame however many pieces are asked of it.
 */
export function longOutlines(cv: OpenCv, edges: Mat, scope: MatScope): Mat {
  const labels = scope.mat();
  const stats = scope.mat();
  const centroids = scope.mat();
  const count = cv.connectedComponentsWithStats(edges, labels, stats, centroids, 8, cv.CV_32S);
  const minLength = shortestPiece(edges.cols, edges.rows);
  const long = new Uint8Array(count);
  const box = stats.data32S;
  for (let k = 1; k < count; k++) long[k] = Math.max(box[5 * k + cv.CC_STAT_WIDTH]!, box[5 * k + cv.CC_STAT_HEIGHT]!) >= minLength ? 1 : 0;
  const kept = scope.mat();
  edges.copyTo(kept);
  const label = labels.data32S;
  const pixels = kept.data;
  for (let i = 0; i < pixels.length; i++) if (pixels[i] && !long[label[i]!]) pixels[i] = 0;
  return kept;
}

/** Largest distance (reduced pixels) of a piece's ends from the line of the piece it continues. */
const JOIN_OFFSET_PX = 1.5;
/** Largest gap between two pieces of one line, as a fraction of the shortest straight piece. */
const JOIN_GAP_FRACTION = 1;

/**
 * Pieces of one straight line joined into one segment spanning them, longest first. The Hough
 * transform breaks a side that is a pixel staircase (a card turned by half a degree, seen on the
 * reduced frame) or crossed by clutter into pieces; joined, the side ranks by its length among the
 * lines that quads are built from (`quality.quadsFromLines` takes the longest).
 */
export function joinCollinear(segments: readonly quality.Segment[], maxOffset: number, maxGap: number): quality.Segment[] {
  const byLength = [...segments].sort((p, q) => quality.distance(q.a, q.b) - quality.distance(p.a, p.b));
  const joined: quality.Segment[] = [];
  for (const piece of byLength) {
    const at = joined.findIndex((line) => continues(line, piece, maxOffset, maxGap));
    if (at < 0) joined.push(piece);
    else joined[at] = span(joined[at]!, piece);
  }
  return joined;
}

/** Where `p` projects on the line of `s`, in px from `s.a` along it, and how far off the line it is. */
function project(s: quality.Segment, p: quality.Point): { along: number; off: number } {
  const size = quality.distance(s.a, s.b) || 1;
  const ux = (s.b.x - s.a.x) / size;
  const uy = (s.b.y - s.a.y) / size;
  return { along: (p.x - s.a.x) * ux + (p.y - s.a.y) * uy, off: Math.abs((p.x - s.a.x) * uy - (p.y - s.a.y) * ux) };
}

function continues(line: quality.Segment, piece: quality.Segment, maxOffset: number, maxGap: number): boolean {
  const a = project(line, piece.a);
  const b = project(line, piece.b);
  if (a.off > maxOffset || b.off > maxOffset) return false;
  const low = Math.min(a.along, b.along);
  const high = Math.max(a.along, b.along);
  return low - quality.distance(line.a, line.b) <= maxGap && -high <= maxGap;
}

/** `line` lengthened to hold `piece`'s ends' projections on it. */
function span(line: quality.Segment, piece: quality.Segment): quality.Segment {
  const size = quality.distance(line.a, line.b) || 1;
  const ux = (line.b.x - line.a.x) / size;
  const uy = (line.b.y - line.a.y) / size;
  const along = [0, size, project(line, piece.a).along, project(line, piece.b).along];
  const low = Math.min(...along);
  const high = Math.max(...along);
  return { a: { x: line.a.x + low * ux, y: line.a.y + low * uy }, b: { x: line.a.x + high * ux, y: line.a.y + high * uy } };
}

