import { describe, expect, it } from 'vitest';
import { maxCornerError } from './geometry.ts';
import { quadsFromLines, type Segment } from './line-quads.ts';
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

  it('makes no quad from lines that are all parallel, or from fewer than four', () => {
    const parallel: Segment[] = [0, 40, 80, 120].map((y) => ({ a: { x: 0, y }, b: { x: 300, y: y + 5 } }));
    expect(quadsFromLines(parallel)).toEqual([]);
    expect(quadsFromLines(parallel.slice(0, 3))).toEqual([]);
  });
});
