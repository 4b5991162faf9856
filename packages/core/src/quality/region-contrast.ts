import type { PixelImage } from './edge-support.ts';
import { applyHomography, homographyFromPoints } from './geometry.ts';
import type { Point, Quad } from './types.ts';

/** Grid of samples inside the quad (columns x rows, in the quad's own coordinates). */
const GRID_COLUMNS = 24;
const GRID_ROWS = 16;
/** Inset of the inside grid from the quad's sides (fraction of the side), away from its own edge. */
const GRID_INSET = 0.08;
/** Samples per side for the ring outside the quad, at each of the ring's distances. */
const RING_SAMPLES = 24;
/** Distances of the ring outside each side, as fractions of the quad's mean side length (17-86 px on a 700 x 440 px card): wide enough to hold a sample of a patterned background's whole pattern, not one stripe. */
const RING_DISTANCES = [0.03, 0.06, 0.09, 0.12, 0.15] as const;
/** Nearest the ring is sampled (px), on small quads. */
const MIN_RING_PX = 8;
/** Pixel offset (px) of the two neighbours a sample's texture is measured against. */
const TEXTURE_STEP = 2;
/** Fewest ring samples inside the frame for a verdict: a document that fills the frame has no surroundings to differ from. */
const MIN_RING_SHARE = 0.25;

/** Statistics of one set of samples: mean colour, mean distance from it (spread), mean local gray step (texture). */
interface SampleStats {
  mean: number[];
  spread: number;
  texture: number;
  count: number;
}

/**
 * How much the inside of `quad` differs from a ring just outside it: the distance between their mean
 * colours, plus the difference of their colour spreads, plus twice the difference of their texture
 * (mean gray step to the pixels `TEXTURE_STEP` px right and below). A document differs from what it
 * lies on in at least one of these: its stock's colour, its print (portrait, header band: spread) or
 * its text strokes (texture). A rectangle formed by the background's own lines (the stripes of a
 * woven fabric, a tiled floor) has the background inside and out. `null` when too little of the ring
 * lies in the image to tell (a document filling the frame).
 */
export function regionContrast(image: PixelImage, quad: Quad): number | null {
  const toQuad = homographyFromPoints([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }], quad);
  if (!toQuad) return null;
  const inside: Point[] = [];
  for (let i = 0; i < GRID_COLUMNS; i++) {
    for (let j = 0; j < GRID_ROWS; j++) {
      inside.push(applyHomography(toQuad, { x: GRID_INSET + ((1 - 2 * GRID_INSET) * (i + 0.5)) / GRID_COLUMNS, y: GRID_INSET + ((1 - 2 * GRID_INSET) * (j + 0.5)) / GRID_ROWS }));
    }
  }
  const centre = { x: (quad[0].x + quad[1].x + quad[2].x + quad[3].x) / 4, y: (quad[0].y + quad[1].y + quad[2].y + quad[3].y) / 4 };
  const meanSide = quad.reduce((sum, p, k) => sum + Math.hypot(quad[(k + 1) % 4]!.x - p.x, quad[(k + 1) % 4]!.y - p.y), 0) / 4;
  const ring: Point[] = [];
  for (let side = 0; side < 4; side++) {
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    let normal = { x: -(b.y - a.y) / length, y: (b.x - a.x) / length };
    if (normal.x * ((a.x + b.x) / 2 - centre.x) + normal.y * ((a.y + b.y) / 2 - centre.y) < 0) normal = { x: -normal.x, y: -normal.y };
    for (let k = 0; k < RING_SAMPLES; k++) {
      const t = 0.1 + (0.8 * (k + 0.5)) / RING_SAMPLES;
      for (const fraction of RING_DISTANCES) {
        const d = Math.max(MIN_RING_PX, fraction * meanSide);
        ring.push({ x: a.x + (b.x - a.x) * t + normal.x * d, y: a.y + (b.y - a.y) * t + normal.y * d });
      }
    }
  }
  return contrastOf(image, inside, ring);
}

/** The contrast (see `regionContrast`) of two sets of samples, or `null` when too few of `outside` lie in the image. */
function contrastOf(image: PixelImage, inside: readonly Point[], outside: readonly Point[]): number | null {
  const inStats = sampleStats(image, inside);
  const ringStats = sampleStats(image, outside);
  if (inStats.count === 0 || ringStats.count < MIN_RING_SHARE * outside.length) return null;
  const colour = Math.hypot(...inStats.mean.map((v, c) => v - ringStats.mean[c]!));
  return colour + Math.abs(inStats.spread - ringStats.spread) + 2 * Math.abs(inStats.texture - ringStats.texture);
}

/** Mean colour, spread and texture of the samples that lie in the image (with room for the texture's neighbours). */
function sampleStats(image: PixelImage, points: readonly Point[]): SampleStats {
  const used = Math.min(3, image.used ?? image.channels);
  const { data, width, height, channels } = image;
  // The samples' colours, packed (`used` per sample): no array per sample on this per-candidate path.
  const colours = new Uint8Array(points.length * used);
  let count = 0;
  let texture = 0;
  const gray = (at: number): number => (used < 3 ? data[at]! : 0.299 * data[at]! + 0.587 * data[at + 1]! + 0.114 * data[at + 2]!);
  for (const p of points) {
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    if (x < 0 || y < 0 || x >= width - TEXTURE_STEP || y >= height - TEXTURE_STEP) continue;
    const at = (y * width + x) * channels;
    for (let c = 0; c < used; c++) colours[count * used + c] = data[at + c]!;
    count++;
    const g = gray(at);
    texture += Math.abs(g - gray(at + TEXTURE_STEP * channels)) + Math.abs(g - gray(at + TEXTURE_STEP * width * channels));
  }
  const mean = new Array<number>(used).fill(0);
  for (let k = 0; k < count; k++) for (let c = 0; c < used; c++) mean[c]! += colours[k * used + c]! / Math.max(1, count);
  let spread = 0;
  for (let k = 0, at = 0; k < count; k++, at += used) {
    // Math.hypot of the 1 to 3 channel differences, as before (the same sums, in the same order).
    spread += used === 3 ? Math.hypot(colours[at]! - mean[0]!, colours[at + 1]! - mean[1]!, colours[at + 2]! - mean[2]!) : used === 2 ? Math.hypot(colours[at]! - mean[0]!, colours[at + 1]! - mean[1]!) : Math.hypot(colours[at]! - mean[0]!);
  }
  return { mean, spread: spread / Math.max(1, count), texture: texture / Math.max(1, count), count };
}
