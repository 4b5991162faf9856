import { describe, expect, it } from 'vitest';
import { quadsWithHiddenCorner } from './hidden-corner.ts';
import type { Point, Quad } from './types.ts';

const maxCornerError = (quad: Quad, expected: readonly Point[]): number =>
  Math.max(...expected.map((e) => Math.min(...quad.map((p) => Math.hypot(p.x - e.x, p.y - e.y)))));

describe('quadsWithHiddenCorner', () => {
  // A card 400x250 at (100, 100), slightly rotated, its top-left corner under a thumb coming from the left.
  const card: Point[] = [
    { x: 100, y: 100 },
    { x: 500, y: 110 },
    { x: 494, y: 360 },
    { x: 94, y: 350 },
  ];
  const along = (p: Point, q: Point, t: number): Point => ({ x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t });

  it('rebuilds the corner a thumb hides from the lines of the two sides meeting there', () => {
    // Outline of card and thumb: the top side from the thumb on, three corners, the left side up to the
    // thumb, round the thumb (off the card, past the corner) and back onto the top side.
    const outline: Point[] = [
      along(card[0]!, card[1]!, 0.15),
      card[1]!,
      card[2]!,
      card[3]!,
      along(card[3]!, card[0]!, 0.8),
      { x: 40, y: 140 },
      { x: 60, y: 70 },
      { x: 120, y: 80 },
    ];
    const quads = quadsWithHiddenCorner(outline);
    expect(quads.some((q) => maxCornerError(q, card) < 0.5)).toBe(true);
  });

  it('rebuilds it when the outline goes round the thumb inside the card', () => {
    const outline: Point[] = [card[1]!, card[2]!, card[3]!, along(card[3]!, card[0]!, 0.7), { x: 150, y: 170 }, along(card[0]!, card[1]!, 0.2)];
    expect(quadsWithHiddenCorner(outline).some((q) => maxCornerError(q, card) < 0.5)).toBe(true);
  });

  it('proposes nothing from a quad or from sides that do not run into one corner', () => {
    expect(quadsWithHiddenCorner(card)).toEqual([]);
    // A regular pentagon: the edges next to any three corners in a row meet at 36 degrees, far from square.
    const pentagon: Point[] = Array.from({ length: 5 }, (_, k) => ({ x: 300 + 100 * Math.cos((2 * Math.PI * k) / 5), y: 300 + 100 * Math.sin((2 * Math.PI * k) / 5) }));
    expect(quadsWithHiddenCorner(pentagon)).toEqual([]);
  });
});
