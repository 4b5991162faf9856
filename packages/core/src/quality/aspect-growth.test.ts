import { describe, expect, it } from 'vitest';
import { growToDocumentAspect } from './aspect-growth.ts';
import type { PixelImage } from './edge-support.ts';
import { expandToOuterEdges } from './edge-support.ts';
import { maxCornerError } from './geometry.ts';
import type { Quad } from './types.ts';

/**
 * An ID-1 card (428 x 270 px) with a dark 40-px header band, on a background 22 levels darker than
 * the stock; with `darkRight`, the background's right half is as dark as the header band (a dark
 * table), so the card's top edge is visible over its left half only.
 */
function card(darkRight = false): { image: PixelImage; outer: Quad; belowHeader: Quad } {
  const width = 640;
  const height = 420;
  const data = new Uint8Array(width * height);
  let s = 3;
  const noise = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 4;
  const [x0, y0, x1, y1] = [100, 80, 528, 350];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= x0 && x < x1 && y >= y0 && y < y1;
      const v = !inside ? (darkRight && x >= 320 ? 62 : 150) : y < y0 + 40 ? 60 : 172;
      data[y * width + x] = Math.round(v + noise());
    }
  }
  const q = (top: number): Quad => [{ x: x0, y: top }, { x: x1, y: top }, { x: x1, y: y1 }, { x: x0, y: y1 }];
  return { image: { data, width, height, channels: 1 }, outer: q(y0), belowHeader: q(y0 + 40) };
}

const options = { searchRadius: 2, minStep: 16, maxShiftFraction: 0.35, minSupport: 0.45 };

describe('growToDocumentAspect', () => {
  it('grows a side stopped at a header band to the card edge, where the aspect becomes ID-1', () => {
    const { image, outer, belowHeader } = card();
    expect(maxCornerError(growToDocumentAspect(image, belowHeader, options), outer)).toBeLessThan(2);
  });

  it('takes a card edge visible over half its length when the aspect says it is there', () => {
    const { image, outer, belowHeader } = card(true);
    // Growing to the nearest edge alone needs the edge along most of the side: it stays at the band.
    const plain = expandToOuterEdges(image, belowHeader, { searchRadius: 2, minStep: 16, maxShiftFraction: 0.3, minSupport: 0.8 });
    expect(maxCornerError(plain, outer)).toBeGreaterThan(30);
    expect(maxCornerError(growToDocumentAspect(image, belowHeader, options), outer)).toBeLessThan(3);
  });

  it('leaves a quad with a document aspect as it is', () => {
    const { image, outer } = card();
    expect(growToDocumentAspect(image, outer, options)).toBe(outer);
  });

  it('does not grow to an edge that gives no document aspect', () => {
    const { image } = card();
    // A quad cut through the card, so that no single side moved out to an edge gives a format's aspect.
    const odd: Quad = [{ x: 100, y: 120 }, { x: 300, y: 120 }, { x: 300, y: 350 }, { x: 100, y: 350 }];
    expect(maxCornerError(growToDocumentAspect(image, odd, options), odd)).toBeLessThan(2);
  });
});
