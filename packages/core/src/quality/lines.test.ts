import { describe, expect, it } from 'vitest';
import { maxCornerError } from './geometry.ts';
import { fitQuadToPoints, quadFromLines, quadSideLines } from './lines.ts';
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

describe('quadSideLines', () => {
  it('gives side i through corner i toward corner i + 1, and quadFromLines turns them back into the corners', () => {
    const quad: Quad = [{ x: 20, y: 10 }, { x: 220, y: 30 }, { x: 210, y: 160 }, { x: 12, y: 150 }];
    const lines = quadSideLines(quad)!;
    for (let side = 0; side < 4; side++) {
      const a = quad[side]!;
      const b = quad[(side + 1) % 4]!;
      expect(lines[side]!.point).toBe(a);
      expect(Math.hypot(lines[side]!.direction.x, lines[side]!.direction.y)).toBeCloseTo(1, 12);
      // The direction points from a to b.
      const length = Math.hypot(b.x - a.x, b.y - a.y);
      expect(lines[side]!.direction.x * length).toBeCloseTo(b.x - a.x, 9);
      expect(lines[side]!.direction.y * length).toBeCloseTo(b.y - a.y, 9);
    }
    expect(maxCornerError(quadFromLines(lines)!, quad)).toBeLessThan(1e-9);
  });

  it('is null when a side is shorter than a pixel (no direction to speak of)', () => {
    expect(quadSideLines([{ x: 0, y: 0 }, { x: 0.5, y: 0 }, { x: 50, y: 50 }, { x: 0, y: 50 }])).toBeNull();
    expect(quadSideLines([{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 50, y: 50 }, { x: 0, y: 50 }])).toBeNull();
  });
});
