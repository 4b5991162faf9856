import { quality } from '@ekyc/core';

// The policy of the document search: what a believable outline is, how much edge evidence its
// sides need, which candidate wins, and when a tracked outline is kept. Pure JS on the frame's own
// pixels (no OpenCV): candidates.ts proposes quads, this file judges them.

/** Smallest document area, as a fraction of the frame, worth reporting. */
export const MIN_AREA_FRACTION = 0.06;
/** Edge support every side of a document outline must have (fraction of its length). */
const MIN_SIDE_SUPPORT = 0.8;
/** Fraction of every side of a partial candidate that must lie on the reduced frame's (dilated) edges. */
export const MIN_COARSE_SUPPORT = 0.5;
/** Below this, even the best candidate is not taken for a document. */
const MIN_FALLBACK_SUPPORT = 0.02;
/** How far an outline may grow outward to the document's outer edge, as a fraction of its extent. */
const MAX_EXPAND_FRACTION = 0.3;
/** How far a grown outline may grow again (a printed frame line's margin: 2 mm of a 54-mm card is 4%). */
const MAX_REGROW_FRACTION = 0.08;
/** How far one side may grow to give the quad a document format's aspect (a TD3 MRZ band is 18% of the page's height). */
const MAX_ASPECT_GROWTH_FRACTION = 0.35;
/** How far a side may grow past a band across the document (ID-1 to ID-3 aspect is 12% of the height). */
const MAX_BAND_GROWTH_FRACTION = 0.2;
/** Support a side grown to a format's aspect needs: less than a side on its own, as the aspect backs it. */
const MIN_ASPECT_SIDE_SUPPORT = 0.5;
/** Candidates whose corners all lie this close (px, full resolution) to a tried one are the same quad. */
const DUPLICATE_PX = 2;
/** Smallest step (8-bit levels, across a side) that counts as an edge in a normally exposed frame. */
const MIN_EDGE_STEP = 16;
/** The stretch of a side, next to the frame border, that must have edges for the document to run off there. */
const BORDER_REACH = 0.25;
/** How far (px, and fraction of the frame width) a tracked outline is searched for around the previous one. */
const TRACK_RADIUS_PX = 8;
const TRACK_RADIUS_FRACTION = 0.01;
/**
 * Least difference between a document outline's inside and a ring just outside it (`quality.regionContrast`:
 * mean colour distance + spread difference + twice the texture difference, 8-bit levels). Rectangles
 * of a woven fabric's stripes read 2–14 on generated frames (seeds 50000..50149, none of the
 * evaluation's); documents, even a white card on a near-white table, 14 and more (tuning set).
 */
const MIN_REGION_CONTRAST = 12;
/** Step (fraction of the frame's edge step) a side grown to a format's aspect may show when none of the full step is found. */
const WEAK_STEP_FRACTION = 0.5;
/** Edge support a band's neighbouring sides need past it when judged with the weak step. */
const WEAK_CONTINUATION = 0.6;
/** Shortest part of a side in view, as a fraction of the side, judged alone when the side crosses the frame border. */
const MIN_VISIBLE_SIDE = 0.3;
/** How far (px, full resolution) from a refined side its edge may lie and still support it. */
const SUPPORT_RADIUS_PX = 2;

/** One frame as the document search sees it. */
export interface SearchFrame {
  /** The frame's own pixels at full resolution (RGBA, read as RGB): corner refinement and edge support read them in JS. */
  full: quality.PixelImage;
  /** Full-resolution pixels per pixel of the reduced frame the edge maps are found on. */
  scale: number;
  /** Edge support settings for this frame's exposure (see `edgeStep`). */
  support: quality.EdgeSupportOptions;
}

/** A candidate outline; `partial` when made of 4 corners of a longer outline. */
export interface Candidate {
  quad: quality.Quad;
  partial: boolean;
}

/** The best-supported whole outline seen so far, taken only when nothing better is found. */
export interface Fallback {
  quad: quality.Quad;
  support: number;
}

export function searchFrame(full: quality.PixelImage, scale: number): SearchFrame {
  return { full, scale, support: { searchRadius: SUPPORT_RADIUS_PX, minStep: edgeStep(full) } };
}

/**
 * Smallest step counted as an edge, scaled with exposure: in a dark frame a document's edge is a
 * smaller step. The level is the brightest channel's mean over a sparse grid of pixels.
 */
function edgeStep(full: quality.PixelImage): number {
  const sums = [0, 0, 0];
  let count = 0;
  const step = 16;
  for (let y = step / 2; y < full.height; y += step) {
    for (let x = step / 2; x < full.width; x += step) {
      const at = (y * full.width + x) * full.channels;
      sums[0]! += full.data[at]!;
      sums[1]! += full.data[at + 1]!;
      sums[2]! += full.data[at + 2]!;
      count++;
    }
  }
  const level = Math.max(...sums) / Math.max(1, count);
  return Math.min(MIN_EDGE_STEP, Math.max(MIN_EDGE_STEP / 2, (MIN_EDGE_STEP * level) / 128));
}

/** A believable document outline: convex, large enough, not a sliver. */
export function plausible(quad: quality.Quad, frameArea: number): boolean {
  const [tl, tr, br, bl] = quad;
  const horizontal = (quality.distance(tl, tr) + quality.distance(bl, br)) / 2;
  const vertical = (quality.distance(tl, bl) + quality.distance(tr, br)) / 2;
  const aspect = Math.max(horizontal, vertical) / Math.max(1, Math.min(horizontal, vertical));
  return quality.quadArea(quad) >= MIN_AREA_FRACTION * frameArea && aspect <= 2.4;
}

/**
 * Every corner within reach of the frame. A document running off the frame has corners outside it
 * (its sides meet there); corners farther out than half the frame come from lines that only met by chance.
 */
export function withinReach(quad: quality.Quad, frame: { width: number; height: number }): boolean {
  const dx = frame.width / 2;
  const dy = frame.height / 2;
  return quad.every((p) => p.x >= -dx && p.y >= -dy && p.x <= frame.width + dx && p.y <= frame.height + dy);
}

/**
 * The side along the frame border, where the document runs off the frame: at most one, so that
 * the three sides left still make the quad a document's outline.
 */
export function borderSides(quad: quality.Quad, frame: SearchFrame): boolean[] {
  const { full, scale } = frame;
  const sides = quality.sidesOnFrameBorder(quad, full.width, full.height, 2 * scale + 2);
  return sides.filter(Boolean).length <= 1 ? sides : [false, false, false, false];
}

/** Whether a candidate's sides lie on the reduced frame's (dilated) edges enough to be scored at full size. */
export function coarselySupported(edgeMap: quality.GrayImage, quad: quality.Quad, frame: SearchFrame): boolean {
  return quality.edgeMapSupport(edgeMap, quad, frame.scale, 24, borderSides(quad, frame), MIN_VISIBLE_SIDE) >= MIN_COARSE_SUPPORT;
}

/** The weakest side's edge support, sides along the frame border left out (see `borderSides`). */
function outlineSupport(quad: quality.Quad, frame: SearchFrame): number {
  const { full, support: options } = frame;
  const border = borderSides(quad, frame);
  const sides = quality.sideSupport(full, quad, options);
  for (let side = 0; side < 4; side++) {
    if (!border[side]) continue;
    // The document must really reach the border: its sides meeting the border have edges right up
    // to it, not a stretch of background (a quad stretched from a document to the frame's edge).
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const before = quad[(side + 3) % 4]!;
    const after = quad[(side + 2) % 4]!;
    const toward = (from: quality.Point, to: quality.Point, t: number) => ({ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t });
    const reach = Math.min(quality.segmentSupport(full, toward(a, before, BORDER_REACH), a, options), quality.segmentSupport(full, b, toward(b, after, BORDER_REACH), options));
    if (reach < MIN_SIDE_SUPPORT) return reach;
    // Edges up to the border can be background's own (wood grain, fabric threads continuing the card's
    // sides): the strip along the border must also look like the document, not like the background.
    if (!quality.documentReachesBorder(full, quad, side)) return 0;
  }
  for (let side = 0; side < 4; side++) {
    if (border[side]) continue;
    // A side crossing the frame border (a document running off the frame at a corner) is judged on
    // its part in view, when that is at least MIN_VISIBLE_SIDE of it.
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const inFrame = (p: quality.Point) => p.x >= 1 && p.y >= 1 && p.x <= full.width - 2 && p.y <= full.height - 2;
    if (inFrame(a) && inFrame(b)) continue;
    const visible = quality.visibleSegment(a, b, full.width, full.height, 2);
    if (!visible || quality.distance(visible.a, visible.b) < MIN_VISIBLE_SIDE * quality.distance(a, b)) continue;
    sides[side] = quality.segmentSupport(full, visible.a, visible.b, options);
  }
  return Math.min(...sides.filter((_, side) => !border[side]));
}

/**
 * The document's outline when `quad` is an inner rectangle of it: grown to the nearest outer edges
 * (`quality.expandToOuterEdges`), then, if its aspect is still no document format's, one side grown
 * to where the format's aspect and an edge agree (`quality.growToDocumentAspect`; a header band on a
 * table as dark as the band leaves the card's own edge visible over part of its length only). Not for
 * a document running off the frame: its visible part has no format's aspect.
 */
function growToOutline(quad: quality.Quad, frame: SearchFrame): quality.Quad {
  const { full, support } = frame;
  let grown = quality.expandToOuterEdges(full, quad, { ...support, maxShiftFraction: MAX_EXPAND_FRACTION, minSupport: MIN_SIDE_SUPPORT });
  // A printed line is two edges a few pixels apart: a side grown to a frame line's inner edge stops at
  // its outer one. A second, short growth reaches the card's edge beyond the line's margin.
  if (grown !== quad) grown = quality.expandToOuterEdges(full, grown, { ...support, maxShiftFraction: MAX_REGROW_FRACTION, minSupport: MIN_SIDE_SUPPORT });
  if (!withinReach(grown, full)) grown = quad;
  // A quad with a document format's aspect grown to one without, or to another format's (ID-1 to
  // ID-3), has reached a background edge beyond the card (a board's edge, a parallel wood grain
  // line), not the card's own outline. A TD3 page found without its band is grown past it below,
  // with the band's evidence (`growPastInnerBand`).
  if (grown !== quad && quality.hasDocumentAspect(quad, full.width, full.height) && !quality.sameDocumentFormat(quad, grown, full.width, full.height)) grown = quad;
  if (borderSides(grown, frame).some(Boolean) || quality.cornerMarginPx(grown, full.width, full.height) < 0) return grown;
  // A header band as dark as the table leaves the card's edge there a faint step (8-16 levels): when no
  // edge of the usual step is found, one of half that step is taken, as the format's aspect backs it.
  const weak = { ...support, minStep: (support.minStep ?? MIN_EDGE_STEP) * WEAK_STEP_FRACTION };
  let completed = grown;
  for (const options of [support, weak]) {
    completed = quality.growToDocumentAspect(full, grown, { ...options, maxShiftFraction: MAX_ASPECT_GROWTH_FRACTION, minSupport: MIN_ASPECT_SIDE_SUPPORT });
    if (!withinReach(completed, full)) completed = grown;
    if (completed !== grown) break;
  }
  // An ID-1 aspect can be a TD3 page less its header or MRZ band: the sides running on past it tell.
  for (const [options, minContinuation] of [[support, MIN_SIDE_SUPPORT], [weak, WEAK_CONTINUATION]] as const) {
    const past = quality.growPastInnerBand(full, completed, { ...options, maxShiftFraction: MAX_BAND_GROWTH_FRACTION, minSupport: MIN_ASPECT_SIDE_SUPPORT, minContinuation, minBandContrast: options === weak ? 2 * (support.minStep ?? MIN_EDGE_STEP) : support.minStep });
    if (past !== completed && withinReach(past, full)) return past;
  }
  // A band running off the frame (the document cut off there) leaves the outline at its inner edge
  // near the border: the sides carrying on to the border, past a strip unlike the background, tell.
  return quality.growToBorder(full, completed, { ...support, maxShiftFraction: MAX_ASPECT_GROWTH_FRACTION, minContinuation: MIN_SIDE_SUPPORT });
}

/**
 * The outermost candidate whose four sides all have edge support at full resolution: inner
 * rectangles (header band, MRZ band) are smaller than the card, and quads merged with clutter
 * have a side without support. Otherwise the best-supported candidate, as a fallback.
 */
export function chooseQuad(candidates: readonly Candidate[], frame: SearchFrame): { quad: quality.Quad | null; fallback: Fallback | null } {
  const { full, scale } = frame;
  const byArea = candidates.map((c) => ({ ...c, area: quality.quadArea(c.quad) })).sort((a, b) => b.area - a.area);
  let fallback: Fallback | null = null;
  const tried: quality.Quad[] = [];
  for (const { quad, partial } of byArea) {
    // Thin and dilated edges, hull and outline often give the same quad: refine and score it once.
    if (tried.some((other) => quality.maxCornerError(other, quad) <= DUPLICATE_PX)) continue;
    tried.push(quad);
    // Support is judged on the refined outline, within a couple of pixels: a true side is one
    // straight edge, whereas texture or clutter near a wrong side is not.
    const refined = quality.refineQuad(full, quad, { searchRadius: Math.ceil(1.5 * scale) + 3 });
    const support = outlineSupport(refined, frame);
    if (support >= MIN_SIDE_SUPPORT) {
      const grown = growToOutline(refined, frame);
      // Four supported sides can be the background's own lines (a fabric's stripes): the document
      // also differs from what it lies on. Such a quad is no fallback either.
      if (standsOut(grown, frame)) return { quad: grown, fallback: null };
      continue;
    }
    // Only whole outlines are fallbacks: a part of a longer outline without support is clutter.
    if (!partial && (!fallback || support > fallback.support)) fallback = { quad: refined, support };
  }
  return { quad: null, fallback };
}

/** The best fallback of the whole search, grown to the document's outline, if it has any support worth the name. */
export function acceptFallback(fallback: Fallback | null, frame: SearchFrame): quality.Quad | null {
  if (!fallback || fallback.support < MIN_FALLBACK_SUPPORT) return null;
  const grown = growToOutline(fallback.quad, frame);
  return standsOut(grown, frame) ? grown : null;
}

/** Whether the quad's inside differs from its surroundings (see `MIN_REGION_CONTRAST`); a quad with no surroundings in the frame does. */
function standsOut(quad: quality.Quad, frame: SearchFrame): boolean {
  const contrast = quality.regionContrast(frame.full, quad);
  return contrast === null || contrast >= MIN_REGION_CONTRAST;
}

/**
 * The previous frame's outline, re-fitted to this frame's edges (a hand-held document moves a few
 * pixels between frames): kept when every side has full edge support, else `null` (detect afresh).
 */
export function trackOutline(previous: quality.Quad, frame: SearchFrame): quality.Quad | null {
  const { full } = frame;
  const radius = Math.max(TRACK_RADIUS_PX, Math.round(TRACK_RADIUS_FRACTION * full.width));
  const refined = quality.refineQuad(full, previous, { searchRadius: radius });
  // refineQuad hands the very same quad back when a side locked onto another edge: lost.
  if (refined === previous) return null;
  return outlineSupport(refined, frame) >= MIN_SIDE_SUPPORT ? refined : null;
}
