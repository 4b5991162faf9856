import { describe, expect, it } from 'vitest';
import { growPastInnerBand, growToDocumentAspect, hasDocumentAspect, sameDocumentFormat } from './aspect-growth.ts';
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

/**
 * A page of `w` x `h` px at (100, 60) on a 110-level background, stock 180; with `band`, a 40-px
 * dark header band (a TD3 page's 10 mm of 88); with `lineAt`, a dark background line across the
 * whole frame at that row (an edge outside the card that its sides do not reach); with `dimBand`,
 * the band is 10 levels darker than the background (the page's top edge a faint step), with a light
 * title across its middle; with `grain`,
 * background lines continuing the card's sides upward (wood grain, fabric threads); with `thumb`, a
 * light 100 x 70 px patch over the top-left corner (a thumb holding the card), hiding the left side
 * above the band's lower 10 px and the first 70 px of the top edge.
 */
function page(w: number, h: number, { band = false, dimBand = false, lineAt, grain = false, thumb = false }: { band?: boolean; dimBand?: boolean; lineAt?: number; grain?: boolean; thumb?: boolean } = {}): { image: PixelImage; outer: Quad; belowBand: Quad } {
  const width = 720;
  const height = 480;
  const data = new Uint8Array(width * height);
  let s = 11;
  const noise = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 4;
  const [x0, y0, x1, y1] = [100, 60, 100 + w, 60 + h];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= x0 && x < x1 && y >= y0 && y < y1;
      // Grain: dark lines in the background continuing the card's left and right sides upward.
      const grainHere = grain && y < y0 && (Math.abs(x - x0 + 1) < 2 || Math.abs(x - x1) < 2);
      const background = grainHere || (lineAt !== undefined && Math.abs(y - lineAt) < 2) ? 40 : 110;
      // A dim band: 10 levels under the background (a faint page edge), with a light title across its middle rows.
      const title = y >= y0 + 12 && y < y0 + 28 && (x - x0) % 10 < 4;
      const covered = thumb && x >= x0 - 30 && x < x0 + 70 && y >= y0 - 40 && y < y0 + 30;
      const v = covered ? 220 : !inside ? background : band && y < y0 + 40 ? 50 : dimBand && y < y0 + 40 ? (title ? 230 : 100) : 180;
      data[y * width + x] = Math.round(v + noise());
    }
  }
  const q = (top: number): Quad => [{ x: x0, y: top }, { x: x1, y: top }, { x: x1, y: y1 }, { x: x0, y: y1 }];
  return { image: { data, width, height, channels: 1 }, outer: q(y0), belowBand: q(y0 + 40) };
}

const bandOptions = { searchRadius: 2, minStep: 16, maxShiftFraction: 0.2, minSupport: 0.5, minContinuation: 0.8 };

describe('growPastInnerBand', () => {
  it('grows a TD3 page stopped under its header band (an ID-1 aspect) to the page edge', () => {
    // 500 x 352 px is 125 x 88 mm; without the 40-px band, 500 x 312 has the aspect of ID-1 (1.6 against 1.586).
    const { image, outer, belowBand } = page(500, 352, { band: true });
    expect(growToDocumentAspect(image, belowBand, options)).toBe(belowBand);
    expect(maxCornerError(growPastInnerBand(image, belowBand, bandOptions), outer)).toBeLessThan(2);
  });

  it('keeps an ID-1 card whose sides end at its corners, even with an edge at the ID-3 position outside it', () => {
    // 428 x 270 is ID-1; a background line 31 px above it gives the quad the aspect of ID-3.
    const { image, outer } = page(428, 270, { lineAt: 60 - 31 });
    expect(growPastInnerBand(image, outer, bandOptions)).toBe(outer);
  });

  it('keeps an ID-1 card whose sides are continued by background lines: the strip it would add is background', () => {
    const { image, outer } = page(428, 270, { lineAt: 60 - 31, grain: true });
    expect(growPastInnerBand(image, outer, bandOptions)).toBe(outer);
  });

  it('finds a page edge that is a faint step (a band nearly as dark as the table) with a weaker step, the band unlike the table', () => {
    const { image, outer, belowBand } = page(500, 352, { dimBand: true });
    expect(growPastInnerBand(image, belowBand, bandOptions)).toBe(belowBand);
    const weak = { ...bandOptions, minStep: 8, minContinuation: 0.6, minBandContrast: 32 };
    expect(maxCornerError(growPastInnerBand(image, belowBand, weak), outer)).toBeLessThan(2);
  });

  it('leaves a quad without an ID-1 aspect as it is', () => {
    const { image, outer } = page(500, 352, { band: true });
    expect(growPastInnerBand(image, outer, bandOptions)).toBe(outer);
  });

  it('grows past the band when a thumb hides one side beside it, if asked to and the page edge is well supported', () => {
    const { image, outer, belowBand } = page(500, 352, { band: true, thumb: true });
    // Only the right side carries on past the band: both are needed by default.
    expect(growPastInnerBand(image, belowBand, bandOptions)).toBe(belowBand);
    expect(maxCornerError(growPastInnerBand(image, belowBand, { ...bandOptions, oneSidedSupport: 0.7 }), outer)).toBeLessThan(2);
    // The page edge, 14% under the thumb, has less than full support.
    expect(growPastInnerBand(image, belowBand, { ...bandOptions, oneSidedSupport: 0.95 })).toBe(belowBand);
  });

  it('keeps an ID-1 card with an edge at the ID-3 position outside it when one side may carry on alone', () => {
    const oneSided = { ...bandOptions, oneSidedSupport: 0.7 };
    const plain = page(428, 270, { lineAt: 60 - 31 });
    expect(growPastInnerBand(plain.image, plain.outer, oneSided)).toBe(plain.outer);
    const grain = page(428, 270, { lineAt: 60 - 31, grain: true });
    expect(growPastInnerBand(grain.image, grain.outer, oneSided)).toBe(grain.outer);
  });
});

describe('hasDocumentAspect', () => {
  const rect = (w: number, h: number): Quad => [{ x: 100, y: 100 }, { x: 100 + w, y: 100 }, { x: 100 + w, y: 100 + h }, { x: 100, y: 100 + h }];
  it('knows ID-1 and ID-3 rectangles, either way round', () => {
    expect(hasDocumentAspect(rect(428, 270), 1280, 720)).toBe(true);
    expect(hasDocumentAspect(rect(500, 352), 1280, 720)).toBe(true);
    expect(hasDocumentAspect(rect(270, 428), 1280, 720)).toBe(true);
  });
  it('refuses aspects of no format', () => {
    expect(hasDocumentAspect(rect(428, 330), 1280, 720)).toBe(false);
    expect(hasDocumentAspect(rect(500, 250), 1280, 720)).toBe(false);
  });
});

describe('sameDocumentFormat', () => {
  const rect = (w: number, h: number): Quad => [{ x: 100, y: 100 }, { x: 100 + w, y: 100 }, { x: 100 + w, y: 100 + h }, { x: 100, y: 100 + h }];
  it('keeps an ID-1 card re-fitted by a few pixels, either way round', () => {
    expect(sameDocumentFormat(rect(428, 270), rect(431, 271), 1280, 720)).toBe(true);
    expect(sameDocumentFormat(rect(428, 270), rect(270, 430), 1280, 720)).toBe(true);
  });
  it('treats ID-2 and ID-3 (0.1% apart) as one format', () => {
    expect(sameDocumentFormat(rect(420, 296), rect(500, 352), 1280, 720)).toBe(true);
  });
  it('refuses an ID-1 card grown to an ID-3 aspect (a wood grain line below it)', () => {
    expect(sameDocumentFormat(rect(428, 270), rect(428, 301), 1280, 720)).toBe(false);
  });
  it('catches what hasDocumentAspect lets through: an ID-1 card grown to a background line at the ID-3 position', () => {
    // 428 x 270 is ID-1; a background line 31 px above the card, along its top, is the nearest parallel edge.
    const { image, outer } = page(428, 270, { lineAt: 60 - 31 });
    const grown = expandToOuterEdges(image, outer, { searchRadius: 2, minStep: 16, maxShiftFraction: 0.3, minSupport: 0.5 });
    expect(maxCornerError(grown, outer)).toBeGreaterThan(25);
    expect(hasDocumentAspect(grown, 720, 480)).toBe(true);
    expect(sameDocumentFormat(outer, grown, 720, 480)).toBe(false);
  });
  it('refuses a quad of no format', () => {
    expect(sameDocumentFormat(rect(428, 270), rect(428, 330), 1280, 720)).toBe(false);
    expect(sameDocumentFormat(rect(428, 330), rect(428, 330), 1280, 720)).toBe(false);
  });
});
