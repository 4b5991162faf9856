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
  /** The full-size frame: filled only when its size is not reduced in JS (see `reduce`). */
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
    this.dx = new cv.Mat();
    this.dy = new cv.Mat();
    this.owned = [...new Set([this.rgba, ...this.halves, this.smallRgba, this.small, this.blurred, this.edges, this.dilated, this.smallRgb, this.dx, this.dy, this.kernel])];
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
   * one area resize from full size, at a third of its cost in OpenCV.js. `pixels` are the frame's
   * own (RGBA); they are copied into `rgba` only when OpenCV does the reduction.
   */
  reduce(pixels: Uint8Array | Uint8ClampedArray): void {
    const { cv } = this;
    if (this.reducesByFour(pixels)) {
      this.reduceByFour(pixels);
      return;
    }
    this.rgba.data.set(pixels);
    let source = this.rgba;
    for (const half of this.halves) {
      cv.resize(source, half, new cv.Size(Math.round(source.cols / 2), Math.round(source.rows / 2)), 0, 0, cv.INTER_LINEAR);
      source = half;
    }
    // The rest is less than a halving: bilinear (on an image already box-filtered) costs a fraction of an area resize.
    if (source !== this.smallRgba) cv.resize(source, this.smallRgba, this.smallSize, 0, 0, cv.INTER_LINEAR);
  }

  /** Whether the reduction is exactly two halvings of sides divisible by 4 (1280x720 -> 320x180): then done in one JS pass. */
  private reducesByFour(pixels: Uint8Array | Uint8ClampedArray): boolean {
    return this.halves.length === 2 && this.smallRgba === this.halves[1] && this.width % 4 === 0 && this.height % 4 === 0 && pixels.byteOffset % 4 === 0 && pixels.length === this.width * this.height * 4;
  }

  /**
   * The two halvings in one pass over the frame's own pixels, bit for bit what OpenCV computes (a
   * halving at INTER_LINEAR is its fast area path: per channel (a + b + c + d + 2) >> 2), without the
   * intermediate half-size image. Each RGBA pixel is read as one 32-bit word and its even and odd
   * channels summed in two 16-bit lanes at once: about 0.6 ms on a 1280x720 frame where OpenCV.js
   * (WASM, no SIMD) takes 2.2 ms and a per-channel JS loop 2.4 ms.
   */
  private reduceByFour(pixels: Uint8Array | Uint8ClampedArray): void {
    const { cv } = this;
    const outWidth = this.width / 4;
    const outHeight = this.height / 4;
    if (this.smallRgba.rows !== outHeight || this.smallRgba.cols !== outWidth) this.smallRgba.create(outHeight, outWidth, cv.CV_8UC4);
    // A view of the WASM heap, taken after the allocation above.
    const out = this.smallRgba.data;
    const src = new Uint32Array(pixels.buffer, pixels.byteOffset, this.width * this.height);
    const dst = new Uint32Array(out.buffer, out.byteOffset, outWidth * outHeight);
    const width = this.width;
    let o = 0;
    for (let y = 0; y < outHeight; y++) {
      const r0 = 4 * y * width;
      const r1 = r0 + width;
      const r2 = r1 + width;
      const r3 = r2 + width;
      for (let x = 0, i = 0; x < outWidth; x++, i += 4) {
        const a = halveWord(src[r0 + i]!, src[r0 + i + 1]!, src[r1 + i]!, src[r1 + i + 1]!);
        const b = halveWord(src[r0 + i + 2]!, src[r0 + i + 3]!, src[r1 + i + 2]!, src[r1 + i + 3]!);
        const c = halveWord(src[r2 + i]!, src[r2 + i + 1]!, src[r3 + i]!, src[r3 + i + 1]!);
        const d = halveWord(src[r2 + i + 2]!, src[r2 + i + 3]!, src[r3 + i + 2]!, src[r3 + i + 3]!);
        dst[o++] = halveWord(a, b, c, d);
      }
    }
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
    const width = this.blurred.cols;
    const height = this.blurred.rows;
    if (this.dx.rows !== height || this.dx.cols !== width) {
      this.dx.create(height, width, cv.CV_16SC1);
      this.dy.create(height, width, cv.CV_16SC1);
    }
    // Views of the WASM heap, taken after the last allocation above.
    sobelStrongestChannel(this.blurred.data, width, height, this.dx.data16S, this.dy.data16S);
  }
}

/**
 * Per pixel of a 3-channel 8-bit image, the 3x3 Sobel derivatives (x and y) of the channel where
 * |dx| + |dy| is largest (the first on a tie), with OpenCV's default border (reflect 101): bit for bit
 * cv.Sobel(CV_16S, ksize 3) per channel and then the choice, in one JS pass over a vertical smoothing
 * and a vertical difference per row. 1.2 ms less than the two 3-channel Sobel calls and the choice
 * in OpenCV.js on a 320x180 frame.
 */
export function sobelStrongestChannel(src: Uint8Array, width: number, height: number, dx: Int16Array, dy: Int16Array): void {
  const stride = width * 3;
  // Per column and channel of the current row: a + 2b + c down the column (smooth), c - a (difference).
  const smooth = new Int32Array(stride);
  const difference = new Int32Array(stride);
  for (let y = 0; y < height; y++) {
    const up = (height > 1 ? (y > 0 ? y - 1 : 1) : 0) * stride;
    const mid = y * stride;
    const down = (height > 1 ? (y < height - 1 ? y + 1 : height - 2) : 0) * stride;
    for (let k = 0; k < stride; k++) {
      const a = src[up + k]!;
      const c = src[down + k]!;
      smooth[k] = a + 2 * src[mid + k]! + c;
      difference[k] = c - a;
    }
    for (let x = 0, o = y * width; x < width; x++, o++) {
      const left = (width > 1 ? (x > 0 ? x - 1 : 1) : 0) * 3;
      const right = (width > 1 ? (x < width - 1 ? x + 1 : width - 2) : 0) * 3;
      const at = x * 3;
      let bestX = 0;
      let bestY = 0;
      let bestMagnitude = -1;
      for (let ch = 0; ch < 3; ch++) {
        const gx = smooth[right + ch]! - smooth[left + ch]!;
        const gy = difference[left + ch]! + 2 * difference[at + ch]! + difference[right + ch]!;
        const magnitude = Math.abs(gx) + Math.abs(gy);
        if (magnitude > bestMagnitude) {
          bestMagnitude = magnitude;
          bestX = gx;
          bestY = gy;
        }
      }
      dx[o] = bestX;
      dy[o] = bestY;
    }
  }
}

const EVEN_BYTES = 0x00ff00ff;
const ROUNDING = 0x00020002;

/**
 * The 2x2 box of four RGBA pixels packed in 32-bit words, each channel (a + b + c + d + 2) >> 2.
 * Even and odd bytes are summed in separate 16-bit lanes (at most 4 * 255 + 2: no carry between lanes).
 */
function halveWord(a: number, b: number, c: number, d: number): number {
  const even = ((((a & EVEN_BYTES) + (b & EVEN_BYTES) + (c & EVEN_BYTES) + (d & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES) >>> 0;
  const odd = (((((a >>> 8) & EVEN_BYTES) + ((b >>> 8) & EVEN_BYTES) + ((c >>> 8) & EVEN_BYTES) + ((d >>> 8) & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES) >>> 0;
  return (even | (odd << 8)) >>> 0;
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
