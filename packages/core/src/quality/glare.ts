import type { BlockGrid } from './region-stats.ts';
import type { GrayImage } from './refine-corners.ts';
import type { Point } from './types.ts';
import { homographyFromPoints, rowSpan, type Homography } from './geometry.ts';

// Specular glare (#18, seventh pass of 2026-12-02). A specular highlight is one compact, round blob of
// light laid over the document whatever its layout: under its flat core the light alone reaches white,
// so stock and print clip together and the print is erased (the clipped blob has no holes); around the
// core the light falls off smoothly, so the stock's level decreases with the distance from the blob's
// centre until it meets the document's own stock. Print clipped by the exposure follows the layout
// instead: a portrait's backdrop, the MRZ band or the whole stock, with the darker print (a face, text)
// surviving inside it as holes and a printed edge, not a falloff, around it.

export interface HotspotOptions {
  /** Side (px at the reference scale, even) of the cells whose mean gray the blob is read on, over every other row: 8 pixels average the sensor noise (±3 levels) out of the clipping test. */
  cellSize: number;
  /** Fewest cells of a clipped blob worth reading (20 cells of 4 px: 0.1% of a 640 x 404 card). */
  minCells: number;
  /** Largest RMS distance of the blob's boundary from the circle fitted to it, over its radius: a highlight's core is round, a backdrop or band is not. */
  maxRoundnessError: number;
  /** Largest share of the fitted circle's inside that is not the blob: print surviving inside a clipped region means the light did not erase it. */
  maxHoles: number;
  /** The falloff is read where the stock's level is above `stock + fallOffFloor * (clip - stock)`: the part of the ramp well clear of the stock and its print. */
  fallOffFloor: number;
  /** Fewest rings on the falloff for its slope to be read (each ring 5% of the blob's radius wide). */
  minFallOffRings: number;
}

export const DEFAULT_HOTSPOT_OPTIONS: Readonly<HotspotOptions> = Object.freeze({
  cellSize: 4,
  minCells: 20,
  maxRoundnessError: 0.15,
  maxHoles: 0.1,
  fallOffFloor: 0.35,
  minFallOffRings: 3,
});

/** The brightest level: the flat core of a highlight is where the light alone reaches it. */
const WHITE = 255;
/** Rings read outside the blob, out to 1.6 times its radius, on cells of no other clipped region; the stock around it is read from 1.6 to 2 radii, on its unclipped cells. */
const RINGS = 12;
const RING_SPAN = 0.6;
const STOCK_RING = [1.6, 2] as const;
/** The stock's level in a ring: the upper quartile of its cells' means (print only darkens a cell). */
const STOCK_QUANTILE = 0.75;
/** Angular bins of a circle's circumference, and the share of those in the region measured that the points on a merged blob's round part must line. */
const ARC_BINS = 32;
const MIN_ARC = 0.75;
/** Largest share of the region measured a blob may cover for its round part to be read (see `highlights`). */
const MAX_MERGED_SHARE = 0.5;
/** The blob's edge is read on a profile of bins half a cell wide, from 3 cells inside the blob's boundary (fitted to cell centres, whose means print lowers) out to the rings' end. */
const EDGE_BIN = 0.5;
const EDGE_IN = 3;

/** One clipped blob read as a highlight: its circle (cells), the core's radius, and why it was kept or not. */
export interface Highlight {
  x: number;
  y: number;
  /** Radius of the clipped blob (where the stock's level crosses the clipping level, when read; else fitted to its boundary cells) and of the flat core inside it (px at the reference scale). */
  radius: number;
  coreRadius: number;
  roundnessError: number;
  holes: number;
  /** Slope of the falloff outside the blob, gray levels per px (negative for a highlight), or NaN. */
  fallOff: number;
  /** Share of the document under the core. */
  fraction: number;
  isHighlight: boolean;
}

/**
 * Specular glare as a fraction of the document: the share of the document (`documentOutline`, its own
 * edge) under the flat cores of specular highlights found inside `outline` (the region measured, inset
 * from the edge) of `image`. `grid` (from the measuring pass over the same outline) says where to look:
 * only around blocks at least half clipped, so a frame without any costs nothing.
 *
 * Each 4-connected blob of clipped cells (cell mean >= the grid's clipping level) is a highlight when
 * its boundary fits a circle (`maxRoundnessError`; the document's edge is not a boundary, so a core cut
 * by the edge still fits), the circle holds no surviving print (`maxHoles`), and outside it the stock's
 * level falls with the distance (at least `minFallOffRings` rings of the falloff, negative slope). A blob
 * that does not fit a circle (a highlight merged with a band or backdrop the exposure clipped) is judged
 * by its round part, if it has one (`roundPart`). The core is where the light reaches white: the stock's
 * level crosses the clipping level at the blob's edge, so the core's radius is that edge's less
 * (255 - clip) / |slope|. On a light stock the clipped blob is much larger than
 * the core (stock 220: 1.6 times its area), on a dark one about the same.
 *
 * The share is of the document's surface, not of its image: with a 4-corner `documentOutline`, each
 * cell of a core counts the surface it shows (the outline's homography to a rectangle, `documentSurface`):
 * a tilted document shows its near part larger. With `documentAspect` (the document's width / height) the
 * surface is metric, and a core on a slanted document is read as the ellipse its circle shows as
 * (`roundnessOnSurface`); without it, as the disc of its radius. `documentAspect` is asked for only when a core is
 * measured.
 */
export function hotspotFraction(grid: BlockGrid, image: GrayImage, outline: readonly Point[], documentOutline: readonly Point[] = outline, options: HotspotOptions = DEFAULT_HOTSPOT_OPTIONS, documentAspect?: () => number): number {
  return highlights(grid, image, outline, documentOutline, options, documentAspect).reduce((sum, h) => sum + (h.isHighlight ? h.fraction : 0), 0);
}

/** Every clipped blob `hotspotFraction` reads, kept or not (for diagnosis). */
export function highlights(grid: BlockGrid, image: GrayImage, outline: readonly Point[], documentOutline: readonly Point[] = outline, options: HotspotOptions = DEFAULT_HOTSPOT_OPTIONS, documentAspect?: () => number): Highlight[] {
  const box = saturatedBox(grid);
  if (!box) return [];
  const c = options.cellSize;
  const clip = grid.clipLevel;
  // The cells around the saturated blocks, far enough out for the falloff and the stock beyond it (2 radii).
  const reach = Math.max(box.x1 - box.x0, box.y1 - box.y0);
  const cx0 = Math.max(0, Math.floor((box.x0 - reach) / c));
  const cy0 = Math.max(0, Math.floor((box.y0 - reach) / c));
  const cx1 = Math.min(Math.floor(image.width / c), Math.ceil((box.x1 + reach) / c));
  const cy1 = Math.min(Math.floor(image.height / c), Math.ceil((box.y1 + reach) / c));
  const cw = cx1 - cx0;
  const ch = cy1 - cy0;
  if (cw <= 0 || ch <= 0) return [];
  const cells = cellGrid(image, c, cx0, cy0, cw, ch, outline, documentOutline);
  const { mean, inside, inDocument } = cells;
  let insideCount = 0;
  for (let k = 0; k < inside.length; k++) insideCount += inside[k]!;
  const clipped = (k: number): boolean => inside[k] === 1 && mean[k]! >= clip;
  const documentArea = polygonArea(documentOutline);
  // Mapped at the first core measured (the aspect may cost its caller a pose fit).
  let surface: Surface | null | undefined;
  const blob = new Int32Array(cw * ch).fill(-1);
  const out: Highlight[] = [];
  for (let seed = 0; seed < cw * ch; seed++) {
    if (blob[seed] !== -1 || !clipped(seed)) continue;
    const members = [seed];
    blob[seed] = seed;
    const bx: number[] = [];
    const by: number[] = [];
    for (let m = 0; m < members.length; m++) {
      const k = members[m]!;
      const x = k % cw;
      const y = (k - x) / cw;
      let boundary = false;
      for (let d = 0; d < 4; d++) {
        const nx = x + (d === 0 ? 1 : d === 1 ? -1 : 0);
        const ny = y + (d === 2 ? 1 : d === 3 ? -1 : 0);
        if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
        const n = ny * cw + nx;
        if (clipped(n)) {
          if (blob[n] === -1) {
            blob[n] = seed;
            members.push(n);
          }
        } else if (inside[n] === 1) boundary = true; // the document's edge is no boundary of the blob
      }
      if (boundary) {
        bx.push(x + 0.5);
        by.push(y + 0.5);
      }
    }
    if (members.length < options.minCells) continue;
    const fitted = fitCircle(bx, by);
    if (!fitted) continue;
    let circle = { ...fitted, roundnessError: roundness(fitted, bx, by) };
    // Not round: a backdrop, a band or the clipped stock around the print, or a highlight merged with
    // one of them. Its round part, if any, is read on its own below; the rest of the blob is then no
    // part of its falloff, like another clipped region.
    let merged = false;
    if (!(circle.roundnessError <= options.maxRoundnessError)) {
      // Over half the region measured: the stock itself, clipped by the exposure. A highlight on it erases
      // only the print under it, not counted as its own (the issue's "a uniformly light card is not
      // glare"); and reading its inscribed disc cost more than the rest of the analysis on white cards.
      const part = members.length <= MAX_MERGED_SHARE * insideCount ? roundPart(members, blob, seed, inside, cw, ch, bx, by, options) : null;
      if (!part) {
        out.push({ x: (cx0 + circle.x) * c, y: (cy0 + circle.y) * c, radius: circle.r * c, coreRadius: Number.NaN, roundnessError: circle.roundnessError, holes: Number.NaN, fallOff: Number.NaN, fraction: 0, isHighlight: false });
        continue;
      }
      circle = part;
      merged = true;
    }
    const { x, y, r, roundnessError } = circle;
    // Cells of this blob beyond its round part (a merged blob's backdrop or band) count as another clipped region.
    const ownReach = merged ? r + 1 : Infinity;
    // Holes: the circle's inside (in the region measured) that is not this blob; the rings outside it.
    let within = 0;
    let holes = 0;
    const rings: number[][] = Array.from({ length: RINGS }, () => []);
    const stockRing: number[] = [];
    const edgeBins: number[][] = Array.from({ length: Math.ceil((EDGE_IN + RING_SPAN * r) / EDGE_BIN) }, () => []);
    const far = STOCK_RING[1] * r;
    for (let j = Math.max(0, Math.floor(y - far)); j < Math.min(ch, Math.ceil(y + far)); j++) {
      for (let i = Math.max(0, Math.floor(x - far)), k = j * cw + i; i < Math.min(cw, Math.ceil(x + far)); i++, k++) {
        if (inside[k] !== 1) continue;
        const u = i + 0.5 - x;
        const v = j + 0.5 - y;
        // Not Math.hypot: several times slower in V8, and its overflow guard is of no use on cell offsets.
        const rho = Math.sqrt(u * u + v * v);
        if (rho >= r - EDGE_IN && rho < (1 + RING_SPAN) * r && !(mean[k]! >= clip && (blob[k] !== seed || rho > ownReach))) edgeBins[Math.floor((rho - r + EDGE_IN) / EDGE_BIN)]!.push(mean[k]!);
        if (rho < r - 1.5) {
          within++;
          if (blob[k] !== seed) holes++;
        } else if (rho > r + 1 && rho < (1 + RING_SPAN) * r) {
          if (mean[k]! >= clip && (blob[k] !== seed || rho > ownReach)) continue; // another clipped region (a band, a backdrop) is no part of this falloff
          rings[Math.min(RINGS - 1, Math.floor(((rho - r - 1) / (RING_SPAN * r - 1)) * RINGS))]!.push(mean[k]!);
        } else if (rho >= STOCK_RING[0] * r && rho < far && !clipped(k)) stockRing.push(mean[k]!); // another clipped region there (a band, a backdrop) is not the stock
      }
    }
    const holeShare = within > 0 ? holes / within : 1;
    // The light falls off with the distance from the highlight: the stock around it lies no higher than
    // the lowest level its falloff reached. Read higher beyond 1.6 radii, it is lifted by other light
    // there (another clipped region's bright edge, a second highlight's halo).
    let lowest = Infinity;
    for (const ring of rings) if (ring.length > 0) lowest = Math.min(lowest, quantile(ring, STOCK_QUANTILE));
    const stock = Math.min(quantile(stockRing, STOCK_QUANTILE), lowest);
    const slope = fallOffSlope(rings, r, stock, clip, options); // levels per cell
    // The core ends (WHITE - clip) / |slope| inside the blob's edge, read where the stock's level (the
    // profile's upper quartile, as the falloff) crosses the clipping level: the blob's own boundary
    // (cells whose mean clips) lies inside it wherever print lowers a cell's mean, by (levels lost) /
    // |slope|, several pixels on a light stock whose falloff is shallow.
    const edge = clipCrossing(edgeBins, r - EDGE_IN, clip);
    const coreRadius = slope < 0 ? edge - (WHITE - clip) / -slope : Number.NaN;
    // The core's cells, each weighted by the share of the document's surface it shows (1 / the document's area without a surface map).
    let core = 0;
    if (coreRadius > 0) {
      if (surface === undefined) surface = documentSurface(documentOutline, documentAspect ? documentAspect() : Number.NaN);
      for (let j = Math.max(0, Math.floor(y - coreRadius)); j < Math.min(ch, Math.ceil(y + coreRadius)); j++) {
        for (let i = Math.max(0, Math.floor(x - coreRadius)), k = j * cw + i; i < Math.min(cw, Math.ceil(x + coreRadius)); i++, k++) {
          const u = i + 0.5 - x;
          const v = j + 0.5 - y;
          if (inDocument[k] === 1 && Math.sqrt(u * u + v * v) < coreRadius) core += surface ? surfaceShare(surface, (cx0 + i + 0.5) * c, (cy0 + j + 0.5) * c) : 1 / documentArea;
        }
      }
      if (surface) core /= roundnessOnSurface(surface, (cx0 + x) * c, (cy0 + y) * c);
    }
    const isHighlight = roundnessError <= options.maxRoundnessError && holeShare <= options.maxHoles && slope < 0 && core > 0;
    out.push({ x: (cx0 + x) * c, y: (cy0 + y) * c, radius: (Number.isFinite(edge) ? edge : r) * c, coreRadius: coreRadius * c, roundnessError, holes: holeShare, fallOff: slope / c, fraction: documentArea > 0 ? Math.min(1, core * c * c) : 0, isHighlight });
  }
  return out;
}

/**
 * The map from the region's pixels to the document's surface: its outline to a rectangle of the document's
 * aspect (width / height, `estimatePose`'s) and of area 1, or to the unit square when the aspect is not known. A
 * document at a tilt shows its near part larger than its far part (2 x 10% at the edges of a card tilted 14 deg at
 * a usual distance): its image's area is no measure of its surface. Null without a 4-corner outline.
 */
interface Surface {
  h: Homography;
  /** The map's Jacobian determinant's numerator (surface area per pixel is det / w^3). */
  det: number;
  /** Whether the surface is metric (the aspect known): only then is a circle on it a circle. */
  metric: boolean;
}

function documentSurface(outline: readonly Point[], aspect: number): Surface | null {
  if (outline.length !== 4) return null;
  const metric = Number.isFinite(aspect) && aspect > 0;
  const [sx, sy] = metric ? [Math.sqrt(aspect), 1 / Math.sqrt(aspect)] : [1, 1];
  const h = homographyFromPoints(outline, [{ x: 0, y: 0 }, { x: sx, y: 0 }, { x: sx, y: sy }, { x: 0, y: sy }]);
  if (!h) return null;
  const det = h[0] * (h[4] * h[8] - h[5] * h[7]) - h[1] * (h[3] * h[8] - h[5] * h[6]) + h[2] * (h[3] * h[7] - h[4] * h[6]);
  return { h, det, metric };
}

/** The document's surface (as a share of the whole) one pixel at (x, y) of the region shows. */
function surfaceShare(surface: Surface, x: number, y: number): number {
  const { h } = surface;
  const w = h[6] * x + h[7] * y + h[8];
  return Math.abs(surface.det / (w * w * w));
}

/**
 * How much larger the core reads on a document seen at a slant than its circle on the surface (1 when the
 * surface is not metric). The surface's circle shows as an ellipse of half-axes `major` >= `minor` (pixels per unit
 * of surface, the map's local singular values); the core's edge and falloff are read on the upper quartile of each
 * ring, so along a direction near its major axis, and the disc of that radius is larger than the ellipse by that
 * radius^2 / (major x minor).
 */
function roundnessOnSurface(surface: Surface, x: number, y: number): number {
  if (!surface.metric) return 1;
  const { h } = surface;
  const w = h[6] * x + h[7] * y + h[8];
  const u = (h[0] * x + h[1] * y + h[2]) / w;
  const v = (h[3] * x + h[4] * y + h[5]) / w;
  // The Jacobian of the surface's coordinates in the region's pixels, and its singular values (surface per pixel).
  const a = (h[0] - u * h[6]) / w;
  const b = (h[1] - u * h[7]) / w;
  const c = (h[3] - v * h[6]) / w;
  const d = (h[4] - v * h[7]) / w;
  const half = (a * a + b * b + c * c + d * d) / 2;
  const det = Math.abs(a * d - b * c);
  const spread = Math.sqrt(Math.max(0, half * half - det * det));
  const major = 1 / Math.sqrt(Math.max(1e-18, half - spread));
  const minor = 1 / Math.sqrt(half + spread);
  return (major * major * QUARTILE_COS2 + minor * minor * (1 - QUARTILE_COS2)) / (major * minor);
}

/**
 * cos^2 of the angle from the ellipse's major axis along which the core is read: 33 deg. A quarter of the directions
 * lie within 22.5 deg of the major axis (cos^2 0.854), but the ring's upper quartile also holds print and noise, and
 * the edge is read on cells: 0.854 over-corrected (read / label -4% at tilts over 30 deg, 14 tuning sets), 0.70 leaves
 * the read unbiased at every tilt (median log read / label -0.013 to +0.005 per 10 deg of tilt).
 */
const QUARTILE_COS2 = 0.7;

/** RMS distance of the points from the circle, over its radius. */
function roundness(circle: { x: number; y: number; r: number }, xs: readonly number[], ys: readonly number[]): number {
  let error = 0;
  for (let i = 0; i < xs.length; i++) {
    const u = xs[i]! - circle.x;
    const v = ys[i]! - circle.y;
    error += (Math.sqrt(u * u + v * v) - circle.r) ** 2;
  }
  return Math.sqrt(error / xs.length) / circle.r;
}

/**
 * The round part of a blob that is not round (a highlight merged with a clipped backdrop or band): the
 * largest disc inside the blob (chamfer distance to its nearest unclipped cell in the region measured),
 * refitted to the boundary points that lie on it. Kept only when those points are round
 * (`maxRoundnessError`) and line at least `MIN_ARC` of the circle's circumference inside the region:
 * a highlight's core is bounded by its own falloff almost all round, while the disc inscribed in a
 * band or a backdrop touches its boundary at a few points only. Null otherwise.
 */
function roundPart(members: readonly number[], blob: Int32Array, seed: number, inside: Uint8Array, cw: number, ch: number, bx: readonly number[], by: readonly number[], options: HotspotOptions): { x: number; y: number; r: number; roundnessError: number } | null {
  // Chamfer (3-4) distance, in thirds of a cell, to the nearest cell of the region that is not the
  // blob, over the blob's box and a cell around it (a frame may hold many blobs: the whole grid each
  // time would cost more than the rest of the analysis).
  let i0 = cw;
  let j0 = ch;
  let i1 = -1;
  let j1 = -1;
  for (const k of members) {
    const i = k % cw;
    const j = (k - i) / cw;
    if (i < i0) i0 = i;
    if (i > i1) i1 = i;
    if (j < j0) j0 = j;
    if (j > j1) j1 = j;
  }
  i0 = Math.max(0, i0 - 1);
  j0 = Math.max(0, j0 - 1);
  i1 = Math.min(cw - 1, i1 + 1);
  j1 = Math.min(ch - 1, j1 + 1);
  const w = i1 - i0 + 1;
  const h = j1 - j0 + 1;
  const distance = new Int32Array(w * h);
  const own = new Uint8Array(w * h);
  const FAR = 1 << 28;
  for (let j = 0; j < h; j++) {
    for (let i = 0, k = j * w, g = (j0 + j) * cw + i0; i < w; i++, k++, g++) {
      own[k] = blob[g] === seed ? 1 : 0;
      distance[k] = own[k] === 1 || inside[g] !== 1 ? FAR : 0;
    }
  }
  // Two raster passes, the neighbours' steps written out (helper calls per neighbour doubled the time);
  // the deepest cell of the blob is found on the second.
  for (let j = 0; j < h; j++) {
    for (let i = 0, k = j * w; i < w; i++, k++) {
      let d = distance[k]!;
      if (d === 0) continue;
      if (i > 0 && distance[k - 1]! + 3 < d) d = distance[k - 1]! + 3;
      if (j > 0) {
        if (distance[k - w]! + 3 < d) d = distance[k - w]! + 3;
        if (i > 0 && distance[k - w - 1]! + 4 < d) d = distance[k - w - 1]! + 4;
        if (i < w - 1 && distance[k - w + 1]! + 4 < d) d = distance[k - w + 1]! + 4;
      }
      distance[k] = d;
    }
  }
  let centre = -1;
  for (let j = h - 1; j >= 0; j--) {
    for (let i = w - 1, k = j * w + w - 1; i >= 0; i--, k--) {
      let d = distance[k]!;
      if (d === 0) continue;
      if (i < w - 1 && distance[k + 1]! + 3 < d) d = distance[k + 1]! + 3;
      if (j < h - 1) {
        if (distance[k + w]! + 3 < d) d = distance[k + w]! + 3;
        if (i < w - 1 && distance[k + w + 1]! + 4 < d) d = distance[k + w + 1]! + 4;
        if (i > 0 && distance[k + w - 1]! + 4 < d) d = distance[k + w - 1]! + 4;
      }
      distance[k] = d;
      if (own[k] === 1 && d < FAR && (centre < 0 || d > distance[centre]!)) centre = k;
    }
  }
  if (centre < 0) return null;
  // The boundary points are cell centres half a cell inside the blob's edge, which lies half a cell short of the nearest unclipped cell's centre.
  const inscribed = { x: i0 + (centre % w) + 0.5, y: j0 + Math.floor(centre / w) + 0.5, r: distance[centre]! / 3 - 1 };
  let circle: { x: number; y: number; r: number } | null = inscribed;
  let xs: number[] = [];
  let ys: number[] = [];
  for (let round = 0; round < 3 && circle; round++) {
    const { x, y, r } = circle;
    xs = [];
    ys = [];
    for (let i = 0; i < bx.length; i++) {
      const u = bx[i]! - x;
      const v = by[i]! - y;
      if (Math.abs(Math.sqrt(u * u + v * v) - r) < Math.max(1.5, 0.1 * r)) {
        xs.push(bx[i]!);
        ys.push(by[i]!);
      }
    }
    circle = fitCircle(xs, ys);
  }
  // The refit stays on the disc found: one that moved to another boundary (a hole's, a face in a backdrop) is not its edge.
  if (!circle || circle.r < 2 || Math.hypot(circle.x - inscribed.x, circle.y - inscribed.y) > 0.25 * inscribed.r || Math.abs(circle.r - inscribed.r) > 0.25 * inscribed.r) return null;
  const roundnessError = roundness(circle, xs, ys);
  if (!(roundnessError <= options.maxRoundnessError)) return null;
  // Share of the circumference (in the region measured) lined by the points on it.
  // Within one cell of it (the boundary's own step): a straight edge the disc touches lines only
  // +-sqrt(2 r) cells of it, under a sixth of the circumference for r >= 9 cells (36 px).
  const lined = new Uint8Array(ARC_BINS);
  for (let i = 0; i < xs.length; i++) {
    const u = xs[i]! - circle.x;
    const v = ys[i]! - circle.y;
    if (Math.abs(Math.sqrt(u * u + v * v) - circle.r) < 1) lined[Math.floor((Math.atan2(ys[i]! - circle.y, xs[i]! - circle.x) / (2 * Math.PI) + 1) * ARC_BINS) % ARC_BINS] = 1;
  }
  let inRegion = 0;
  let covered = 0;
  for (let b = 0; b < ARC_BINS; b++) {
    const angle = ((b + 0.5) / ARC_BINS) * 2 * Math.PI;
    const i = Math.floor(circle.x + circle.r * Math.cos(angle));
    const j = Math.floor(circle.y + circle.r * Math.sin(angle));
    if (i < 0 || j < 0 || i >= cw || j >= ch || inside[j * cw + i] !== 1) continue;
    inRegion++;
    covered += lined[b]!;
  }
  return inRegion > 0 && covered >= MIN_ARC * inRegion ? { ...circle, roundnessError } : null;
}

/** The box (px) of the grid's blocks that are at least half clipped, or null when there is none. */
function saturatedBox(grid: BlockGrid): { x0: number; y0: number; x1: number; y1: number } | null {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let b = 0; b < grid.count.length; b++) {
    if (grid.count[b] === 0 || 2 * grid.clipped[b]! < grid.count[b]!) continue;
    const bx = b % grid.columns;
    const by = (b - bx) / grid.columns;
    x0 = Math.min(x0, bx * grid.size);
    y0 = Math.min(y0, by * grid.size);
    x1 = Math.max(x1, (bx + 1) * grid.size);
    y1 = Math.max(y1, (by + 1) * grid.size);
  }
  return x0 <= x1 ? { x0, y0, x1, y1 } : null;
}

interface Cells {
  mean: Float32Array;
  /** 1 where the cell's centre lies inside the region measured / the document. */
  inside: Uint8Array;
  inDocument: Uint8Array;
}

/** Mean gray of `size`-px cells over the cell box (cx0, cy0, w, h), and which lie inside each outline. */
function cellGrid(image: GrayImage, size: number, cx0: number, cy0: number, w: number, h: number, outline: readonly Point[], documentOutline: readonly Point[]): Cells {
  const mean = new Float32Array(w * h);
  const inside = new Uint8Array(w * h);
  const inDocument = new Uint8Array(w * h);
  const { data, width } = image;
  const sums = new Uint32Array(w);
  for (let j = 0; j < h; j++) {
    sums.fill(0);
    const top = (cy0 + j) * size;
    // Every other row (those the measuring pass reads): half the reads, the noise still averaged over 8 pixels.
    for (let y = top + 1; y < top + size; y += 2) {
      const from = y * width + cx0 * size;
      // The default 4-px cells unrolled: the inner loop over a cell's 4 pixels cost as much as the rest of the highlights.
      if (size === 4) for (let i = 0, p = from; i < w; i++, p += 4) sums[i]! += data[p]! + data[p + 1]! + data[p + 2]! + data[p + 3]!;
      else for (let i = 0, p = from; i < w; i++) {
        let s = 0;
        for (let q = 0; q < size; q++, p++) s += data[p]!;
        sums[i]! += s;
      }
    }
    const centre = top + size / 2;
    const span = rowSpan(outline, centre);
    const documentSpan = rowSpan(documentOutline, centre);
    for (let i = 0; i < w; i++) {
      const k = j * w + i;
      mean[k] = sums[i]! / (size * Math.floor(size / 2));
      const xc = (cx0 + i) * size + size / 2;
      if (span && xc > span[0] && xc < span[1]) inside[k] = 1;
      if (documentSpan && xc > documentSpan[0] && xc < documentSpan[1]) inDocument[k] = 1;
    }
  }
  return { mean, inside, inDocument };
}

/** Least-squares circle (Kåsa: x² + y² + Dx + Ey + F = 0) through the points, or null when they are too few or collinear. */
function fitCircle(xs: readonly number[], ys: readonly number[]): { x: number; y: number; r: number } | null {
  const n = xs.length;
  if (n < 8) return null;
  // Centred coordinates keep the normal equations well conditioned.
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0, syy = 0, sxy = 0, sxz = 0, syz = 0, sz = 0;
  for (let i = 0; i < n; i++) {
    const u = xs[i]! - mx;
    const v = ys[i]! - my;
    const z = u * u + v * v;
    sxx += u * u;
    syy += v * v;
    sxy += u * v;
    sxz += u * z;
    syz += v * z;
    sz += z;
  }
  // With centred sums, D and E solve [sxx sxy; sxy syy] [D E] = -[sxz syz] and F = -sz / n.
  const det = sxx * syy - sxy * sxy;
  if (!(Math.abs(det) > 1e-9)) return null;
  const d = (-sxz * syy + syz * sxy) / det;
  const e = (-syz * sxx + sxz * sxy) / det;
  const f = -sz / n;
  const r2 = (d * d + e * e) / 4 - f;
  if (!(r2 > 0)) return null;
  return { x: mx - d / 2, y: my - e / 2, r: Math.sqrt(r2) };
}

/**
 * Slope (levels per cell) of the stock's level over the rings outside a blob of radius `r`, fitted on
 * the rings from the first below white down to the first within `fallOffFloor` of the stock; NaN when
 * fewer than `minFallOffRings` rings lie on it (no falloff: a printed edge, or the stock clipped too).
 */
function fallOffSlope(rings: readonly number[][], r: number, stock: number, clip: number, options: HotspotOptions): number {
  if (!Number.isFinite(stock) || stock >= clip) return Number.NaN;
  const floor = stock + options.fallOffFloor * (clip - stock);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let b = 0; b < rings.length; b++) {
    const level = quantile(rings[b]!, STOCK_QUANTILE);
    if (level > clip + (WHITE - clip) / 2 && xs.length === 0) continue; // still clipped: the blob's edge, cell by cell
    if (!(level > floor) || level > clip + (WHITE - clip) / 2) break;
    xs.push(r + 1 + ((b + 0.5) / rings.length) * (RING_SPAN * r - 1));
    ys.push(level);
  }
  if (xs.length < options.minFallOffRings) return Number.NaN;
  const mx = xs.reduce((a, v) => a + v, 0) / xs.length;
  const my = ys.reduce((a, v) => a + v, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}

/** Where the profile (upper quartile of each bin, bins from `start` on) first falls under `clip`, interpolated between bin centres. */
function clipCrossing(bins: number[][], start: number, clip: number): number {
  let previous = Number.NaN;
  let previousAt = Number.NaN;
  for (let b = 0; b < bins.length; b++) {
    if (bins[b]!.length === 0) continue;
    const level = quantile(bins[b]!, STOCK_QUANTILE);
    const at = start + (b + 0.5) * EDGE_BIN;
    if (level < clip) return Number.isFinite(previous) ? previousAt + ((previous - clip) / (previous - level)) * (at - previousAt) : at;
    previous = level;
    previousAt = at;
  }
  return Number.NaN;
}

/** `values` are cell means (finite): sorted as a typed array, natively, the same order as a comparator sort at a fraction of its cost (0.1 of the highlights' 0.6 ms). */
function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function polygonArea(polygon: readonly Point[]): number {
  let twice = 0;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % polygon.length]!;
    twice += a.x * b.y - b.x * a.y;
  }
  return Math.abs(twice) / 2;
}
