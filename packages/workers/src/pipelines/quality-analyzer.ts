import { quality } from '@ekyc/core';
import type { RgbaFrame } from './quality-frame.ts';

/** The OpenCV.js namespace (as loaded by quality-opencv.ts in a worker, or required in Node tests). */
export type OpenCv = typeof import('@techstark/opencv-js');
type Mat = InstanceType<OpenCv['Mat']>;

/** Width the frame is reduced to for finding the document outline; corners are then refined at full size. */
const DETECT_WIDTH = 320;
/** Canny thresholds, strong first; the weak pass finds documents on backgrounds of similar colour. */
const CANNY_PASSES = [
  [40, 120],
  [12, 36],
] as const;
/** Smallest document area, as a fraction of the frame, worth reporting. */
const MIN_AREA_FRACTION = 0.06;
/** Margin cut off the rectified document so its own outline does not count as sharpness or contrast. */
const INSET_FRACTION = 0.04;
/** Longest simplified outline whose 4-corner subsets are tried as candidates (C(10, 4) = 210). */
const MAX_SUBSET_VERTICES = 10;
/** Edge support every side of a document outline must have (fraction of its length). */
const MIN_SIDE_SUPPORT = 0.8;
/** Below this, even the best candidate is not taken for a document. */
const MIN_FALLBACK_SUPPORT = 0.02;
/** How far an outline may grow outward to the document's outer edge, as a fraction of its extent. */
const MAX_EXPAND_FRACTION = 0.3;
/** Candidates whose corners all lie this close (px, full resolution) to a tried one are the same quad. */
const DUPLICATE_PX = 2;
/** How far (px, full resolution) from a refined side its edge may lie and still support it. */
const SUPPORT_RADIUS_PX = 2;

/** Frees every Mat made through it at once, whatever path the analysis took. */
class MatScope {
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
class FrameBuffers {
  readonly rgba: Mat;
  readonly gray: Mat;
  readonly smallRgba: Mat;
  readonly small: Mat;
  readonly blurred: Mat;
  readonly edges: Mat;
  readonly channelEdges: Mat;
  readonly kernel: Mat;
  readonly smallSize: InstanceType<OpenCv['Size']>;
  readonly scale: number;
  private readonly owned: Mat[];

  constructor(cv: OpenCv, readonly width: number, readonly height: number) {
    this.scale = Math.max(1, width / DETECT_WIDTH);
    this.smallSize = new cv.Size(Math.round(width / this.scale), Math.round(height / this.scale));
    this.rgba = new cv.Mat(height, width, cv.CV_8UC4);
    this.gray = new cv.Mat(height, width, cv.CV_8UC1);
    this.smallRgba = new cv.Mat();
    this.small = new cv.Mat();
    this.blurred = new cv.Mat();
    this.edges = new cv.Mat();
    this.channelEdges = new cv.Mat();
    this.kernel = cv.Mat.ones(3, 3, cv.CV_8U);
    this.owned = [this.rgba, this.gray, this.smallRgba, this.small, this.blurred, this.edges, this.channelEdges, this.kernel];
  }

  fits(width: number, height: number): boolean {
    return width === this.width && height === this.height;
  }

  delete(): void {
    for (const mat of this.owned) mat.delete();
  }
}

function quadFromMat(points: Mat, scale: number): quality.Quad | null {
  if (points.rows !== 4) return null;
  const p = points.data32S;
  const raw = [0, 1, 2, 3].map((i) => ({ x: (p[i * 2]! + 0.5) * scale, y: (p[i * 2 + 1]! + 0.5) * scale }));
  const quad = quality.orderQuad(raw);
  return quality.isConvexQuad(quad) ? quad : null;
}

/** A candidate outline; `partial` when made of 4 corners of a longer outline. */
interface Candidate {
  quad: quality.Quad;
  partial: boolean;
}

/** Every convex quad whose corners are 4 of the points, in the points' order. */
function quadSubsets(points: readonly quality.Point[]): quality.Quad[] {
  const quads: quality.Quad[] = [];
  const n = points.length;
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++)
      for (let c = b + 1; c < n; c++)
        for (let d = c + 1; d < n; d++) {
          const quad = quality.orderQuad([points[a]!, points[b]!, points[c]!, points[d]!]);
          if (quality.isConvexQuad(quad)) quads.push(quad);
        }
  return quads;
}

/** A believable document outline: convex, large enough, not a sliver. */
function plausible(quad: quality.Quad, frameArea: number): boolean {
  const [tl, tr, br, bl] = quad;
  const horizontal = (quality.distance(tl, tr) + quality.distance(bl, br)) / 2;
  const vertical = (quality.distance(tl, bl) + quality.distance(tr, br)) / 2;
  const aspect = Math.max(horizontal, vertical) / Math.max(1, Math.min(horizontal, vertical));
  return quality.quadArea(quad) >= MIN_AREA_FRACTION * frameArea && aspect <= 2.4;
}

/**
 * Quad detection and the per-frame measurements, on OpenCV.js. Pure with respect to its input:
 * no state across frames (stability lives in the core CaptureSession).
 */
export class QualityAnalyzer {
  private buffers: FrameBuffers | null = null;

  constructor(private readonly cv: OpenCv) {}

  /** Frees the reused frame buffers (they are made again on the next frame). */
  dispose(): void {
    this.buffers?.delete();
    this.buffers = null;
  }

  private buffersFor(frame: RgbaFrame): FrameBuffers {
    if (!this.buffers?.fits(frame.width, frame.height)) {
      this.buffers?.delete();
      this.buffers = new FrameBuffers(this.cv, frame.width, frame.height);
    }
    return this.buffers;
  }

  analyze(frame: RgbaFrame, thresholds: quality.QualityThresholds): quality.FrameMetrics {
    const { cv } = this;
    const scope = new MatScope(cv);
    try {
      const buffers = this.buffersFor(frame);
      const { rgba, gray, smallRgba, small, scale } = buffers;
      rgba.data.set(frame.data);
      cv.cvtColor(rgba, gray, cv.COLOR_RGBA2GRAY);
      cv.resize(rgba, smallRgba, buffers.smallSize, 0, 0, cv.INTER_AREA);
      // The reduced gray frame (used only without a document) from the reduced colour one, not a second full-size resize.
      cv.cvtColor(smallRgba, small, cv.COLOR_RGBA2GRAY);
      const corners = this.findQuad(buffers, { data: frame.data, width: frame.width, height: frame.height, channels: 4, used: 3 }, gray, scale, scope, frame.width * frame.height);
      if (!corners) return this.withoutDocument(frame, small, scope);
      const document: quality.DocumentMetrics = {
        corners,
        widthFraction: quality.widthFraction(corners, frame.width),
        tiltDeg: quality.estimateTiltDeg(corners, frame.width, frame.height, thresholds.focalLengthFraction * Math.max(frame.width, frame.height)),
        cornerMarginPx: quality.cornerMarginPx(corners, frame.width, frame.height),
      };
      const rectified = this.rectify(gray, corners, thresholds.referenceWidth, scope);
      return { frameWidth: frame.width, frameHeight: frame.height, document, ...this.regionMetrics(rectified, thresholds, scope) };
    } finally {
      scope.dispose();
    }
  }

  /**
   * Edges are taken per colour channel and combined: a document whose border differs from the
   * background in hue but hardly in gray level (a dark header band on a dark table) stays closed.
   */
  private findQuad(buffers: FrameBuffers, full: quality.PixelImage, gray: Mat, scale: number, scope: MatScope, frameArea: number): quality.Quad | null {
    const { cv } = this;
    let fallback: { quad: quality.Quad; support: number } | null = null;
    const { blurred, edges, channelEdges, kernel } = buffers;
    cv.GaussianBlur(buffers.smallRgba, blurred, new cv.Size(5, 5), 0);
    const channels = scope.track(new cv.MatVector());
    cv.split(blurred, channels);
    const planes = [0, 1, 2].map((c) => scope.track(channels.get(c)));
    for (const [low, high] of CANNY_PASSES) {
      cv.Canny(planes[0]!, edges, low, high);
      for (const plane of planes.slice(1)) {
        cv.Canny(plane, channelEdges, low, high);
        cv.bitwise_or(edges, channelEdges, edges);
      }
      // Contours of the thin edges keep a card apart from clutter it touches; of the dilated edges,
      // they close gaps in a faint outline. Both give candidates; edge support picks among them.
      const candidates: Candidate[] = [];
      this.collectCandidates(edges, scale, frameArea, scope, candidates);
      cv.dilate(edges, edges, kernel);
      this.collectCandidates(edges, scale, frameArea, scope, candidates);
      const chosen = this.chooseQuad(candidates, full, gray, scale);
      if (chosen.quad) return chosen.quad;
      if (chosen.fallback && (!fallback || chosen.fallback.support > fallback.support)) fallback = chosen.fallback;
    }
    return fallback && fallback.support >= MIN_FALLBACK_SUPPORT ? fallback.quad : null;
  }

  /** Plausible quads from the contours of an edge map: each contour's convex hull and its own outline, simplified. */
  private collectCandidates(edges: Mat, scale: number, frameArea: number, scope: MatScope, out: Candidate[]): void {
    const { cv } = this;
    const contours = scope.track(new cv.MatVector());
    const hierarchy = scope.mat();
    cv.findContours(edges, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE);
    for (let i = 0; i < contours.size(); i++) {
      const contour = scope.track(contours.get(i));
      if (cv.contourArea(contour) < (MIN_AREA_FRACTION * frameArea) / (scale * scale)) continue;
      const hull = scope.mat();
      cv.convexHull(contour, hull);
      for (const outline of [hull, contour]) {
        const approx = scope.mat();
        cv.approxPolyDP(outline, approx, 0.03 * cv.arcLength(outline, true), true);
        const quad = quadFromMat(approx, scale);
        if (quad && plausible(quad, frameArea)) out.push({ quad, partial: false });
      }
      // A card merged with clutter is part of a longer outline: every 4 of its simplified corners.
      const detailed = scope.mat();
      cv.approxPolyDP(contour, detailed, 0.015 * cv.arcLength(contour, true), true);
      if (detailed.rows > 4 && detailed.rows <= MAX_SUBSET_VERTICES) {
        const p = detailed.data32S;
        const points = Array.from({ length: detailed.rows }, (_, k) => ({ x: (p[k * 2]! + 0.5) * scale, y: (p[k * 2 + 1]! + 0.5) * scale }));
        for (const quad of quadSubsets(points)) if (plausible(quad, frameArea)) out.push({ quad, partial: true });
      }
    }
  }

  /**
   * The outermost candidate whose four sides all have edge support at full resolution: inner
   * rectangles (header band, MRZ band) are smaller than the card, and quads merged with clutter
   * have a side without support. Otherwise the best-supported candidate, as a fallback.
   */
  private chooseQuad(candidates: Candidate[], full: quality.PixelImage, grayMat: Mat, scale: number): { quad: quality.Quad | null; fallback: { quad: quality.Quad; support: number } | null } {
    // The view of the WASM heap is taken here: no OpenCV call below can grow (and detach) it.
    const gray: quality.GrayImage = { data: grayMat.data, width: grayMat.cols, height: grayMat.rows };
    const byArea = candidates.map((c) => ({ ...c, area: quality.quadArea(c.quad) })).sort((a, b) => b.area - a.area);
    let fallback: { quad: quality.Quad; support: number } | null = null;
    const tried: quality.Quad[] = [];
    for (const { quad, partial } of byArea) {
      // Thin and dilated edges, hull and outline often give the same quad: refine and score it once.
      if (tried.some((other) => quality.maxCornerError(other, quad) <= DUPLICATE_PX)) continue;
      tried.push(quad);
      // Support is judged on the refined outline, within a couple of pixels: a true side is one
      // straight edge, whereas texture or clutter near a wrong side is not.
      const refined = quality.refineQuad(gray, quad, { searchRadius: Math.ceil(1.5 * scale) + 3 });
      const support = quality.quadSupport(full, refined, { searchRadius: SUPPORT_RADIUS_PX });
      if (support >= MIN_SIDE_SUPPORT) {
        const outer = quality.expandToOuterEdges(full, refined, { searchRadius: 1, maxShiftFraction: MAX_EXPAND_FRACTION, minSupport: MIN_SIDE_SUPPORT });
        return { quad: outer === refined ? refined : quality.refineQuad(gray, outer, { searchRadius: 4 }), fallback: null };
      }
      // Only whole outlines are fallbacks: a part of a longer outline without support is clutter.
      if (!partial && (!fallback || support > fallback.support)) fallback = { quad: refined, support };
    }
    return { quad: null, fallback };
  }

  /** The document seen square-on at `referenceWidth` px (its own edges trimmed), so sharpness means the same at any distance. */
  private rectify(gray: Mat, corners: quality.Quad, referenceWidth: number, scope: MatScope): Mat {
    const { cv } = this;
    const [tl, tr, br, bl] = corners;
    const horizontal = (quality.distance(tl, tr) + quality.distance(bl, br)) / 2;
    const vertical = (quality.distance(tl, bl) + quality.distance(tr, br)) / 2;
    const aspect = Math.min(2.2, Math.max(1.2, horizontal / Math.max(1, vertical)));
    const width = referenceWidth;
    const height = Math.round(referenceWidth / aspect);
    const inX = width * INSET_FRACTION;
    const inY = height * INSET_FRACTION;
    const src = scope.track(cv.matFromArray(4, 1, cv.CV_32FC2, corners.flatMap((p) => [p.x - 0.5, p.y - 0.5])));
    const dst = scope.track(cv.matFromArray(4, 1, cv.CV_32FC2, [-inX, -inY, width - 1 + inX, -inY, width - 1 + inX, height - 1 + inY, -inX, height - 1 + inY]));
    const transform = scope.track(cv.getPerspectiveTransform(src, dst));
    const rectified = scope.mat();
    cv.warpPerspective(gray, rectified, transform, new cv.Size(width, height), cv.INTER_LINEAR, cv.BORDER_REPLICATE);
    return rectified;
  }

  private regionMetrics(region: Mat, thresholds: quality.QualityThresholds, scope: MatScope): Pick<quality.FrameMetrics, 'sharpness' | 'glareFraction' | 'brightness' | 'contrast'> {
    const { cv } = this;
    const mean = scope.mat();
    const deviation = scope.mat();
    cv.meanStdDev(region, mean, deviation);
    const laplacian = scope.mat();
    cv.Laplacian(region, laplacian, cv.CV_16S, 1);
    const lapMean = scope.mat();
    const lapDeviation = scope.mat();
    cv.meanStdDev(laplacian, lapMean, lapDeviation);
    const glare = scope.mat();
    cv.threshold(region, glare, thresholds.glareLevel - 1, 255, cv.THRESH_BINARY);
    return {
      sharpness: lapDeviation.data64F[0]! ** 2,
      glareFraction: cv.countNonZero(glare) / (region.rows * region.cols),
      brightness: mean.data64F[0]!,
      contrast: deviation.data64F[0]!,
    };
  }

  private withoutDocument(frame: RgbaFrame, small: Mat, scope: MatScope): quality.FrameMetrics {
    const { cv } = this;
    const mean = scope.mat();
    const deviation = scope.mat();
    cv.meanStdDev(small, mean, deviation);
    const laplacian = scope.mat();
    cv.Laplacian(small, laplacian, cv.CV_16S, 1);
    const lapMean = scope.mat();
    const lapDeviation = scope.mat();
    cv.meanStdDev(laplacian, lapMean, lapDeviation);
    return {
      frameWidth: frame.width,
      frameHeight: frame.height,
      document: null,
      sharpness: lapDeviation.data64F[0]! ** 2,
      glareFraction: 0,
      brightness: mean.data64F[0]!,
      contrast: deviation.data64F[0]!,
    };
  }
}
