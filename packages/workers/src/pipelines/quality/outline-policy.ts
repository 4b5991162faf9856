import { quality } from '@ekyc/core';
import { searchArea } from './search-scale.ts';

// The policy of the document search: what a believable outline is, how much edge evidence its
// sides need, which candidate wins, and when a tracked outline is kept. Pure JS on the frame's own
// pixels (no OpenCV): candidates.ts proposes quads, this file judges them.

/** Smallest document area, as a fraction of the frame (`searchArea`), worth reporting. */
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
/**
 * Colour distance (8-bit levels) from the background beside a corner quad's sides in view at which a
 * strip along the frame border counts as the document's even when it is unlike the quad's middle (a
 * header band running off the frame is neither the card's stock nor the background).
 */
const CORNER_STRIP_UNLIKE_BACKGROUND = 32;
/** Least colour step across a corner quad's sides in view (`quality.stepAcrossSide`, 8-bit levels). */
const MIN_CORNER_SIDE_STEP = 20;
/** Least edge support of each end quarter of a side only bands printed across the card part from the background (see bandedSides). */
const BANDED_END_SUPPORT = 0.6;

/**
 * Whether a quad whose weakest side has less than full support is a card whose body is the colour of
 * what it lies on: two opposite sides with full support, the other two short of it but supported at
 * both ends, where bands printed across the card (a header band, an MRZ band) part it from the
 * background (`short`: shortSidesInView); a document format's aspect (clean 60010: a pastel
 * card on a wood of its colour, its left and right sides 0.66, their end quarters 0.69-0.97). A quad
 * overshooting a card has its unsupported stretch at one end instead, past the card's corner.
 */
function bandedSides(quad: quality.Quad, short: readonly number[], frame: SearchFrame): boolean {
  const { full, support: options } = frame;
  if (short.length !== 2 || short[1]! - short[0]! !== 2) return false;
  const endsSupported = (side: number): boolean => {
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const at = (t: number): quality.Point => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
    return quality.segmentSupportReaches(full, a, at(0.25), options, BANDED_END_SUPPORT) && quality.segmentSupportReaches(full, at(0.75), b, options, BANDED_END_SUPPORT);
  };
  return short.every(endsSupported) && quality.hasDocumentAspect(quad, full.width, full.height);
}

/**
 * Largest share of a corner view's part in view a box may cover to be judged as a box printed on the
 * document (its vanishing points standing for the document's axes, its corners out of the frame judged
 * where it leaves the frame): an outline nearly as large is the document itself.
 */
export const MAX_BOX_SHARE = 0.35;
/** Largest angle (degrees) between a side of a box printed on a document and the document's side along it, in the image (perspective bends them apart a little). */
const PRINTED_BOX_ANGLE_DEG = 5;
/**
 * Least edge support of the one side a hand may cover (a thumb over an edge or corner of a held card
 * hides 20-40% of a side): taken when the other three sides have full support and the quad has a
 * document format's aspect.
 */
const MIN_OCCLUDED_SIDE_SUPPORT = 0.5;
/**
 * Largest share of a held document's outline (`oneSideOccluded`) that an outline with four supported sides
 * inside it may cover and still be a part of that document (its portrait box, the stretch of it beside
 * the thumb), not the same document found again with every side supported. Held cards (eval:quality
 * --thumb, tuning 130000 and 140000): 0.7 and 0.8 alike; at 0.9 a card on the plain tuning set 130000
 * found with full support gave way to its own outline a few pixels off.
 */
const HELD_PART_SHARE = 0.8;
/** Least distance of a held outline's corners from the frame border, as a share of its shorter side, for it to be taken over a part of it: the cut-off check's default margin. */
const HELD_BORDER_CLEARANCE = quality.DEFAULT_QUALITY_THRESHOLDS.cornerMarginFraction;
/**
 * Edge support of a page edge grown past a band with only one side carrying on beside the band (a thumb
 * over the page's corner hides the other): tried after both sides were asked (held TD3 pages, tuning:
 * 0.6-0.8 alike).
 */
const ONE_SIDED_BAND_SUPPORT = 0.7;
/** Support scan (px) of a side turned about a kept corner: that corner is itself a few px off after the hull. */
const COVERED_CORNER_SCAN_PX = 4;
/** Largest turn (degrees) of a side of a hull that took in a thumb (measured 1-19° on held cards, tuning set). */
const COVERED_CORNER_TURN_DEG = 25;
/** Share of a side next to a covered corner, from its kept corner, that a thumb leaves in view. */
const COVERED_CORNER_SPAN = 0.5;
/** Edge support of a turned side over its part in view (`COVERED_CORNER_SPAN` from its kept corner). */
const COVERED_CORNER_IN_VIEW_SUPPORT = 0.7;
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
  /**
   * Shortest part of a side in view judged alone (default MIN_VISIBLE_SIDE). Set for the quads of a
   * document running off the frame (candidates.ts), whose sides meeting the border are then also read
   * where they leave the frame when their corner lies outside it (`towardBorder`).
   */
  minVisibleSide?: number;
  /** Sides an outline may have along the frame border (default 1; 2 for a document seen from one corner). */
  maxBorderSides?: number;
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
  // Every search frame has the same fields, the running-off route's settings unset: the hot loops that
  // read frames see one object shape, whichever route made the frame.
  return { full, scale, support: { searchRadius: SUPPORT_RADIUS_PX, minStep: edgeStep(full) }, minVisibleSide: undefined, maxBorderSides: undefined };
}

/**
 * Smallest step counted as an edge, scaled with exposure: in a dark frame a document's edge is a
 * smaller step. The level is the brightest channel's mean over a sparse grid of pixels.
 */
function edgeStep(full: quality.PixelImage): number {
  const { data, width, height, channels } = full;
  let r = 0;
  let g = 0;
  let b = 0;
  let count = 0;
  const step = 16;
  for (let y = step / 2; y < height; y += step) {
    for (let x = step / 2; x < width; x += step) {
      const at = (y * width + x) * channels;
      r += data[at]!;
      g += data[at + 1]!;
      b += data[at + 2]!;
      count++;
    }
  }
  const level = Math.max(r, g, b) / Math.max(1, count);
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
  return sides.filter(Boolean).length <= (frame.maxBorderSides ?? 1) ? sides : [false, false, false, false];
}

/** Whether a candidate's sides lie on the reduced frame's (dilated) edges enough to be scored at full size. */
export function coarselySupported(edgeMap: quality.GrayImage, quad: quality.Quad, frame: SearchFrame): boolean {
  return quality.edgeMapSupportReaches(edgeMap, quad, frame.scale, MIN_COARSE_SUPPORT, 24, borderSides(quad, frame), frame.minVisibleSide ?? MIN_VISIBLE_SIDE);
}

/**
 * The weakest side's edge support, sides along the frame border left out (see `borderSides`). With
 * `floor`, a side found short of it ends the count: the value returned is then under `floor`, not
 * exact (the caller has no use for it: a part of a longer outline under the occluded side's support).
 */
function outlineSupport(quad: quality.Quad, frame: SearchFrame, floor = 0): number {
  const { full, support: options } = frame;
  const border = borderSides(quad, frame);
  for (let side = 0; side < 4; side++) {
    if (!border[side]) continue;
    // The document must really reach the border: its sides meeting the border have edges right up
    // to it, not a stretch of background (a quad stretched from a document to the frame's edge).
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const before = quad[(side + 3) % 4]!;
    const after = quad[(side + 2) % 4]!;
    const inView = frame.minVisibleSide !== undefined;
    const [fromA, toA] = towardBorder(a, before, full, inView);
    const [fromB, toB] = towardBorder(b, after, full, inView);
    // A neighbour along the border too (a frame corner between them) has no edge to reach it with.
    const reachA = border[(side + 3) % 4] ? 1 : quality.segmentSupport(full, fromA, toA, options);
    const reachB = border[(side + 1) % 4] ? 1 : quality.segmentSupport(full, toB, fromB, options);
    const reach = Math.min(reachA, reachB);
    if (reach < MIN_SIDE_SUPPORT) return reach;
    // Edges up to the border can be background's own (wood grain, fabric threads continuing the card's
    // sides): the strip along the border must also look like the document, not like the background.
    if (!quality.documentReachesBorder(full, quad, side, undefined, frame.maxBorderSides ? border : undefined)) return 0;
  }
  const inFrame = (p: quality.Point) => p.x >= 1 && p.y >= 1 && p.x <= full.width - 2 && p.y <= full.height - 2;
  let weakest = Infinity;
  for (let side = 0; side < 4; side++) {
    if (border[side]) continue;
    let a = quad[side]!;
    let b = quad[(side + 1) % 4]!;
    // A side crossing the frame border (a document running off the frame at a corner) is judged on
    // its part in view, when that is at least MIN_VISIBLE_SIDE of it.
    if (!inFrame(a) || !inFrame(b)) {
      const visible = quality.visibleSegment(a, b, full.width, full.height, 2);
      if (visible && quality.distance(visible.a, visible.b) >= (frame.minVisibleSide ?? MIN_VISIBLE_SIDE) * quality.distance(a, b)) ({ a, b } = visible);
    }
    weakest = Math.min(weakest, quality.segmentSupportAtLeast(full, a, b, options, floor));
    if (weakest < floor) return weakest;
  }
  return weakest;
}

/**
 * The stretch of the side from `corner` (on the border side) to `other` nearest the border, BORDER_REACH
 * of it, as [from, to]. With `inView` (a document running off one side whose side leaves the frame
 * across another border, nearer a frame corner), a corner outside the frame is out of view, as is the
 * stretch next to it: then the stretch is BORDER_REACH of the side's part in view, where it leaves the
 * frame. Other candidates keep the stretch next to the corner (a corner out of view fails there).
 */
function towardBorder(corner: quality.Point, other: quality.Point, full: quality.PixelImage, inView: boolean): [quality.Point, quality.Point] {
  const toward = (from: quality.Point, to: quality.Point, t: number) => ({ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t });
  const slack = 4;
  const outside = inView && (corner.x < -slack || corner.y < -slack || corner.x > full.width - 1 + slack || corner.y > full.height - 1 + slack);
  const visible = outside ? quality.visibleSegment(other, corner, full.width, full.height, 2) : null;
  if (!visible) return [toward(corner, other, BORDER_REACH), corner];
  return [toward(visible.b, visible.a, BORDER_REACH), visible.b];
}

/**
 * The sides of a quad short of full edge support, when it lies wholly in the frame with no side along its
 * border; `null` otherwise. What oneSideOccluded and bandedSides judge.
 */
function shortSidesInView(quad: quality.Quad, frame: SearchFrame): number[] | null {
  const { full, support: options } = frame;
  if (borderSides(quad, frame).some(Boolean) || quality.cornerMarginPx(quad, full.width, full.height) < 0) return null;
  return [0, 1, 2, 3].filter((side) => !quality.sideSupportReaches(full, quad, side, options, MIN_SIDE_SUPPORT));
}

/**
 * Whether a quad whose weakest side has less than full support is a held document's outline: one side
 * only short of it (a thumb over the side, or over a corner hiding mostly one side; `short`:
 * shortSidesInView), the other three with full support, and a document format's aspect.
 */
function oneSideOccluded(quad: quality.Quad, short: readonly number[], frame: SearchFrame): boolean {
  return short.length === 1 && quality.hasDocumentAspect(quad, frame.full.width, frame.full.height);
}

/**
 * A held outline with no format's aspect (`short`: its one side partly covered) completed to one by a
 * side grown to where the aspect and an edge agree (`completeToAspect`: a header band the table's colour,
 * its outline stopping at the band's inner edge, tuning held 130012), the covered side left where it was
 * (grown, it was no side of the card). `null` when none is found.
 */
function completedHeldOutline(quad: quality.Quad, short: readonly number[], frame: SearchFrame): quality.Quad | null {
  if (short.length !== 1) return null;
  const completed = completeToAspect(quad, frame);
  if (completed === quad) return null;
  const side = short[0]!;
  const covered = lineThrough(quad[side]!, quad[(side + 1) % 4]!);
  const kept = [side, (side + 1) % 4].every((k) => quality.distanceToLine(covered, completed[k]!) <= DUPLICATE_PX);
  return kept ? completed : null;
}

/**
 * `quad` with its two sides short of support at one corner turned onto the card's edges about their
 * other corners (`withoutCoveredCorner`), when that leaves it a held outline: at most one side short,
 * none under a covered side's support. Held cards (tuning 130000, 140000, 480000): corners within 5%
 * 247 -> 250 of 303 in view (clean judged good 171 -> 175 of 215); plain 380000, 100000, 130000, 420000:
 * two of 1,600 over-exposed frames moved off (a corner turned onto a tartan's line), neither judged good
 * before or after.
 */
function turnedToHeldOutline(quad: quality.Quad, frame: SearchFrame, refits: { left: number }): quality.Quad | null {
  const corner = coveredCorner(quad, frame);
  if (corner === null || refits.left <= 0 || !keptSidesLikeACard(quad, corner)) return null;
  refits.left--;
  const turned = withoutCoveredCorner(quad, frame, corner);
  const short = turned ? shortSidesInView(turned, frame) : null;
  return turned && short && short.length <= 1 && outlineSupport(turned, frame) >= MIN_OCCLUDED_SIDE_SUPPORT ? turned : null;
}

/** Largest tilt (degrees) foreshortening one of a card's sides in the image against the other, for `KEPT_SIDE_RATIO`. */
const MAX_KEPT_SIDE_TILT_DEG = 35;
/** Least and greatest ratio of a card's two sides in the image: the formats' aspects (1.42-1.59) foreshortened by up to `MAX_KEPT_SIDE_TILT_DEG`. */
const KEPT_SIDE_RATIO = [quality.DOCUMENT_ASPECTS.id3 * Math.cos((MAX_KEPT_SIDE_TILT_DEG * Math.PI) / 180), quality.DOCUMENT_ASPECTS.id1 / Math.cos((MAX_KEPT_SIDE_TILT_DEG * Math.PI) / 180)] as const;

/**
 * Whether the two sides of `quad` away from `corner` stand in about a card's aspect, as a card's two sides
 * do: a cheap test before the side scan (`refitAroundCoveredCorner`, about 2 ms). Turning leaves those sides
 * as they are, and the turned quad must have a format's aspect.
 */
function keptSidesLikeACard(quad: quality.Quad, corner: number): boolean {
  const [a, b, c] = [quad[(corner + 1) % 4]!, quad[(corner + 2) % 4]!, quad[(corner + 3) % 4]!];
  const first = quality.distance(a, b);
  const second = quality.distance(b, c);
  const ratio = Math.max(first, second) / Math.max(1, Math.min(first, second));
  return ratio >= KEPT_SIDE_RATIO[0] && ratio <= KEPT_SIDE_RATIO[1];
}

/** The frame's edge-support options with half the usual step: a band the table's colour meets it with 8-16 levels. */
function weakStep(frame: SearchFrame): SearchFrame['support'] {
  return { ...frame.support, minStep: (frame.support.minStep ?? MIN_EDGE_STEP) * WEAK_STEP_FRACTION };
}

/**
 * `quad` with one side grown to where a document format's aspect and an edge agree
 * (`quality.growToDocumentAspect`), with the usual step, else the weak one; `quad` itself when neither
 * finds such an edge within reach.
 */
function completeToAspect(quad: quality.Quad, frame: SearchFrame): quality.Quad {
  const { full, support } = frame;
  for (const options of [support, weakStep(frame)]) {
    const completed = quality.growToDocumentAspect(full, quad, { ...options, maxShiftFraction: MAX_ASPECT_GROWTH_FRACTION, minSupport: MIN_ASPECT_SIDE_SUPPORT });
    if (completed !== quad && withinReach(completed, full)) return completed;
  }
  return quad;
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
  const weak = weakStep(frame);
  const completed = completeToAspect(grown, frame);
  // An ID-1 aspect can be a TD3 page less its header or MRZ band: the sides running on past it tell.
  // Both sides first (with the full, then the weak step); one side alone (a thumb over the other) last.
  const bandPasses = [[support, MIN_SIDE_SUPPORT, undefined], [weak, WEAK_CONTINUATION, undefined], [support, MIN_SIDE_SUPPORT, ONE_SIDED_BAND_SUPPORT]] as const;
  for (const [options, minContinuation, oneSidedSupport] of bandPasses) {
    const past = quality.growPastInnerBand(full, completed, { ...options, maxShiftFraction: MAX_BAND_GROWTH_FRACTION, minSupport: MIN_ASPECT_SIDE_SUPPORT, minContinuation, minBandContrast: options === weak ? 2 * (support.minStep ?? MIN_EDGE_STEP) : support.minStep, oneSidedSupport });
    if (past !== completed && withinReach(past, full)) return past;
  }
  // A band running off the frame (the document cut off there) leaves the outline at its inner edge
  // near the border: the sides carrying on to the border, past a strip unlike the background, tell.
  return quality.growToBorder(full, completed, { ...support, maxShiftFraction: MAX_ASPECT_GROWTH_FRACTION, minContinuation: MIN_SIDE_SUPPORT });
}

/**
 * The outermost candidate whose four sides all have edge support at full resolution: inner
 * rectangles (header band, MRZ band) are smaller than the card, and quads merged with clutter
 * have a side without support. Otherwise the best-supported candidate, as a fallback. `brokenOutlines`
 * (shared by one frame's searches) gathers the whole outlines, refined, that failed: an outline without a
 * document's aspect may be completed from their supported sides (`outlineFromProvenSides`). `banded`
 * is the first candidate of a card seen only across its printed bands (`bandedSides`), which the
 * search takes last (`acceptBanded`).
 */
export function chooseQuad(candidates: readonly Candidate[], frame: SearchFrame, segments: readonly quality.Segment[] = [], brokenOutlines: quality.Quad[] = []): { quad: quality.Quad | null; fallback: Fallback | null; banded: quality.Quad | null } {
  const { full } = frame;
  const byArea = candidates.map((c) => ({ ...c, area: quality.quadArea(c.quad) })).sort((a, b) => b.area - a.area);
  let fallback: Fallback | null = null;
  let occluded: quality.Quad | null = null;
  let completed: quality.Quad | null = null;
  // The side scan of a turned corner costs about 2 ms: once per search.
  const turnRefits = { left: 1 };
  let banded: quality.Quad | null = null;
  const tried: quality.Quad[] = [];
  for (const [index, { quad, partial }] of byArea.entries()) {
    // Thin and dilated edges, hull and outline often give the same quad: refine and score it once.
    if (tried.some((other) => quality.maxCornerError(other, quad) <= DUPLICATE_PX)) continue;
    tried.push(quad);
    // Support is judged on the refined outline, within a couple of pixels: a true side is one
    // straight edge, whereas texture or clutter near a wrong side is not.
    const refined = refinedOnFrame(quad, frame);
    // A part of a longer outline is of no use under the occluded side's support (under full support once a held outline is kept).
    const support = outlineSupport(refined, frame, partial ? (occluded ? MIN_SIDE_SUPPORT : MIN_OCCLUDED_SIDE_SUPPORT) : 0);
    const short = support < MIN_SIDE_SUPPORT && !occluded && support >= MIN_OCCLUDED_SIDE_SUPPORT ? shortSidesInView(refined, frame) : null;
    // A held document's outline (one side partly under a thumb) is kept for when no outline has four supported sides.
    if (short && oneSideOccluded(refined, short, frame)) occluded = refined;
    // A card the colour of its background, its sides seen only across its printed bands: kept for when
    // no route of the search finds an outline (acceptBanded).
    else if (short && !banded && bandedSides(refined, short, frame)) banded = refined;
    // Two adjacent sides short can be a corner found off the card's, where the outline ran on along the thumb's
    // edge: those sides turned about their far corners onto the card's edges (`withoutCoveredCorner`), a held outline.
    if (!occluded && support < MIN_SIDE_SUPPORT) occluded = turnedToHeldOutline(refined, frame, turnRefits);
    // One without a format's aspect may be a held card less its header band (`completedHeldOutline`): kept
    // only as the card a printed box inside it belongs to (below).
    if (short && !occluded && !completed) completed = completedHeldOutline(refined, short, frame);
    if (support < MIN_SIDE_SUPPORT && !partial) brokenOutlines.push(refined);
    if (support >= MIN_SIDE_SUPPORT) {
      let grown = growToOutline(refined, frame);
      // Grown to no document's aspect, it may be a part of the card whose whole outline failed at one
      // corner: completed from that outline's supported sides (`outlineFromProvenSides`).
      if (brokenOutlines.length > 0 && !quality.hasDocumentAspect(grown, full.width, full.height)) grown = outlineFromProvenSides(grown, brokenOutlines, frame) ?? grown;
      // Four supported sides can be the background's own lines (a fabric's stripes): the document
      // also differs from what it lies on. Such a quad is no fallback either.
      if (!standsOut(grown, frame)) continue;
      // A thumb breaks a held card's outline: the card, one side partly covered, came first (larger), and
      // what has four supported sides inside it is a part of it (its portrait box, its stretch beside the thumb).
      // Inside it as found or as grown: a part can grow past the card's side onto the background (held 480011).
      // A held outline completed to a format's aspect holds a box printed on it (`MAX_BOX_SHARE`), not a
      // stretch of it: a larger outline inside it is more likely the card, the completed outline the
      // background's lines around it (a tartan's stripes, plain tuning 130047).
      const holder = occluded ?? (completed && quality.quadArea(grown) <= MAX_BOX_SHARE * quality.quadArea(completed) ? completed : null);
      if (holder && quality.quadArea(grown) < HELD_PART_SHARE * quality.quadArea(holder) && (holdsBox(holder, grown, frame) || holdsBox(holder, refined, frame)) && clearOfBorder(holder, frame)) {
        const held = growToOutline(holder, frame);
        if (standsOut(held, frame)) return { quad: held, fallback: null, banded };
      }
      // A box printed on a card that runs off the frame (its portrait box, a field) has four supported
      // sides too, and can even have a format's aspect by chance: when the card's two sides at its
      // corner in view are found around it, running to the border along its axes, the card is the outline.
      const taken = segments.length > 0 ? documentAroundBox(grown, segments, frame) ?? grown : grown;
      return { quad: cardInside(taken, byArea.slice(index + 1), tried, frame) ?? taken, fallback: null, banded };
    }
    // Only whole outlines are fallbacks: a part of a longer outline without support is clutter.
    if (!partial && (!fallback || support > fallback.support)) fallback = { quad: refined, support };
  }
  if (occluded) {
    const grown = growToOutline(occluded, frame);
    if (standsOut(grown, frame)) return { quad: grown, fallback: null, banded };
  }
  return { quad: null, fallback, banded };
}

/** Smallest area of a card inside an outline without a card's corners, as a share of the outline's, for the card to be taken instead (`cardInside`). */
const MIN_CARD_INSIDE_SHARE = 0.4;
/**
 * Least corner distance of a candidate from the outline (share of the outline's size, the square root of its area)
 * for `cardInside` to refine it: closer ones are the outline itself, found again by another contour or subset.
 */
const MIN_CARD_INSIDE_OFFSET = 0.1;
/**
 * Most candidates `cardInside` refines (about 0.35 ms each on the bench's cold frames): the card under the stripes'
 * quad came within the first six on the tuning frames it mends (held 550001: the sixth).
 */
const MAX_CARD_INSIDE_TRIES = 6;

/**
 * A card inside `outline` (an outline with four supported sides, about to be taken, whose corners are not a
 * card's: `hasCardCorners`): the largest smaller candidate of `rest` (in area order) of at least
 * `MIN_CARD_INSIDE_SHARE` of its area, inside it, with four supported sides, standing out, and all four corners
 * rounded. A card's sides carried on past its corners by a tartan's or a grid's lines to stripes across them make
 * a larger quad with four supported sides, taken first, of which only one or two corners are the card's (tuning
 * 130000 and held 550001, clean, captured 22-25% off). Four rounded corners, not the three a held card's outline
 * needs: with three, cards were replaced by quads a few px off or by a part of them (tuning 130110, 610259). Three
 * (none square) suffice when `outline` has a square corner, where two stripes cross: held-out icao 710234, a card
 * on a tartan whose fourth corner reads neither way, was captured as the stripes' quad around it (34% off).
 */
function cardInside(outline: quality.Quad, rest: readonly { quad: quality.Quad; area: number }[], tried: quality.Quad[], frame: SearchFrame): quality.Quad | null {
  const corners = roundingOf(outline, frame);
  if (cardLikeRounding(corners)) return null;
  const roundedNeeded = corners.square > 0 ? 3 : 4;
  const least = MIN_CARD_INSIDE_SHARE * quality.quadArea(outline);
  const offset = MIN_CARD_INSIDE_OFFSET * Math.sqrt(quality.quadArea(outline));
  let tries = 0;
  for (const { quad, area } of rest) {
    if (area < least || tries >= MAX_CARD_INSIDE_TRIES) break;
    if (quality.maxCornerError(quad, outline) < offset || !holdsBox(outline, quad, frame) || tried.some((other) => quality.maxCornerError(other, quad) <= DUPLICATE_PX)) continue;
    tried.push(quad);
    tries++;
    const refined = refinedOnFrame(quad, frame);
    if (outlineSupport(refined, frame, MIN_SIDE_SUPPORT) < MIN_SIDE_SUPPORT || !holdsBox(outline, refined, frame)) continue;
    const grown = growToOutline(refined, frame);
    const { rounded, square } = roundingOf(grown, frame);
    if (square === 0 && rounded >= roundedNeeded && standsOut(grown, frame)) return grown;
  }
  return null;
}

/**
 * A larger document around `inner` (an outline with four supported sides, grown, about to be taken
 * without a document format's aspect) whose sides are `inner`'s or sides of larger whole outlines that
 * failed (`broken`) with full support at full resolution, measured only here: a card whose whole
 * outline ran off along a background line at one corner (clean 420060: its bottom edge carried on to the
 * border by a grain line) and whose part beside the portrait box has the other sides. Taken only with a
 * document format's aspect, every side supported once refined, and an inside that stands out; the
 * largest such quad, else `null`.
 */
function outlineFromProvenSides(inner: quality.Quad, broken: readonly quality.Quad[], frame: SearchFrame): quality.Quad | null {
  const { full } = frame;
  const proven = broken.flatMap((quad) => quality.sideSupport(full, quad, frame.support).flatMap((v, side) => (v >= MIN_SIDE_SUPPORT ? [{ a: quad[side]!, b: quad[(side + 1) % 4]! }] : [])));
  const innerArea = quality.quadArea(inner);
  const own = inner.map((p, k) => ({ a: p, b: inner[(k + 1) % 4]! }));
  const quads = quality
    .quadsFromLines([...proven, ...own], { maxLines: 12 })
    .filter((q) => quality.quadArea(q) > 1.1 * innerArea && withinReach(q, full) && quality.cornerMarginPx(q, full.width, full.height) > 0 && holdsBox(q, inner, frame) && quality.hasDocumentAspect(q, full.width, full.height))
    .sort((a, b) => quality.quadArea(b) - quality.quadArea(a));
  for (const quad of quads) {
    const refined = refinedOnFrame(quad, frame);
    if (outlineSupport(refined, frame, MIN_SIDE_SUPPORT) >= MIN_SIDE_SUPPORT && standsOut(refined, frame)) return refined;
  }
  return null;
}

/**
 * The outline of a document running off the frame at one of its corners when `inner` is a box printed
 * on it, or `null`. Of the views of such a corner (`quality.cornerViewsFromLines`) whose part in view
 * holds the box, the largest whose two sides in view
 * run along the box's sides, have edge support once refined, and part the document from the background
 * (`quality.stepAcrossSide`), whose strips along the frame border look like the document
 * (`quality.documentReachesBorder`), and whose inside differs from its surroundings (`standsOut`). The
 * outline is the smallest document of the box's plane holding that part (`quality.documentAroundCorner`):
 * its corners outside the frame, its tilt the box's; a view without one (out of reach) is passed over.
 */
function documentAroundBox(inner: quality.Quad, segments: readonly quality.Segment[], frame: SearchFrame): quality.Quad | null {
  const { full, scale } = frame;
  const frameArea = searchArea(full.width, full.height);
  const reach = 2 * scale + 2;
  const views = quality
    .cornerViewsFromLines(segments, full.width, full.height, { borderReach: reach })
    .filter((view) => plausible(view.quad, frameArea) && holdsBox(view.quad, inner, frame, reach))
    .sort((a, b) => quality.quadArea(b.quad) - quality.quadArea(a.quad));
  const tried: quality.Quad[] = [];
  for (const coarse of views) {
    if (tried.some((other) => quality.maxCornerError(other, coarse.quad) <= DUPLICATE_PX)) continue;
    tried.push(coarse.quad);
    // A box printed on the document shares its axes; a card lying on a table whose corner reaches the frame's does so only by chance.
    // Far sides of a strongly foreshortened document lean off the box's: they meet the box's sides' lines
    // at its vanishing points instead. Only for a box well inside the part in view: an outline nearly as
    // large is the document itself, and a plane taken from it is no better than the outline.
    const view = acceptedView(coarse, frame, (refined) => {
      const smallBox = smallBeside(inner, refined.quad);
      return refined.exits.every((exit) => inner.some((p, k) => parallel(refined.corner, exit, p, inner[(k + 1) % 4]!)) || (smallBox && towardBoxVanishingPoint(inner, refined.corner, exit)));
    });
    if (!view) continue;
    const { corner, exits, quad } = view;
    // The part in view closed by the frame's corners has no pose of its own, and is narrower than the
    // document: the smallest document of the box's plane holding it has both. A box that gives no such
    // document (one cut by the frame border is no rectangle) leaves the box as the outline.
    const completed = quality.documentAroundCorner(inner, corner, exits[0], exits[1], [...quad, ...exits], full.width, full.height);
    if (completed && withinReach(completed, full)) return completed;
  }
  return null;
}

/**
 * The document seen from one of its corners, its other corners out of the frame, when no outline of
 * it was found: of `views` (largest first), the first `acceptedView` takes, as its part in view closed
 * by the frame border. A card held close to the camera shows a corner and two sides that leave the
 * frame, often across opposite borders (the part in view is then a pentagon, and the view's quad has a
 * side inside the document): only the two sides in view are judged. `null` when none is taken.
 */
export function documentSeenFromCorner(views: readonly quality.CornerView[], frame: SearchFrame): quality.Quad | null {
  const tried: quality.Quad[] = [];
  for (const coarse of [...views].sort((a, b) => quality.quadArea(b.quad) - quality.quadArea(a.quad))) {
    if (tried.some((other) => quality.maxCornerError(other, coarse.quad) <= DUPLICATE_PX)) continue;
    tried.push(coarse.quad);
    // Only the two sides in view say it is a card: its inside must differ from the table beyond clearly.
    const view = acceptedView(coarse, frame, undefined, HELD_CLOSE_MIN_CONTRAST);
    if (view) return view.quad;
  }
  return null;
}

/**
 * Least region contrast (`quality.regionContrast`) of a document seen from one corner alone: twice
 * MIN_REGION_CONTRAST. The 14 cards held close found this way on eval:quality sets read 44-248 (or too
 * large for a ring around them); a weave cornered by two of its stripes on a dark frame read 12.0 (seed 2017).
 */
const HELD_CLOSE_MIN_CONTRAST = 2 * MIN_REGION_CONTRAST;

/**
 * The view of a document's corner, its two sides refined (`refineView`), when they have edge support,
 * part the document from the background (`quality.stepAcrossSide`), its strips along the frame border
 * look like the document (`quality.documentReachesBorder`), `fits` (further evidence the caller has)
 * holds and its inside differs from its surroundings by `minContrast` (`standsOut`); else `null`.
 */
function acceptedView(coarse: quality.CornerView, frame: SearchFrame, fits: (view: quality.CornerView) => boolean = () => true, minContrast = MIN_REGION_CONTRAST): quality.CornerView | null {
  const { full, scale } = frame;
  const reach = 2 * scale + 2;
  const view = refineView(coarse, frame);
  if (!view) return null;
  const { corner, exits, quad } = view;
  if (exits.some((exit) => quality.segmentSupportAtLeast(full, corner, exit, frame.support, MIN_SIDE_SUPPORT) < MIN_SIDE_SUPPORT)) return null;
  const centre = { x: (quad[0].x + quad[1].x + quad[2].x + quad[3].x) / 4, y: (quad[0].y + quad[1].y + quad[2].y + quad[3].y) / 4 };
  // The sides in view part the document from the background: a fabric's stripe or a grain line has the same background on both sides.
  if (exits.some((exit) => quality.stepAcrossSide(full, corner, exit, centre) < MIN_CORNER_SIDE_STEP)) return null;
  const border = quality.sidesOnFrameBorder(quad, full.width, full.height, reach);
  // A side of the quad neither along the border nor in view (the fifth side, inside the document) has no background beside it.
  const noBackground = border.map((onBorder, side) => onBorder || !isSideInView(quad, side, view));
  // Exits on opposite borders: the strips along the border can hold background beyond a second corner
  // of the document in view. There a box's axes stand for them (`documentAroundBox`); seen from the corner
  // alone (`documentSeenFromCorner`), the two sides in view and the inside's contrast are all the evidence.
  const opposite = noBackground.filter(Boolean).length > 2;
  const reaches = border.map((onBorder, side) => !onBorder || opposite || (noBackground[(side + 3) % 4]! && noBackground[(side + 1) % 4]!) || quality.documentReachesBorder(full, quad, side, undefined, noBackground, CORNER_STRIP_UNLIKE_BACKGROUND));
  if (!reaches.every(Boolean) || !fits(view)) return null;
  return standsOut(quad, frame, minContrast) ? view : null;
}

/** Whether side `side` of `quad` is one of the view's two sides in view (from its corner to an exit). */
function isSideInView(quad: quality.Quad, side: number, view: quality.CornerView): boolean {
  const same = (p: quality.Point, q: quality.Point) => Math.abs(p.x - q.x) < 0.5 && Math.abs(p.y - q.y) < 0.5;
  const a = quad[side]!;
  const b = quad[(side + 1) % 4]!;
  return view.exits.some((exit) => (same(a, view.corner) && same(b, exit)) || (same(b, view.corner) && same(a, exit)));
}

/**
 * The view with its two sides re-fitted to the full-resolution edges (`quality.refineQuad` on the
 * parallelogram they span; its other two sides lie mostly out of view and keep their place), its
 * exits followed again to the frame border; `null` when an exit changes border.
 */
function refineView(view: quality.CornerView, frame: SearchFrame): quality.CornerView | null {
  const { full } = frame;
  const { corner, exits } = view;
  const [a, b] = exits;
  const parallelogram: quality.Quad = [corner, a, { x: a.x + b.x - corner.x, y: a.y + b.y - corner.y }, b];
  const refined = refinedOnFrame(parallelogram, frame);
  if (refined === parallelogram) return view;
  const at = refined[0];
  const border = (p: quality.Point) => quality.frameExitOf(corner, p, full.width, full.height)?.border;
  const exitA = quality.frameExitOf(at, refined[1], full.width, full.height);
  const exitB = quality.frameExitOf(at, refined[3], full.width, full.height);
  if (!exitA || !exitB || exitA.border !== border(a) || exitB.border !== border(b)) return null;
  return quality.cornerView(at, exitA, exitB, full.width, full.height);
}

/** Whether segments a-b and c-d run within `limitDeg` (PRINTED_BOX_ANGLE_DEG by default) of each other. */
export function parallel(a: quality.Point, b: quality.Point, c: quality.Point, d: quality.Point, limitDeg = PRINTED_BOX_ANGLE_DEG): boolean {
  const angle = Math.abs(Math.atan2(b.y - a.y, b.x - a.x) - Math.atan2(d.y - c.y, d.x - c.x)) % Math.PI;
  return Math.min(angle, Math.PI - angle) <= (limitDeg * Math.PI) / 180;
}

/**
 * Whether the line from `corner` through `exit` runs within PRINTED_BOX_ANGLE_DEG of the line from
 * `corner` to a vanishing point of the box (where the lines of two opposite sides of it meet): the
 * document's sides in the box's plane meet there too, however far from the box they lie in the image
 * (a strongly foreshortened card's far side is 10-15° off the box's nearer sides).
 */
function towardBoxVanishingPoint(box: quality.Quad, corner: quality.Point, exit: quality.Point): boolean {
  for (let k = 0; k < 2; k++) {
    const a = box[k]!;
    const b = box[k + 1]!;
    const c = box[(k + 3) % 4]!;
    const d = box[k + 2]!;
    const vanishing = lineIntersection(a, b, c, d);
    // Sides parallel in the image (no vanishing point in reach): their common direction.
    const through = vanishing ?? { x: corner.x + (b.x - a.x + d.x - c.x) / 2, y: corner.y + (b.y - a.y + d.y - c.y) / 2 };
    if (parallel(corner, exit, corner, through)) return true;
  }
  return false;
}

/** Where the lines through a-b and c-d meet, or `null` when they are (nearly) parallel. */
function lineIntersection(a: quality.Point, b: quality.Point, c: quality.Point, d: quality.Point): quality.Point | null {
  return quality.intersectLines(lineThrough(a, b), lineThrough(c, d));
}

function lineThrough(a: quality.Point, b: quality.Point): quality.Line {
  const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  return { point: a, direction: { x: (b.x - a.x) / length, y: (b.y - a.y) / length } };
}

/**
 * Whether the part of `box` in view lies in `view` (within `tolerance` px): a box cut by the frame
 * border has corners outside the frame, where no view reaches; they are judged where they leave it.
 */
export function holdsBox(view: quality.Quad, box: quality.Quad, frame: SearchFrame, tolerance = 2 * frame.scale + 2): boolean {
  const { width, height } = frame.full;
  // Only a box (small beside the part in view) is judged where it leaves the frame: an outline as large
  // as the view running off the frame is the document itself, found already.
  if (!smallBeside(box, view)) return box.every((p) => insideConvexQuad(view, p, tolerance));
  return box.every((p) => insideConvexQuad(view, { x: Math.min(width - 1, Math.max(0, p.x)), y: Math.min(height - 1, Math.max(0, p.y)) }, tolerance));
}

/** Whether `box` covers at most MAX_BOX_SHARE of `view`'s area (a portrait box is under a fifth of an ID-1 card). */
function smallBeside(box: quality.Quad, view: quality.Quad): boolean {
  return quality.quadArea(box) <= MAX_BOX_SHARE * quality.quadArea(view);
}

/** Whether `p` lies inside the convex quad or within `tolerance` px outside a side (a box printed along the document's edge). */
function insideConvexQuad(quad: quality.Quad, p: quality.Point, tolerance: number): boolean {
  const orientation = Math.sign(quality.quadArea(quad) === 0 ? 0 : signedArea(quad));
  for (let side = 0; side < 4; side++) {
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const distance = (orientation * ((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x))) / length;
    if (distance < -tolerance) return false;
  }
  return true;
}

/** Twice the signed area of the quad (positive when its corners run clockwise on screen). */
function signedArea(quad: quality.Quad): number {
  let twice = 0;
  for (let k = 0; k < 4; k++) twice += quad[k]!.x * quad[(k + 1) % 4]!.y - quad[(k + 1) % 4]!.x * quad[k]!.y;
  return twice;
}

/**
 * Whether every corner of `quad` lies at least HELD_BORDER_CLEARANCE of the frame's shorter side inside
 * it. A held outline reaching the border is more likely a part's sides carried along the background to
 * it than a card held in view (a square board on wood grain, its top and bottom sides run on along the
 * grain to the frame's left border: upload-quad.test.ts).
 */
function clearOfBorder(quad: quality.Quad, frame: SearchFrame): boolean {
  const { width, height } = frame.full;
  return quality.cornerMarginPx(quad, width, height) >= HELD_BORDER_CLEARANCE * Math.min(width, height);
}

/**
 * Whether the best whole outline is weaker evidence than the straight edges: its weakest side under the
 * support a held card's covered side keeps. Such a fallback is mostly the hull of a held card and the
 * thumb over it, or of a card and the clutter it touches, while four straight edges of the card (one
 * partly covered) are often in view. Held cards (eval:quality --thumb, tuning 130000 and 140000): corners
 * within 5% 170 -> 186 of 236 with all the straight-edge routes asked first under 0.5 (182-184 at 0.3, 0.4,
 * 0.6 and 0.7). Only the quads in view are asked first (see `searchDocument`): with `HELD_PART_SHARE`,
 * 190 of 236 either way.
 */
export function isWeakFallback(fallback: Fallback | null): boolean {
  return fallback !== null && fallback.support < MIN_OCCLUDED_SIDE_SUPPORT;
}

/** The best fallback of the whole search, grown to the document's outline, if it has any support worth the name. */
export function acceptFallback(fallback: Fallback | null, frame: SearchFrame): quality.Quad | null {
  if (!fallback || fallback.support < MIN_FALLBACK_SUPPORT) return null;
  const grown = growToOutline(withoutCoveredCorner(fallback.quad, frame) ?? fallback.quad, frame);
  return standsOut(grown, frame) ? grown : null;
}

/**
 * A card whose sides only its printed bands part from the background (`bandedSides`), grown to its
 * outline, when it stands out: the search's last resort, so an outline any route finds comes first
 * (a card with a header band and a printed frame line on clutter, clean 380063, had its band's lower
 * edge and the frame line taken for its top and bottom when this was tried beside the held outline).
 */
export function acceptBanded(banded: quality.Quad | null, frame: SearchFrame): quality.Quad | null {
  if (!banded) return null;
  const grown = growToOutline(banded, frame);
  return standsOut(grown, frame) ? grown : null;
}

/** The corner of `quad` where its two sides short of full support meet, the other two with it; `null` otherwise. */
function coveredCorner(quad: quality.Quad, frame: SearchFrame): number | null {
  const { full, support: options } = frame;
  const supported = [0, 1, 2, 3].map((side) => quality.sideSupportReaches(full, quad, side, options, MIN_SIDE_SUPPORT));
  if (supported.filter(Boolean).length !== 2) return null;
  // Sides s and s + 1 without support meet at corner s + 1.
  const side = [0, 1, 2, 3].find((s) => !supported[s] && !supported[(s + 1) % 4]);
  return side === undefined ? null : (side + 1) % 4;
}

/**
 * A held card's outline when `quad` took in the thumb over one of its corners (the hull of card and
 * thumb, the thumb running off the frame): two adjacent sides with full support, the two meeting at
 * the covered corner without. Those two are turned about their other corners to the edges of their
 * parts in view (`quality.refitAroundCoveredCorner`), and the quad is kept when, refined, the turned
 * sides have `COVERED_CORNER_IN_VIEW_SUPPORT` over those parts (`COVERED_CORNER_SPAN` from the kept
 * corners), the kept sides full support, and it has a document format's aspect, wholly in the frame.
 * Else `null`.
 */
function withoutCoveredCorner(quad: quality.Quad, frame: SearchFrame, corner = coveredCorner(quad, frame)): quality.Quad | null {
  if (corner === null) return null;
  const { full, support: options } = frame;
  const side = (corner + 3) % 4;
  const rebuilt = quality.refitAroundCoveredCorner(full, quad, corner, { ...options, searchRadius: COVERED_CORNER_SCAN_PX, maxTurnDeg: COVERED_CORNER_TURN_DEG, span: COVERED_CORNER_SPAN });
  if (!rebuilt) return null;
  const refined = refinedOnFrame(rebuilt, frame);
  if (borderSides(refined, frame).some(Boolean) || quality.cornerMarginPx(refined, full.width, full.height) < 0 || !quality.hasDocumentAspect(refined, full.width, full.height)) return null;
  const sides = quality.sideSupport(full, refined, options);
  // The turned sides' parts in view are edges, from their kept corners over COVERED_CORNER_SPAN.
  const inView = (from: quality.Point, to: quality.Point) => quality.segmentSupport(full, from, { x: from.x + (to.x - from.x) * COVERED_CORNER_SPAN, y: from.y + (to.y - from.y) * COVERED_CORNER_SPAN }, options);
  const hidden = refined[corner]!;
  const turned = [inView(refined[side]!, hidden), inView(refined[(corner + 1) % 4]!, hidden)];
  const ok = turned.every((v) => v >= COVERED_CORNER_IN_VIEW_SUPPORT) && sides.every((v, s) => s === side || s === corner || v >= MIN_SIDE_SUPPORT);
  return ok ? refined : null;
}

/**
 * How a side carrying on past a corner is followed (`quality.sideContinuation`): pieces of 16 px with
 * full support (0.8), the side's two colours, read 10 px either side of it, within 30 levels. eval:quality,
 * tuning sets 380000/100000/130000/420000 (the found outlines, continuation over 6-30% of the side past
 * each corner): 2 of 756 outlines right within 5% of the card carry on so, 4 of 19 wrong ones in view.
 */
const CONTINUATION = { minSupport: MIN_SIDE_SUPPORT, maxColourDifference: 30, minSideContrast: 24, colourOffset: 10, pieceLength: 16 } as const;
/** Least continuation (fraction of the side) that tells the corner is none: a card's rounded corner bends its side away within a few px. */
const MIN_CONTINUATION_FRACTION = 0.1;

/**
 * The document around `quad` (an accepted outline) when some of its sides carry on past a corner as the
 * same edge (`quality.sideContinuation`): the side meeting it there is moved to where it stops, on to the
 * frame border if it carries on to it (`quality.moveSidePastContinuation`), the longest first, each
 * side past each of its corners once. Taken when the quad so grown, refined, has every side supported and stands out,
 * or is a held card's outline, one side partly under the thumb (`heldCardAround`); else `null` (the outline stays as
 * it was). `outsideOnly`: a side carries on with its outer colour alone (see `smallOrMisshapenInView`).
 */
export function documentPastCarriedSides(quad: quality.Quad, frame: SearchFrame, { outsideOnly = false } = {}): quality.Quad | null {
  const { full } = frame;
  const options = { ...frame.support, ...CONTINUATION, outsideOnly };
  let current = quad;
  const moved = new Set<string>();
  for (let step = 0; step < 4; step++) {
    const border = borderSides(current, frame);
    let best: { side: number; past: 'start' | 'end'; corner: number; continuation: quality.Continuation } | null = null;
    for (let side = 0; side < 4; side++) {
      if (border[side]) continue;
      const least = MIN_CONTINUATION_FRACTION * quality.distance(current[side]!, current[(side + 1) % 4]!);
      for (const past of ['start', 'end'] as const) {
        const corner = past === 'end' ? (side + 1) % 4 : side;
        if (moved.has(`${side}${corner}`)) continue;
        const continuation = quality.sideContinuation(full, current, side, past, options);
        if (continuation.length >= least && (!best || continuation.length > best.continuation.length)) best = { side, past, corner, continuation };
      }
    }
    if (!best) break;
    const next = quality.moveSidePastContinuation(current, best.side, best.past, best.continuation, full.width, full.height);
    if (!next || !withinReach(next, full)) return null;
    moved.add(`${best.side}${best.corner}`);
    // The walk stops where a rounded corner bends the side away: the side meeting it lies a little further out.
    const movedSide = best.past === 'end' ? best.corner : (best.corner + 3) % 4;
    current = refinedOnFrame(best.continuation.toBorder ? next : toNearestEdgeOutward(next, movedSide, frame), frame);
  }
  if (current === quad) return null;
  // Grown to the document's outline first: a side still on an inner edge (the band's) moves out to the card's.
  const grown = growToOutline(current, frame);
  if (outlineSupport(grown, frame, MIN_SIDE_SUPPORT) >= MIN_SIDE_SUPPORT) return standsOut(grown, frame) ? grown : null;
  // A thumb over the side the walk moved: a held card's (held 130007, 130035, 530037: their portrait column,
  // an ID-1 card's proportions turned upright, was taken for the card and the user told to move closer).
  return heldCardAround(grown, frame);
}

/**
 * `quad` as a held card's outline (`heldCardSides`): as it is, else with its weakest side (the one under the
 * thumb, which the walk past a carried side leaves where the card's rounded corner bent the side away and the
 * full-support search outward finds no edge) moved outward, parallel, to the nearest position with a covered
 * side's support (`HELD_MIN_SUPPORT`) and refined; else `null`.
 */
function heldCardAround(quad: quality.Quad, frame: SearchFrame): quality.Quad | null {
  const sides = quality.sideSupport(frame.full, quad, frame.support);
  if (heldCardSides(quad, frame, sides)) return quad;
  const moved = toNearestEdgeOutward(quad, sides.indexOf(Math.min(...sides)), frame, HELD_MIN_SUPPORT);
  if (moved === quad) return null;
  const refined = refinedOnFrame(moved, frame);
  return heldCardSides(refined, frame) ? refined : null;
}

/**
 * Whether a refined quad is a held card's outline: its sides' edge support (mean `HELD_MEAN_SUPPORT`, the
 * covered one `HELD_MIN_SUPPORT`), a format's aspect and an inside standing out as clearly as a held card's
 * must (`HELD_CLOSE_MIN_CONTRAST`). `sides`: the quad's `quality.sideSupport`, when the caller has it.
 */
function heldCardSides(refined: quality.Quad, frame: SearchFrame, sides = quality.sideSupport(frame.full, refined, frame.support)): boolean {
  const { full } = frame;
  if (mean(sides) < HELD_MEAN_SUPPORT || Math.min(...sides) < HELD_MIN_SUPPORT) return false;
  return quality.hasDocumentAspect(refined, full.width, full.height) && standsOut(refined, frame, HELD_CLOSE_MIN_CONTRAST);
}

/** Farthest (px) a side moved past a carried side's end is looked for outward: a card corner's radius at a close distance. */
const MAX_CORNER_ROUNDING_PX = 40;

/** `quad` with side `side` moved outward, parallel, to the nearest position where it has edge support (`minSupport`, full by default; within MAX_CORNER_ROUNDING_PX), if any. */
function toNearestEdgeOutward(quad: quality.Quad, side: number, frame: SearchFrame, minSupport = MIN_SIDE_SUPPORT): quality.Quad {
  const lines = quality.quadSideLines(quad);
  if (!lines) return quad;
  const a = quad[side]!;
  const b = quad[(side + 1) % 4]!;
  const { normal } = quality.outwardSide(quad, lines, side);
  for (let offset = -4; offset <= MAX_CORNER_ROUNDING_PX; offset += 2) {
    const from = { x: a.x + normal.x * offset, y: a.y + normal.y * offset };
    const to = { x: b.x + normal.x * offset, y: b.y + normal.y * offset };
    const shifted: [quality.Point, quality.Point, quality.Point, quality.Point] = [quad[0], quad[1], quad[2], quad[3]];
    shifted[side] = from;
    shifted[(side + 1) % 4] = to;
    const visible = quality.visibleSegment(from, to, frame.full.width, frame.full.height, 2);
    if (visible && quality.segmentSupportReaches(frame.full, visible.a, visible.b, frame.support, minSupport)) return shifted;
  }
  return quad;
}

/**
 * `quad` refined at full resolution (`quality.refineQuad`) within the reach of a side found on the
 * reduced frame: 1.5 of its pixels, plus 3 px.
 */
function refinedOnFrame(quad: quality.Quad, frame: SearchFrame): quality.Quad {
  return quality.refineQuad(frame.full, quad, { searchRadius: Math.ceil(1.5 * frame.scale) + 3 });
}

/** Whether the quad's inside differs from its surroundings by `minContrast` (see `MIN_REGION_CONTRAST`); a quad with no surroundings in the frame does. */
function standsOut(quad: quality.Quad, frame: SearchFrame, minContrast = MIN_REGION_CONTRAST): boolean {
  const contrast = quality.regionContrast(frame.full, quad);
  return contrast === null || contrast >= minContrast;
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
  return outlineSupport(refined, frame, MIN_SIDE_SUPPORT) >= MIN_SIDE_SUPPORT ? refined : null;
}

/** Lines (the longest) a held card's quads are built from: work grows with its fourth power (24 found a few more cards for 1.5 times the cost, on all the strong pass's lines). */
const HELD_LINES = 16;
/** Quads of straight edges refined and judged at full resolution at most, largest first (refinement is the route's costly step after the Hough transform). */
const HELD_REFITS = 8;
/** Mean edge support of a held card's four sides at full resolution, and the least of its covered side. */
const HELD_MEAN_SUPPORT = 0.85;
const HELD_MIN_SUPPORT = 0.45;
/** The same on the reduced frame's dilated edges, where a card's side reads about 1: a cheap test before refinement. */
const HELD_COARSE_MEAN_SUPPORT = 0.8;
const HELD_COARSE_MIN_SUPPORT = 0.3;
/** A format's aspect before refinement, within this (`quality.hasDocumentAspect`; 0.035 once refined). */
const HELD_COARSE_ASPECT_TOLERANCE = 0.07;
/**
 * How much more a held card's outline must stand out than the outline the search found (`quality.regionContrast`)
 * to be taken over it. The card's own outline is where the contrast between inside and around peaks: a part of
 * the card has card around it, a stretch of background around the card has background inside it. Between
 * outlines of one card that differ by a few pixels it moves by under 10% (held tuning sets: 130008, 140041,
 * 480066 moved 4-10% off with a gain of 1.04-1.10 asked); the parts and stretches replaced read 1.18-3.6 times less.
 */
const HELD_CONTRAST_GAIN = 1.15;
/**
 * Rounded corners (`quality.cornerRounding`) a held card's outline must show, with none square, to be taken
 * over the search's outline on that evidence alone, and by how many more (rounded less square) than it. A card
 * with a thumb over one corner still shows three; the search's outline ran through the thumb or stopped at a
 * header band, and its corners there are the inside's colour (square). One more than the outline found was
 * not enough: a held card's rectangle one corner rounder than a right outline replaced it (plain 380074).
 */
const HELD_MIN_ROUNDED_CORNERS = 3;
const HELD_ROUNDING_LEAD = 2;
/**
 * The lead asked over an outline reaching the frame's border (a corner within the cut-off margin): its corner
 * there reads neither way (the surroundings are off the frame), so an outline run along the thumb to the border
 * shows two rounded corners at most where the held card shows three (480055; no other frame of the nine tuning
 * and fresh sets moved).
 */
const HELD_ROUNDING_LEAD_AT_BORDER = 1;

/**
 * Lines across the longest one that quads of straight edges are built from once more, where the longest lines
 * made no outline (`quality.LineQuadOptions.minCrossingLines`). A card on a weave or on wood grain, or held with
 * a thumb whose edges run along its long sides, can have its short sides' lines ranked under 16 stripes, print
 * baselines and thumb edges that all lie the other way: no quad had them (plain 130025, clean, a card on a
 * weave: not found; held 480022, 590055, 140031, clean: outlined 39-72% off, told to re-frame). 4 and 6 found
 * the same cards, 2 half of them.
 */
export const CROSSING_LINES = 4;

/**
 * A card held in view, from four of the frame's straight edges (`lines`: `longStraightEdges` of the strong
 * pass), when the search's outline fails a framing check (`failsFraming`): the contours of a held card merge
 * with the thumb, and the search can end on a part of the card (its portrait column, the stretch beside the
 * thumb) or a stretch of background around it, while the card's sides are long straight edges, one of them
 * partly covered. Quads of the longest lines (`quality.quadsFromLines`), clear of the frame border, whose
 * sides lie on the coarse edges and which have about a format's aspect are refined, largest first. Of those
 * whose sides have edge support (mean `HELD_MEAN_SUPPORT`, the covered one `HELD_MIN_SUPPORT`), a format's
 * aspect and an inside standing out twice as clearly as an outline found by the search must (a route of last
 * resort: rectangles of a document-free frame's lines stood out by 12-14, held cards by 80 and more), the one
 * with the most rounded corners less square ones (`quality.cornerRounding`) is taken, the larger on a tie, and
 * the first with four rounded corners at once: the largest was often the card with a stretch of background
 * beyond a side, whose corners there are the background's crossings.
 * `map`: the dilated edges, read after the last OpenCV call.
 */
export function heldCardFromLines(lines: readonly quality.Segment[], map: quality.GrayImage, frame: SearchFrame): quality.Quad | null {
  // The longest lines first; where they make no held card, with lines across them in (`CROSSING_LINES`).
  return heldCardFromLinesOf(lines, map, frame, 0) ?? heldCardFromLinesOf(lines, map, frame, CROSSING_LINES);
}

/** `heldCardFromLines` from quads of `lines` with at least `minCrossingLines` across the longest (`quality.LineQuadOptions`). */
function heldCardFromLinesOf(lines: readonly quality.Segment[], map: quality.GrayImage, frame: SearchFrame, minCrossingLines: number): quality.Quad | null {
  const { full } = frame;
  // The frame's own area, not the search's (`searchArea`): in a frame taller than 16:9 the smallest outline
  // of the search's area let a card's portrait box, of a card's aspect turned upright, be taken for the held
  // card around a stretch of it (640x480 clean 610070, frames of session 29 drawn before the generator scaled its
  // backgrounds with the frame; 720x1280 610283 after). The cards this route so passes over cover under 6% of
  // the frame: in an upright 9:16 frame, under 0.41 of its width, short of the distance check's 0.5.
  const frameArea = full.width * full.height;
  const quads = quality
    .quadsFromLines(lines, { maxLines: HELD_LINES, minCrossingLines })
    .filter((q) => plausible(q, frameArea) && clearOfBorder(q, frame) && coarselyHeld(map, q, frame) && quality.hasDocumentAspect(q, full.width, full.height, HELD_COARSE_ASPECT_TOLERANCE))
    .sort((a, b) => quality.quadArea(b) - quality.quadArea(a))
    .slice(0, HELD_REFITS);
  let best: quality.Quad | null = null;
  let bestRounding = -Infinity;
  for (const quad of quads) {
    const refined = refinedOnFrame(quad, frame);
    if (!heldCardSides(refined, frame) || !clearOfBorder(refined, frame)) continue;
    const rounding = roundingOf(refined, frame);
    if (rounding.rounded - rounding.square > bestRounding) {
      best = refined;
      bestRounding = rounding.rounded - rounding.square;
    }
    if (rounding.rounded === 4) break;
  }
  return best;
}

/**
 * Whether an outline has a card's corners (`HELD_MIN_ROUNDED_CORNERS` rounded, none square: `quality.cornerRounding`).
 * The search's outline with them is the card, and only a card built from the usual straight pieces is asked to
 * replace it: shorter pieces include print's edges (a header band's boundary, a portrait box's side), and a card
 * built on them inside the card found is a part of it, however it stands out (problem frames 130032 and 140032,
 * found right, were replaced by the card less its header band, 8-9% off). An outline that is not a card's (a
 * stretch of background, an outline through the thumb, a part of the card) asks them too (140049).
 */
export function hasCardCorners(quad: quality.Quad, frame: SearchFrame): boolean {
  return cardLikeRounding(roundingOf(quad, frame));
}

/** Whether a tally of corners (`quality.roundingTally`) is a card's: `HELD_MIN_ROUNDED_CORNERS` rounded, none square. */
function cardLikeRounding(rounding: { rounded: number; square: number }): boolean {
  return rounding.square === 0 && rounding.rounded >= HELD_MIN_ROUNDED_CORNERS;
}

function roundingOf(quad: quality.Quad, frame: SearchFrame): { rounded: number; square: number } {
  return quality.roundingTally(quality.cornerRounding(frame.full, quad));
}

/** Whether the quad's sides lie on the reduced frame's dilated edges as a held card's do (`HELD_COARSE_*`). */
function coarselyHeld(map: quality.GrayImage, quad: quality.Quad, frame: SearchFrame): boolean {
  const sides = quad.map((a, k) => quality.edgeMapSegmentSupport(map, a, quad[(k + 1) % 4]!, frame.scale));
  return Math.min(...sides) >= HELD_COARSE_MIN_SUPPORT && mean(sides) >= HELD_COARSE_MEAN_SUPPORT;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * Whether the search's outline (or none) fails a framing check (`quality.framingChecks`) with the default
 * thresholds: too small or too large, near or past the frame border, tilted past the limit, or without a
 * document format's proportions (`quality.hasDocumentShape`: a card outlined above its MRZ band or below a
 * line of its print, whose straight edges give the whole card: plain 380298, held 480028). Only such an
 * outline asks for a held card (`heldCardFromLines`): one that passes is taken as it is, and frames a card
 * fills well pay nothing. The defaults, and the pose's default options, not a session's thresholds and the
 * analyzer's tilt: this decides only where to look further.
 */
export function failsFraming(quad: quality.Quad | null, frame: SearchFrame): boolean {
  if (!quad) return true;
  const { checks, shape } = defaultFraming(quad, frame);
  return !(checks.distance && checks.cutoff && checks.tilt && shape);
}

/**
 * Whether an outline wholly in view (the cut-off check passes) is too small for the distance check or has no
 * document format's proportions, with the default thresholds (see `failsFraming`). Such an outline, left
 * after every route of the search, is a far card or a part of a larger document: a column of it beside
 * its portrait box, under its header band or above its MRZ band, whose sides along the bands' edges carry
 * on past the box's corner with the band's colour outside while the inside turns from box to stock (the walk
 * past carried sides with `outsideOnly`). A far card's side carries on so only along a background line.
 */
export function smallOrMisshapenInView(quad: quality.Quad, frame: SearchFrame): boolean {
  const { checks, shape } = defaultFraming(quad, frame);
  return checks.cutoff && (quality.widthFraction(quad, frame.full.width) < quality.DEFAULT_QUALITY_THRESHOLDS.minWidthFraction || !shape);
}

/** The framing checks (`quality.framingChecks`) and document shape (`quality.hasDocumentShape`) of an outline, with the default thresholds and pose options. */
function defaultFraming(quad: quality.Quad, frame: SearchFrame): { checks: ReturnType<typeof quality.framingChecks>; shape: boolean } {
  const { width, height } = frame.full;
  const document = { corners: quad, widthFraction: quality.widthFraction(quad, width), cornerMarginPx: quality.cornerMarginPx(quad, width, height), tiltDeg: quality.estimatePose(quad, width, height).tiltDeg };
  const thresholds = quality.DEFAULT_QUALITY_THRESHOLDS;
  return { checks: quality.framingChecks(document, width, height, thresholds), shape: quality.hasDocumentShape(document, width, height, thresholds) };
}

/**
 * Whether a held card's outline (`heldCardFromLines`) is taken over the search's (`found`): always when
 * the search found none; else when its corners show a document's rounding where the found outline's do
 * not (`HELD_MIN_ROUNDED_CORNERS` rounded, none square, `HELD_ROUNDING_LEAD` ahead of the found outline's
 * rounded less square, `HELD_ROUNDING_LEAD_AT_BORDER` when that outline reaches the frame's border: an
 * outline through the thumb, a header band's inner edge, a part of the card or the whole frame has corners
 * that are not a card's), or when it stands out `HELD_CONTRAST_GAIN` times as clearly. On contrast alone an
 * outline with no surroundings in the frame (one covering it) is kept: it cannot be compared (a tartan's
 * rectangle around a far card was taken for a held card when this was tried).
 */
export function heldCardOverFound(held: quality.Quad, found: quality.Quad | null, frame: SearchFrame): boolean {
  if (!found) return true;
  const heldRounding = roundingOf(held, frame);
  const foundRounding = roundingOf(found, frame);
  const lead = clearOfBorder(found, frame) ? HELD_ROUNDING_LEAD : HELD_ROUNDING_LEAD_AT_BORDER;
  if (cardLikeRounding(heldRounding) && heldRounding.rounded >= foundRounding.rounded - foundRounding.square + lead) return true;
  const before = quality.regionContrast(frame.full, found);
  const after = quality.regionContrast(frame.full, held);
  return before !== null && after !== null && after >= HELD_CONTRAST_GAIN * before;
}
