import { describe, expect, it } from 'vitest';
import { faceSignalsFromLandmarks, headAngles, meanBrightness, smileScore } from './signals.ts';
import { syntheticMesh } from './testing.ts';

const frame = { width: 640, height: 480 };

describe('signals from the face mesh', () => {
  it('recovers yaw, pitch and roll with the conventions of the engine', () => {
    for (const [yaw, pitch, roll] of [[0, 0, 0], [25, 0, 0], [-25, 0, 0], [0, 15, 0], [0, -15, 0], [0, 0, 20], [20, 10, -10]] as const) {
      const a = headAngles(syntheticMesh({ yaw, pitch, roll, scale: 1.3 }));
      // Exact on one axis; a combined pose mixes Euler conventions by a degree or two.
      const tolerance = [yaw, pitch, roll].filter((v) => v !== 0).length > 1 ? 2.5 : 1e-6;
      expect(Math.abs(a.yaw - yaw)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(a.pitch - pitch)).toBeLessThanOrEqual(tolerance);
      if (yaw === 0 && pitch === 0) expect(a.roll).toBeCloseTo(roll, 6);
    }
    // turn_left convention: the user's own left, the nose moves toward the image's right.
    const left = syntheticMesh({ yaw: 20 });
    expect(left[1 * 3]!).toBeGreaterThan(syntheticMesh()[1 * 3]!);
    expect(faceSignalsFromLandmarks(left, frame).yaw).toBeGreaterThan(15);
  });

  it('measures eye openness and smile', () => {
    const open = faceSignalsFromLandmarks(syntheticMesh(), frame);
    const closed = faceSignalsFromLandmarks(syntheticMesh({ eyeClosure: 0.8 }), frame);
    expect(open.eyeOpennessLeft).toBeCloseTo(1 / 3, 6);
    expect(closed.eyeOpennessLeft / open.eyeOpennessLeft).toBeCloseTo(0.2, 6);
    expect(closed.eyeOpennessRight / open.eyeOpennessRight).toBeCloseTo(0.2, 6);
    expect(smileScore(syntheticMesh({ smile: 1 })) - smileScore(syntheticMesh())).toBeGreaterThan(0.15);
  });

  it('eye openness, smile and head angles do not move when a photo is slid, scaled or rotated in the image plane', () => {
    const still = faceSignalsFromLandmarks(syntheticMesh(), frame);
    for (const pose of [{ cx: 100, cy: 90 }, { scale: 0.6 }, { scale: 1.7, cx: 400 }, { roll: 25 }, { roll: -30, scale: 0.8, cx: 250, cy: 300 }]) {
      const moved = faceSignalsFromLandmarks(syntheticMesh(pose), frame);
      expect(moved.eyeOpennessLeft).toBeCloseTo(still.eyeOpennessLeft, 9);
      expect(moved.eyeOpennessRight).toBeCloseTo(still.eyeOpennessRight, 9);
      expect(moved.smile).toBeCloseTo(still.smile, 9);
      expect(moved.yaw).toBeCloseTo(still.yaw, 9);
      expect(moved.pitch).toBeCloseTo(still.pitch, 9);
    }
  });

  it('frames the face: normalised box and inter-ocular distance', () => {
    const s = faceSignalsFromLandmarks(syntheticMesh({ scale: 2, cx: 320, cy: 240 }), frame);
    expect(s.distance).toBeCloseTo((2 * 60) / 640, 6);
    expect(s.box.x + s.box.width / 2).toBeCloseTo(0.5, 2);
    expect(s.box.width).toBeCloseTo((2 * 124) / 640, 2);
  });

  it('refuses short or non-finite landmarks with typed errors', () => {
    expect(() => faceSignalsFromLandmarks(new Float32Array(100), frame)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
    const bad = syntheticMesh();
    bad[50] = Number.NaN;
    expect(() => faceSignalsFromLandmarks(bad, frame)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it('measures brightness on a sparse grid', () => {
    const rgba = new Uint8ClampedArray(64 * 48 * 4).fill(255);
    expect(meanBrightness(rgba, 64, 48)).toBeCloseTo(1, 6);
    rgba.fill(0);
    expect(meanBrightness(rgba, 64, 48)).toBe(0);
    expect(() => meanBrightness(rgba, 65, 48)).toThrowError(expect.objectContaining({ code: 'invalid_frame' }));
  });
});
