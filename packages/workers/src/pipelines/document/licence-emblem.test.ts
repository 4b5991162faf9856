import { describe, expect, it } from 'vitest';
import { emblemSign } from './licence-emblem.ts';

/** An ID-1 front at 12 px/mm: pale paper, the emblem at (3 mm, 3 mm) 11 x 8 mm, stars, a white sign block at its centre. */
function card(options: { emblem?: boolean; light?: number; narrow?: boolean } = {}) {
  const width = 1027;
  const height = 648;
  const k = options.light ?? 1;
  const data = new Uint8ClampedArray(width * height * 4);
  const paint = (x0: number, y0: number, x1: number, y1: number, [r, g, b]: [number, number, number]) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data.set([r * k, g * k, b * k, 255], (y * width + x) * 4);
  };
  paint(0, 0, width, height, [232, 228, 214]);
  if (options.emblem !== false) {
    paint(36, 36, 168, 132, [29, 63, 148]);
    // Twelve yellow stars on a ring of radius 40 px around the centre (102, 84).
    for (let s = 0; s < 12; s++) {
      const cx = Math.round(102 + 40 * Math.cos((s / 12) * 2 * Math.PI));
      const cy = Math.round(84 + 40 * Math.sin((s / 12) * 2 * Math.PI));
      paint(cx - 4, cy - 4, cx + 4, cy + 4, [255, 214, 23]);
    }
    // The sign: an "L" of white strokes, 18 x 26 px (or an "I", 5 x 26).
    paint(93, 71, 98, 97, [255, 255, 255]);
    if (!options.narrow) paint(93, 92, 111, 97, [255, 255, 255]);
  }
  // Dark field text elsewhere (must not count).
  paint(360, 190, 700, 215, [20, 20, 30]);
  return { width, height, data };
}

describe('emblemSign', () => {
  it('finds the blue emblem and cuts out the white sign, not the yellow stars', () => {
    const found = emblemSign(card())!;
    expect(found).not.toBeNull();
    expect(Math.abs(found.emblem.x - 36)).toBeLessThanOrEqual(2);
    expect(Math.abs(found.emblem.width - 132)).toBeLessThanOrEqual(4);
    // The sign (18 x 26) plus a 30% margin of its height each side: no star (40 px out) inside.
    expect(found.crop.width).toBeLessThanOrEqual(Math.ceil(1.5 * found.crop.height));
    expect(found.crop.height).toBeLessThan(26 + 2 * 9);
    const dark = Array.from(found.crop.data).filter((v) => v < 100).length;
    expect(dark).toBeGreaterThan(150);
    expect(dark).toBeLessThan(26 * 5 + 18 * 5 + 10);
  });
  it('pads a one-letter sign to 1.5x its height, so the recogniser has time steps to read it', () => {
    const found = emblemSign(card({ narrow: true }))!;
    expect(found.crop.width).toBe(Math.ceil(1.5 * found.crop.height));
    // The stroke stays dark, the padding takes the ground's tone (the stars are not copied in).
    const dark = Array.from(found.crop.data).filter((v) => v < 100).length;
    expect(dark).toBe(5 * 26);
  });
  it('holds under dim light (every channel at 55%)', () => {
    expect(emblemSign(card({ light: 0.55 }))).not.toBeNull();
  });
  it('finds nothing on a card without the emblem', () => {
    expect(emblemSign(card({ emblem: false }))).toBeNull();
  });
});
