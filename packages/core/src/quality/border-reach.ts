import { bandUnlikeBackground } from './aspect-growth.ts';
import { segmentSupportReaches, type EdgeSupportOptions, type PixelImage } from './edge-support.ts';
import { distance } from './geometry.ts';
import type { Point, Quad } from './types.ts';

/** Samples per group; a strip is judged by its mean colour. */
const SAMPLES = 16;

/** Mean colour (the used channels) at the given points, clamped to the image. */
export function meanColour(image: PixelImage, points: readonly Point[]): number[] {
  const used = image.used ?? image.channels;
  const sums = new Array<number>(used).fill(0);
  for (const p of points) {
    const x = Math.min(image.width - 1, Math.max(0, Math.round(p.x)));
    const y = Math.min(image.height - 1, Math.max(0, Math.round(p.y)));
    const at = (y * image.width + x) * image.channels;
    for (let c = 0; c < used; c++) sums[c]! += image.data[at + c]!;
  }
  return sums.map((s) => s / Math.max(1, points.length));
}

/** Euclidean distance of two colours. */
export const colourDistance = (a: readonly number[], b: readonly number[]): number => Math.hypot(...a.map((v, i) => v - b[i]!));

/**
 * Whether the document really meets the frame border along `side` of `quad` (a side lying on the
 * border), rather than the quad being stretched over background to it: the strip just inside that
 * side must look more like the document (around the quad's centre) than like the background just
 * outside the two sides that meet the border, near it. `depth` (px) is how far in and out of the quad
 * the strips are sampled. A neighbouring side flagged in `onBorder` (along the border too, at a frame
 * corner) gives no background sample: beside it, the samples would be clamped onto the document.
 */
export function documentReachesBorder(image: PixelImage, quad: Quad, side: number, depth = 8, onBorder?: readonly boolean[], unlikeBackground = Infinity): boolean {
  const a = quad[side]!;
  const b = quad[(side + 1) % 4]!;
  const beforeA = quad[(side + 3) % 4]!;
  const afterB = quad[(side + 2) % 4]!;
  const centre = { x: (quad[0].x + quad[1].x + quad[2].x + quad[3].x) / 4, y: (quad[0].y + quad[1].y + quad[2].y + quad[3].y) / 4 };
  const lerp = (p: Point, q: Point, t: number): Point => ({ x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t });
  /** Unit normal of segment p-q pointing away from the quad's centre. */
  const outward = (p: Point, q: Point): Point => {
    const length = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    let n = { x: -(q.y - p.y) / length, y: (q.x - p.x) / length };
    const mid = lerp(p, q, 0.5);
    if (n.x * (mid.x - centre.x) + n.y * (mid.y - centre.y) < 0) n = { x: -n.x, y: -n.y };
    return n;
  };
  const inwardOfSide = outward(a, b);
  const strip: Point[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const p = lerp(a, b, 0.1 + (0.8 * (k + 0.5)) / SAMPLES);
    // Inside the frame: the side may lie a little beyond the border.
    strip.push({ x: p.x - inwardOfSide.x * depth * 1.5, y: p.y - inwardOfSide.y * depth * 1.5 });
  }
  // The document: around the quad's centre, towards the strip.
  const inside = strip.map((p) => lerp(centre, p, 0.15));
  const outside: Point[] = [];
  // Outside the two sides meeting the border, over the stretch nearest it (where a stretched quad runs over background).
  for (const [from, to, neighbour] of [[a, beforeA, (side + 3) % 4], [b, afterB, (side + 1) % 4]] as const) {
    if (onBorder?.[neighbour]) continue;
    const n = outward(from, to);
    for (let k = 0; k < SAMPLES / 2; k++) {
      const p = lerp(from, to, 0.04 + (0.2 * (k + 0.5)) / (SAMPLES / 2));
      outside.push({ x: p.x + n.x * depth, y: p.y + n.y * depth });
    }
  }
  const stripColour = meanColour(image, strip);
  const fromBackground = colourDistance(stripColour, meanColour(image, outside));
  return fromBackground >= unlikeBackground || colourDistance(stripColour, meanColour(image, inside)) <= fromBackground;
}

export interface BorderGrowthOptions extends EdgeSupportOptions {
  /** Farthest a side may move to the border, as a fraction of the neighbouring sides' length. */
  maxShiftFraction: number;
  /** Edge support the neighbouring sides need on their way from the old corners to the border. */
  minContinuation: number;
}

/** Share of the way from an old corner to the border on which the neighbouring side's edge is checked (the last part may be cut by the border). */
const BORDER_CONTINUATION_SPAN = 0.9;

/**
 * The outline of a document that runs off the frame when `quad` stopped at an inner edge near the
 * border (a header band's lower edge, the band itself running out of view): one side is moved out to
 * the frame border, its corners to where the two neighbouring sides' lines leave the frame, when
 * both sides carry on with edges (`minContinuation`) from the old corners toward the border and the
 * strip added differs in colour (by `minStep`) from the background just outside those sides
 * (`bandUnlikeBackground`: a card near the border has background there). Only one of the quad's two
 * longer sides moves: a document's bands run along its long sides, and a short side moved out to the
 * border is a card in view grown over a stretch of what it lies on (a stripe of the table as tall as the
 * card, its edges carrying the card's long sides on to the border). Of the sides that qualify, the one that
 * moves least; the quad itself when none does.
 */
export function growToBorder(image: PixelImage, quad: Quad, options: BorderGrowthOptions): Quad {
  let best: { quad: Quad; shift: number } | null = null;
  const sideLength = (side: number): number => distance(quad[side]!, quad[(side + 1) % 4]!);
  const longSides = sideLength(0) + sideLength(2) >= sideLength(1) + sideLength(3) ? [0, 2] : [1, 3];
  for (const side of longSides) {
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const beforeA = quad[(side + 3) % 4]!;
    const afterB = quad[(side + 2) % 4]!;
    const exitA = frameExit(beforeA, a, image.width, image.height);
    const exitB = frameExit(afterB, b, image.width, image.height);
    if (!exitA || !exitB) continue;
    const shift = Math.max(Math.hypot(exitA.x - a.x, exitA.y - a.y), Math.hypot(exitB.x - b.x, exitB.y - b.y));
    const reach = options.maxShiftFraction * Math.min(Math.hypot(a.x - beforeA.x, a.y - beforeA.y), Math.hypot(b.x - afterB.x, b.y - afterB.y));
    if (shift < 2 || shift > reach || (best && shift >= best.shift)) continue;
    const toward = (from: Point, to: Point): Point => ({ x: from.x + (to.x - from.x) * BORDER_CONTINUATION_SPAN, y: from.y + (to.y - from.y) * BORDER_CONTINUATION_SPAN });
    if (!segmentSupportReaches(image, a, toward(a, exitA), options, options.minContinuation)) continue;
    if (!segmentSupportReaches(image, b, toward(b, exitB), options, options.minContinuation)) continue;
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const centre = { x: (quad[0].x + quad[1].x + quad[2].x + quad[3].x) / 4, y: (quad[0].y + quad[1].y + quad[2].y + quad[3].y) / 4 };
    let normal = { x: -(b.y - a.y) / length, y: (b.x - a.x) / length };
    if (normal.x * ((a.x + b.x) / 2 - centre.x) + normal.y * ((a.y + b.y) / 2 - centre.y) < 0) normal = { x: -normal.x, y: -normal.y };
    if (!bandUnlikeBackground(image, a, b, exitA, exitB, normal, options.minStep ?? 16)) continue;
    const corners = [...quad];
    corners[side] = exitA;
    corners[(side + 1) % 4] = exitB;
    best = { quad: [corners[0]!, corners[1]!, corners[2]!, corners[3]!], shift };
  }
  return best?.quad ?? quad;
}

/** Where the line from `from` through `through` leaves the frame beyond `through` (on its border), or `null` when `through` is not inside it. */
function frameExit(from: Point, through: Point, width: number, height: number): Point | null {
  const dx = through.x - from.x;
  const dy = through.y - from.y;
  if (through.x < 0 || through.y < 0 || through.x > width - 1 || through.y > height - 1) return null;
  let t = Infinity;
  if (dx > 0) t = Math.min(t, (width - 1 - through.x) / dx);
  if (dx < 0) t = Math.min(t, -through.x / dx);
  if (dy > 0) t = Math.min(t, (height - 1 - through.y) / dy);
  if (dy < 0) t = Math.min(t, -through.y / dy);
  return Number.isFinite(t) ? { x: through.x + dx * t, y: through.y + dy * t } : null;
}

/**
 * The colour step across the side `a`-`b` of a quad whose centre is `centre`: the distance between the
 * mean colours of strips `depth` px inside and outside it, over the side's middle 80%. A document's
 * side separates its stock or print from what it lies on; a line of the background (a fabric's
 * stripe, a wood grain line) has the same background on both sides.
 */
export function stepAcrossSide(image: PixelImage, a: Point, b: Point, centre: Point, depth = 8): number {
  const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  let n = { x: -(b.y - a.y) / length, y: (b.x - a.x) / length };
  if (n.x * ((a.x + b.x) / 2 - centre.x) + n.y * ((a.y + b.y) / 2 - centre.y) < 0) n = { x: -n.x, y: -n.y };
  const inside: Point[] = [];
  const outside: Point[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const t = 0.1 + (0.8 * (k + 0.5)) / SAMPLES;
    const p = { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
    for (const d of [depth, 2 * depth]) {
      inside.push({ x: p.x - n.x * d, y: p.y - n.y * d });
      outside.push({ x: p.x + n.x * d, y: p.y + n.y * d });
    }
  }
  return colourDistance(meanColour(image, inside), meanColour(image, outside));
}
