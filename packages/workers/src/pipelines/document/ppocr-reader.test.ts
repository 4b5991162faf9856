import { describe, expect, it } from 'vitest';
import type { GrayImage } from './mrz-reader.ts';
import { normalizeLineContrast } from './ppocr-reader.ts';

/** A line of vertical strokes (3 px ink, 5 px paper) whose right half sits under glare: paper 255, ink 200. */
function glaredLine(): GrayImage {
  const width = 240;
  const height = 24;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const ink = y >= 4 && y < 20 && x % 8 < 3;
    const glare = x >= width / 2;
    data[y * width + x] = ink ? (glare ? 200 : 30) : glare ? 255 : 235;
  }
  return { width, height, data };
}

describe('normalizeLineContrast', () => {
  it('gives the glared half of a line the ink and paper levels of the rest', () => {
    const line = glaredLine();
    const out = normalizeLineContrast(line);
    const at = (x: number, y: number): number => out.data[y * line.width + x]!;
    // An ink stroke and the paper beside it, left (no glare) and right (glare).
    expect(at(200, 10)).toBeLessThan(64);
    expect(at(204, 10)).toBeGreaterThan(215);
    expect(at(40, 10)).toBeLessThan(40);
    expect(at(44, 10)).toBeGreaterThan(215);
    // The input's glared ink (200) was lighter than its clean paper (235).
    expect(line.data[10 * line.width + 200]).toBeGreaterThan(150);
  });
});
