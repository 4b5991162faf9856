import { describe, expect, it } from 'vitest';
import { maxCornerError } from './geometry.ts';
import { fitQuadToPoints } from './lines.ts';
import type { Point, Quad } from './types.ts';

describe('fitQuadToPoints', () => {
  it('moves corners that sat on rounded corners back to where the sides meet', () => {
    const truth: Quad = [{ x: 20, y: 10 }, { x: 220, y: 30 }, { x: 210, y: 160 }, { x: 12, y: 150 }];
    // The outline: points along each side, corners rounded off (the last 8% of each side missing).
    const outline: Point[] = [];
    for (let side = 0; side < 4; side++) {
      const a = truth[side]!;
      const b = truth[(side + 1) % 4]!;
      for (let t = 0.08; t <= 0.92; t += 0.01) outline.push({ x: a.x + (b.x - a.x) * t + 0.3 * Math.sin(t * 50), y: a.y + (b.y - a.y) * t });
    }
    // A rough quad whose vertices lie on the rounded corners, several pixels inside.
    const rough: Quad = [{ x: 27, y: 17 }, { x: 212, y: 36 }, { x: 203, y: 153 }, { x: 19, y: 144 }];
    const fitted = fitQuadToPoints(rough, outline, 8)!;
    expect(maxCornerError(rough, truth)).toBeGreaterThan(8);
    expect(maxCornerError(fitted, truth)).toBeLessThan(1);
  });

  it('keeps a side that has no points near it', () => {
    const rough: Quad = [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 50 }, { x: 0, y: 50 }];
    expect(maxCornerError(fitQuadToPoints(rough, [], 5)!, rough)).toBeLessThan(1e-9);
  });
});
