import { describe, expect, it } from 'vitest';
import type { quality } from '@ekyc/core';
import { outlineRoute } from './outline-route.ts';
import type { UploadQuadSearch } from './upload-quad.ts';

// The choice document.ts makes for an upload: read from the found page outline (`located: 'found-quad'`)
// or fall back to the whole image (`located: 'whole-image'`) when the outline is refused.

const PAGE: quality.Quad = [{ x: 120, y: 80 }, { x: 1020, y: 110 }, { x: 1000, y: 740 }, { x: 100, y: 700 }];

/** A crop search that records the quads it was asked for and finds `lines` MRZ lines. */
function cropSearch(lines: number): { searched: quality.Quad[]; search: (quad: quality.Quad) => { lines: number } } {
  const searched: quality.Quad[] = [];
  return { searched, search: (quad) => { searched.push(quad); return { lines }; } };
}

const holdsLines = (crop: { lines: number }): boolean => crop.lines > 0;

describe('outlineRoute', () => {
  it('reads the whole image when the search kept no outline (none found, no page shape, too small), without searching a crop', () => {
    for (const rejected of ['not_found', 'aspect', 'area'] as const) {
      const search: UploadQuadSearch = { quad: null, rejected, ms: 1 };
      const crop = cropSearch(2);
      expect(outlineRoute(search, crop.search, holdsLines)).toBeUndefined();
      expect(crop.searched).toEqual([]);
    }
  });

  it('reads the whole image when the kept outline\'s crop holds no MRZ lines', () => {
    const crop = cropSearch(0);
    expect(outlineRoute({ quad: PAGE }, crop.search, holdsLines)).toBeUndefined();
    expect(crop.searched).toEqual([PAGE]);
  });

  it('reads from the kept outline when MRZ lines are found in its crop, with that crop', () => {
    const crop = cropSearch(2);
    expect(outlineRoute({ quad: PAGE }, crop.search, holdsLines)).toEqual({ quad: PAGE, crop: { lines: 2 } });
  });
});
