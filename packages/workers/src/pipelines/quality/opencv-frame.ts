import { quality, type RgbaImage } from '@ekyc/core';

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
  /** The Canny thresholds `edges` and `dilated` hold, on the gradient prepared last; `null` when they are stale. */
  private edgesFrom: readonly [number, number] | null = null;

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
        // The first halvings' even and odd channels stay in their own lanes for the second halving.
        const p0 = src[r0 + i]!, p1 = src[r0 + i + 1]!, p2 = src[r1 + i]!, p3 = src[r1 + i + 1]!;
        const q0 = src[r0 + i + 2]!, q1 = src[r0 + i + 3]!, q2 = src[r1 + i + 2]!, q3 = src[r1 + i + 3]!;
        const s0 = src[r2 + i]!, s1 = src[r2 + i + 1]!, s2 = src[r3 + i]!, s3 = src[r3 + i + 1]!;
        const t0 = src[r2 + i + 2]!, t1 = src[r2 + i + 3]!, t2 = src[r3 + i + 2]!, t3 = src[r3 + i + 3]!;
        const evenA = (((p0 & EVEN_BYTES) + (p1 & EVEN_BYTES) + (p2 & EVEN_BYTES) + (p3 & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES;
        const oddA = ((((p0 >>> 8) & EVEN_BYTES) + ((p1 >>> 8) & EVEN_BYTES) + ((p2 >>> 8) & EVEN_BYTES) + ((p3 >>> 8) & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES;
        const evenB = (((q0 & EVEN_BYTES) + (q1 & EVEN_BYTES) + (q2 & EVEN_BYTES) + (q3 & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES;
        const oddB = ((((q0 >>> 8) & EVEN_BYTES) + ((q1 >>> 8) & EVEN_BYTES) + ((q2 >>> 8) & EVEN_BYTES) + ((q3 >>> 8) & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES;
        const evenC = (((s0 & EVEN_BYTES) + (s1 & EVEN_BYTES) + (s2 & EVEN_BYTES) + (s3 & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES;
        const oddC = ((((s0 >>> 8) & EVEN_BYTES) + ((s1 >>> 8) & EVEN_BYTES) + ((s2 >>> 8) & EVEN_BYTES) + ((s3 >>> 8) & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES;
        const evenD = (((t0 & EVEN_BYTES) + (t1 & EVEN_BYTES) + (t2 & EVEN_BYTES) + (t3 & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES;
        const oddD = ((((t0 >>> 8) & EVEN_BYTES) + ((t1 >>> 8) & EVEN_BYTES) + ((t2 >>> 8) & EVEN_BYTES) + ((t3 >>> 8) & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES;
        const even = ((evenA + evenB + evenC + evenD + ROUNDING) >>> 2) & EVEN_BYTES;
        const odd = ((oddA + oddB + oddC + oddD + ROUNDING) >>> 2) & EVEN_BYTES;
        dst[o++] = even | (odd << 8);
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
    this.edgesFrom = null;
  }

  /** `edges` (Canny with these thresholds on the prepared gradient) and `dilated`; kept when they already hold them. */
  detectEdges(low: number, high: number): void {
    if (this.edgesFrom?.[0] === low && this.edgesFrom[1] === high) return;
    const { cv } = this;
    this.edgesFrom = [low, high];
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
 * cv.Sobel(CV_16S, ksize 3) per channel and then the choice, in one JS pass: per pixel, the vertical
 * smoothing (a + 2b + c) and difference (c - a) of its right neighbour's column are summed from the
 * rows and slid along, so no per-row buffers are written and read back. 1.2 ms less than the two
 * 3-channel Sobel calls and the choice in OpenCV.js on a 320x180 frame; the sliding window halves the
 * JS pass again (CPU time in Node, 2026-12-02 at load 20-25: 1.26-1.29 to 0.65 ms best, 1.9-2.1 to
 * 1.1-1.2 ms median); the choice without branches takes it from 1.13-1.22 to 0.71-0.77 ms on reduced
 * bench frames (2026-12-03, load 13-17).
 */
export function sobelStrongestChannel(src: Uint8Array, width: number, height: number, dx: Int16Array, dy: Int16Array): void {
  const stride = width * 3;
  // Per column and channel of the current row: a + 2b + c down the column (smooth), c - a (difference).
  // Kept only for the first two and last two columns (the border pixels, read through `strongestAt`);
  // the columns between are summed in the sliding window below, straight from the rows.
  const smooth = new Int32Array(stride);
  const difference = new Int32Array(stride);
  const edgeColumns = Math.min(6, stride);
  for (let y = 0; y < height; y++) {
    const up = (height > 1 ? (y > 0 ? y - 1 : 1) : 0) * stride;
    const mid = y * stride;
    const down = (height > 1 ? (y < height - 1 ? y + 1 : height - 2) : 0) * stride;
    for (let k = 0; k < stride; k = k === edgeColumns - 1 ? Math.max(edgeColumns, stride - 6) : k + 1) {
      const a = src[up + k]!;
      const c = src[down + k]!;
      smooth[k] = a + 2 * src[mid + k]! + c;
      difference[k] = c - a;
    }
    const row = y * width;
    // The first and last columns reflect (reflect 101); the columns between read their neighbours directly.
    strongestAt(smooth, difference, width > 1 ? 3 : 0, 0, width > 1 ? 3 : 0, dx, dy, row);
    if (width > 2) {
      // A sliding window over the columns: each step sums only its right neighbour's column.
      let sl0 = smooth[0]!, sl1 = smooth[1]!, sl2 = smooth[2]!;
      let dl0 = difference[0]!, dl1 = difference[1]!, dl2 = difference[2]!;
      let da0 = difference[3]!, da1 = difference[4]!, da2 = difference[5]!;
      let sa0 = smooth[3]!, sa1 = smooth[4]!, sa2 = smooth[5]!;
      for (let x = 1, r = 6; x < width - 1; x++, r += 3) {
        const u0 = src[up + r]!, u1 = src[up + r + 1]!, u2 = src[up + r + 2]!;
        const c0 = src[down + r]!, c1 = src[down + r + 1]!, c2 = src[down + r + 2]!;
        const sr0 = u0 + 2 * src[mid + r]! + c0;
        const sr1 = u1 + 2 * src[mid + r + 1]! + c1;
        const sr2 = u2 + 2 * src[mid + r + 2]! + c2;
        const dr0 = c0 - u0, dr1 = c1 - u1, dr2 = c2 - u2;
        const gx0 = sr0 - sl0;
        const gy0 = dl0 + 2 * da0 + dr0;
        const gx1 = sr1 - sl1;
        const gy1 = dl1 + 2 * da1 + dr1;
        const gx2 = sr2 - sl2;
        const gy2 = dl2 + 2 * da2 + dr2;
        // Without branches: on a camera frame the signs of the derivatives and the channel that wins
        // are noise over most of the image, and the mispredicted branches took 0.4 of the pass's 1.2 ms.
        // |g| as (g ^ s) - s with s = g >> 31; a mask k = (a - b) >> 31 is all ones where b > a.
        const m0 = ((gx0 ^ (gx0 >> 31)) - (gx0 >> 31)) + ((gy0 ^ (gy0 >> 31)) - (gy0 >> 31));
        const m1 = ((gx1 ^ (gx1 >> 31)) - (gx1 >> 31)) + ((gy1 ^ (gy1 >> 31)) - (gy1 >> 31));
        const m2 = ((gx2 ^ (gx2 >> 31)) - (gx2 >> 31)) + ((gy2 ^ (gy2 >> 31)) - (gy2 >> 31));
        // The first channel on a tie, as a strict comparison in channel order gives.
        const k1 = (m0 - m1) >> 31;
        const bm = (m1 & k1) | (m0 & ~k1);
        const k2 = (bm - m2) >> 31;
        const bx = (gx2 & k2) | (((gx1 & k1) | (gx0 & ~k1)) & ~k2);
        const by = (gy2 & k2) | (((gy1 & k1) | (gy0 & ~k1)) & ~k2);
        dx[row + x] = bx;
        dy[row + x] = by;
        sl0 = sa0; sl1 = sa1; sl2 = sa2;
        sa0 = sr0; sa1 = sr1; sa2 = sr2;
        dl0 = da0; dl1 = da1; dl2 = da2;
        da0 = dr0; da1 = dr1; da2 = dr2;
      }
    }
    if (width > 1) strongestAt(smooth, difference, (width - 2) * 3, (width - 1) * 3, (width - 2) * 3, dx, dy, row + width - 1);
  }
}

/** One pixel of `sobelStrongestChannel` from its left, own and right columns (offsets into the row's per-channel sums). */
function strongestAt(smooth: Int32Array, difference: Int32Array, left: number, at: number, right: number, dx: Int16Array, dy: Int16Array, o: number): void {
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

const EVEN_BYTES = 0x00ff00ff;
/** Per 16-bit lane, the + 2 of (a + b + c + d + 2) >> 2: even and odd bytes of a word are summed in separate lanes (at most 4 * 255 + 2: no carry between them). */
const ROUNDING = 0x00020002;

/**
 * The frame halved: each pixel the rounded mean of a 2x2 block per channel ((a + b + c + d + 2) >> 2, OpenCV's
 * area rule at exactly 1/2), an odd last row or column left out, so coordinates scale by exactly 2. Each RGBA
 * pixel is read as one 32-bit word, its even and odd channels summed in two 16-bit lanes at once (as
 * `reduceByFour` does), about four times a per-channel loop.
 */
export function halved(frame: RgbaImage): RgbaImage {
  const width = frame.width >> 1;
  const height = frame.height >> 1;
  const data = new Uint8ClampedArray(width * height * 4);
  const aligned = frame.data.byteOffset % 4 === 0;
  const source = aligned ? frame.data : frame.data.slice();
  const src = new Uint32Array(source.buffer, source.byteOffset, frame.width * frame.height);
  const dst = new Uint32Array(data.buffer);
  for (let y = 0, o = 0; y < height; y++) {
    const r0 = 2 * y * frame.width;
    const r1 = r0 + frame.width;
    for (let x = 0, i = 0; x < width; x++, i += 2) {
      const p0 = src[r0 + i]!, p1 = src[r0 + i + 1]!, p2 = src[r1 + i]!, p3 = src[r1 + i + 1]!;
      const even = (((p0 & EVEN_BYTES) + (p1 & EVEN_BYTES) + (p2 & EVEN_BYTES) + (p3 & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES;
      const odd = ((((p0 >>> 8) & EVEN_BYTES) + ((p1 >>> 8) & EVEN_BYTES) + ((p2 >>> 8) & EVEN_BYTES) + ((p3 >>> 8) & EVEN_BYTES) + ROUNDING) >>> 2) & EVEN_BYTES;
      dst[o++] = even | (odd << 8);
    }
  }
  return { width, height, data };
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
