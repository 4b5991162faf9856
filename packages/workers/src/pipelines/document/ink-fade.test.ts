import { describe, expect, it } from 'vitest';
import { cellInkShares } from './ink-fade.ts';
import type { GrayImage } from './mrz-reader.ts';

/**
 * A line of `cells` cells 20 px wide and 30 px tall, each with a dark bar through its upper and lower
 * half on paper 200; `ink(c, upper)` is the bar's gray in cell c's upper or lower half.
 */
function bars(cells: number, ink: (c: number, upper: boolean) => number, paper: (x: number) => number = () => 200): GrayImage {
  const width = cells * 20;
  const height = 30;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const inBar = x % 20 >= 8 && x % 20 < 12;
    const p = paper(x);
    data[y * width + x] = inBar ? Math.round(p * ink(Math.floor(x / 20), y < 15) / 200) : p;
  }
  return { width, height, data };
}

describe('cellInkShares', () => {
  const grid = { cells: 30, offset: 0, pitch: 20 };
  const rows = { top: 0, bottom: 29 };

  it('is about 1 for every cell of a line printed alike', () => {
    const shares = cellInkShares(bars(30, () => 40), rows, grid);
    for (const s of shares) expect(s).toBeCloseTo(1, 5);
  });

  it('falls where a veil washed out the upper half of one glyph, and only there', () => {
    // Cell 11's upper bar at 170 (contrast 30 against the line's 160).
    const shares = cellInkShares(bars(30, (c, upper) => (c === 11 && upper ? 170 : 40)), rows, grid);
    expect(shares[11]).toBeCloseTo(30 / 160, 5);
    shares.forEach((s, c) => { if (c !== 11) expect(s).toBeCloseTo(1, 5); });
  });

  it('stays near 1 where light falls off along the line (ink and paper dimmed alike)', () => {
    const shaded = bars(30, () => 40, (x) => Math.round(200 * (1 - 0.6 * (x / 600))));
    for (const s of cellInkShares(shaded, rows, grid)) expect(s).toBeGreaterThan(0.75);
  });
});
