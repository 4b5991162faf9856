import { describe, expect, it } from 'vitest';
// Synthetic meshes are test helpers of core's liveness engine, not part of its public API.
import { syntheticMesh } from '../../core/src/liveness/testing.ts';
import { animateFace, displacementField, targetLandmarks, type WarpField } from './face-animation.ts';
import { clipDuration, poseAt } from './liveness-video.ts';

const mesh = syntheticMesh({ scale: 1.2, cx: 160, cy: 120 });

describe('face animation', () => {
  it('closes the eyes, widens and lifts the mouth, turns the nose toward the image right for turn_left', () => {
    const closed = targetLandmarks(mesh, { eyeClosure: 1, smile: 0, yaw: 0 });
    const gap = (p: Float64Array | ArrayLike<number>, stride: number) => Math.abs(p[159 * stride + 1]! - p[145 * stride + 1]!);
    expect(gap(closed, 2)).toBeLessThan(0.2 * gap(mesh, 3));
    const smile = targetLandmarks(mesh, { eyeClosure: 0, smile: 1, yaw: 0 });
    expect(Math.abs(smile[291 * 2]! - smile[61 * 2]!)).toBeGreaterThan(1.15 * Math.abs(mesh[291 * 3]! - mesh[61 * 3]!));
    expect(smile[61 * 2 + 1]!).toBeLessThan(mesh[61 * 3 + 1]!);
    const left = targetLandmarks(mesh, { eyeClosure: 0, smile: 0, yaw: 20 });
    expect(left[1 * 2]!).toBeGreaterThan(mesh[1 * 3]! + 5);
  });

  it('warps pixels with the landmarks and leaves a neutral pose untouched', () => {
    const width = 320;
    const height = 240;
    const data = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x % 256, y, (x * y) % 256, 255], (y * width + x) * 4);
    const photo = { width, height, data };
    const same = animateFace(photo, mesh, { eyeClosure: 0, smile: 0, yaw: 0 }, 150);
    expect(Buffer.from(same.data).equals(Buffer.from(data))).toBe(true);
    const blink = animateFace(photo, mesh, { eyeClosure: 1, smile: 0, yaw: 0 }, 150);
    // Where the upper lid was, the output now shows what lay above it: pixels come from smaller y.
    const x = Math.round(mesh[159 * 3]!);
    const yLow = Math.round(mesh[145 * 3 + 1]!) - 1;
    expect(blink.data[(yLow * width + x) * 4 + 1]!).toBeLessThan(yLow);
  });

  it('the turn field reaches the landmarks\' moves, not a smoothed mean of them (the nose against the cheeks)', () => {
    const turned = targetLandmarks(mesh, { eyeClosure: 0, smile: 0, yaw: 30 });
    const at = (f: WarpField, x: number, y: number): number => {
      // Bilinear at (x, y) of the x displacement, as the warp reads it.
      const u = (x - f.x0) / f.step;
      const v = (y - f.y0) / f.step;
      const c = Math.floor(u);
      const r = Math.floor(v);
      const a = u - c;
      const b = v - r;
      const d = (rr: number, cc: number) => f.d[(rr * f.cols + cc) * 2]!;
      return (1 - b) * ((1 - a) * d(r, c) + a * d(r, c + 1)) + b * ((1 - a) * d(r + 1, c) + a * d(r + 1, c + 1));
    };
    // Relative move of the nose tip against the cheek points (234, 454): what reads as a turn.
    const relative = (f: WarpField) => {
      const pt = (i: number) => at(f, turned[i * 2]!, turned[i * 2 + 1]!);
      return pt(1) - (pt(234) + pt(454)) / 2;
    };
    const want = mesh[1 * 3]! - turned[1 * 2]! - (mesh[234 * 3]! - turned[234 * 2]! + mesh[454 * 3]! - turned[454 * 2]!) / 2;
    const smoothed = displacementField(mesh, turned, 320, 240, 150 * 0.07, 6, 0)!;
    const refined = displacementField(mesh, turned, 320, 240, 150 * 0.07, 6)!;
    expect(Math.abs(relative(refined) - want)).toBeLessThan(0.5 * Math.abs(relative(smoothed) - want));
    expect(Math.abs(relative(refined) / want)).toBeGreaterThan(0.8);
  });

  it('scripts poses over time: neutral lead, then each action', () => {
    const script = { fps: 20, leadMs: 1000, gapMs: 500, swayPx: 0, seed: 1, performs: ['blink', 'turn_left'] as const };
    expect(poseAt(script, 500)).toMatchObject({ eyeClosure: 0, smile: 0 });
    expect(poseAt(script, 1000 + 130).eyeClosure).toBeCloseTo(1, 6);
    expect(poseAt(script, 1000 + 330 + 500 + 500 + 300).yaw).toBeCloseTo(30, 6);
    expect(clipDuration(script)).toBe(1000 + 330 + 500 + 1600 + 500 + 500);
  });
});
