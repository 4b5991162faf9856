import { describe, expect, it } from 'vitest';
import { documentReachesBorder } from './border-reach.ts';
import type { PixelImage } from './edge-support.ts';
import type { Quad } from './types.ts';

/**
 * A wood-like background (brown, with horizontal grain lines every 12 px: long straight edges that
 * continue a card's top and bottom sides to the frame border) and a light card from x = 200 to `right`.
 */
function scene(right: number): PixelImage {
  const width = 640;
  const height = 360;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const onCard = x >= 200 && x < right && y >= 100 && y < 260;
      const grain = y % 12 < 3 ? -30 : 0;
      const rgb = onCard ? [225, 220, 205] : [120 + grain, 80 + grain, 45 + grain];
      data.set(rgb, (y * width + x) * 3);
    }
  }
  return { data, width, height, channels: 3 };
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
