import { describe, expect, it } from 'vitest';
import type { PixelImage } from './edge-support.ts';
import { regionContrast } from './region-contrast.ts';
import type { Quad } from './types.ts';

/**
 * A plaid fabric (1280 x 720): a woven ground with a fine 2-px thread pattern, crossed every 125 px
 * by 20-px stripes in both directions. With `card`, a light card with dark text lines lies on it.
 */
function fabric(card?: Quad): PixelImage {
  const width = 1280;
  const height = 720;
  const data = new Uint8Array(width * height * 3);
  const [x0, y0, x1, y1] = card ? [card[0].x, card[0].y, card[2].x, card[2].y] : [0, 0, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let rgb: number[];
      if (x >= x0 && x < x1 && y >= y0 && y < y1) {
        const text = (y - y0) % 24 < 8 && (x - x0) % 14 < 9 && (y - y0) > 60;
        rgb = text ? [40, 40, 50] : [236, 228, 214];
      } else {
        const weave = (x + y) % 4 < 2 ? 10 : -10;
        const stripe = x % 125 < 20 || y % 125 < 20 ? -45 : 0;
        rgb = [200 + weave + stripe, 150 + weave + stripe, 140 + weave + stripe];
      }
      data.set(rgb, (y * width + x) * 3);
    }
  }
  return { data, width, height, channels: 3 };
}

// Three by three cells of the plaid, its sides on the stripes' outer edges (edges the outline search finds).
const cell: Quad = [{ x: 250, y: 125 }, { x: 645, y: 125 }, { x: 645, y: 520 }, { x: 250, y: 520 }];
const card: Quad = [{ x: 380, y: 200 }, { x: 808, y: 200 }, { x: 808, y: 470 }, { x: 380, y: 470 }];

describe('regionContrast', () => {
  it("reads little for a rectangle of a fabric's own stripes: fabric inside and out", () => {
    expect(regionContrast(fabric(), cell)!).toBeLessThan(12);
  });

  it('reads much more for a card lying on the same fabric', () => {
    expect(regionContrast(fabric(card), card)!).toBeGreaterThan(30);
  });

  it('has no verdict for a quad whose surroundings lie outside the frame', () => {
    const whole: Quad = [{ x: 2, y: 2 }, { x: 1277, y: 2 }, { x: 1277, y: 717 }, { x: 2, y: 717 }];
    expect(regionContrast(fabric(), whole)).toBeNull();
  });
});
