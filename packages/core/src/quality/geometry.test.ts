import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyHomography, cornerMarginPx, estimateTiltDeg, homographyFromPoints, isConvexQuad, orderQuad, quadArea, widthFraction } from './geometry.ts';
import type { Point, Quad } from './types.ts';

/** Projects a w x h rectangle rotated by (rx, ry) degrees at depth z through a pinhole camera. */
function projectCard(rxDeg: number, ryDeg: number, z: number, f: number, cx: number, cy: number): Quad {
  const rx = (rxDeg * Math.PI) / 180;
  const ry = (ryDeg * Math.PI) / 180;
  const corners = [[-43, -27], [43, -27], [43, 27], [-43, 27]] as const;
  const projected = corners.map(([x, y]) => {
    // Rotate about x, then about y.
    const y1 = y * Math.cos(rx);
    const z1 = y * Math.sin(rx);
    const x2 = x * Math.cos(ry) + z1 * Math.sin(ry);
    const z2 = -x * Math.sin(ry) + z1 * Math.cos(ry) + z;
    return { x: cx + (f * x2) / z2, y: cy + (f * y1) / z2 };
  });
  return [projected[0]!, projected[1]!, projected[2]!, projected[3]!];
}

describe('homographyFromPoints', () => {
  it('maps the four source points onto the targets', () => {
    const from: Point[] = [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }];
    const to: Point[] = [{ x: 10, y: 12 }, { x: 300, y: 30 }, { x: 280, y: 200 }, { x: 20, y: 180 }];
    const h = homographyFromPoints(from, to);
    expect(h).not.toBeNull();
    from.forEach((p, i) => {
      const q = applyHomography(h!, p);
      expect(q.x).toBeCloseTo(to[i]!.x, 6);
      expect(q.y).toBeCloseTo(to[i]!.y, 6);
    });
  });

  it('returns null for collinear points', () => {
    const line = [0, 1, 2, 3].map((i) => ({ x: i, y: i }));
    expect(homographyFromPoints(line, line)).toBeNull();
  });
});

describe('estimateTiltDeg', () => {
  it('is zero for a card facing the camera, anywhere in the frame', () => {
    const quad: Quad = [{ x: 100, y: 50 }, { x: 500, y: 50 }, { x: 500, y: 300 }, { x: 100, y: 300 }];
    expect(estimateTiltDeg(quad, 1280, 720, 1024)).toBeCloseTo(0, 6);
  });

  it('recovers the true out-of-plane angle of a projected card', () => {
    fc.assert(
      fc.property(fc.double({ min: -35, max: 35, noNaN: true }), fc.double({ min: -35, max: 35, noNaN: true }), fc.double({ min: 150, max: 400, noNaN: true }), (rx, ry, z) => {
        const quad = projectCard(rx, ry, z, 1024, 640, 360);
        const truth = (Math.acos(Math.cos((rx * Math.PI) / 180) * Math.cos((ry * Math.PI) / 180)) * 180) / Math.PI;
        expect(Math.abs(estimateTiltDeg(quad, 1280, 720, 1024) - truth)).toBeLessThan(0.01);
      }),
    );
  });
});

describe('quad helpers', () => {
  const square: Quad = [{ x: 10, y: 10 }, { x: 110, y: 10 }, { x: 110, y: 60 }, { x: 10, y: 60 }];

  it('orders shuffled corners TL, TR, BR, BL', () => {
    const shuffled = [square[2], square[0], square[3], square[1]];
    expect(orderQuad(shuffled)).toEqual(square);
  });

  it('orders any four points as a sort by angle about their centre would, ties kept in input order', () => {
    const bySort = (points: Point[]): Quad => {
      const cx = points.reduce((s, p) => s + p.x, 0) / 4;
      const cy = points.reduce((s, p) => s + p.y, 0) / 4;
      const sorted = [...points].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
      let start = 0;
      for (let i = 1; i < 4; i++) if (sorted[i]!.x + sorted[i]!.y < sorted[start]!.x + sorted[start]!.y) start = i;
      const at = (k: number): Point => sorted[(start + k) % 4]!;
      return [at(0), at(1), at(2), at(3)];
    };
    const point = fc.record({ x: fc.integer({ min: -20, max: 20 }), y: fc.integer({ min: -20, max: 20 }) });
    fc.assert(fc.property(fc.array(point, { minLength: 4, maxLength: 4 }), (points) => {
      const ordered = orderQuad(points);
      const expected = bySort(points);
      // The same point objects, in the same order (duplicates and collinear points included).
      expect(ordered.every((p, k) => p === expected[k])).toBe(true);
    }), { numRuns: 2000 });
  });

  it('measures width fraction, margin, area and convexity', () => {
    expect(widthFraction(square, 200)).toBeCloseTo(0.5);
    expect(cornerMarginPx(square, 200, 100)).toBe(10);
    expect(cornerMarginPx([{ x: -5, y: 10 }, square[1], square[2], square[3]], 200, 100)).toBe(-5);
    expect(quadArea(square)).toBe(5000);
    expect(isConvexQuad(square)).toBe(true);
    expect(isConvexQuad([square[0], square[2], square[1], square[3]])).toBe(false);
  });
});
