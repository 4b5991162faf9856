import { describe, expect, it } from 'vitest';
import type { PixelImage } from './edge-support.ts';
import { moveSidePastContinuation, sideContinuation, type ContinuationOptions } from './side-continuation.ts';
import type { Quad } from './types.ts';

/**
 * A light card (x 100..`right`, y 100..350) on a dark background, a grey portrait box on it
 * (x 120..220, y 125..300). The outline `box` was found with its top side on the card's top edge (as a
 * box under a header band is found with the band's edge): that side carries on along the card's edge,
 * its right and bottom sides end where the portrait box does.
 */
function scene(right: number): PixelImage {
  const width = 640;
  const height = 400;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const onCard = x >= 100 && x < right && y >= 100 && y < 350;
      const inBox = x >= 120 && x < 220 && y >= 125 && y < 300;
      data.set(inBox ? [150, 160, 175] : onCard ? [225, 220, 205] : [60, 50, 45], (y * width + x) * 3);
    }
  }
  return { data, width, height, channels: 3 };
}

const options: ContinuationOptions = { searchRadius: 2, minStep: 16, minSupport: 0.8, maxColourDifference: 30, minSideContrast: 24, colourOffset: 10, pieceLength: 16 };
const box: Quad = [{ x: 120, y: 100 }, { x: 220, y: 100 }, { x: 220, y: 300 }, { x: 120, y: 300 }];

describe('sideContinuation', () => {
  it('follows a box side that carries on as the card edge, to where the card ends', () => {
    const past = sideContinuation(scene(500), box, 0, 'end', options);
    expect(past.toBorder).toBe(false);
    // The card's top edge ends at x = 500: 280 px past the box's corner, followed in 16 px pieces.
    expect(past.length).toBeGreaterThanOrEqual(256);
    expect(past.length).toBeLessThanOrEqual(288);
  });

  it('follows it to the frame border when the card runs off the frame', () => {
    const past = sideContinuation(scene(700), box, 0, 'end', options);
    expect(past.toBorder).toBe(true);
    expect(past.length).toBeGreaterThan(400);
  });

  it('stops at once where the edge ends (the box side that is a side of the box only)', () => {
    expect(sideContinuation(scene(500), box, 1, 'end', options).length).toBe(0);
    expect(sideContinuation(scene(500), box, 2, 'start', options).length).toBe(0);
  });

  it('does not follow an edge whose colours change: the card edge past the box has card stock inside, not the box', () => {
    // The box's left side (x 120) has box grey inside and card stock outside; above it, off the card,
    // background outside: no continuation upward.
    expect(sideContinuation(scene(500), box, 3, 'end', options).length).toBe(0);
  });

  it('refuses a side between like colours', () => {
    const flat = scene(500);
    const onStock: Quad = [{ x: 300, y: 150 }, { x: 400, y: 150 }, { x: 400, y: 250 }, { x: 300, y: 250 }];
    expect(sideContinuation(flat, onStock, 0, 'end', options)).toEqual({ length: 0, toBorder: false });
  });
});

/**
 * A light card (x 100..500, y 100..350) on a dark background with a dark header band across its top
 * (y 100..140) and a grey portrait box right under the band (x 120..220, y 140..300). The outline `column`
 * was found with its top side on the band's lower edge: past the box's corner that edge carries on with the
 * band above it but card stock, not the box, below it.
 */
function bandedScene(): PixelImage {
  const width = 640;
  const height = 400;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const onCard = x >= 100 && x < 500 && y >= 100 && y < 350;
      const inBand = onCard && y < 140;
      const inBox = x >= 120 && x < 220 && y >= 140 && y < 300;
      data.set(inBox ? [150, 160, 175] : inBand ? [40, 90, 70] : onCard ? [225, 220, 205] : [110, 60, 45], (y * width + x) * 3);
    }
  }
  return { data, width, height, channels: 3 };
}

describe('sideContinuation outside the quad only', () => {
  const column: Quad = [{ x: 120, y: 140 }, { x: 220, y: 140 }, { x: 220, y: 300 }, { x: 120, y: 300 }];

  it('follows a band\'s lower edge past a printed box to where the band ends, though the inside changes from box to stock', () => {
    expect(sideContinuation(bandedScene(), column, 0, 'end', options).length).toBe(0);
    const past = sideContinuation(bandedScene(), column, 0, 'end', { ...options, outsideOnly: true });
    expect(past.toBorder).toBe(false);
    // The band ends with the card at x = 500: 280 px past the box's corner, followed in 16 px pieces.
    expect(past.length).toBeGreaterThanOrEqual(256);
    expect(past.length).toBeLessThanOrEqual(288);
  });

  it('still stops where the edge ends: the box\'s own sides have no edge past its corners', () => {
    const flags = { ...options, outsideOnly: true };
    expect(sideContinuation(bandedScene(), column, 1, 'end', flags).length).toBe(0);
    expect(sideContinuation(bandedScene(), column, 2, 'start', flags).length).toBe(0);
  });
});

describe('moveSidePastContinuation', () => {
  it('moves the side meeting the corner to where the carried side ends', () => {
    const moved = moveSidePastContinuation(box, 0, 'end', { length: 280, toBorder: false }, 640, 400)!;
    expect(moved.map((p) => [Math.round(p.x), Math.round(p.y)])).toEqual([[120, 100], [500, 100], [500, 300], [120, 300]]);
  });

  it('moves the side before the corner when carried past the side start', () => {
    const moved = moveSidePastContinuation(box, 0, 'start', { length: 20, toBorder: false }, 640, 400)!;
    expect(moved.map((p) => [Math.round(p.x), Math.round(p.y)])).toEqual([[100, 100], [220, 100], [220, 300], [100, 300]]);
  });

  it('closes the quad by the frame border the side carries on to', () => {
    const moved = moveSidePastContinuation(box, 0, 'end', { length: 419, toBorder: true }, 640, 400)!;
    expect(moved.map((p) => [Math.round(p.x), Math.round(p.y)])).toEqual([[120, 100], [639, 100], [639, 300], [120, 300]]);
  });

  it('follows the vanishing point of a quad in perspective', () => {
    // Left side x = 100, right side leaning in toward the top: the moved side leans the same way, less.
    const trapezoid: Quad = [{ x: 100, y: 100 }, { x: 180, y: 100 }, { x: 200, y: 300 }, { x: 100, y: 300 }];
    const moved = moveSidePastContinuation(trapezoid, 0, 'end', { length: 100, toBorder: false }, 640, 400)!;
    expect(moved[1].x).toBeCloseTo(280, 5);
    expect(moved[2].x).toBeGreaterThan(280);
    expect(moved[2].y).toBeCloseTo(300, 5);
  });
});
