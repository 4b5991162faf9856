import { describe, expect, it } from 'vitest';
import type { PixelImage } from './edge-support.ts';
import { quadsWithHiddenCorner, refitAroundCoveredCorner } from './hidden-corner.ts';
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

describe('refitAroundCoveredCorner', () => {
  // A light ID-1 card (300 x 189 px) on a dark table, held by a thumb (a capsule 70 px wide) that comes
  // from the top border over its top-right corner. The hull of card and thumb has its top-right corner
  // on the thumb at the border: its top and right sides run over the table and the thumb.
  const width = 640;
  const height = 360;
  const card: Quad = [{ x: 170, y: 90 }, { x: 470, y: 90 }, { x: 470, y: 279 }, { x: 170, y: 279 }];
  const hull: Quad = [card[0], { x: 505, y: 0 }, card[2], card[3]];
  function picture(thumb: boolean): PixelImage {
    const data = new Uint8Array(width * height);
    let s = 5;
    const noise = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 4;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const underThumb = thumb && Math.hypot(x + 0.5 - 470, y + 0.5 - Math.max(0, Math.min(110, y + 0.5))) < 35;
        const onCard = x >= 170 && x < 470 && y >= 90 && y < 279;
        data[y * width + x] = Math.round((underThumb ? 150 : onCard ? 210 : 60) + noise());
      }
    }
    return { data, width, height, channels: 1 };
  }
  const options = { searchRadius: 4, minStep: 16, maxTurnDeg: 25, span: 0.5 };

  it('turns the two sides meeting under the thumb to the card edges they keep in view', () => {
    const rebuilt = refitAroundCoveredCorner(picture(true), hull, 1, options);
    expect(rebuilt).not.toBeNull();
    expect(maxCornerError(rebuilt!, card)).toBeLessThan(3);
  });

  it('keeps the hull where no side turned within reach has edges (a turn larger than allowed)', () => {
    const rebuilt = refitAroundCoveredCorner(picture(true), hull, 1, { ...options, maxTurnDeg: 5 });
    expect(rebuilt === null || maxCornerError(rebuilt, card) > 20).toBe(true);
  });
});
