import type { quality } from '@ekyc/core';
import type { UploadQuadSearch } from './upload-quad.ts';

/**
 * Whether an upload is read from the page outline found in it (`found-quad`) or as the whole image
 * (`whole-image`, as uploads were read before the outline search). The outline is used only when the
 * search kept it (a page's aspect and share of the image: upload-quad.ts) and MRZ lines are found in its
 * rectified crop; `searchCrop` runs only for a kept outline. Returns the outline and its crop, or
 * undefined: the whole image is read.
 */
export function outlineRoute<C>(
  search: Pick<UploadQuadSearch, 'quad'>,
  searchCrop: (quad: quality.Quad) => C,
  holdsMrzLines: (crop: C) => boolean,
): { quad: quality.Quad; crop: C } | undefined {
  if (!search.quad) return undefined;
  const crop = searchCrop(search.quad);
  return holdsMrzLines(crop) ? { quad: search.quad, crop } : undefined;
}
