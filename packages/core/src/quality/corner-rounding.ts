import { colourDistance, meanColour } from './border-reach.ts';
import type { PixelImage } from './edge-support.ts';
import { applyHomography, distance, homographyFromPoints } from './geometry.ts';
import type { Point, Quad } from './types.ts';

/**
 * Corner radius of an identity document, as a fraction of its long side: ID-1 cards 3.18 / 85.6 mm
 * (ISO/IEC 7810), passport data pages about 3.5 / 125 mm; between the two, so both read as rounded.
 */
export const DOCUMENT_CORNER_RADIUS = 0.032;

/** Where the corner's tip is sampled, in radii from the corner along each side: outside the arc of either format (0.29 radii is the arc's nearest point on the diagonal). */
const TIP_RADII = 0.18;
/** Where the document is sampled, inside the arc (radii from the corner along each side). */
const INSIDE_RADII = 1.3;
/** Where the surroundings are sampled, beyond the corner (radii from the corner along each side, outward). */
const OUTSIDE_RADII = 0.6;
/** Least colour distance between the inside and the surroundings for a verdict: a thumb over the corner, or a card the colour of its background, says nothing. */
const MIN_SEPARATION = 30;

/** Score at or above which a corner reads as a rounded document corner (`cornerRounding`). */
export const ROUNDED_CORNER_SCORE = 0.5;
/** Score at or below which a corner reads as square: the tip belongs with the inside (an inner edge's corner, a crossing of two lines inside a document or of a background's lines). */
export const SQUARE_CORNER_SCORE = -0.3;

/**
 * How each corner of `quad` (TL, TR, BR, BL) reads as an identity document's rounded corner, from -1 to
 * 1, or `null` where it cannot tell (the corner off the image, or its inside and surroundings alike).
 * A document's sides meet at a rounded corner: the tip where its side lines cross lies outside the
 * document and shows what surrounds it. The tip is sampled `TIP_RADII` of a document corner's radius
 * in from the corner along both sides, the document `INSIDE_RADII` in and the surroundings
 * `OUTSIDE_RADII` out, through the quad's homography (so perspective bends the radius as it does the
 * document); the score is (tip's colour distance to the inside - to the surroundings) / (inside's to
 * the surroundings). A document's own corner reads near 1 (on the generated quality sets, 81% of the
 * true corners at 0.5 or more, 0.3% at -0.3 or less, the rest off the frame or undecided); a corner
 * where an inner edge (a header band, a portrait box) or a background's line meets a side reads near -1:
 * its tip is the inside's colour.
 */
export function cornerRounding(image: PixelImage, quad: Quad, radiusFraction = DOCUMENT_CORNER_RADIUS): (number | null)[] {
  const toQuad = homographyFromPoints([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }], quad);
  if (!toQuad) return [null, null, null, null];
  const across = distance(quad[0], quad[1]) + distance(quad[3], quad[2]);
  const down = distance(quad[0], quad[3]) + distance(quad[1], quad[2]);
  // The radius in the unit square's coordinates: a fraction of the long side, so more of the short one.
  const longer = Math.max(across, down);
  const rx = (radiusFraction * longer) / Math.max(1, across);
  const ry = (radiusFraction * longer) / Math.max(1, down);
  const unitCorners: readonly (readonly [number, number])[] = [[0, 0], [1, 0], [1, 1], [0, 1]];
  return unitCorners.map(([cx, cy]) => {
    const inward = { x: cx === 0 ? 1 : -1, y: cy === 0 ? 1 : -1 };
    const at = (radii: number): Point => applyHomography(toQuad, { x: cx + inward.x * radii * rx, y: cy + inward.y * radii * ry });
    const tip = patchColour(image, at(TIP_RADII));
    const inside = patchColour(image, at(INSIDE_RADII));
    const outside = patchColour(image, at(-OUTSIDE_RADII));
    if (!tip || !inside || !outside) return null;
    const separation = colourDistance(inside, outside);
    if (separation < MIN_SEPARATION) return null;
    return (colourDistance(tip, inside) - colourDistance(tip, outside)) / separation;
  });
}

/** Corners of `cornerRounding`'s scores that read as rounded, and as square. */
export function roundingTally(scores: readonly (number | null)[]): { rounded: number; square: number } {
  let rounded = 0;
  let square = 0;
  for (const score of scores) {
    if (score === null) continue;
    if (score >= ROUNDED_CORNER_SCORE) rounded++;
    else if (score <= SQUARE_CORNER_SCORE) square++;
  }
  return { rounded, square };
}

/** Mean colour of the 3 x 3 pixels around `p`, or `null` when they do not all lie in the image. */
function patchColour(image: PixelImage, p: Point): number[] | null {
  const x = Math.round(p.x);
  const y = Math.round(p.y);
  if (x < 1 || y < 1 || x >= image.width - 1 || y >= image.height - 1) return null;
  const patch: Point[] = [];
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) patch.push({ x: x + dx, y: y + dy });
  return meanColour(image, patch);
}
