import { describe, expect, it } from 'vitest';
import { applyAffine } from '../face/geometry.ts';
import { assembleMesh, cropToFrame, roiFromDetection, roiFromLandmarks, roiToCropAffine } from './mesh.ts';
import { syntheticMesh } from './testing.ts';

describe('face mesh crop and assembly', () => {
  const roi = { cx: 300, cy: 200, size: 240, angle: 0.3 };

  it('crop <-> frame transforms are inverse', () => {
    const m = roiToCropAffine(roi);
    for (const [u, v] of [[0, 0], [96, 96], [191, 17], [40, 150]] as const) {
      const p = cropToFrame(roi, u, v);
      const back = applyAffine(m, p);
      expect(back.x).toBeCloseTo(u, 9);
      expect(back.y).toBeCloseTo(v, 9);
    }
    expect(cropToFrame(roi, 96, 96)).toEqual({ x: 300, y: 200 });
  });

  it('tracks the crop from landmarks: eye line angle, 1.5x the face, centred', () => {
    const points = syntheticMesh({ roll: 20, scale: 1.5, cx: 310, cy: 230 });
    const next = roiFromLandmarks(points);
    expect((next.angle * 180) / Math.PI).toBeCloseTo(20, 6);
    expect(next.cx).toBeCloseTo(310, 0);
    expect(next.cy).toBeCloseTo(230, 0);
    expect(next.size).toBeCloseTo(1.5 * 1.5 * 176, 0); // model face is 176 units tall
    const det = roiFromDetection({ x: 100, y: 50, width: 80, height: 100 }, { x: 120, y: 90 }, { x: 160, y: 90 });
    expect(det).toEqual({ cx: 140, cy: 100, size: 150, angle: 0 });
  });

  it('assembles 478 frame points from the attention heads', () => {
    const mesh = new Float32Array(1404);
    for (let i = 0; i < 468; i++) mesh.set([96, 96, 2], i * 3);
    const eye = new Float32Array(142).fill(50);
    const iris = new Float32Array(10).fill(60);
    const lips = new Float32Array(160).fill(100);
    const points = assembleMesh({ mesh, lips, rightEye: eye, leftEye: eye, rightIris: iris, leftIris: iris }, { cx: 300, cy: 200, size: 192, angle: 0 });
    expect(points.length).toBe(478 * 3);
    expect([points[0], points[1], points[2]]).toEqual([300, 200, 2]);
    expect([points[33 * 3], points[33 * 3 + 1], points[33 * 3 + 2]]).toEqual([254, 154, 2]);
    expect([points[61 * 3], points[61 * 3 + 1]]).toEqual([304, 204]);
    expect([points[468 * 3], points[468 * 3 + 1], points[468 * 3 + 2]]).toEqual([264, 164, 2]);
    expect(assembleMesh({ mesh }, roi).length).toBe(468 * 3);
    expect(() => assembleMesh({ mesh: new Float32Array(10) }, roi)).toThrowError(expect.objectContaining({ code: 'inference_failed' }));
  });
});
