import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARCFACE_TEMPLATE_112, alignFace, keypointList, umeyamaSimilarity } from './alignment.ts';
import { applyAffine, type Point } from './geometry.ts';

describe('umeyamaSimilarity', () => {
  it('recovers any similarity transform exactly from noiseless points', () => {
    fc.assert(fc.property(
      fc.double({ min: 0.2, max: 5, noNaN: true }), fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
      fc.double({ min: -500, max: 500, noNaN: true }), fc.double({ min: -500, max: 500, noNaN: true }),
      (scale, angle, tx, ty) => {
        const truth = [scale * Math.cos(angle), -scale * Math.sin(angle), tx, scale * Math.sin(angle), scale * Math.cos(angle), ty] as const;
        const dst = ARCFACE_TEMPLATE_112.map((p) => applyAffine(truth, p));
        const estimated = umeyamaSimilarity(ARCFACE_TEMPLATE_112, dst);
        estimated.forEach((value, i) => expect(value).toBeCloseTo(truth[i]!, 6));
      },
    ));
  });

  it('is the least-squares fit: perturbing it never lowers the residual', () => {
    const src: Point[] = [{ x: 10, y: 12 }, { x: 40, y: 11 }, { x: 25, y: 30 }, { x: 14, y: 45 }, { x: 37, y: 44 }];
    const m = umeyamaSimilarity(src, ARCFACE_TEMPLATE_112);
    const residual = (a: number, b: number, tx: number, ty: number): number =>
      src.reduce((sum, p, i) => sum + (a * p.x - b * p.y + tx - ARCFACE_TEMPLATE_112[i]!.x) ** 2 + (b * p.x + a * p.y + ty - ARCFACE_TEMPLATE_112[i]!.y) ** 2, 0);
    const best = residual(m[0], m[3], m[2], m[5]);
    for (const [da, db, dx, dy] of [[1e-3, 0, 0, 0], [0, 1e-3, 0, 0], [0, 0, 0.1, 0], [0, 0, 0, 0.1], [-1e-3, -1e-3, 0, 0]] as const) {
      expect(residual(m[0] + da, m[3] + db, m[2] + dx, m[5] + dy)).toBeGreaterThan(best);
    }
  });

  it('rejects degenerate input', () => {
    const p = { x: 1, y: 1 };
    expect(() => umeyamaSimilarity([p, p, p], ARCFACE_TEMPLATE_112.slice(0, 3))).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => umeyamaSimilarity([p], [p, p])).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });
});

describe('alignFace', () => {
  it('maps the keypoints onto the template and returns a 112x112 crop', () => {
    const image = { width: 200, height: 200, data: new Uint8ClampedArray(200 * 200 * 4).fill(128) };
    const keypoints = { leftEye: { x: 80, y: 90 }, rightEye: { x: 120, y: 92 }, nose: { x: 100, y: 110 }, mouthLeft: { x: 84, y: 130 }, mouthRight: { x: 116, y: 131 } };
    const aligned = alignFace(image, keypoints);
    expect(aligned.image.width).toBe(112);
    expect(aligned.image.data.length).toBe(112 * 112 * 4);
    const mapped = keypointList(keypoints).map((p) => applyAffine(aligned.transform, p));
    mapped.forEach((p, i) => {
      expect(Math.abs(p.x - ARCFACE_TEMPLATE_112[i]!.x)).toBeLessThan(3);
      expect(Math.abs(p.y - ARCFACE_TEMPLATE_112[i]!.y)).toBeLessThan(3);
    });
  });

  it('aligns four-point (single mouth point) keypoints too', () => {
    const image = { width: 100, height: 100, data: new Uint8ClampedArray(100 * 100 * 4) };
    const aligned = alignFace(image, { leftEye: { x: 30, y: 40 }, rightEye: { x: 60, y: 40 }, nose: { x: 45, y: 55 }, mouthCenter: { x: 45, y: 70 } });
    expect(aligned.image.width).toBe(112);
  });
});
