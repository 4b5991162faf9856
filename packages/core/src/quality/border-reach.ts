import type { PixelImage } from './edge-support.ts';
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
 * the strips are sampled.
 */
export function documentReachesBorder(image: PixelImage, quad: Quad, side: number, depth = 8): boolean {
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
  for (const [from, to] of [[a, beforeA], [b, afterB]] as const) {
    const n = outward(from, to);
    for (let k = 0; k < SAMPLES / 2; k++) {
      const p = lerp(from, to, 0.04 + (0.2 * (k + 0.5)) / (SAMPLES / 2));
      outside.push({ x: p.x + n.x * depth, y: p.y + n.y * depth });
    }
  }
  const stripColour = meanColour(image, strip);
  return colourDistance(stripColour, meanColour(image, inside)) <= colourDistance(stripColour, meanColour(image, outside));
}
