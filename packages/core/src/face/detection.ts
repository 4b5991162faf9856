import { EkycError } from '../errors.ts';
import { intersectionOverUnion, type Box, type Point } from './geometry.ts';

/**
 * Keypoints in image pixels, named as seen in the image: `leftEye` is the eye on the image's left
 * (the subject's right eye).
 */
export interface FaceKeypoints {
  readonly leftEye: Point;
  readonly rightEye: Point;
  readonly nose: Point;
  readonly mouthLeft?: Point;
  readonly mouthRight?: Point;
  readonly mouthCenter?: Point;
}

export interface FaceDetection {
  /** Face box in image pixels. */
  readonly box: Box;
  /** Detector confidence 0..1. */
  readonly score: number;
  readonly keypoints?: FaceKeypoints;
}

/** Greedy hard non-maximum suppression, best score first. */
export function nonMaxSuppression<T extends { box: Box; score: number }>(candidates: readonly T[], iouThreshold: number, maxResults = Infinity): T[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const candidate of sorted) {
    if (kept.length >= maxResults) break;
    if (kept.every((k) => intersectionOverUnion(k.box, candidate.box) <= iouThreshold)) kept.push(candidate);
  }
  return kept;
}

export interface UltraFaceDecodeOptions {
  /** Size of the image the boxes are mapped back to. */
  imageWidth: number;
  imageHeight: number;
  scoreThreshold?: number;
  iouThreshold?: number;
  maxFaces?: number;
}

/**
 * Decodes an UltraFace-style detector output: `scores` [N, 2] softmaxed (background, face) and
 * `boxes` [N, 4] already decoded as normalized x1, y1, x2, y2.
 */
export function decodeUltraFace(scores: Float32Array, boxes: Float32Array, options: UltraFaceDecodeOptions): FaceDetection[] {
  const count = scores.length / 2;
  if (!Number.isInteger(count) || boxes.length !== count * 4) {
    throw new EkycError('inference_failed', 'Detector output shapes do not match', { details: { scores: scores.length, boxes: boxes.length } });
  }
  const { imageWidth: w, imageHeight: h } = options;
  const threshold = options.scoreThreshold ?? 0.7;
  const candidates: FaceDetection[] = [];
  for (let i = 0; i < count; i++) {
    const score = scores[i * 2 + 1]!;
    if (!(score >= threshold)) continue;
    const x1 = Math.max(0, boxes[i * 4]!) * w;
    const y1 = Math.max(0, boxes[i * 4 + 1]!) * h;
    const x2 = Math.min(1, boxes[i * 4 + 2]!) * w;
    const y2 = Math.min(1, boxes[i * 4 + 3]!) * h;
    if (x2 - x1 < 1 || y2 - y1 < 1) continue;
    candidates.push({ box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 }, score });
  }
  return nonMaxSuppression(candidates, options.iouThreshold ?? 0.3, options.maxFaces ?? 50);
}

/** Five alignment points from the iBUG 68-point layout (eye centres, nose tip, mouth corners). */
export function keypointsFrom68(points: readonly Point[]): FaceKeypoints {
  if (points.length !== 68) throw new EkycError('invalid_argument', 'Expected 68 landmarks', { details: { count: points.length } });
  const mean = (from: number, to: number): Point => {
    let x = 0, y = 0;
    for (let i = from; i <= to; i++) { x += points[i]!.x; y += points[i]!.y; }
    return { x: x / (to - from + 1), y: y / (to - from + 1) };
  };
  return { leftEye: mean(36, 41), rightEye: mean(42, 47), nose: points[30]!, mouthLeft: points[48]!, mouthRight: points[54]! };
}

/** Maps a landmark model output (x, y pairs normalized to `box`) to image pixels. */
export function landmarksFromNormalized(output: Float32Array, box: Box): Point[] {
  if (output.length % 2 !== 0) throw new EkycError('inference_failed', 'Landmark output has an odd length');
  const points: Point[] = [];
  for (let i = 0; i < output.length; i += 2) points.push({ x: box.x + output[i]! * box.width, y: box.y + output[i + 1]! * box.height });
  return points;
}
