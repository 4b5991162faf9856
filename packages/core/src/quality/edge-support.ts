import { outwardSide, quadFromLines, quadSideLines, type Line } from './lines.ts';
import { refineQuad, type GrayImage } from './refine-corners.ts';
import type { Point, Quad } from './types.ts';

/** An 8-bit image with `channels` interleaved values per pixel, of which the first `used` are read (e.g. RGB of RGBA). */
export interface PixelImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: number;
  used?: number;
}

export interface EdgeSupportOptions {
  /** How far (px) across the side, both ways, an edge may lie from it. */
  searchRadius: number;
  /** Samples along each side. */
  samplesPerSide?: number;
  /** Smallest step (8-bit levels, largest over the channels) across the side that counts as an edge. */
  minStep?: number;
  /** The step across the side must be this many times the step along it (an edge aligned with the side). */
  minAlignment?: number;
}

const HALF_BASE = 1.5;

/** Offset in `data` of the pixel nearest (x, y), clamped to the image (`maxX`, `maxY`: its last column and row). */
function pixelOffset(x: number, y: number, width: number, maxX: number, maxY: number, channels: number): number {
  return (Math.min(maxY, Math.max(0, Math.round(y))) * width + Math.min(maxX, Math.max(0, Math.round(x)))) * channels;
}

/**
 * Whether a strong edge running along the side passes within the search radius of the sample at
 * (`ox`, `oy`); `dx`, `dy` is the side's direction, `nx`, `ny` its normal. The pixels along the side
 * (`ahead`, `behind`) are read only where a channel's step across it is large enough: on most
 * positions tried none is, and they are the hottest loop of the document search.
 */
function supported(image: PixelImage, ox: number, oy: number, dx: number, dy: number, nx: number, ny: number, radius: number, minStep: number, minAlignment: number): boolean {
  const used = image.used ?? image.channels;
  const { data, width, height, channels } = image;
  const maxX = width - 1;
  const maxY = height - 1;
  const acrossX = nx * HALF_BASE;
  const acrossY = ny * HALF_BASE;
  const alongX = dx * HALF_BASE;
  const alongY = dy * HALF_BASE;
  for (let offset = -radius; offset <= radius; offset++) {
    const x = ox + nx * offset;
    const y = oy + ny * offset;
    if (x < 1 || y < 1 || x > width - 2 || y > height - 2) continue;
    const outward = pixelOffset(x + acrossX, y + acrossY, width, maxX, maxY, channels);
    const inward = pixelOffset(x - acrossX, y - acrossY, width, maxX, maxY, channels);
    let ahead = -1;
    let behind = -1;
    for (let c = 0; c < used; c++) {
      const across = Math.abs(data[outward + c]! - data[inward + c]!);
      if (across < minStep) continue;
      if (ahead < 0) {
        ahead = pixelOffset(x + alongX, y + alongY, width, maxX, maxY, channels);
        behind = pixelOffset(x - alongX, y - alongY, width, maxX, maxY, channels);
      }
      const along = Math.abs(data[ahead + c]! - data[behind + c]!);
      if (across >= minAlignment * along) return true;
    }
  }
  return false;
}

/**
 * Edge support of each side of a quad (TL-TR, TR-BR, BR-BL, BL-TL), at full resolution: the fraction of
 * the side's length, sampled evenly, where a strong intensity step aligned with the side lies within
 * `searchRadius` px of it. A document's outline has support close to 1 on all four sides; a quad merged
 * with clutter has a side running through background (little support), and a side drawn across the frame
 * edge (outside the image) counts as unsupported.
 */
export function sideSupport(image: PixelImage, quad: Quad, options: EdgeSupportOptions): [number, number, number, number] {
  const result: number[] = [];
  for (let side = 0; side < 4; side++) result.push(segmentSupport(image, quad[side]!, quad[(side + 1) % 4]!, options));
  return [result[0]!, result[1]!, result[2]!, result[3]!];
}

/** Edge support of the segment from `a` to `b` (see `sideSupport`). */
export function segmentSupport(image: PixelImage, a: Point, b: Point, options: EdgeSupportOptions): number {
  return countSupport(image, a, b, options, 0) / (options.samplesPerSide ?? 32);
}

/**
 * Whether the segment's support reaches `needed`; stops at the first sample that makes it impossible.
 * Most positions tried when growing a quad have hardly any support, so this is far cheaper than
 * `segmentSupport` and gives the same answer.
 */
export function segmentSupportReaches(image: PixelImage, a: Point, b: Point, options: EdgeSupportOptions, needed: number): boolean {
  return countSupportTo(image, a, b, options, needed) >= needed * (options.samplesPerSide ?? 32);
}

/** `segmentSupportReaches` for side `side` of `quad` (from corner `side` to the next). */
export function sideSupportReaches(image: PixelImage, quad: Quad, side: number, options: EdgeSupportOptions, needed: number): boolean {
  return segmentSupportReaches(image, quad[side]!, quad[(side + 1) % 4]!, options, needed);
}

/**
 * `segmentSupport` where it reaches `floor`; where it does not, a value under `floor` (counting stops
 * once the segment cannot reach it). A `floor` of 0 or less always gives the exact support.
 */
export function segmentSupportAtLeast(image: PixelImage, a: Point, b: Point, options: EdgeSupportOptions, floor: number): number {
  return countSupportTo(image, a, b, options, floor) / (options.samplesPerSide ?? 32);
}

/** Supported samples, counted until the segment can no longer reach `floor` (a share of its samples; none under 0). */
function countSupportTo(image: PixelImage, a: Point, b: Point, options: EdgeSupportOptions, floor: number): number {
  return countSupport(image, a, b, options, Math.floor((options.samplesPerSide ?? 32) * (1 - floor)) + 1);
}

/** Supported samples along the segment; with `maxMisses` > 0, counting stops once that many samples missed. */
function countSupport(image: PixelImage, a: Point, b: Point, options: EdgeSupportOptions, maxMisses: number): number {
  const samples = options.samplesPerSide ?? 32;
  const minStep = options.minStep ?? 16;
  const minAlignment = options.minAlignment ?? 1.5;
  const radius = Math.max(0, Math.round(options.searchRadius));
  const length = Math.hypot(b.x - a.x, b.y - a.y);
  if (length < 1) return 0;
  const dx = (b.x - a.x) / length;
  const dy = (b.y - a.y) / length;
  let hits = 0;
  for (let i = 0; i < samples; i++) {
    // Samples cover the side's length but skip the rounded corners.
    const t = 0.06 + (0.88 * (i + 0.5)) / samples;
    if (supported(image, a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, dx, dy, -dy, dx, radius, minStep, minAlignment)) hits++;
    else if (maxMisses > 0 && i + 1 - hits >= maxMisses) break;
  }
  return hits;
}

/**
 * Which sides of a quad run along the frame's border (both ends within `tolerance` px of the same
 * border line, or beyond it): there the document goes on outside the frame, and no edge can be seen.
 */
export function sidesOnFrameBorder(quad: Quad, width: number, height: number, tolerance: number): [boolean, boolean, boolean, boolean] {
  // Called for every candidate quad of a frame (hundreds): no objects made per corner.
  const right = width - tolerance;
  const bottom = height - tolerance;
  const along = (a: Point, b: Point): boolean =>
    (a.x <= tolerance && b.x <= tolerance) || (a.x >= right && b.x >= right) || (a.y <= tolerance && b.y <= tolerance) || (a.y >= bottom && b.y >= bottom);
  const [p0, p1, p2, p3] = quad;
  return [along(p0, p1), along(p1, p2), along(p2, p3), along(p3, p0)];
}

/**
 * The weakest side's coverage by a binary edge map (e.g. Canny output on a reduced frame): the fraction
 * of samples along the side that fall on a non-zero pixel. `quad` is in full-resolution pixels and the
 * map is `scale` times smaller. Sides flagged in `ignore` are not counted. With `minVisible`, a side
 * with at least that share of its samples on the map is judged on those alone (its part in view). A quick first filter;
 * `quadSupport` is the real measure.
 */
export function edgeMapSupport(edges: GrayImage, quad: Quad, scale: number, samplesPerSide = 24, ignore?: readonly boolean[], minVisible?: number): number {
  return edgeMapSupportOver(edges, quad, scale, samplesPerSide, ignore, minVisible, -Infinity);
}

/**
 * Whether `edgeMapSupport` reaches `needed`: the sides after the first one short of it are not
 * sampled (most of the hundreds of 4-corner subsets a frame gives fail on their first sides).
 */
export function edgeMapSupportReaches(edges: GrayImage, quad: Quad, scale: number, needed: number, samplesPerSide = 24, ignore?: readonly boolean[], minVisible?: number): boolean {
  return edgeMapSupportOver(edges, quad, scale, samplesPerSide, ignore, minVisible, needed) >= needed;
}

/** `edgeMapSupport`, returning as soon as a side's support is under `stopUnder`. */
function edgeMapSupportOver(edges: GrayImage, quad: Quad, scale: number, samplesPerSide: number, ignore: readonly boolean[] | undefined, minVisible: number | undefined, stopUnder: number): number {
  let weakest = 1;
  for (let side = 0; side < 4; side++) {
    if (ignore?.[side]) continue;
    const { hits, visible } = edgeMapHits(edges, quad[side]!, quad[(side + 1) % 4]!, scale, samplesPerSide);
    // With `minVisible`, a side crossing the map's border is judged on its samples in view, if enough are.
    const judged = minVisible !== undefined && visible >= minVisible * samplesPerSide ? visible : samplesPerSide;
    weakest = Math.min(weakest, hits / judged);
    if (weakest < stopUnder) return weakest;
  }
  return weakest;
}

/**
 * The share of the segment's samples on the map (as `edgeMapSupport` reads a side) that fall on a
 * non-zero pixel; samples off the map count as misses. A side of a document seen from one corner,
 * from the corner to where it leaves the frame, is judged alone this way.
 */
export function edgeMapSegmentSupport(edges: GrayImage, a: Point, b: Point, scale: number, samples = 24): number {
  return edgeMapHits(edges, a, b, scale, samples).hits / samples;
}

/** Samples along a-b (the rounded corners' ends skipped) that land on the map, and those on a non-zero pixel. */
function edgeMapHits(edges: GrayImage, a: Point, b: Point, scale: number, samples: number): { hits: number; visible: number } {
  let hits = 0;
  let visible = 0;
  for (let i = 0; i < samples; i++) {
    const t = 0.06 + (0.88 * (i + 0.5)) / samples;
    const x = Math.floor((a.x + (b.x - a.x) * t) / scale);
    const y = Math.floor((a.y + (b.y - a.y) * t) / scale);
    if (x < 0 || y < 0 || x >= edges.width || y >= edges.height) continue;
    visible++;
    if (edges.data[y * edges.width + x] !== 0) hits++;
  }
  return { hits, visible };
}

/** The weakest side's support: a quad is only as believable as its least supported side. */
export function quadSupport(image: PixelImage, quad: Quad, options: EdgeSupportOptions): number {
  return Math.min(...sideSupport(image, quad, options));
}

export interface ExpandOptions extends EdgeSupportOptions {
  /** Farthest outward shift tried, as a fraction of the quad's extent across the side. */
  maxShiftFraction: number;
  /** Support a grown side needs, after its line is fitted again, to be taken. */
  minSupport: number;
  /**
   * How far (px) from a parallel shift of the side an outer edge may lie while scanning, and the
   * support the scan asks for there: under perspective the document's outline is not quite parallel
   * to an inner band's boundary. Defaults 3 px, 0.6.
   */
  scanRadius?: number;
  scanSupport?: number;
}

/**
 * Grows a quad locked onto an inner rectangle of a document (the boundary of a header or MRZ band,
 * which runs nearly parallel to the document's edge) to the document's outline. Each side is scanned
 * outward, parallel to itself, for the nearest position (within `maxShiftFraction`) with edge
 * support; the grown quad's lines are then fitted to the edges found there (`refineQuad`), and a side
 * is taken only if its fitted line has `minSupport` within `searchRadius`. Returns the quad unchanged
 * when no side grows.
 */
export function expandToOuterEdges(image: PixelImage, quad: Quad, options: ExpandOptions): Quad {
  const scanRadius = options.scanRadius ?? 3;
  const scanOptions = { ...options, searchRadius: scanRadius };
  const lines = quadSideLines(quad);
  if (!lines) return quad;
  const shifted: Line[] = [];
  let grew = false;
  for (let side = 0; side < 4; side++) {
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const line = lines[side]!;
    const { normal, depth } = outwardSide(quad, lines, side);
    const maxShift = Math.floor(depth * options.maxShiftFraction);
    let best = 0;
    // Shifts that would still see the side's own edge (scan radius plus the step's half base) are skipped;
    // each test covers +-scanRadius, so stepping by twice that leaves no position untried.
    for (let d = Math.ceil(scanRadius + HALF_BASE) + 2; d <= maxShift; d += Math.max(1, 2 * scanRadius)) {
      const a2 = { x: a.x + normal.x * d, y: a.y + normal.y * d };
      const b2 = { x: b.x + normal.x * d, y: b.y + normal.y * d };
      // The nearest edge outward: beyond the document's outline lies background, whose own long
      // straight edges (clutter, a table's border) must not pull the side out to them.
      if (segmentSupportReaches(image, a2, b2, scanOptions, options.scanSupport ?? 0.6)) {
        best = d;
        break;
      }
    }
    if (best > 0) grew = true;
    shifted.push({ point: { x: line.point.x + normal.x * best, y: line.point.y + normal.y * best }, direction: line.direction });
  }
  if (!grew) return quad;
  const grown = quadFromLines(shifted);
  if (!grown) return quad;
  const fitted = refineQuad(image, grown, { searchRadius: scanRadius + 3 });
  const fittedLines = quadSideLines(fitted);
  if (!fittedLines) return quad;
  // Per side: the fitted outer line where it is an edge, else the side as it was.
  const chosen = lines.map((line, side) => (sideSupportReaches(image, fitted, side, options, options.minSupport) ? fittedLines[side]! : line));
  return quadFromLines(chosen) ?? quad;
}

/**
 * The part of the segment a-b inside the rectangle [margin, width - 1 - margin] x [margin, height - 1 - margin]
 * (Liang-Barsky clipping), or `null` when none of it is. A document running off the frame has sides
 * that cross the border: only their part in view can show an edge.
 */
export function visibleSegment(a: Point, b: Point, width: number, height: number, margin = 1): { a: Point; b: Point } | null {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  const bounds: [number, number][] = [
    [-dx, a.x - margin],
    [dx, width - 1 - margin - a.x],
    [-dy, a.y - margin],
    [dy, height - 1 - margin - a.y],
  ];
  for (const [p, q] of bounds) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
  }
  if (t0 >= t1) return null;
  return { a: { x: a.x + dx * t0, y: a.y + dy * t0 }, b: { x: a.x + dx * t1, y: a.y + dy * t1 } };
}
