import { describe, expect, it } from 'vitest';
import { decodeUltraFace, keypointsFrom68, landmarksFromNormalized, nonMaxSuppression } from './detection.ts';

describe('decodeUltraFace', () => {
  it('keeps confident boxes, maps them to pixels and suppresses overlaps', () => {
    const scores = new Float32Array([0.9, 0.1, 0.05, 0.95, 0.1, 0.9, 0.2, 0.8]);
    const boxes = new Float32Array([
      0.1, 0.1, 0.2, 0.2, // below threshold
      0.5, 0.5, 0.7, 0.8, // best
      0.51, 0.5, 0.71, 0.8, // overlaps the best
      0.0, 0.0, 0.25, 0.25, // separate face
    ]);
    const faces = decodeUltraFace(scores, boxes, { imageWidth: 200, imageHeight: 100, scoreThreshold: 0.7 });
    expect(faces).toHaveLength(2);
    expect(faces[0]!.score).toBeCloseTo(0.95);
    expect(faces[0]!.box.x).toBeCloseTo(100);
    expect(faces[0]!.box.height).toBeCloseTo(30);
    expect(faces[1]!.box.width).toBeCloseTo(50);
  });

  it('rejects mismatched shapes', () => {
    expect(() => decodeUltraFace(new Float32Array(4), new Float32Array(4), { imageWidth: 1, imageHeight: 1 })).toThrowError(
      expect.objectContaining({ code: 'inference_failed' }),
    );
  });
});

describe('nonMaxSuppression', () => {
  it('limits the result count', () => {
    const c = [0, 1, 2].map((i) => ({ box: { x: i * 100, y: 0, width: 10, height: 10 }, score: i / 10 }));
    expect(nonMaxSuppression(c, 0.5, 2).map((d) => d.score)).toEqual([0.2, 0.1]);
  });
});

describe('68-point helpers', () => {
  it('derives eye centres, nose tip and mouth corners', () => {
    const points = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 2 * i }));
    const k = keypointsFrom68(points);
    expect(k.leftEye).toEqual({ x: 38.5, y: 77 });
    expect(k.rightEye).toEqual({ x: 44.5, y: 89 });
    expect(k.nose).toEqual({ x: 30, y: 60 });
    expect(k.mouthLeft).toEqual({ x: 48, y: 96 });
    expect(k.mouthRight).toEqual({ x: 54, y: 108 });
    expect(() => keypointsFrom68(points.slice(1))).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it('maps box-normalized output to pixels', () => {
    expect(landmarksFromNormalized(new Float32Array([0.5, 0.25]), { x: 10, y: 20, width: 100, height: 40 })).toEqual([{ x: 60, y: 30 }]);
  });
});
