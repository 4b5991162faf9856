import type { quality } from '@ekyc/core';
import type { Mat, MatScope, OpenCv } from './opencv-frame.ts';

// Straight lines of an edge map, for the outline search (candidates.ts) where contours give none.

/** Shortest straight piece, as a fraction of the edge map's shorter side (the contours' long pieces' length, candidates.ts). */
const MIN_SEGMENT_FRACTION = 0.2;
/** Edge pixels on a line (fraction of the shortest straight piece, `MIN_SEGMENT_FRACTION` of the reduced frame's shorter side) for the Hough transform to report it. */
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
 * (`MAX_STRAIGHT_EDGE_DENSITY`).
 */
export function straightEdges(cv: OpenCv, edges: Mat, scale: number, scope: MatScope): quality.Segment[] {
  if (cv.countNonZero(edges) > MAX_STRAIGHT_EDGE_DENSITY * edges.cols * edges.rows) return [];
  const minLength = MIN_SEGMENT_FRACTION * Math.min(edges.cols, edges.rows);
  const lines = scope.mat();
  cv.HoughLinesP(edges, lines, 1, Math.PI / 180, Math.round(HOUGH_MIN_VOTES_FRACTION * minLength), minLength, HOUGH_MAX_GAP);
  const ends = lines.data32S;
  const segments: quality.Segment[] = [];
  for (let k = 0; k < lines.rows; k++) {
    const at = 4 * k;
    segments.push({ a: { x: (ends[at]! + 0.5) * scale, y: (ends[at + 1]! + 0.5) * scale }, b: { x: (ends[at + 2]! + 0.5) * scale, y: (ends[at + 3]! + 0.5) * scale } });
  }
  return segments;
}

