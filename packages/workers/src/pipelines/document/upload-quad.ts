/**
 * The document's outline in an uploaded photo (no quad given), found with the capture-quality
 * detector (quality/candidates.ts, judged by outline-policy.ts) and kept only when it can be a
 * document page: a format's aspect once the perspective is taken out, and a reasonable share of the
 * image. Whether the MRZ is then found in the crop it rectifies to is the caller's last check
 * (document.ts falls back to the whole image otherwise).
 */
import { document as coreDocument, quality, type RgbaImage } from '@ekyc/core';
import { findDocument } from '../quality/candidates.ts';
import { FrameBuffers, MatScope, type OpenCv } from '../quality/opencv-frame.ts';
import { searchFrame } from '../quality/outline-policy.ts';
import { trimBackgroundSides } from './trim-sides.ts';

/**
 * Longer side the photo is searched at. The detector was built and tuned on 1280x720 camera frames
 * (its edge steps, support radii and corner refinement are in pixels); a 12-megapixel photo searched
 * at full size spends most of its time reading full-resolution pixels along the sides.
 */
const SEARCH_LONG_SIDE = 1280;

/**
 * Page aspects (long / short side) an outline may have, from ID-3 / ID-2 / MRV-B (1.42) to ID-1
 * (1.586), widened by these (log ratio) below and above for the pose estimate's error under
 * perspective. On the true outlines of 100 tuning photos (`photo` and `small`, seeds 53000-53059 /
 * 53000-53039) the pose's aspect ran from 4.9% under its format's to 11.8% over it (a visa at 1.60, a
 * TD1 at 1.73, 8.6% over): above, 9% would refuse a card seen a little more steeply. A photo's own
 * portrait or an MRZ band (1.3 and less, 6 and more) is no page.
 */
const ASPECT_TOLERANCE_BELOW = 0.09;
const ASPECT_TOLERANCE_ABOVE = 0.15;
const PAGE_ASPECTS = Object.values(coreDocument.DOCUMENT_SIZES_MM).map((s) => s.widthMm / s.heightMm);

/** Smallest share of the image a page's outline may cover (the detector itself asks 6% of the frame). */
export const MIN_AREA_FRACTION = 0.06;

/**
 * Whether MRZ lines found on a rectified page sit in its lower half, where every MRZ format prints them
 * (ICAO 9303: the bottom of the TD1 back, the TD2/TD3 page and the visa). A found outline is turned to
 * landscape one fixed way, so a page photographed sideways comes out upside down half the time, and the
 * line search can take the upside-down MRZ, at the top, for lines: then the other way up is tried first.
 */
export function linesSitLow(lines: readonly { y: number; height: number }[], pageHeight: number): boolean {
  if (lines.length === 0) return false;
  const top = Math.min(...lines.map((l) => l.y));
  const bottom = Math.max(...lines.map((l) => l.y + l.height));
  return (top + bottom) / 2 > pageHeight / 2;
}

export type UploadQuadRejection = 'not_found' | 'aspect' | 'area';

export interface UploadQuadSearch {
  /** The page's corners in the image (TL, TR, BR, BL as found; rectify turns an upright quad to landscape), or null. */
  quad: quality.Quad | null;
  /** Why no quad is given: nothing found, or what was found has no page's aspect or is too small. */
  rejected?: UploadQuadRejection;
  /** The outline the detector found, kept or not (absent when nothing was found): a later search paints it over. */
  found?: quality.Quad;
  /** Long / short side of the found outline, the perspective taken out (pose estimate); absent when nothing was found. */
  aspect?: number;
  /** The size class its aspect is nearest to (for rectification: the edge ratio under perspective can be wrong). */
  sizeClass?: coreDocument.DocumentSizeClass;
  /** Share of the image the outline covers. */
  areaFraction?: number;
  ms: number;
}

/** Whether a long / short aspect can be a document page's (see ASPECT_TOLERANCE_BELOW / _ABOVE). */
export function isPageAspect(aspect: number): boolean {
  const long = Math.max(aspect, 1 / aspect);
  return long >= Math.min(...PAGE_ASPECTS) * Math.exp(-ASPECT_TOLERANCE_BELOW) && long <= Math.max(...PAGE_ASPECTS) * Math.exp(ASPECT_TOLERANCE_ABOVE);
}

/**
 * The image reduced by the smallest whole factor that brings its longer side to SEARCH_LONG_SIDE or
 * less (each output pixel the mean of a factor x factor block, in JS: copying a 12-megapixel photo into
 * OpenCV's heap and area-resizing it there cost more than the whole search), and that factor.
 */
export function reduceForSearch(image: RgbaImage): { pixels: RgbaImage; factor: number } {
  const factor = Math.ceil(Math.max(image.width, image.height) / SEARCH_LONG_SIDE);
  if (factor <= 1) return { pixels: image, factor: 1 };
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const out = new Uint8ClampedArray(width * height * 4);
  const sums = new Uint32Array(width * 3);
  const src = image.data;
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let dy = 0; dy < factor; dy++) {
      let i = ((y * factor + dy) * image.width) * 4;
      for (let x = 0, s = 0; x < width; x++, s += 3) {
        let r = 0, g = 0, b = 0;
        for (let dx = 0; dx < factor; dx++, i += 4) { r += src[i]!; g += src[i + 1]!; b += src[i + 2]!; }
        sums[s]! += r;
        sums[s + 1]! += g;
        sums[s + 2]! += b;
      }
    }
    for (let x = 0, s = 0, o = y * width * 4; x < width; x++, s += 3, o += 4) {
      // A clamped array rounds to the nearest level on assignment.
      out[o] = sums[s]! / area;
      out[o + 1] = sums[s + 1]! / area;
      out[o + 2] = sums[s + 2]! / area;
      out[o + 3] = 255;
    }
  }
  return { pixels: { width, height, data: out }, factor };
}

/** How far past a masked outline its paint reaches (fraction of the outline's size, plus MASK_MARGIN_PX): its edges must go. */
const MASK_GROWTH = 0.01;
const MASK_MARGIN_PX = 2;
/** Where the colour around a masked outline is sampled: its outline grown by this fraction (and MASK_MARGIN_PX) about its centre. */
const MASK_RING_GROWTH = 0.06;

/** The quad grown about its centre by `fraction` of each corner's distance to it, plus `px` pixels. */
function grownQuad(quad: quality.Quad, fraction: number, px: number): quality.Quad {
  const cx = (quad[0].x + quad[1].x + quad[2].x + quad[3].x) / 4;
  const cy = (quad[0].y + quad[1].y + quad[2].y + quad[3].y) / 4;
  return quad.map((p) => {
    const d = Math.hypot(p.x - cx, p.y - cy) || 1;
    const k = 1 + fraction + px / d;
    return { x: cx + (p.x - cx) * k, y: cy + (p.y - cy) * k };
  }) as unknown as quality.Quad;
}

/** Whether `p` is inside the convex quad (either winding). */
function insideConvex(quad: quality.Quad, x: number, y: number): boolean {
  let sign = 0;
  for (let k = 0; k < 4; k++) {
    const a = quad[k]!;
    const b = quad[(k + 1) % 4]!;
    const cross = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x);
    if (cross === 0) continue;
    if (sign === 0) sign = Math.sign(cross);
    else if (Math.sign(cross) !== sign) return false;
  }
  return true;
}

/**
 * A copy of `image` with each quad (and a little past it) painted the median colour found just around
 * it: an outline found before is taken out of the next search, so that the search can find the page
 * around it (a portrait or a printed box has stronger edges than a pale page on a pale desk, and the
 * detector takes the first pass's winner) or another outline beside it.
 */
export function paintOver(image: RgbaImage, quads: readonly quality.Quad[]): RgbaImage<Uint8ClampedArray> {
  const out = new Uint8ClampedArray(image.data);
  const { width, height } = image;
  for (const quad of quads) {
    const ring = grownQuad(quad, MASK_RING_GROWTH, MASK_MARGIN_PX);
    const samples: [number[], number[], number[]] = [[], [], []];
    for (let k = 0; k < 4; k++) {
      const a = ring[k]!;
      const b = ring[(k + 1) % 4]!;
      const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 2));
      for (let t = 0; t < n; t++) {
        const x = Math.round(a.x + ((b.x - a.x) * t) / n);
        const y = Math.round(a.y + ((b.y - a.y) * t) / n);
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const i = (y * width + x) * 4;
        for (let c = 0; c < 3; c++) samples[c]!.push(image.data[i + c]!);
      }
    }
    if (samples[0].length === 0) continue;
    const fill = samples.map((v) => v.sort((p, q) => p - q)[v.length >> 1]!);
    const paint = grownQuad(quad, MASK_GROWTH, MASK_MARGIN_PX);
    const x0 = Math.max(0, Math.floor(Math.min(...paint.map((p) => p.x))));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(...paint.map((p) => p.x))));
    const y0 = Math.max(0, Math.floor(Math.min(...paint.map((p) => p.y))));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(...paint.map((p) => p.y))));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        if (!insideConvex(paint, x + 0.5, y + 0.5)) continue;
        const i = (y * width + x) * 4;
        out[i] = fill[0]!;
        out[i + 1] = fill[1]!;
        out[i + 2] = fill[2]!;
      }
    }
  }
  return { width, height, data: out };
}

/**
 * Searches an uploaded image for the document's outline (see the file comment). Costs one outline
 * search on the image reduced to SEARCH_LONG_SIDE or less: callers that have a quad skip it.
 */
export function findUploadQuad(cv: OpenCv, image: RgbaImage, masked: readonly quality.Quad[] = []): UploadQuadSearch {
  const t0 = performance.now();
  const scope = new MatScope(cv);
  let buffers: FrameBuffers | undefined;
  try {
    const reduced = reduceForSearch(image);
    const { factor } = reduced;
    const pixels = masked.length === 0 ? reduced.pixels : paintOver(reduced.pixels, masked.map((q) => q.map((p) => ({ x: p.x / factor, y: p.y / factor })) as unknown as quality.Quad));
    buffers = new FrameBuffers(cv, pixels.width, pixels.height);
    buffers.reduce(pixels.data);
    const search = searchFrame({ data: pixels.data, width: pixels.width, height: pixels.height, channels: 4, used: 3 }, buffers.scale);
    const detected = findDocument(cv, buffers, search, scope);
    if (!detected) return { quad: null, rejected: 'not_found', ms: performance.now() - t0 };
    const found = trimBackgroundSides(pixels, detected);
    const quad = found.map((p) => ({ x: p.x * factor, y: p.y * factor })) as unknown as quality.Quad;
    const pose = quality.estimatePose(quad, image.width, image.height);
    const aspect = Math.max(pose.aspect, 1 / pose.aspect);
    const areaFraction = quality.quadArea(quad) / (image.width * image.height);
    const base = { found: quad, aspect, sizeClass: coreDocument.sizeClassFromAspect(aspect, 1), areaFraction };
    if (!isPageAspect(aspect)) return { quad: null, rejected: 'aspect', ...base, ms: performance.now() - t0 };
    if (areaFraction < MIN_AREA_FRACTION) return { quad: null, rejected: 'area', ...base, ms: performance.now() - t0 };
    return { quad, ...base, ms: performance.now() - t0 };
  } finally {
    buffers?.delete();
    scope.dispose();
  }
}
