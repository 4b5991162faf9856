// The scale the document search judges sizes against (smallest outline, shortest straight piece, a
// box's share of the frame), from the frame's size.

/** Height over width of the landscape camera frame the search was tuned on (1280x720). */
const TUNED_ASPECT = 9 / 16;

/**
 * The frame's shorter side as the search weighs it: the frame's own for a frame as wide as 16:9 or
 * wider; for a taller one (a phone held upright, a 4:3 camera) that of the 16:9 frame of its width. A
 * user frames the card by the frame's width (the distance check is the card's width over the frame's),
 * so a card ready for capture is as large against the width in every orientation; against an upright
 * frame's height it is a little over half as large, and against its area a third.
 */
export function searchShortSide(width: number, height: number): number {
  return Math.min(height, width * TUNED_ASPECT);
}

/** Shortest straight piece the search uses as a line, as a fraction of `searchShortSide`: the contours' long pieces (candidates.ts) and the edge map's straight lines (straight-edges.ts). */
const MIN_SEGMENT_FRACTION = 0.2;

/** The shortest straight piece, in the pixels of an image `width` x `height` (`MIN_SEGMENT_FRACTION` of its `searchShortSide`). */
export function shortestPiece(width: number, height: number): number {
  return MIN_SEGMENT_FRACTION * searchShortSide(width, height);
}

/** The frame's area as the search weighs it: its width times `searchShortSide`. */
export function searchArea(width: number, height: number): number {
  return width * searchShortSide(width, height);
}
