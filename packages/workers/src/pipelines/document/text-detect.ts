/**
 * PP-OCRv4 text detection (DB) on the rectified document: the probability map of text, cut into
 * axis-aligned line boxes. The document is rectified, so lines are horizontal: no rotated boxes.
 * Input [1,3,H,W] BGR, ImageNet mean/std in BGR order (as PaddleOCR feeds a cv2 image), sides multiples
 * of 32; output [1,1,H,W] text probability.
 */
import type { RgbaImage } from '@ekyc/core';
import { ort, type ModelSession } from '../../runtime/runtime.ts';
import type { OpenCv } from '../quality/opencv-frame.ts';
import { MatScope } from '../quality/opencv-frame.ts';
import type { Rect } from './mrz-locate.ts';

/** PaddleOCR's DB post-processing defaults: pixel threshold, box score threshold, unclip ratio. */
const PIXEL_THRESHOLD = 0.3;
const BOX_THRESHOLD = 0.6;
const UNCLIP_RATIO = 1.5;

const MEAN = [123.675, 116.28, 103.53];
const STD = [58.395, 57.12, 57.375];

export interface TextBox extends Rect {
  /** Mean text probability inside the detected kernel. */
  score: number;
}

/** Longest side the detector runs at (px); a 300 DPI ID-1 card is 1012 px wide. */
export const DETECT_MAX_SIDE = 800;

/** Offset and gain mapping the 1st-99th percentile of RGBA pixels' luminance to 0-255 (gain at most 4). */
export function luminanceStretch(px: ArrayLike<number>, count: number): { low: number; gain: number } {
  const hist = new Uint32Array(256);
  for (let i = 0; i < count; i++) hist[Math.round(0.299 * px[i * 4]! + 0.587 * px[i * 4 + 1]! + 0.114 * px[i * 4 + 2]!)]!++;
  const at = (q: number): number => {
    let acc = 0;
    for (let v = 0; v < 256; v++) { acc += hist[v]!; if (acc >= q * count) return v; }
    return 255;
  };
  const low = at(0.01);
  const high = at(0.99);
  return { low, gain: Math.min(4, 255 / Math.max(1, high - low)) };
}

/** The image as the detector's input tensor, scaled to fit `maxSide` with sides rounded to 32. */
export function detectionTensor(cv: OpenCv, image: RgbaImage, maxSide = DETECT_MAX_SIDE): { data: Float32Array; width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(32, Math.round((image.width * scale) / 32) * 32);
  const height = Math.max(32, Math.round((image.height * scale) / 32) * 32);
  const scope = new MatScope(cv);
  try {
    const src = scope.track(new cv.Mat(image.height, image.width, cv.CV_8UC4));
    src.data.set(image.data);
    const small = scope.mat();
    cv.resize(src, small, new cv.Size(width, height), 0, 0, cv.INTER_AREA);
    const px = small.data;
    const plane = width * height;
    // Low light and glare squeeze the print into a narrow band the detector misses (strong eval set:
    // a dim card gave 6 boxes of 18): stretch the luminance's 1st-99th percentiles to the full range.
    const { low, gain } = luminanceStretch(px, plane);
    const data = new Float32Array(plane * 3);
    for (let i = 0; i < plane; i++) {
      // BGR planes: blue first.
      data[i] = ((px[i * 4 + 2]! - low) * gain - MEAN[0]!) / STD[0]!;
      data[plane + i] = ((px[i * 4 + 1]! - low) * gain - MEAN[1]!) / STD[1]!;
      data[2 * plane + i] = ((px[i * 4]! - low) * gain - MEAN[2]!) / STD[2]!;
    }
    return { data, width, height };
  } finally {
    scope.dispose();
  }
}

/**
 * Boxes from the probability map: connected kernels above the pixel threshold whose mean probability
 * passes the box threshold, grown by DB's unclip distance (area x ratio / perimeter), in the
 * coordinates of an image `scaleX`/`scaleY` times the map's size.
 */
export function boxesFromProbabilityMap(cv: OpenCv, prob: Float32Array, width: number, height: number, scaleX: number, scaleY: number, imageWidth: number, imageHeight: number): TextBox[] {
  const scope = new MatScope(cv);
  try {
    const bin = scope.track(new cv.Mat(height, width, cv.CV_8UC1));
    for (let i = 0; i < prob.length; i++) bin.data[i] = prob[i]! > PIXEL_THRESHOLD ? 255 : 0;
    const labels = scope.mat();
    const stats = scope.mat();
    const centroids = scope.mat();
    const n = cv.connectedComponentsWithStats(bin, labels, stats, centroids, 4, cv.CV_32S);
    const sums = new Float64Array(n);
    const counts = new Uint32Array(n);
    const lab = labels.data32S as Int32Array;
    for (let i = 0; i < lab.length; i++) { const l = lab[i]!; if (l > 0) { sums[l]! += prob[i]!; counts[l]!++; } }
    const boxes: TextBox[] = [];
    for (let i = 1; i < n; i++) {
      const w = stats.intAt(i, cv.CC_STAT_WIDTH);
      const h = stats.intAt(i, cv.CC_STAT_HEIGHT);
      if (Math.min(w, h) < 2) continue;
      const score = sums[i]! / Math.max(1, counts[i]!);
      if (score < BOX_THRESHOLD) continue;
      const d = (w * h * UNCLIP_RATIO) / (2 * (w + h));
      const x0 = Math.max(0, (stats.intAt(i, cv.CC_STAT_LEFT) - d) * scaleX);
      const y0 = Math.max(0, (stats.intAt(i, cv.CC_STAT_TOP) - d) * scaleY);
      const x1 = Math.min(imageWidth, (stats.intAt(i, cv.CC_STAT_LEFT) + w + d) * scaleX);
      const y1 = Math.min(imageHeight, (stats.intAt(i, cv.CC_STAT_TOP) + h + d) * scaleY);
      if (x1 - x0 < 4 || y1 - y0 < 4) continue;
      boxes.push({ x: Math.round(x0), y: Math.round(y0), width: Math.round(x1 - x0), height: Math.round(y1 - y0), score });
    }
    return boxes.sort((a, b) => a.y - b.y || a.x - b.x);
  } finally {
    scope.dispose();
  }
}

export class TextDetector {
  constructor(private readonly session: ModelSession) {}

  async detect(cv: OpenCv, image: RgbaImage): Promise<TextBox[]> {
    const { data, width, height } = detectionTensor(cv, image);
    const input = this.session.inputNames[0] ?? 'x';
    const outputs = await this.session.run({ [input]: new ort.Tensor('float32', data, [1, 3, height, width]) });
    const out = Object.values(outputs)[0]!;
    const [, , h, w] = out.dims as [number, number, number, number];
    return boxesFromProbabilityMap(cv, out.data as Float32Array, w, h, image.width / w, image.height / h, image.width, image.height);
  }

  async close(): Promise<void> {
    await this.session.release().catch(() => undefined);
  }
}
