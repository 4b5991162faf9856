import { describe, expect, it } from 'vitest';
import type { GrayImage } from './mrz-reader.ts';
import { decodeCtc, mrzClassMap, normalizeLineContrast } from './ppocr-reader.ts';

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

describe('decodeCtc', () => {
  // Labels after blank: A, a, B, く (a filler look-alike), 中 (no MRZ character), then the space class.
  const map = mrzClassMap(['A', 'a', 'B', 'く', '中']);
  const classes = 7;
  /** One step per row: [class, probability] pairs, the rest 0. */
  const probs = (rows: Array<Array<[number, number]>>): Float32Array => {
    const out = new Float32Array(rows.length * classes);
    rows.forEach((row, t) => { for (const [c, p] of row) out[t * classes + c] = p; });
    return out;
  };

  it('collapses repeats, folds case and look-alikes, forces a foreign glyph to the best MRZ character, keeps alternatives', () => {
    const p = probs([
      [[1, 0.6], [2, 0.3], [0, 0.1]], // A (a folds into it)
      [[1, 0.7], [3, 0.2]],           // A again: same run
      [[0, 0.9]],                     // blank
      [[5, 0.5], [3, 0.3], [1, 0.1]], // 中 wins: forced to B
      [[4, 0.8], [0, 0.2]],           // く: <
      [[6, 0.9]],                     // space: a pause
      [[1, 0.9]],                     // A
    ]);
    const read = decodeCtc(p, 7, classes, map);
    expect(read.text).toBe('AB<A');
    expect(read.chars[0]!.confidence).toBeCloseTo(0.9, 5);
    expect(read.chars[0]!.alternatives).toEqual([{ char: 'B', confidence: expect.closeTo(0.2, 5) as number }]);
    expect(read.chars[1]!.confidence).toBeCloseTo(0.3, 5);
  });

  it('lets an MRZ character above 0.2 win a blank step, but not repeat the one before it', () => {
    const p = probs([
      [[1, 0.9]],
      [[0, 0.7], [1, 0.3]], // A again under blank: no second A
      [[0, 0.7], [3, 0.3]], // B under blank: emitted
    ]);
    expect(decodeCtc(p, 3, classes, map).text).toBe('AB');
  });
});
