import { describe, expect, it } from 'vitest';
import { antiSpoofCropBox, antiSpoofFromLogits } from './antispoof.ts';
import { laplacianVariance } from './blur.ts';
import { FaceContinuity } from './continuity.ts';
import { bandFor, matchEmbeddings } from './match.ts';
import { angleFromBins } from './pose.ts';
import { assertFaceQuality, judgeFaceQuality } from './quality.ts';
import { cosineSimilarity, l2Normalize } from './vector.ts';

describe('vectors', () => {
  it('normalizes to unit length and computes cosine', () => {
    const v = l2Normalize([3, 4]);
    expect(Array.from(v)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(cosineSimilarity([1, 0], [0, 2])).toBe(0);
    expect(cosineSimilarity([1, 1], [2, 2])).toBeCloseTo(1, 12);
    expect(() => l2Normalize([0, 0])).toThrowError(expect.objectContaining({ code: 'inference_failed' }));
    expect(() => cosineSimilarity([1], [1, 2])).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });
});

describe('match bands', () => {
  it('bands by configurable thresholds', () => {
    expect(bandFor(0.6)).toBe('approve');
    expect(bandFor(0.4)).toBe('review');
    expect(bandFor(0.1)).toBe('reject');
    expect(bandFor(0.4, { approve: 0.39, review: 0.2 })).toBe('approve');
    expect(() => bandFor(0.4, { approve: 0.2, review: 0.3 })).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
    expect(matchEmbeddings([1, 0], [1, 0]).band).toBe('approve');
  });
});

describe('quality gate', () => {
  const face = { box: { x: 0, y: 0, width: 100, height: 120 }, score: 0.9, keypoints: { leftEye: { x: 30, y: 40 }, rightEye: { x: 70, y: 40 }, nose: { x: 50, y: 60 } } };
  it('passes a good face and names each failure', () => {
    expect(judgeFaceQuality({ faces: [face], sharpness: 100, eyesOpen: 0.9, pose: { yaw: 5, pitch: -3, roll: 2 } }).ok).toBe(true);
    expect(judgeFaceQuality({ faces: [] }).failures[0]!.code).toBe('face_not_found');
    expect(judgeFaceQuality({ faces: [face, face] }).failures[0]!.code).toBe('face_multiple');
    const bad = judgeFaceQuality({ faces: [{ ...face, box: { ...face.box, width: 30 } }], sharpness: 5, eyesOpen: 0.1, pose: { yaw: 40, pitch: 0, roll: 0 } });
    expect(bad.failures.map((f) => f.code)).toEqual(['face_too_small', 'face_bad_pose', 'face_blurry', 'face_eyes_not_visible']);
    expect(() => assertFaceQuality(bad)).toThrowError(expect.objectContaining({ code: 'face_too_small' }));
  });

  it('derives roll from the eye line when no pose was measured', () => {
    const tilted = { ...face, keypoints: { ...face.keypoints, rightEye: { x: 70, y: 80 } } };
    expect(judgeFaceQuality({ faces: [tilted] }).failures[0]!.code).toBe('face_bad_pose');
  });
});

describe('sharpness', () => {
  it('is zero on a flat image and high on a checkerboard', () => {
    const flat = { width: 8, height: 8, data: new Uint8ClampedArray(256).fill(100) };
    const checker = new Uint8ClampedArray(256);
    for (let i = 0; i < 64; i++) checker.fill(((i % 8) + Math.floor(i / 8)) % 2 ? 255 : 0, i * 4, i * 4 + 3);
    expect(laplacianVariance(flat)).toBe(0);
    expect(laplacianVariance({ width: 8, height: 8, data: checker })).toBeGreaterThan(1000);
  });
});

describe('continuity', () => {
  it('follows the reference face and breaks on another one', () => {
    const c = new FaceContinuity({ threshold: 0.5 });
    expect(c.check([1, 0, 0]).ok).toBe(true);
    expect(c.assert([0.9, 0.1, 0]).ok).toBe(true);
    expect(() => c.assert([0, 1, 0])).toThrowError(expect.objectContaining({ code: 'face_continuity_broken' }));
    c.reset();
    expect(c.check([0, 1, 0]).frames).toBe(1);
    expect(() => new FaceContinuity({ threshold: 2 })).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });
});

describe('pose and anti-spoof decoding', () => {
  it('turns a peaked bin distribution into its angle', () => {
    const bins = new Float32Array(66).fill(-50);
    bins[33] = 50;
    expect(angleFromBins(bins)).toBeCloseTo(0, 3);
    expect(() => angleFromBins([1, 2])).toThrowError(expect.objectContaining({ code: 'inference_failed' }));
  });

  it('reports probabilities and keeps the context crop inside the image', () => {
    const s = antiSpoofFromLogits([0, 2, 0]);
    expect(s.experimental).toBe(true);
    expect(s.liveScore).toBeGreaterThan(0.7);
    const box = antiSpoofCropBox({ x: 0, y: 0, width: 100, height: 100 }, 640, 480);
    expect(box.x).toBe(0);
    expect(box.width).toBeCloseTo(270);
    const clamped = antiSpoofCropBox({ x: 100, y: 100, width: 200, height: 200 }, 400, 400);
    expect(clamped.width).toBeLessThanOrEqual(399);
  });
});
