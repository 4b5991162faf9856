import { describe, expect, it } from 'vitest';
import type { quality } from '@ekyc/core';
import { bandsOverlap, foldHalves, MAX_OUTLINE_SEARCHES, mrzLinesFit, outlineRoute, SPREAD_MIN_AREA_FRACTION, type LineBox, type MrzLinesFit } from './outline-route.ts';
import type { UploadQuadSearch } from './upload-quad.ts';

// The choice document.ts makes for an upload: read from a found page outline (`located: 'found-quad'`)
// or fall back to the whole image (`located: 'whole-image'`) when no outline found is usable.

const PAGE: quality.Quad = [{ x: 120, y: 80 }, { x: 1020, y: 110 }, { x: 1000, y: 740 }, { x: 100, y: 700 }];
/** A portrait box printed on PAGE: the outline a detector can take first. */
const PORTRAIT: quality.Quad = [{ x: 180, y: 200 }, { x: 440, y: 208 }, { x: 432, y: 540 }, { x: 172, y: 532 }];
/** An ID-1 card seen nearly face-on (85.6 x 54 mm). */
const CARD: quality.Quad = [{ x: 100, y: 100 }, { x: 956, y: 110 }, { x: 950, y: 650 }, { x: 96, y: 640 }];
/** A card front beside the page (no MRZ on it). */
const FRONT: quality.Quad = [{ x: 1100, y: 100 }, { x: 1900, y: 120 }, { x: 1880, y: 620 }, { x: 1090, y: 600 }];

const kept = (quad: quality.Quad): UploadQuadSearch => ({ quad, found: quad, ms: 10 });
const rejected = (found: quality.Quad, why: 'aspect' | 'area'): UploadQuadSearch => ({ quad: null, rejected: why, found, ms: 10 });
const nothing: UploadQuadSearch = { quad: null, rejected: 'not_found', ms: 10 };

/**
 * An image searched in turn: search n (0-based) returns `results[n]` (the last one again after them),
 * recording the outlines painted over for it.
 */
function searches(results: readonly UploadQuadSearch[]): { masks: quality.Quad[][]; search: (masked: readonly quality.Quad[]) => UploadQuadSearch } {
  const masks: quality.Quad[][] = [];
  return { masks, search: (masked) => { masks.push([...masked]); return results[Math.min(masks.length - 1, results.length - 1)]!; } };
}

/** A crop search that records the quads it was asked for; MRZ lines are found only in `withLines`'s crop. */
function cropSearch(withLines: quality.Quad | null): { searched: quality.Quad[]; search: (quad: quality.Quad) => { lines: number } } {
  const searched: quality.Quad[] = [];
  return { searched, search: (quad) => { searched.push(quad); return { lines: quad === withLines ? 2 : 0 }; } };
}

/** Lines given by their ends, stacked as an MRZ's in an ID-3 crop: level, 50 px apart, boxes 57 px tall. */
const stacked = (lines: readonly { x: number; width: number }[]): LineBox[] => lines.map((l, i) => ({ ...l, y: 700 + 50 * i, height: 57 }));
const linesSpanPage = (lines: readonly { x: number; width: number }[], cropWidth: number): boolean => mrzLinesFit(stacked(lines), cropWidth) === 'page';
const holdsLines = (crop: { lines: number }): MrzLinesFit => (crop.lines > 0 ? 'page' : 'none');

describe('outlineRoute', () => {
  it('reads the whole image when nothing is found, without searching a crop or searching again', () => {
    const image = searches([nothing]);
    const crop = cropSearch(PAGE);
    const r = outlineRoute(image.search, crop.search, holdsLines);
    expect(r.route).toBeUndefined();
    expect(r.search.rejected).toBe('not_found');
    expect(crop.searched).toEqual([]);
    expect(image.masks).toEqual([[]]);
  });

  it('reads from the kept outline when MRZ lines are found in its crop, with one search', () => {
    const image = searches([kept(PAGE)]);
    const crop = cropSearch(PAGE);
    const r = outlineRoute(image.search, crop.search, holdsLines);
    expect(r.route).toEqual({ quad: PAGE, crop: { lines: 2 } });
    expect(image.masks).toEqual([[]]);
  });

  it('searches again with a kept outline painted over when its crop holds no MRZ lines, and reads the page found then (a portrait box taken first)', () => {
    const image = searches([kept(PORTRAIT), kept(PAGE)]);
    const crop = cropSearch(PAGE);
    const r = outlineRoute(image.search, crop.search, holdsLines);
    expect(r.route).toEqual({ quad: PAGE, crop: { lines: 2 } });
    expect(image.masks).toEqual([[], [PORTRAIT]]);
    expect(crop.searched).toEqual([PORTRAIT, PAGE]);
    expect(r.search.ms).toBe(20);
  });

  it('searches again with an outline of no page\'s shape painted over (an ID-1 portrait, upright)', () => {
    const image = searches([rejected(PORTRAIT, 'aspect'), kept(PAGE)]);
    const crop = cropSearch(PAGE);
    const r = outlineRoute(image.search, crop.search, holdsLines);
    expect(r.route?.quad).toBe(PAGE);
    expect(crop.searched).toEqual([PAGE]);
  });

  it('paints over every outline found before: a card front, then the back beside it with the MRZ', () => {
    const image = searches([kept(FRONT), rejected(PORTRAIT, 'aspect'), kept(PAGE)]);
    const crop = cropSearch(PAGE);
    const r = outlineRoute(image.search, crop.search, holdsLines);
    expect(r.route?.quad).toBe(PAGE);
    expect(image.masks).toEqual([[], [FRONT], [FRONT, PORTRAIT]]);
  });

  it(`reads the whole image after ${MAX_OUTLINE_SEARCHES} searches without MRZ lines, or when the same outline is found again`, () => {
    const many = searches([kept(FRONT), kept(PORTRAIT), kept(PAGE), kept(PAGE)]);
    const r = outlineRoute(many.search, cropSearch(null).search, holdsLines);
    expect(r.route).toBeUndefined();
    expect(many.masks).toHaveLength(MAX_OUTLINE_SEARCHES);
    expect(r.search.quad).toBe(PAGE);
    expect(r.search.ms).toBe(10 * MAX_OUTLINE_SEARCHES);
    const again = searches([kept(PORTRAIT), kept(PORTRAIT.map((p) => ({ x: p.x + 1, y: p.y })) as unknown as quality.Quad)]);
    expect(outlineRoute(again.search, cropSearch(null).search, holdsLines).route).toBeUndefined();
    expect(again.masks).toHaveLength(2);
  });

  it('an open booklet found as one outline (the spread, a page\'s aspect): reads the half that holds the MRZ lines, rectified as an ID-3 page', () => {
    // A spread upright in the photo: the facing page above, the data page below, joined at y = 500.
    const spread: quality.Quad = [{ x: 300, y: 100 }, { x: 900, y: 100 }, { x: 900, y: 950 }, { x: 300, y: 950 }];
    const image = searches([{ quad: spread, found: spread, sizeClass: 'ID2', ms: 10 }]);
    const asked: Array<string | undefined> = [];
    const searched: quality.Quad[] = [];
    const r = outlineRoute(image.search, (quad, page) => { searched.push(quad); asked.push(page.sizeClass); return { lines: quad[0].y > 500 ? 2 : 0 }; }, holdsLines);
    expect(r.route?.quad).toEqual([{ x: 300, y: 525 }, { x: 900, y: 525 }, { x: 900, y: 950 }, { x: 300, y: 950 }]);
    expect(r.search.quad).toEqual(r.route?.quad);
    expect(searched.length).toBe(3);
    expect(asked).toEqual(['ID2', 'ID3', 'ID3']);
    expect(image.masks).toEqual([[]]);
  });

  it('an outline of a card\'s aspect whose crop holds no MRZ lines is tried as a spread once per upload, when large enough to be two pages', () => {
    // Stress booklet seed 89001: a spread with a TD2 card on its lower page; pose aspect 1.57 (ID-1),
    // its crop (at ID-1's scale) showing no lines. A card front as large costs the two halves once.
    const spread: quality.Quad = [{ x: 131, y: 358 }, { x: 976, y: 90 }, { x: 1533, y: 1305 }, { x: 679, y: 1717 }];
    const image = searches([
      { quad: spread, found: spread, sizeClass: 'ID1', areaFraction: 0.3, ms: 10 },
      { quad: CARD, found: CARD, sizeClass: 'ID1', areaFraction: 0.3, ms: 10 },
      nothing,
    ]);
    const crop = cropSearch(null);
    outlineRoute(image.search, crop.search, holdsLines);
    expect(crop.searched.map((q) => (q === spread ? 'spread' : q === CARD ? 'card' : 'half'))).toEqual(['spread', 'half', 'half', 'card']);
    // A portrait box (under SPREAD_MIN_AREA_FRACTION of the image) does not use the trial.
    expect(0.03).toBeLessThan(SPREAD_MIN_AREA_FRACTION);
    const portraitFirst = searches([{ ...kept(PORTRAIT), sizeClass: 'ID1', areaFraction: 0.03 }, { quad: CARD, found: CARD, sizeClass: 'ID1', areaFraction: 0.3, ms: 10 }, nothing]);
    const crops = cropSearch(null);
    outlineRoute(portraitFirst.search, crops.search, holdsLines);
    expect(crops.searched.map((q) => (q === PORTRAIT ? 'portrait' : q === CARD ? 'card' : 'half'))).toEqual(['portrait', 'card', 'half', 'half']);
  });

  it('a spread whose pose aspect falls below any page\'s is tried as a spread though refused as a page', () => {
    // Stress booklet seed 61008: a visa on the lower page of a spread seen steeply; pose aspect 1.28.
    const spread: quality.Quad = [{ x: 1233, y: 85 }, { x: 2018, y: 99 }, { x: 2176, y: 1146 }, { x: 1270, y: 1259 }];
    const image = searches([{ quad: null, rejected: 'aspect', found: spread, aspect: 1.28, sizeClass: 'ID3', areaFraction: 0.22, ms: 10 }]);
    const searched: quality.Quad[] = [];
    const r = outlineRoute(image.search, (quad) => { searched.push(quad); return quad[0].y > 500 ? 'page' as const : 'none' as const; }, (fit) => fit);
    expect(searched).toHaveLength(2);
    expect(r.route?.quad).toBe(searched[1]);
    expect(r.search).toMatchObject({ quad: searched[1], sizeClass: 'ID3' });
    expect(r.search.rejected).toBeUndefined();
  });

  it('a spread seen steeply, its aspect read as a card\'s or a visa\'s, is split when its crop holds MRZ lines across part of it', () => {
    const spread: quality.Quad = [{ x: 300, y: 100 }, { x: 900, y: 100 }, { x: 900, y: 950 }, { x: 300, y: 950 }];
    for (const sizeClass of ['ID1', 'MRVA'] as const) {
      const image = searches([{ quad: spread, found: spread, sizeClass, ms: 10 }]);
      const searched: quality.Quad[] = [];
      // The whole spread's crop: the data page's lines across half of it; the lower half's: across the page.
      const r = outlineRoute(image.search, (quad) => { searched.push(quad); return quad === spread ? 'part' as const : quad[0].y > 500 ? 'page' as const : 'none' as const; }, (fit) => fit);
      expect(searched).toHaveLength(3);
      expect(r.route?.quad).toEqual([{ x: 300, y: 525 }, { x: 900, y: 525 }, { x: 900, y: 950 }, { x: 300, y: 950 }]);
      expect(r.search.sizeClass).toBe('ID3');
    }
  });
});

describe('foldHalves', () => {
  it('splits across the longer sides at their midpoints, in perspective, each half in the quad\'s corner order', () => {
    const [upper, lower] = foldHalves([{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 140 }, { x: 0, y: 140 }]);
    expect(upper).toEqual([{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 70 }, { x: 0, y: 70 }]);
    expect(lower).toEqual([{ x: 0, y: 70 }, { x: 100, y: 70 }, { x: 100, y: 140 }, { x: 0, y: 140 }]);
    // A trapezoid (its left side, farther from the camera, shorter): the fold is nearer the far side than the plain midpoint.
    const [, right] = foldHalves([{ x: 0, y: 10 }, { x: 200, y: 0 }, { x: 200, y: 140 }, { x: 0, y: 130 }]);
    expect(right[0].x).toBeLessThan(99);
    expect(right[0].x).toBeGreaterThan(85);
  });

  it('lines spanning half a crop are no page\'s MRZ; lines across nearly all of it are', () => {
    expect(linesSpanPage([{ x: 388, width: 700 }, { x: 386, width: 703 }], 1477)).toBe(false);
    expect(linesSpanPage([{ x: 66, width: 1344 }, { x: 67, width: 1344 }], 1477)).toBe(true);
    expect(linesSpanPage([], 1477)).toBe(false);
  });

  it('bands running into a side of the crop are print running off the page, not an MRZ', () => {
    // A spread's guilloche and a facing page's mesh merged into bands (stress booklet, seed 61000).
    expect(linesSpanPage([{ x: 0, width: 1357 }, { x: 0, width: 1356 }], 1477)).toBe(false);
    expect(linesSpanPage([{ x: 0, width: 1477 }, { x: 0, width: 1477 }], 1477)).toBe(false);
    expect(linesSpanPage([{ x: 120, width: 1357 }], 1477)).toBe(false);
    // A clear MRZ line counts beside such a band.
    expect(linesSpanPage([{ x: 0, width: 1477 }, { x: 66, width: 1344 }], 1477)).toBe(true);
  });

  it('says whether clear lines span the crop, part of it, or none are clear of its sides', () => {
    expect(mrzLinesFit(stacked([{ x: 66, width: 1344 }]), 1477)).toBe('page');
    // The data page's MRZ on a spread's crop (stress booklet, seed 85000).
    expect(mrzLinesFit(stacked([{ x: 22, width: 598 }, { x: 22, width: 598 }]), 1418)).toBe('part');
    expect(mrzLinesFit(stacked([{ x: 0, width: 1357 }]), 1477)).toBe('none');
    expect(mrzLinesFit(stacked([]), 1477)).toBe('none');
  });

  it('bands whose boxes overlap by more than half are no MRZ lines: a mesh joined across the crop at a slant', () => {
    // A facing page's guilloche found as two "lines" (stress booklet, mild TD3 85007 and TD1 97000).
    expect(mrzLinesFit([{ x: 80, y: 599, width: 1358, height: 324 }, { x: 83, y: 702, width: 1353, height: 279 }], 1477)).toBe('none');
    expect(mrzLinesFit([{ x: 162, y: 695, width: 1082, height: 83 }, { x: 162, y: 738, width: 1082, height: 76 }], 1477)).toBe('none');
    // An MRZ's level lines at the pitch share a tenth to a quarter of a box: they fit.
    expect(bandsOverlap(stacked([{ x: 66, width: 1344 }, { x: 66, width: 1344 }, { x: 66, width: 1344 }]))).toBe(false);
    expect(mrzLinesFit([{ x: 66, y: 700, width: 1344, height: 60 }, { x: 66, y: 745, width: 1344, height: 58 }], 1477)).toBe('page');
  });
});
