import { describe, expect, it } from 'vitest';
import { cornerRounding, DOCUMENT_CORNER_RADIUS, roundingTally } from './corner-rounding.ts';
import type { PixelImage } from './edge-support.ts';
import type { Quad } from './types.ts';

const WIDTH = 1280;
const HEIGHT = 720;

interface Scene {
  /** The card's axis-aligned box: left, top, right, bottom. */
  card: readonly [number, number, number, number];
  /** Rows of the card, from its top, printed as a coloured header band. */
  headerRows?: number;
  stock?: readonly number[];
  background?: readonly number[];
}

/** A light card with rounded corners (the documents' radius) and a dark band of text, on a plain background. */
function scene({ card, headerRows = 0, stock = [236, 232, 222], background = [70, 96, 60] }: Scene): PixelImage {
  const [left, top, right, bottom] = card;
  const radius = DOCUMENT_CORNER_RADIUS * (right - left);
  const data = new Uint8Array(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const cx = Math.min(Math.max(x, left + radius), right - radius);
      const cy = Math.min(Math.max(y, top + radius), bottom - radius);
      const inCard = x >= left && x < right && y >= top && y < bottom && Math.hypot(x - cx, y - cy) <= radius;
      let rgb = background;
      if (inCard) {
        const text = y - top > 0.6 * (bottom - top) && y - top < 0.8 * (bottom - top) && (x - left) % 14 < 8;
        rgb = y - top < headerRows ? [40, 110, 50] : text ? [30, 30, 40] : stock;
      }
      data.set(rgb, (y * WIDTH + x) * 3);
    }
  }
  return { data, width: WIDTH, height: HEIGHT, channels: 3 };
}

const box = (left: number, top: number, right: number, bottom: number): Quad => [
  { x: left, y: top },
  { x: right, y: top },
  { x: right, y: bottom },
  { x: left, y: bottom },
];

describe('cornerRounding', () => {
  it("reads a card's own corners as rounded: where its side lines cross lies the background", () => {
    const image = scene({ card: [300, 160, 1000, 601] });
    const scores = cornerRounding(image, box(300, 160, 1000, 601));
    for (const score of scores) expect(score).toBeGreaterThan(0.8);
    expect(roundingTally(scores)).toEqual({ rounded: 4, square: 0 });
  });

  it('reads the corners where a header band meets the sides as square: their tips are the inside', () => {
    const image = scene({ card: [300, 160, 1000, 601], headerRows: 70 });
    // The outline a search stopping at the band's inner edge gives: the band left out.
    const scores = cornerRounding(image, box(300, 230, 1000, 601));
    expect(scores[0]).toBeLessThan(-0.8);
    expect(scores[1]).toBeLessThan(-0.8);
    expect(roundingTally(scores)).toEqual({ rounded: 2, square: 2 });
    // The card's own outline, the band in it, still reads rounded everywhere.
    expect(roundingTally(cornerRounding(image, box(300, 160, 1000, 601)))).toEqual({ rounded: 4, square: 0 });
  });

  it('reads the corners of a stretch of background taken with the card as square or not at all', () => {
    const image = scene({ card: [300, 160, 1000, 601] });
    // The card and 60 px of background beyond its right side: the right corners are the background's.
    const scores = cornerRounding(image, box(300, 160, 1060, 601));
    expect(scores[0]).toBeGreaterThan(0.8);
    expect(scores[3]).toBeGreaterThan(0.8);
    for (const right of [scores[1], scores[2]]) expect(right ?? -1).toBeLessThan(0.5);
  });

  it('cannot tell at a corner off the frame, or where the card is the colour of its background', () => {
    const running = scene({ card: [-40, 160, 700, 601] });
    expect(cornerRounding(running, box(-40, 160, 700, 601))[0]).toBeNull();
    const alike = scene({ card: [300, 160, 1000, 601], stock: [120, 120, 120], background: [125, 122, 118] });
    expect(cornerRounding(alike, box(300, 160, 1000, 601))).toEqual([null, null, null, null]);
  });

  it('follows the perspective of a tilted quad', () => {
    const image = scene({ card: [300, 160, 1000, 601] });
    // The same card's outline, one side shrunk by a pixel: still its own corners.
    const quad: Quad = [{ x: 301, y: 160 }, { x: 1000, y: 161 }, { x: 999, y: 601 }, { x: 300, y: 600 }];
    expect(roundingTally(cornerRounding(image, quad)).rounded).toBe(4);
  });
});
