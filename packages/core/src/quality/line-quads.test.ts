import { describe, expect, it } from 'vitest';
import { maxCornerError } from './geometry.ts';
import { cornerViewsFromLines, quadsClosedByBorder, quadsFromLines, type Segment } from './line-quads.ts';
import type { Quad } from './types.ts';

describe('quadsFromLines', () => {
  it('recovers an outline whose corners were lost (sides interrupted, corners cut) from its four sides', () => {
    const truth: Quad = [{ x: 100, y: 80 }, { x: 520, y: 110 }, { x: 500, y: 380 }, { x: 90, y: 350 }];
    const piece = (from: number, to: number, a: (typeof truth)[number], b: (typeof truth)[number]): Segment => ({
      a: { x: a.x + (b.x - a.x) * from, y: a.y + (b.y - a.y) * from },
      b: { x: a.x + (b.x - a.x) * to, y: a.y + (b.y - a.y) * to },
    });
    const segments: Segment[] = [
      piece(0.1, 0.9, truth[0], truth[1]),
      piece(0.2, 0.5, truth[1], truth[2]), // the right side is broken by clutter
      piece(0.6, 0.85, truth[1], truth[2]),
      piece(0.05, 0.95, truth[2], truth[3]),
      piece(0.15, 0.8, truth[3], truth[0]),
      { a: { x: 300, y: 200 }, b: { x: 340, y: 260 } }, // clutter
    ];
    const quads = quadsFromLines(segments);
    expect(Math.min(...quads.map((q) => maxCornerError(q, truth)))).toBeLessThan(1e-6);
  });

  it('counts a side found many times once, so that a short fourth side still makes the longest lines', () => {
    // A document running off the bottom: top, left and right sides long and each found four times
    // (thin and dilated edges, both ways round an open outline, a pixel apart); its bottom side
    // shows only where it is in view.
    const truth: Quad = [{ x: 20, y: 10 }, { x: 1100, y: 90 }, { x: 970, y: 840 }, { x: 90, y: 630 }];
    const copies = (a: (typeof truth)[number], b: (typeof truth)[number]): Segment[] =>
      [0, 0.5, 1, 1.5].map((d) => ({ a: { x: a.x + d, y: a.y + d }, b: { x: b.x + d, y: b.y + d } }));
    const bottom: Segment = { a: truth[3], b: { x: 470, y: 720 } };
    const segments = [...copies(truth[0], truth[1]), ...copies(truth[1], { x: 990, y: 720 }), ...copies(truth[3], truth[0]), bottom];
    const quads = quadsFromLines(segments, { maxLines: 4 });
    expect(Math.min(...quads.map((q) => maxCornerError(q, truth)))).toBeLessThan(3);
  });

  it('brings in lines across the longest where stripes crowd out a card\'s short sides, and returns only the quads that use them', () => {
    // A card on a weave: its long sides are the longest lines, its short sides rank under 14 longer stripes.
    const card: Quad = [{ x: 200, y: 150 }, { x: 800, y: 150 }, { x: 800, y: 500 }, { x: 200, y: 500 }];
    const stripes: Segment[] = Array.from({ length: 14 }, (_, n) => ({ a: { x: 100, y: 30 + 45 * n + (n > 2 ? 10 : 0) }, b: { x: 600 - n, y: 32 + 45 * n + (n > 2 ? 10 : 0) } }));
    const sides: Segment[] = [0, 1, 2, 3].map((side) => ({ a: card[side]!, b: card[(side + 1) % 4]! }));
    const segments = [...stripes, ...sides];
    expect(quadsFromLines(segments, { maxLines: 16 })).toEqual([]);
    const crossing = quadsFromLines(segments, { maxLines: 16, minCrossingLines: 4 });
    expect(Math.min(...crossing.map((q) => maxCornerError(q, card)))).toBeLessThan(1e-6);
    // Every quad returned has its left and right sides on the card's, the two lines brought in.
    for (const quad of crossing) expect(Math.max(Math.abs(quad[0].x - 200), Math.abs(quad[3].x - 200), Math.abs(quad[1].x - 800), Math.abs(quad[2].x - 800))).toBeLessThan(1e-6);
    // Where the longest lines already cross, nothing is brought in and the second look returns nothing.
    expect(quadsFromLines(sides, { minCrossingLines: 4 })).toEqual([]);
  });

  it('makes no quad from lines that are all parallel, or from fewer than four', () => {
    const parallel: Segment[] = [0, 40, 80, 120].map((y) => ({ a: { x: 0, y }, b: { x: 300, y: y + 5 } }));
    expect(quadsFromLines(parallel)).toEqual([]);
    expect(quadsFromLines(parallel.slice(0, 3))).toEqual([]);
  });
});

describe('cornerViewsFromLines', () => {
  // A 640 x 360 frame; a card's corner in view at (200, 250), its left side rising to the top border
  // at x = 215 and its bottom side running right to the right border at y = 270: the rest of it is
  // out of view. Each side is found twice (thin and dilated edges), with clutter beside it.
  const corner = { x: 200, y: 250 };
  const sides: Segment[] = [
    { a: { x: 201, y: 235 }, b: { x: 215, y: 1 } },
    { a: { x: 215.5, y: 2 }, b: { x: 201.5, y: 236 } },
    { a: { x: 215, y: 251 }, b: { x: 638, y: 270 } },
    { a: { x: 420, y: 100 }, b: { x: 520, y: 180 } },
  ];
  const expected: Quad = [{ x: 215, y: 0 }, { x: 639, y: 0 }, { x: 639, y: 270 }, corner];
  const nearest = (views: ReturnType<typeof cornerViewsFromLines>, quad: Quad) => Math.min(...views.map((v) => maxCornerError(v.quad, quad)));

  it('closes two sides meeting at a corner in view, each running to adjacent borders, by the frame corner between them', () => {
    const views = cornerViewsFromLines(sides, 640, 360);
    expect(nearest(views, expected)).toBeLessThan(1.5);
    // quadsFromLines needs two pairs of opposite sides: it has none of this document.
    expect(quadsFromLines(sides).every((q) => maxCornerError(q, expected) > 20)).toBe(true);
  });

  it('makes none when a side stops short of the border (its end is the card corner, in view)', () => {
    const short = sides.map((s, i) => (i === 2 ? { a: s.a, b: { x: 560, y: 266 } } : s));
    expect(cornerViewsFromLines(short, 640, 360)).toEqual([]);
  });

  it('makes none when the corner lies within the clearance of a border (the quad would be nearly the frame)', () => {
    const low = sides.map((s) => ({ a: { x: s.a.x, y: s.a.y + 105 }, b: { x: s.b.x, y: s.b.y + (s.b.y < 10 ? 0 : 86) } }));
    // The corner now at about y = 355, 4 px from the bottom border.
    expect(cornerViewsFromLines(low, 640, 360, { borderReach: 4 }).filter((v) => v.corner.y > 340)).toEqual([]);
  });

  it('keeps, for sides leaving by opposite borders, the larger of the two quads that leave one exit out', () => {
    // Corner (100, 300); one side rising to the top border at x = 160, the other running down-right to
    // the bottom border at x = 300: the part in view holds the two right-hand frame corners.
    const views = cornerViewsFromLines([{ a: { x: 101, y: 297 }, b: { x: 160, y: 1 } }, { a: { x: 102, y: 301 }, b: { x: 299, y: 358.5 } }], 640, 360);
    expect(views).toHaveLength(1);
    const dropBottomExit: Quad = [{ x: 160, y: 0 }, { x: 639, y: 0 }, { x: 639, y: 359 }, { x: 100, y: 300 }];
    expect(maxCornerError(views[0]!.quad, dropBottomExit)).toBeLessThan(1.5);
    // Both sides leaving by the top border make no view.
    expect(cornerViewsFromLines([{ a: { x: 300, y: 250 }, b: { x: 200, y: 0 } }, { a: { x: 300, y: 250 }, b: { x: 450, y: 0 } }], 640, 360)).toEqual([]);
  });
});

describe('quadsClosedByBorder', () => {
  // A 640 x 360 frame; a card whose bottom corners are below it: its left side runs to the bottom border,
  // its right side leaves by the right border at y = 250 (its line meets the bottom border at x = 677).
  const left: Segment = { a: { x: 100, y: 60 }, b: { x: 90, y: 359 } };
  const top: Segment = { a: { x: 100, y: 60 }, b: { x: 560, y: 40 } };
  const right: Segment = { a: { x: 560, y: 40 }, b: { x: 639, y: 250 } };
  const expected: Quad = [{ x: 100, y: 60 }, { x: 560, y: 40 }, { x: 560 + (79 * 319) / 210, y: 359 }, { x: 90, y: 359 }];

  it('closes the three sides in view by the border across from the side crossing them', () => {
    const quads = quadsClosedByBorder([left, top, right], 640, 360);
    expect(quads.some((q) => maxCornerError(q, expected) < 1)).toBe(true);
    // Every quad has a side on a frame border.
    for (const q of quads) expect(q.some((p) => Math.abs(p.y) < 1e-6 || Math.abs(p.y - 359) < 1e-6 || Math.abs(p.x) < 1e-6 || Math.abs(p.x - 639) < 1e-6)).toBe(true);
  });

  it('makes none when a side of the pair stops short of the border (a card in view)', () => {
    const shortLeft: Segment = { a: { x: 100, y: 60 }, b: { x: 92, y: 300 } };
    const shortRight: Segment = { a: { x: 560, y: 40 }, b: { x: 600, y: 200 } };
    expect(quadsClosedByBorder([shortLeft, top, right], 640, 360)).toEqual([]);
    expect(quadsClosedByBorder([left, top, shortRight], 640, 360)).toEqual([]);
  });
});
