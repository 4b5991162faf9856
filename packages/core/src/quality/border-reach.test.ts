import { describe, expect, it } from 'vitest';
import { documentReachesBorder, growToBorder, stepAcrossSide } from './border-reach.ts';
import type { PixelImage } from './edge-support.ts';
import type { Quad } from './types.ts';

/** A 640 x 360 RGB image painted pixel by pixel by `colour(x, y)`. */
function painted(colour: (x: number, y: number) => readonly number[]): PixelImage {
  const width = 640;
  const height = 360;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 3);
  return { data, width, height, channels: 3 };
}

/**
 * A wood-like background (brown, with horizontal grain lines every 12 px: long straight edges that
 * continue a card's top and bottom sides to the frame border) and a light card from x = 200 to `right`.
 */
function scene(right: number): PixelImage {
  return painted((x, y) => {
    const onCard = x >= 200 && x < right && y >= 100 && y < 260;
    const grain = y % 12 < 3 ? -30 : 0;
    return onCard ? [225, 220, 205] : [120 + grain, 80 + grain, 45 + grain];
  });
}

// The quad's right side (side 1) lies on the right frame border.
const toBorder: Quad = [{ x: 200, y: 100 }, { x: 640, y: 100 }, { x: 640, y: 260 }, { x: 200, y: 260 }];

describe('documentReachesBorder', () => {
  it('accepts a card that runs off the frame', () => {
    expect(documentReachesBorder(scene(700), toBorder, 1)).toBe(true);
  });

  it('refuses a quad stretched over background to the border, the card ending 140 px before it', () => {
    expect(documentReachesBorder(scene(500), toBorder, 1)).toBe(false);
  });
});

/**
 * A light card (x 150..550) on a 110-level background, running off the top of a 640 x 360 frame
 * from `top` (negative: above the frame); its top 60 px are a dark header band. The outline search
 * stops at the band's lower edge (`belowBand`).
 */
function bandScene(top: number): { image: PixelImage; belowBand: Quad } {
  const width = 640;
  const height = 360;
  const data = new Uint8Array(width * height);
  let s = 5;
  const noise = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const onCard = x >= 150 && x < 550 && y >= top && y < 320;
      data[y * width + x] = Math.round((!onCard ? 110 : y < top + 60 ? 40 : 200) + noise());
    }
  }
  const band = top + 60;
  return { image: { data, width, height, channels: 1 }, belowBand: [{ x: 150, y: band }, { x: 550, y: band }, { x: 550, y: 320 }, { x: 150, y: 320 }] };
}

const borderOptions = { searchRadius: 2, minStep: 16, maxShiftFraction: 0.35, minContinuation: 0.8 };

describe('growToBorder', () => {
  it('moves a side stopped at a band that runs off the frame out to the border', () => {
    const { image, belowBand } = bandScene(-30);
    const grown = growToBorder(image, belowBand, borderOptions);
    expect(grown[0].y).toBeCloseTo(0);
    expect(grown[1].y).toBeCloseTo(0);
    expect(grown[2]).toEqual(belowBand[2]);
  });

  it('leaves an outline under a band that ends 40 px before the border: the sides stop at the band top', () => {
    const { image, belowBand } = bandScene(40);
    expect(growToBorder(image, belowBand, borderOptions)).toBe(belowBand);
  });

  it("moves no short side: a card in view on a stripe of the table that carries its long sides on to both borders", () => {
    // A light ID-1 card (400 x 252) on wood, lying along a dark green stripe of the table as tall as the card:
    // the stripe's edges continue the card's top and bottom sides to the left and right borders, and the
    // stretch of stripe beside the card is unlike the wood above and below it. A band runs along a document's
    // long sides; a short side moved to the border (119-120 px, within the reach) would make a card without
    // a document's aspect (JPEG frame 100030 of the plain set, outlined 29% off).
    const image = painted((x, y) => {
      const onStripe = y >= 60 && y < 312;
      const onCard = onStripe && x >= 120 && x < 520;
      return onCard ? [225, 220, 205] : onStripe ? [40, 70, 40] : [120, 80, 45];
    });
    const card: Quad = [{ x: 120, y: 60 }, { x: 520, y: 60 }, { x: 520, y: 312 }, { x: 120, y: 312 }];
    expect(growToBorder(image, card, borderOptions)).toBe(card);
  });
});

describe('documentReachesBorder, a strip unlike the background', () => {
  // The card of `scene` running off at the right, with a dark band along the border (a header band
  // running out of view): unlike the card's middle and unlike the wood.
  const banded = (): PixelImage => {
    const image = scene(700);
    for (let y = 100; y < 260; y++) for (let x = 590; x < 640; x++) image.data.set([40, 40, 120], (y * 640 + x) * 3);
    return image;
  };

  it('takes the band for the document when it is far enough from the background', () => {
    expect(documentReachesBorder(banded(), toBorder, 1)).toBe(false);
    expect(documentReachesBorder(banded(), toBorder, 1, 8, undefined, 32)).toBe(true);
    // Wood up to the border stays background, however the threshold is set.
    expect(documentReachesBorder(scene(500), toBorder, 1, 8, undefined, 32)).toBe(false);
  });

  it('takes no background sample beside a neighbouring side flagged along the border', () => {
    // The card (level 200, a 150 band along its top and right edges) runs off at the top-right frame
    // corner on a dark table (60); the quad's top (side 0) and right (side 1) lie along the border.
    // Beside the right side, samples fall outside the frame and are clamped onto the card's band.
    const image = painted((x, y) => {
      const level = x >= 200 && y < 260 ? (y < 40 || x > 600 ? 150 : 200) : 60;
      return [level, level, level];
    });
    const corner: Quad = [{ x: 200, y: 0 }, { x: 639, y: 0 }, { x: 639, y: 260 }, { x: 200, y: 260 }];
    expect(documentReachesBorder(image, corner, 0)).toBe(false);
    expect(documentReachesBorder(image, corner, 0, 8, [true, true, false, false])).toBe(true);
  });
});

describe('stepAcrossSide', () => {
  it('is large across a card\'s side and small across a line of the background', () => {
    const image = scene(500);
    const centre = { x: 350, y: 180 };
    expect(stepAcrossSide(image, { x: 200, y: 100 }, { x: 200, y: 260 }, centre)).toBeGreaterThan(100);
    // A grain line (y = 36..38) of the wood left of the card: wood on both sides.
    expect(stepAcrossSide(image, { x: 10, y: 37 }, { x: 150, y: 37 }, { x: 80, y: 200 })).toBeLessThan(20);
  });
});
