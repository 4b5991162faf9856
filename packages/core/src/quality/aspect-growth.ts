import { colourDistance, meanColour } from './border-reach.ts';
import { segmentSupportReaches, sideSupportReaches, type EdgeSupportOptions, type PixelImage } from './edge-support.ts';
import { outwardSide, quadFromLines, quadSideLines, type Line } from './lines.ts';
import { DOCUMENT_ASPECTS, estimatePose, type PoseOptions } from './pose.ts';
import { refineQuad } from './refine-corners.ts';
import type { Point, Quad } from './types.ts';

export interface AspectGrowthOptions extends EdgeSupportOptions {
  /** Farthest outward shift tried for one side, as a fraction of the quad's extent across it. */
  maxShiftFraction: number;
  /** Edge support the grown side must have after its line is fitted again. */
  minSupport: number;
  /** How close (|log ratio|) a quad's rectified aspect must come to a document format's to match it. */
  aspectTolerance?: number;
  /** Aspect ratios (width / height) of the formats expected; ID-1, ID-2, ID-3 by default. */
  aspects?: readonly number[];
}

const aspectError = (aspect: number, formats: readonly number[]): number =>
  Math.min(...formats.map((r) => Math.min(Math.abs(Math.log(aspect / r)), Math.abs(Math.log(aspect * r)))));

/**
 * Whether `quad`, rectified with the focal length it implies (`estimatePose`), has the aspect of a
 * document format (ID-1, ID-2, ID-3 by default) within `tolerance` (|log ratio|).
 */
export function hasDocumentAspect(quad: Quad, frameWidth: number, frameHeight: number, tolerance = 0.035, formats: readonly number[] = Object.values(DOCUMENT_ASPECTS)): boolean {
  return formatAspectError(quad, frameWidth, frameHeight, { aspects: formats }) <= tolerance;
}

/**
 * How far `quad`, rectified at the pose it implies (`estimatePose`, with `options`' focal range), is from
 * the nearest document format's aspect (ID-1, ID-2, ID-3 by default, either way up): |log ratio|, 0 for
 * a quad of a format's proportions, 0.11 between ID-1 and ID-3.
 */
export function formatAspectError(quad: Quad, frameWidth: number, frameHeight: number, options: PoseOptions = {}): number {
  return aspectError(estimatePose(quad, frameWidth, frameHeight, options).aspect, options.aspects ?? Object.values(DOCUMENT_ASPECTS));
}

/**
 * Whether `a` and `b` both have a document format's aspect (see `hasDocumentAspect`) and the same
 * one: ID-1, or ID-2 / ID-3 (whose aspects differ by 0.1%). A side grown from an ID-1 outline to a
 * parallel edge that gives an ID-3 aspect changed the format without the evidence a band needs
 * (`growPastInnerBand`): on wood or clutter that edge is the background's.
 */
export function sameDocumentFormat(a: Quad, b: Quad, frameWidth: number, frameHeight: number, tolerance = 0.035, formats: readonly number[] = Object.values(DOCUMENT_ASPECTS)): boolean {
  const nearest = (quad: Quad): number | null => {
    const aspect = estimatePose(quad, frameWidth, frameHeight).aspect;
    const long = Math.max(aspect, 1 / aspect);
    const best = formats.reduce((x, y) => (Math.abs(Math.log(long / y)) < Math.abs(Math.log(long / x)) ? y : x));
    return Math.abs(Math.log(long / best)) <= tolerance ? best : null;
  };
  const fa = nearest(a);
  const fb = nearest(b);
  return fa !== null && fb !== null && Math.abs(Math.log(fa / fb)) <= tolerance;
}

/** The side being moved: its index, its corners before the move, and its outward unit normal. */
interface MovedSide {
  side: number;
  a: Point;
  b: Point;
  normal: Point;
}

/**
 * The scan both growth rules share: each of `sides` is moved outward, parallel, in 6 px steps (each
 * covered by a +-3 px support scan) up to `maxShiftFraction` of the quad's extent across it; at the
 * first position on an edge (`minSupport`) where the re-fitted quad keeps that support on the moved
 * side and `accept` agrees, the side stops. Of all sides, the one that moved least wins; `null` when
 * none found such a position. A later side is scanned only up to the best shift so far.
 */
function scanOutward(image: PixelImage, quad: Quad, lines: Line[], sides: readonly number[], options: EdgeSupportOptions & { maxShiftFraction: number; minSupport: number }, accept: (fitted: Quad, moved: MovedSide) => boolean): Quad | null {
  const scan = { ...options, searchRadius: 3 };
  let best: { quad: Quad; shift: number } | null = null;
  for (const side of sides) {
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const { normal, depth } = outwardSide(quad, lines, side);
    const maxShift = Math.min(Math.floor(depth * options.maxShiftFraction), best ? best.shift - 1 : Infinity);
    // From just past the side's own edge outward; every 6 px is covered by the +-3 px scan.
    for (let d = 6; d <= maxShift; d += 6) {
      const a2 = { x: a.x + normal.x * d, y: a.y + normal.y * d };
      const b2 = { x: b.x + normal.x * d, y: b.y + normal.y * d };
      if (!segmentSupportReaches(image, a2, b2, scan, options.minSupport)) continue;
      const moved: Line[] = lines.map((l, k) => (k === side ? { point: { x: l.point.x + normal.x * d, y: l.point.y + normal.y * d }, direction: l.direction } : l));
      const grown = quadFromLines(moved);
      if (!grown) break;
      const fitted = refineQuad(image, grown, { searchRadius: 5 });
      if (!sideSupportReaches(image, fitted, side, options, options.minSupport)) continue;
      if (!accept(fitted, { side, a, b, normal })) continue;
      best = { quad: fitted, shift: d };
      break;
    }
  }
  return best?.quad ?? null;
}

/**
 * The document's outline when one side of `quad` stopped at an inner edge that runs along it: the
 * boundary of a coloured header band, an MRZ band or a printed frame, whose own contrast is often
 * stronger than the card's against the background. Evidence: the quad, rectified with the focal
 * length it implies (`estimatePose`), has the aspect of no document format, and one side moved
 * outward, parallel, to the nearest position where it lies on an edge gives a quad that has one
 * (ID-1, ID-2 or ID-3). Only the two sides across the short dimension (against the nearest format)
 * are tried; the nearest such position wins; the grown side's line is fitted again and kept only with
 * `minSupport`. A quad whose aspect already fits is returned as it is.
 */
export function growToDocumentAspect(image: PixelImage, quad: Quad, options: AspectGrowthOptions): Quad {
  const formats = options.aspects ?? Object.values(DOCUMENT_ASPECTS);
  const tolerance = options.aspectTolerance ?? 0.035;
  const aspectOf = (q: Quad): number => estimatePose(q, image.width, image.height).aspect;
  const aspect = aspectOf(quad);
  if (aspectError(aspect, formats) <= tolerance) return quad;
  // Which pair of sides is short: the top and bottom (sides 0, 2) set the height, the others the width.
  const longAxis = Math.max(aspect, 1 / aspect);
  const nearest = formats.reduce((a, b) => (Math.abs(Math.log(longAxis / b)) < Math.abs(Math.log(longAxis / a)) ? b : a));
  const heightShort = aspect >= 1 ? longAxis > nearest : longAxis < nearest;
  const sides = heightShort ? [0, 2] : [1, 3];
  const lines = quadSideLines(quad);
  if (!lines) return quad;
  return scanOutward(image, quad, lines, sides, options, (fitted) => aspectError(aspectOf(fitted), formats) <= tolerance) ?? quad;
}

export interface InnerBandOptions extends EdgeSupportOptions {
  /** Farthest outward shift tried, as a fraction of the quad's extent across the side. */
  maxShiftFraction: number;
  /** Edge support the grown side must have after its line is fitted again. */
  minSupport: number;
  /** Edge support the neighbouring sides must have where they continue past the old corners. */
  minContinuation: number;
  /** How close (|log ratio|) an aspect must come to a format's to match it. */
  aspectTolerance?: number;
  /**
   * Least mean-colour distance between the band and the background beside it; `minStep` by default.
   * Kept at the full edge step when edges are searched with a weaker one: a fabric's or wood's own
   * stripes differ from each other by the weak step.
   */
  minBandContrast?: number;
  /**
   * Edge support the grown side needs when only one neighbouring side carries on past the band: a
   * thumb holding the card over a corner hides the other one's continuation. Unset: both must carry on.
   */
  oneSidedSupport?: number;
}

/**
 * Share of a side's continuation, from an old corner toward the new one, checked for the
 * neighbouring side's edge: the last part is left out, as a rounded card corner bends away there.
 */
const CONTINUATION_SPAN = 0.7;
/**
 * Stretch past an old corner (fraction of the neighbouring side's length) checked before any scan:
 * under 70% of the smallest growth that gives ID-1 an ID-3 aspect (11.7% of the height, less the
 * 3.5% tolerance each way).
 */
const EARLY_CONTINUATION = 0.03;

/**
 * The outline of a larger format when `quad` has the aspect of an ID-1 card but is a TD3 page (or
 * ID-2 card) whose side stopped at the inner edge of a band across it (a header band 10 mm tall, a
 * light MRZ band: 125 x 78 mm has the aspect of ID-1 within 1.1%). The aspect cannot tell these
 * apart; the sides can: an inner edge ends on the card, so the two neighbouring sides carry on past
 * it, with edges, up to the card's real edge, where the quad then has the aspect of ID-2 or ID-3. A
 * side of the card itself ends at a corner. A side across the short dimension is moved outward to
 * the nearest parallel edge (support `minSupport` after re-fitting) where the quad has a larger
 * format's aspect, and kept only when both neighbouring sides have edges (`minContinuation`) over
 * the way from the old corners to the new ones. Any other quad is returned as it is.
 */
export function growPastInnerBand(image: PixelImage, quad: Quad, options: InnerBandOptions): Quad {
  const tolerance = options.aspectTolerance ?? 0.035;
  const larger = [DOCUMENT_ASPECTS.id2, DOCUMENT_ASPECTS.id3];
  const aspectOf = (q: Quad): number => estimatePose(q, image.width, image.height).aspect;
  const aspect = aspectOf(quad);
  if (aspectError(aspect, [DOCUMENT_ASPECTS.id1]) > tolerance) return quad;
  // Only sides whose neighbouring sides carry on past both corners at all (the start of the
  // continuation asked below): a card's sides end at its corners, so most quads scan nothing.
  const carriesOn = (corner: Point, from: Point): boolean => {
    const length = Math.hypot(corner.x - from.x, corner.y - from.y) || 1;
    const reach = EARLY_CONTINUATION * length;
    const past = { x: corner.x + ((corner.x - from.x) / length) * reach, y: corner.y + ((corner.y - from.y) / length) * reach };
    return segmentSupportReaches(image, corner, past, options, options.minContinuation);
  };
  const oneSided = options.oneSidedSupport !== undefined;
  const sides = (aspect >= 1 ? [0, 2] : [1, 3]).filter((side) => {
    const carried = Number(carriesOn(quad[side]!, quad[(side + 3) % 4]!)) + Number(carriesOn(quad[(side + 1) % 4]!, quad[(side + 2) % 4]!));
    return carried === 2 || (oneSided && carried === 1);
  });
  if (sides.length === 0) return quad;
  const lines = quadSideLines(quad);
  if (!lines) return quad;
  const toward = (from: Point, to: Point): Point => ({ x: from.x + (to.x - from.x) * CONTINUATION_SPAN, y: from.y + (to.y - from.y) * CONTINUATION_SPAN });
  const grown = scanOutward(image, quad, lines, sides, options, (fitted, { side, a, b, normal }) => {
    if (aspectError(aspectOf(fitted), larger) > tolerance) return false;
    // The neighbouring sides run on from the old corners to the new ones (an inner edge's ends).
    const newA = fitted[side]!;
    const newB = fitted[(side + 1) % 4]!;
    const carried = Number(segmentSupportReaches(image, a, toward(a, newA), options, options.minContinuation)) + Number(segmentSupportReaches(image, b, toward(b, newB), options, options.minContinuation));
    // One side carrying on (the other under a thumb) is taken only with a well-supported grown side.
    if (carried === 0 || (carried === 1 && (options.oneSidedSupport === undefined || !segmentSupportReaches(image, newA, newB, options, options.oneSidedSupport)))) return false;
    // The band is the document's, not background the quad was stretched over: its colour is not
    // that of the background just outside the neighbouring sides, alongside it.
    return bandUnlikeBackground(image, a, b, newA, newB, normal, options.minBandContrast ?? options.minStep ?? 16);
  });
  return grown ?? quad;
}

/** Samples per strip for the band's colour test. */
const BAND_SAMPLES = 12;
/** How far (px) outside the neighbouring sides the background beside a band is sampled. */
const BESIDE_BAND_PX = 8;

/**
 * Whether the strip between an old side a-b and the grown one newA-newB (outward along `normal`)
 * differs in mean colour by at least `minStep` from the background just outside the two sides that
 * run along it. A quad grown over a fabric or wood background has the background's own colour there.
 */
export function bandUnlikeBackground(image: PixelImage, a: Point, b: Point, newA: Point, newB: Point, normal: Point, minStep: number): boolean {
  const lerp = (p: Point, q: Point, t: number): Point => ({ x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t });
  const band: Point[] = [];
  for (let k = 0; k < BAND_SAMPLES; k++) {
    const t = 0.1 + (0.8 * (k + 0.5)) / BAND_SAMPLES;
    band.push(lerp(lerp(a, newA, 0.5), lerp(b, newB, 0.5), t));
  }
  // Outside each end of the band: away from the other end, along the band's line.
  const along = { x: -normal.y, y: normal.x };
  const sign = along.x * (b.x - a.x) + along.y * (b.y - a.y) > 0 ? 1 : -1;
  const beside: Point[] = [];
  for (let k = 0; k < BAND_SAMPLES / 2; k++) {
    const t = 0.2 + (0.6 * (k + 0.5)) / (BAND_SAMPLES / 2);
    const nearA = lerp(a, newA, t);
    const nearB = lerp(b, newB, t);
    beside.push({ x: nearA.x - sign * along.x * BESIDE_BAND_PX, y: nearA.y - sign * along.y * BESIDE_BAND_PX });
    beside.push({ x: nearB.x + sign * along.x * BESIDE_BAND_PX, y: nearB.y + sign * along.y * BESIDE_BAND_PX });
  }
  return colourDistance(meanColour(image, band), meanColour(image, beside)) >= minStep;
}
