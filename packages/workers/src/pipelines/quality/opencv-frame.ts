import { quality } from '@ekyc/core';

// OpenCV.js plumbing of the quality pipeline: the Mats a frame lives in, their lifetime, the
// reduction to the detection size and the edge maps. No decisions about documents are made here.

/** The OpenCV.js namespace (as loaded by quality-opencv.ts in a worker, or required in Node tests). */
export type OpenCv = typeof import('@techstark/opencv-js');
export type Mat = InstanceType<OpenCv['Mat']>;
/** Canny on given derivatives (cv::Canny(dx, dy, edges, ...)): in OpenCV.js 4.12, not in its type definitions. */
type OpenCvGradientCanny = OpenCv & { Canny1(dx: Mat, dy: Mat, edges: Mat, threshold1: number, threshold2: number, L2gradient?: boolean): void };

/** Width the frame is reduced to for finding the document outline; corners are then refined at full size. */
const DETECT_WIDTH = 320;

/** Frees every Mat made through it at once, whatever path the analysis took. */
export class MatScope {
  private readonly mats: { delete(): void }[] = [];
  constructor(private readonly cv: OpenCv) {}
  mat(): Mat {
    return this.track(new this.cv.Mat());
  }
  track<T extends { delete(): void }>(value: T): T {
    this.mats.push(value);
    return value;
  }
  dispose(): void {
    for (const mat of this.mats.splice(0)) mat.delete();
  }
}

/**
 * The Mats every frame of one size needs, allocated once and reused: a 1280x720 stream otherwise
 * allocates and frees about 5 MB of WASM heap per frame.
 */
export class FrameBuffers {
  readonly rgba: Mat;
  /** Halvings of `rgba` on the way down to the detection size (an exact 2x2 box each). */
  readonly halves: Mat[];
  readonly smallRgba: Mat;
  readonly small: Mat;
  readonly smallRgb: Mat;
  readonly blurred: Mat;
  readonly edges: Mat;
  /** `edges` dilated by one pixel: where coarse support of a candidate's sides is looked up. */
  readonly dilated: Mat;
  /** Sobel derivatives of the blurred colour frame (3 channels), and of the strongest channel per pixel. */
  readonly dx3: Mat;
  readonly dy3: Mat;
  readonly dx: Mat;
  readonly dy: Mat;
  readonly kernel: Mat;
  readonly smallSize: InstanceType<OpenCv['Size']>;
  /** Full-resolution pixels per pixel of the reduced frame. */
  readonly scale: number;
  private readonly owned: Mat[];

  constructor(private readonly cv: OpenCv, readonly width: number, readonly height: number) {
    this.scale = Math.max(1, width / DETECT_WIDTH);
    this.smallSize = new cv.Size(Math.round(width / this.scale), Math.round(height / this.scale));
    this.rgba = new cv.Mat(height, width, cv.CV_8UC4);
    this.halves = [];
    let w = width;
    let h = height;
    for (; w / 2 >= DETECT_WIDTH; w = Math.round(w / 2), h = Math.round(h / 2)) this.halves.push(new cv.Mat());
    const halvedToSize = w === this.smallSize.width && h === this.smallSize.height && this.halves.length > 0;
    // When halving lands exactly on the detection size (1280 -> 640 -> 320), the last half is the reduced frame.
    this.smallRgba = halvedToSize ? this.halves[this.halves.length - 1]! : new cv.Mat();
    this.small = new cv.Mat();
    this.smallRgb = new cv.Mat();
    this.blurred = new cv.Mat();
    this.edges = new cv.Mat();
    this.kernel = cv.Mat.ones(3, 3, cv.CV_8U);
    this.dilated = new cv.Mat();
    this.dx3 = new cv.Mat();
    this.dy3 = new cv.Mat();
    this.dx = new cv.Mat();
    this.dy = new cv.Mat();
    this.owned = [...new Set([this.rgba, ...this.halves, this.smallRgba, this.small, this.blurred, this.edges, this.dilated, this.smallRgb, this.dx3, this.dy3, this.dx, this.dy, this.kernel])];
  }

  fits(width: number, height: number): boolean {
    return width === this.width && height === this.height;
  }

  delete(): void {
    for (const mat of this.owned) mat.delete();
  }

  /**
   * The frame reduced to the detection width: halved (bilinear at exactly 1/2 is a 2x2 box, as cheap
   * as it gets) while still at or above it, then resampled the rest of the way. About the result of
   * one area resize from full size, at a third of its cost in OpenCV.js.
   */
  reduce(): void {
    const { cv } = this;
    let source = this.rgba;
    for (const half of this.halves) {
      cv.resize(source, half, new cv.Size(Math.round(source.cols / 2), Math.round(source.rows / 2)), 0, 0, cv.INTER_LINEAR);
      source = half;
    }
    // The rest is less than a halving: bilinear (on an image already box-filtered) costs a fraction of an area resize.
    if (source !== this.smallRgba) cv.resize(source, this.smallRgba, this.smallSize, 0, 0, cv.INTER_LINEAR);
  }

  /**
   * The gradient the edge maps come from, on the reduced frame. Edges are taken on colour, not gray:
   * a document whose border differs from the background in hue but hardly in gray level (a dark
   * header band on a dark table) stays closed.
   */
  prepareGradient(): void {
    const { cv } = this;
    cv.cvtColor(this.smallRgba, this.smallRgb, cv.COLOR_RGBA2RGB);
    cv.GaussianBlur(this.smallRgb, this.blurred, new cv.Size(5, 5), 0);
    this.colourGradient();
  }

  /** `edges` (Canny with these thresholds on the prepared gradient) and `dilated`. */
  detectEdges(low: number, high: number): void {
    const { cv } = this;
    (cv as OpenCvGradientCanny).Canny1(this.dx, this.dy, this.edges, low, high);
    cv.dilate(this.edges, this.dilated, this.kernel);
  }

  /**
   * The reduced frame in gray, as a view of the WASM heap: read it before the next OpenCV call.
   */
  smallGray(): quality.GrayImage {
    this.cv.cvtColor(this.smallRgba, this.small, this.cv.COLOR_RGBA2GRAY);
    return grayView(this.small);
  }

  /**
   * The gradient Canny runs on: per pixel, the x/y Sobel derivatives of the colour channel where the
   * gradient is strongest (what OpenCV's own colour Canny does, and three times cheaper than a Canny per
   * channel in OpenCV.js). Computed once, it serves both Canny passes.
   */
  private colourGradient(): void {
    const { cv } = this;
    cv.Sobel(this.blurred, this.dx3, cv.CV_16S, 1, 0, 3);
    cv.Sobel(this.blurred, this.dy3, cv.CV_16S, 0, 1, 3);
    if (this.dx.rows !== this.blurred.rows || this.dx.cols !== this.blurred.cols) {
      this.dx.create(this.blurred.rows, this.blurred.cols, cv.CV_16SC1);
      this.dy.create(this.blurred.rows, this.blurred.cols, cv.CV_16SC1);
    }
    // Views of the WASM heap, taken after the last allocation above and used before the next OpenCV call.
    const dx3 = this.dx3.data16S;
    const dy3 = this.dy3.data16S;
    const dx = this.dx.data16S;
    const dy = this.dy.data16S;
    for (let i = 0, j = 0; i < dx.length; i++, j += 3) {
      let best = j;
      let bestMagnitude = Math.abs(dx3[j]!) + Math.abs(dy3[j]!);
      for (let c = 1; c < 3; c++) {
        const magnitude = Math.abs(dx3[j + c]!) + Math.abs(dy3[j + c]!);
        if (magnitude > bestMagnitude) {
          bestMagnitude = magnitude;
          best = j + c;
        }
      }
      dx[i] = dx3[best]!;
      dy[i] = dy3[best]!;
    }
  }
}

/** A single-channel 8-bit Mat as a `GrayImage`: a view of the WASM heap, valid until the next OpenCV call. */
export function grayView(mat: Mat): quality.GrayImage {
  return { data: mat.data, width: mat.cols, height: mat.rows };
}

/** A 4-point polygon (reduced-frame pixels) as an ordered, convex quad in full-resolution pixels; else `null`. */
export function quadFromMat(points: Mat, scale: number): quality.Quad | null {
  if (points.rows !== 4) return null;
  const p = points.data32S;
  const raw = [0, 1, 2, 3].map((i) => ({ x: (p[i * 2]! + 0.5) * scale, y: (p[i * 2 + 1]! + 0.5) * scale }));
  const quad = quality.orderQuad(raw);
  return quality.isConvexQuad(quad) ? quad : null;
}

/** The points of a contour or simplified contour (at most `maxPoints`, evenly picked), in full-resolution pixels. */
export function polygonPoints(polygon: Mat, scale: number, maxPoints = Infinity): quality.Point[] {
  const p = polygon.data32S;
  const stride = Math.max(1, Math.ceil(polygon.rows / maxPoints));
  return Array.from({ length: Math.ceil(polygon.rows / stride) }, (_, k) => ({ x: (p[k * stride * 2]! + 0.5) * scale, y: (p[k * stride * 2 + 1]! + 0.5) * scale }));
}
