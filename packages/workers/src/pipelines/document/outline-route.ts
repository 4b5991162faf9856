import { quality } from '@ekyc/core';
import type { UploadQuadSearch } from './upload-quad.ts';

/**
 * Most outline searches one upload may cost: the first, then up to two more, each with the outlines
 * found before painted over (a portrait box, then the card front beside the back that holds the MRZ).
 */
export const MAX_OUTLINE_SEARCHES = 3;

/** Corner distance (px) under which an outline found again is the one painted over (the paint did not take it out). */
const SAME_OUTLINE_PX = 4;

/**
 * Whether an upload is read from a page outline found in it (`found-quad`) or as the whole image
 * (`whole-image`, as uploads were read before the outline search). `search(masked)` searches the image
 * with the outlines in `masked` painted over (upload-quad.ts). An outline is used only when the search
 * kept it (a page's aspect and share of the image) and MRZ lines are found in its rectified crop
 * (`searchCrop` runs only for a kept outline). When the outline found is not used (no page's shape, or no
 * MRZ lines in its crop) the image is searched again with it painted over: the detector takes the
 * first strongly outlined box, which on a pale page on a pale desk can be the portrait printed on it,
 * and in a photo of a card's two sides the side without the MRZ. Returns the last search (its `ms` the
 * searches' sum) and, when an outline is used, the outline and its crop.
 */
export function outlineRoute<C>(
  search: (masked: readonly quality.Quad[]) => UploadQuadSearch,
  searchCrop: (quad: quality.Quad, search: UploadQuadSearch) => C,
  holdsMrzLines: (crop: C) => boolean,
): { search: UploadQuadSearch; route?: { quad: quality.Quad; crop: C } } {
  const masked: quality.Quad[] = [];
  let ms = 0;
  let last: UploadQuadSearch | undefined;
  for (let n = 0; n < MAX_OUTLINE_SEARCHES; n++) {
    last = search(masked);
    ms += last.ms;
    if (last.quad) {
      const crop = searchCrop(last.quad, last);
      if (holdsMrzLines(crop)) return { search: { ...last, ms }, route: { quad: last.quad, crop } };
    }
    const found = last.found;
    if (!found || masked.some((m) => quality.maxCornerError(m, found) <= SAME_OUTLINE_PX)) break;
    masked.push(found);
  }
  return { search: { ...last!, ms } };
}
