import { quality } from '@ekyc/core';
import { MIN_AREA_FRACTION, type UploadQuadSearch } from './upload-quad.ts';

/**
 * Most outline searches one upload may cost: the first, then up to two more, each with the outlines
 * found before painted over (a portrait box, then the card front beside the back that holds the MRZ).
 */
export const MAX_OUTLINE_SEARCHES = 3;

/** Corner distance (px) under which an outline found again is the one painted over (the paint did not take it out). */
const SAME_OUTLINE_PX = 4;

/**
 * Least width of the widest MRZ line found in a page's crop, as a share of the crop's width. Every MRZ
 * runs across nearly its whole page (ICAO 9303: TD3 111.8 of 125 mm, 89%; TD1 76.2 of 85.6 mm, 89%;
 * MRV-A 93%, MRV-B and TD2 87%); on the crops of 10 `photo`-like frames (stress `thumb`, seed 57000) the
 * lines found spanned 89-95%. Lines spanning half the crop (47% on an open passport's two-page spread
 * taken for one page and turned to landscape) are no page's MRZ: that outline is not the MRZ's page.
 */
export const MIN_MRZ_SPAN = 0.6;

export type MrzLinesFit = 'page' | 'part' | 'none';

/** A line's box in a crop (mrz-locate's `Rect`). */
export interface LineBox { readonly x: number; readonly y: number; readonly width: number; readonly height: number }

/**
 * Most two line boxes found one above the other may share, as a share of the shorter's height. An MRZ's
 * lines are level in their page's crop and stand at the line pitch (about 4.2 mm), their boxes padded by
 * 0.45 of the ink's height above and below: neighbours share about a tenth to a quarter of a box. On
 * open booklets (stress `booklet`, mild) the line search joined a facing page's guilloche mesh into
 * "lines" running across the crop at a slant, their boxes 279-324 px tall and sharing 79% (TD3 85007),
 * or 76-83 px sharing 53% (TD1 97000, the spread taken for one page): both outlines were read from, and
 * refused, while the data page went unread.
 */
export const MAX_LINE_OVERLAP = 0.5;

/** Whether two of `lines`, one above the other, share more than MAX_LINE_OVERLAP of the shorter box's height. */
export function bandsOverlap(lines: readonly LineBox[]): boolean {
  const sorted = [...lines].sort((a, b) => a.y - b.y);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    const shared = Math.min(a.y + a.height, b.y + b.height) - b.y;
    if (shared > MAX_LINE_OVERLAP * Math.min(a.height, b.height)) return true;
  }
  return false;
}

/**
 * How MRZ lines found in a crop `cropWidth` wide fit it: `page` when the widest of those that stand
 * clear of the crop's left and right sides spans MIN_MRZ_SPAN of it; `part` when such lines span less
 * (on an open booklet's spread, the data page's MRZ spans half the crop); `none` when no line stands
 * clear of the sides. Every MRZ is printed inside its page with a margin at both ends (5-7% of the width
 * on the crops above), so a "line" that runs into a side of a page's crop is print running off the
 * page: a booklet page's guilloche mesh or a hotspot merged into one band by the line search (stress
 * `booklet`, seed 61000: bands from x = 0 across 92% and 100% of the crops of a spread and of a facing
 * page). An outline that cuts into the MRZ itself cannot be read from either. Lines whose boxes overlap
 * by more than MAX_LINE_OVERLAP are `none` too (`bandsOverlap`).
 */
export function mrzLinesFit(lines: readonly LineBox[], cropWidth: number): MrzLinesFit {
  if (bandsOverlap(lines)) return 'none';
  const clear = lines.filter((l) => l.x > 0 && l.x + l.width < cropWidth);
  if (clear.length === 0) return 'none';
  return Math.max(...clear.map((l) => l.width)) >= MIN_MRZ_SPAN * cropWidth ? 'page' : 'part';
}

/**
 * Least share of the image an outline must cover to be tried as a spread on no other evidence: two
 * pages, each at least the share one page needs (MIN_AREA_FRACTION). Its shape cannot decide: a spread
 * is rarely flat, and the pose aspect of three spreads of stress `booklet` (seeds 61000, 85000, 89000)
 * read 1.28-1.59 for their 1.41 (176 x 125 mm), from below any page's aspect to an ID-1 card's. The
 * area keeps a portrait box on a pale page (about an eighth of its page) from using the one trial.
 */
export const SPREAD_MIN_AREA_FRACTION = 2 * MIN_AREA_FRACTION;

/**
 * The two halves of `quad` split across its longer pair of sides at their midpoints in perspective (the
 * quad's own projective midpoints), each in the quad's corner order: the two pages of an open booklet
 * whose spread was found as one outline (two ID-3 pages joined at the fold have an ID-3 page's aspect,
 * 176 x 125 mm).
 */
export function foldHalves(quad: quality.Quad): [quality.Quad, quality.Quad] {
  const [a, b, c, d] = quad;
  const toQuad = quality.homographyFromPoints([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }], quad)!;
  const at = (u: number, v: number): quality.Point => quality.applyHomography(toQuad, { x: u, y: v });
  const side = (p: quality.Point, q: quality.Point): number => Math.hypot(q.x - p.x, q.y - p.y);
  if (side(a, b) + side(c, d) >= side(b, c) + side(d, a)) {
    const top = at(0.5, 0);
    const bottom = at(0.5, 1);
    return [[a, top, bottom, d], [top, b, c, bottom]];
  }
  const right = at(1, 0.5);
  const left = at(0, 0.5);
  return [[a, b, right, left], [left, right, c, d]];
}

/**
 * Whether an upload is read from a page outline found in it (`found-quad`) or as the whole image
 * (`whole-image`, as uploads were read before the outline search). `search(masked)` searches the image
 * with the outlines in `masked` painted over (upload-quad.ts). An outline is used only when the search
 * kept it (a page's aspect and share of the image) and MRZ lines span its rectified crop (`linesFit`
 * `page`; `searchCrop` runs only for a kept outline). When the outline found is not used (no page's
 * shape, or no such lines in its crop) the image is searched again with it painted over: the detector
 * takes the first strongly outlined box, which on a pale page on a pale desk can be the portrait
 * printed on it, and in a photo of a card's two sides the side without the MRZ. Before that, a kept
 * outline is tried as an open booklet's spread when it has an ID-2 or ID-3 page's aspect or its crop
 * holds MRZ lines across part of it, and otherwise once per upload, on the first outline, kept or
 * refused for its aspect, large enough to be two pages (`SPREAD_MIN_AREA_FRACTION`): each of its
 * halves (`foldHalves`, rectified as ID-3 pages) is used when its crop holds the lines (a passport
 * photographed open: the data page under its facing page, the two found as one outline). Returns the
 * last search (its `ms` the searches' sum) and, when an outline is used, the outline and its crop.
 */
export function outlineRoute<C>(
  search: (masked: readonly quality.Quad[]) => UploadQuadSearch,
  searchCrop: (quad: quality.Quad, search: UploadQuadSearch) => C,
  linesFit: (crop: C) => MrzLinesFit,
): { search: UploadQuadSearch; route?: { quad: quality.Quad; crop: C } } {
  const masked: quality.Quad[] = [];
  let ms = 0;
  let last: UploadQuadSearch | undefined;
  let spreadTried = false;
  for (let n = 0; n < MAX_OUTLINE_SEARCHES; n++) {
    last = search(masked);
    ms += last.ms;
    let fit: MrzLinesFit = 'none';
    if (last.quad) {
      const crop = searchCrop(last.quad, last);
      fit = linesFit(crop);
      if (fit === 'page') return { search: { ...last, ms }, route: { quad: last.quad, crop } };
    }
    // A spread's pose aspect can fall below any page's: an outline refused for its aspect is tried too.
    const outline = last.quad ?? (last.rejected === 'aspect' ? last.found : undefined);
    const looksLikeSpread = last.quad !== null && (last.sizeClass === 'ID2' || last.sizeClass === 'ID3' || fit === 'part');
    if (outline && (looksLikeSpread || (!spreadTried && (last.areaFraction ?? 0) >= SPREAD_MIN_AREA_FRACTION))) {
      spreadTried = true;
      for (const half of foldHalves(outline)) {
        const { rejected: _, ...kept } = last;
        const page = { ...kept, quad: half, sizeClass: 'ID3' as const };
        const halfCrop = searchCrop(half, page);
        if (linesFit(halfCrop) === 'page') return { search: { ...page, ms }, route: { quad: half, crop: halfCrop } };
      }
    }
    const found = last.found;
    if (!found || masked.some((m) => quality.maxCornerError(m, found) <= SAME_OUTLINE_PX)) break;
    masked.push(found);
  }
  return { search: { ...last!, ms } };
}
