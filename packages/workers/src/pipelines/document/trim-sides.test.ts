import { describe, expect, it } from 'vitest';
import { quality, type RgbaImage } from '@ekyc/core';
import { trimBackgroundSides } from './trim-sides.ts';

// A pale page on a teal fabric with darker stripes, turned 20 degrees: the outline a detector can give
// with its top side grown past the page onto a stripe, and the page's own outline.

const WIDTH = 900;
const HEIGHT = 700;

/** Corners (TL, TR, BR, BL) of a `w` x `h` rectangle centred at (cx, cy), turned `deg` degrees, its top side moved out by `grow` px. */
function turned(cx: number, cy: number, w: number, h: number, deg: number, grow = 0): quality.Quad {
  const r = (deg * Math.PI) / 180;
  const local = [[-w / 2, -h / 2 - grow], [w / 2, -h / 2 - grow], [w / 2, h / 2], [-w / 2, h / 2]] as const;
  return local.map(([u, v]) => ({ x: cx + u * Math.cos(r) - v * Math.sin(r), y: cy + u * Math.sin(r) + v * Math.cos(r) })) as unknown as quality.Quad;
}

const PAGE = turned(450, 380, 500, 352, 20);

/** The photo: the page (paper 215, print rows 40, a portrait box 30) on fabric (teal, purple stripes every 90 px, 14 px wide, along the page's top). */
function photo(): RgbaImage<Uint8ClampedArray> {
  const data = new Uint8ClampedArray(WIDTH * HEIGHT * 4);
  const toPage = quality.homographyFromPoints(PAGE, [{ x: 0, y: 0 }, { x: 500, y: 0 }, { x: 500, y: 352 }, { x: 0, y: 352 }])!;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const p = quality.applyHomography(toPage, { x: x + 0.5, y: y + 0.5 });
      let rgb: [number, number, number];
      if (p.x >= 0 && p.y >= 0 && p.x <= 500 && p.y <= 352) {
        const print = p.y > 260 && p.y < 330 && (p.y % 20) < 8 && p.x > 30 && p.x < 470 && (p.x % 12) < 8;
        const portrait = p.x > 30 && p.x < 170 && p.y > 60 && p.y < 240;
        const v = print ? 40 : portrait ? 30 : 215;
        rgb = [v, v - 4, v + 6];
      } else {
        // Stripes parallel to the page's top side (the page's own frame, continued past it).
        const stripe = (((p.y % 90) + 90) % 90) < 14;
        rgb = stripe ? [110, 80, 120] : [70, 150, 135];
      }
      data.set([...rgb, 255], (y * WIDTH + x) * 4);
    }
  }
  return { width: WIDTH, height: HEIGHT, data };
}

describe('trimBackgroundSides', () => {
  const image = photo();

  it('pulls a top side grown onto the fabric back to the page\'s edge: far, just past a stripe, or by a little', () => {
    // 78 px: the side on a stripe's inner edge (stripe outside it, fabric inside: only the wide strips see past it).
    for (const grow of [60, 78, 10]) {
      const grown = turned(450, 380, 500, 352, 20, grow);
      expect(quality.maxCornerError(grown, PAGE)).toBeGreaterThan(grow - 1);
      expect(quality.maxCornerError(trimBackgroundSides(image, grown), PAGE)).toBeLessThan(3);
    }
  });

  it('leaves the page\'s own outline as it is', () => {
    expect(quality.maxCornerError(trimBackgroundSides(image, PAGE), PAGE)).toBeLessThan(1.5);
  });
});
