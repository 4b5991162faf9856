import { quality, type RgbaImage } from '@ekyc/core';

/** The OpenCV.js namespace (as loaded by quality-opencv.ts in a worker, or required in Node tests). */
export type OpenCv = typeof import('@techstark/opencv-js');
type Mat = InstanceType<OpenCv['Mat']>;
/** Canny on given derivatives (cv::Canny(dx, dy, edges, ...)): in OpenCV.js 4.12, not in its type definitions. */
type OpenCvGradientCanny = OpenCv & { Canny1(dx: Mat, dy: Mat, edges: Mat, threshold1: number, threshold2: number, L2gradient?: boolean): void };

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
/** Shortest contour edge, as a fraction of the frame's shorter side, used as a line for quads from lines. */
const MIN_SEGMENT_FRACTION = 0.2;
/** Outline points (evenly picked) a rough quad's sides are re-fitted to: enough for a line, cheap for 210 subsets. */
const MAX_FIT_POINTS = 120;
/** Simplification tolerances (fraction of the perimeter) tried in turn for the 4-corner subsets. */
const SUBSET_EPSILONS = [0.015, 0.025, 0.04] as const;
/** Edge support every side of a document outline must have (fraction of its length). */
const MIN_SIDE_SUPPORT = 0.8;
/** Fraction of every side of a partial candidate that must lie on the reduced frame's (dilated) edges. */
const MIN_COARSE_SUPPORT = 0.5;
/** Below this, even the best candidate is not taken for a document. */
const MIN_FALLBACK_SUPPORT = 0.02;
/** How far an outline may grow outward to the document's outer edge, as a fraction of its extent. */
const MAX_EXPAND_FRACTION = 0.3;
/** Candidates whose corners all lie this close (px, full resolution) to a tried one are the same quad. */
const DUPLICATE_PX = 2;
/** Smallest step (8-bit levels, across a side) that counts as an edge in a normally exposed frame. */
const MIN_EDGE_STEP = 16;
/** The stretch of a side, next to the frame border, that must have edges for the document to run off there. */
const BORDER_REACH = 0.25;
/** How far (px, and fraction of the frame width) a tracked outline is searched for around the previous one. */
const TRACK_RADIUS_PX = 8;
const TRACK_RADIUS_FRACTION = 0.01;
/** How far (px, full resolution) from a refined side its edge may lie and still support it. */
const SUPPORT_RADIUS_PX = 2;

/** Where one frame's analysis spent its time (ms): copy and reduction, finding the document, measuring it. */
export interface AnalysisStages {
  prepare: number;
  detect: number;
  measure: number;
}

type RegionMetrics = Pick<quality.FrameMetrics, 'sharpness' | 'glareFraction' | 'brightness' | 'contrast'>;

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
  readonly scale: number;
  private readonly owned: Mat[];

  constructor(cv: OpenCv, readonly width: number, readonly height: number) {
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

/** The document's outline when `quad` is an inner rectangle of it (see `quality.expandToOuterEdges`). */
function growToOutline(full: quality.PixelImage, quad: quality.Quad, support: quality.EdgeSupportOptions): quality.Quad {
  const grown = quality.expandToOuterEdges(full, quad, { ...support, maxShiftFraction: MAX_EXPAND_FRACTION, minSupport: MIN_SIDE_SUPPORT });
  return withinReach(grown, full) ? grown : quad;
}

/**
 * A rough quad from a simplified outline with its sides re-fitted to the outline's own points: the
 * simplification's vertices can sit a detection pixel or more off the corners, more than refinement
 * at full size searches.
 */
function fitted(quad: quality.Quad | null, outline: readonly quality.Point[], scale: number): quality.Quad | null {
  if (!quad) return null;
  const corners = quality.fitQuadToPoints(quad, outline, 2.5 * scale);
  if (!corners) return null;
  const ordered = quality.orderQuad(corners);
  return quality.isConvexQuad(ordered) ? ordered : null;
}

/** The points of a contour or simplified contour (at most `maxPoints`, evenly picked), in full-resolution pixels. */
function polygonPoints(polygon: Mat, scale: number, maxPoints = Infinity): quality.Point[] {
  const p = polygon.data32S;
  const stride = Math.max(1, Math.ceil(polygon.rows / maxPoints));
  return Array.from({ length: Math.ceil(polygon.rows / stride) }, (_, k) => ({ x: (p[k * stride * 2]! + 0.5) * scale, y: (p[k * stride * 2 + 1]! + 0.5) * scale }));
}

/** The polygon's edges at least `minLength` long (closing edge included). */
function collectLongSegments(points: readonly quality.Point[], minLength: number, out: quality.Segment[]): void {
  for (let k = 0; k < points.length; k++) {
    const a = points[k]!;
    const b = points[(k + 1) % points.length]!;
    if (Math.hypot(b.x - a.x, b.y - a.y) >= minLength) out.push({ a, b });
  }
}

/**
 * Every corner within reach of the frame. A document running off the frame has corners outside it
 * (its sides meet there); corners farther out than half the frame come from lines that only met by chance.
 */
function withinReach(quad: quality.Quad, frame: { width: number; height: number }): boolean {
  const dx = frame.width / 2;
  const dy = frame.height / 2;
  return quad.every((p) => p.x >= -dx && p.y >= -dy && p.x <= frame.width + dx && p.y <= frame.height + dy);
}

/**
 * Smallest step counted as an edge, scaled with exposure: in a dark frame a document's edge is a
 * smaller step. The level is the brightest channel's mean over a sparse grid of pixels.
 */
function edgeStep(full: quality.PixelImage): number {
  const sums = [0, 0, 0];
  let count = 0;
  const step = 16;
  for (let y = step / 2; y < full.height; y += step) {
    for (let x = step / 2; x < full.width; x += step) {
      const at = (y * full.width + x) * full.channels;
      sums[0]! += full.data[at]!;
      sums[1]! += full.data[at + 1]!;
      sums[2]! += full.data[at + 2]!;
      count++;
    }
  }
  const level = Math.max(...sums) / Math.max(1, count);
  return Math.min(MIN_EDGE_STEP, Math.max(MIN_EDGE_STEP / 2, (MIN_EDGE_STEP * level) / 128));
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

  private buffersFor(frame: RgbaImage): FrameBuffers {
    if (!this.buffers?.fits(frame.width, frame.height)) {
      this.buffers?.delete();
      this.buffers = new FrameBuffers(this.cv, frame.width, frame.height);
    }
    return this.buffers;
  }

  /**
   * The frame reduced to the detection width: halved (bilinear at exactly 1/2 is a 2x2 box, as cheap
   * as it gets) while still at or above it, then resampled the rest of the way. About the result of
   * one area resize from full size, at a third of its cost in OpenCV.js.
   */
  private reduce(buffers: FrameBuffers): void {
    const { cv } = this;
    let source = buffers.rgba;
    for (const half of buffers.halves) {
      cv.resize(source, half, new cv.Size(Math.round(source.cols / 2), Math.round(source.rows / 2)), 0, 0, cv.INTER_LINEAR);
      source = half;
    }
    // The rest is less than a halving: bilinear (on an image already box-filtered) costs a fraction of an area resize.
    if (source !== buffers.smallRgba) cv.resize(source, buffers.smallRgba, buffers.smallSize, 0, 0, cv.INTER_LINEAR);
  }

  /**
   * Measures one frame. `previous` is the document's outline in the frame before (a camera stream):
   * when it is still there, re-fitted to this frame's edges with full support, detection is skipped.
   */
  analyze(frame: RgbaImage, thresholds: quality.QualityThresholds, stages?: AnalysisStages, previous?: quality.Quad | null): quality.FrameMetrics {
    const { cv } = this;
    const scope = new MatScope(cv);
    let last = performance.now();
    const lap = (stage: keyof AnalysisStages): void => {
      const now = performance.now();
      if (stages) stages[stage] += now - last;
      last = now;
    };
    try {
      const buffers = this.buffersFor(frame);
      buffers.rgba.data.set(frame.data);
      // Full-resolution reads (corner refinement, edge support) go to the frame's own pixels, in JS.
      const full: quality.PixelImage = { data: frame.data, width: frame.width, height: frame.height, channels: 4, used: 3 };
      const support: quality.EdgeSupportOptions = { searchRadius: SUPPORT_RADIUS_PX, minStep: edgeStep(full) };
      const tracked = previous ? this.track(full, previous, buffers.scale, support) : null;
      if (!tracked) this.reduce(buffers);
      lap('prepare');
      const corners = tracked ?? this.findQuad(buffers, full, buffers.scale, scope, frame.width * frame.height, support);
      lap('detect');
      if (!corners) {
        const metrics = this.withoutDocument(frame, buffers, thresholds);
        lap('measure');
        return metrics;
      }
      const document: quality.DocumentMetrics = {
        corners,
        widthFraction: quality.widthFraction(corners, frame.width),
        tiltDeg: quality.estimateTiltDeg(corners, frame.width, frame.height, thresholds.focalLengthFraction * Math.max(frame.width, frame.height)),
        cornerMarginPx: quality.cornerMarginPx(corners, frame.width, frame.height),
      };
      const metrics = { frameWidth: frame.width, frameHeight: frame.height, document, ...this.documentMetrics(buffers.rgba, corners, thresholds, scope) };
      lap('measure');
      return metrics;
    } finally {
      scope.dispose();
    }
  }

  /**
   * Edges are taken on colour, not gray: a document whose border differs from the background in hue
   * but hardly in gray level (a dark header band on a dark table) stays closed.
   */
  private findQuad(buffers: FrameBuffers, full: quality.PixelImage, scale: number, scope: MatScope, frameArea: number, support: quality.EdgeSupportOptions): quality.Quad | null {
    const { cv } = this;
    let fallback: { quad: quality.Quad; support: number } | null = null;
    const { smallRgb, blurred, edges, dilated, kernel } = buffers;
    cv.cvtColor(buffers.smallRgba, smallRgb, cv.COLOR_RGBA2RGB);
    cv.GaussianBlur(smallRgb, blurred, new cv.Size(5, 5), 0);
    this.colourGradient(buffers);
    for (const [low, high] of CANNY_PASSES) {
      (cv as OpenCvGradientCanny).Canny1(buffers.dx, buffers.dy, edges, low, high);
      // Contours of the thin edges keep a card apart from clutter it touches; of the dilated edges,
      // they close gaps in a faint outline. Both give candidates; edge support picks among them.
      cv.dilate(edges, dilated, kernel);
      const candidates: Candidate[] = [];
      const segments: quality.Segment[] = [];
      // The dilated edge map, read in JS (no OpenCV call may run while this view of the heap is held).
      const edgeMap = (): quality.GrayImage => ({ data: dilated.data, width: dilated.cols, height: dilated.rows });
      this.collectCandidates(edges, scale, frameArea, scope, candidates, segments, edgeMap);
      this.collectCandidates(dilated, scale, frameArea, scope, candidates, segments, edgeMap);
      // A card merged with clutter all along a side keeps its sides as long straight pieces: quads from them.
      for (const quad of quality.quadsFromLines(segments)) {
        if (plausible(quad, frameArea) && withinReach(quad, full)) candidates.push({ quad, partial: true });
      }
      // Parts of longer outlines are many (up to 210 per outline) and mostly cut through clutter:
      // those without edges under most of every side are dropped before the costly full-size scoring.
      const map = edgeMap();
      const worthScoring = candidates.filter((c) => !c.partial || quality.edgeMapSupport(map, c.quad, scale, 24, this.borderSides(c.quad, scale)) >= MIN_COARSE_SUPPORT);
      const chosen = this.chooseQuad(worthScoring, full, scale, support);
      if (chosen.quad) return chosen.quad;
      if (chosen.fallback && (!fallback || chosen.fallback.support > fallback.support)) fallback = chosen.fallback;
    }
    return fallback && fallback.support >= MIN_FALLBACK_SUPPORT ? growToOutline(full, fallback.quad, support) : null;
  }

  /**
   * The previous frame's outline, re-fitted to this frame's edges (a hand-held document moves a few
   * pixels between frames): kept when every side has full edge support, else `null` (detect afresh).
   */
  private track(full: quality.PixelImage, previous: quality.Quad, scale: number, support: quality.EdgeSupportOptions): quality.Quad | null {
    const radius = Math.max(TRACK_RADIUS_PX, Math.round(TRACK_RADIUS_FRACTION * full.width));
    const refined = quality.refineQuad(full, previous, { searchRadius: radius });
    // refineQuad hands the very same quad back when a side locked onto another edge: lost.
    if (refined === previous) return null;
    return this.support(full, refined, scale, support) >= MIN_SIDE_SUPPORT ? refined : null;
  }

  /**
   * The side along the frame border, where the document runs off the frame: at most one, so that
   * the three sides left still make the quad a document's outline.
   */
  private borderSides(quad: quality.Quad, scale: number): boolean[] {
    const { width, height } = this.buffers!;
    const sides = quality.sidesOnFrameBorder(quad, width, height, 2 * scale + 2);
    return sides.filter(Boolean).length <= 1 ? sides : [false, false, false, false];
  }

  /** The weakest side's edge support, sides along the frame border left out (see `borderSides`). */
  private support(full: quality.PixelImage, quad: quality.Quad, scale: number, options: quality.EdgeSupportOptions): number {
    const border = this.borderSides(quad, scale);
    const sides = quality.sideSupport(full, quad, options);
    for (let side = 0; side < 4; side++) {
      if (!border[side]) continue;
      // The document must really reach the border: its sides meeting the border have edges right up
      // to it, not a stretch of background (a quad stretched from a document to the frame's edge).
      const a = quad[side]!;
      const b = quad[(side + 1) % 4]!;
      const before = quad[(side + 3) % 4]!;
      const after = quad[(side + 2) % 4]!;
      const toward = (from: quality.Point, to: quality.Point, t: number) => ({ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t });
      const reach = Math.min(quality.segmentSupport(full, toward(a, before, BORDER_REACH), a, options), quality.segmentSupport(full, b, toward(b, after, BORDER_REACH), options));
      if (reach < MIN_SIDE_SUPPORT) return reach;
    }
    return Math.min(...sides.filter((_, side) => !border[side]));
  }

  /**
   * The gradient Canny runs on: per pixel, the x/y Sobel derivatives of the colour channel where the
   * gradient is strongest (what OpenCV's own colour Canny does, and three times cheaper than a Canny per
   * channel in OpenCV.js). Computed once, it serves both Canny passes.
   */
  private colourGradient(buffers: FrameBuffers): void {
    const { cv } = this;
    cv.Sobel(buffers.blurred, buffers.dx3, cv.CV_16S, 1, 0, 3);
    cv.Sobel(buffers.blurred, buffers.dy3, cv.CV_16S, 0, 1, 3);
    if (buffers.dx.rows !== buffers.blurred.rows || buffers.dx.cols !== buffers.blurred.cols) {
      buffers.dx.create(buffers.blurred.rows, buffers.blurred.cols, cv.CV_16SC1);
      buffers.dy.create(buffers.blurred.rows, buffers.blurred.cols, cv.CV_16SC1);
    }
    // Views of the WASM heap, taken after the last allocation above and used before the next OpenCV call.
    const dx3 = buffers.dx3.data16S;
    const dy3 = buffers.dy3.data16S;
    const dx = buffers.dx.data16S;
    const dy = buffers.dy.data16S;
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

  /** Plausible quads from the contours of an edge map: each contour's convex hull and its own outline, simplified. */
  private collectCandidates(edges: Mat, scale: number, frameArea: number, scope: MatScope, out: Candidate[], segments: quality.Segment[], edgeMap: () => quality.GrayImage): void {
    const { cv } = this;
    const minSegment = MIN_SEGMENT_FRACTION * Math.min(edges.cols, edges.rows) * scale;
    const frame = { width: edges.cols * scale, height: edges.rows * scale };
    const contours = scope.track(new cv.MatVector());
    const hierarchy = scope.mat();
    cv.findContours(edges, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE);
    const minArea = (MIN_AREA_FRACTION * frameArea) / (scale * scale);
    for (let i = 0; i < contours.size(); i++) {
      const contour = scope.track(contours.get(i));
      const box = cv.boundingRect(contour);
      if (box.width * box.height < minArea) continue;
      const hull = scope.mat();
      cv.convexHull(contour, hull);
      const hullArea = cv.contourArea(hull);
      if (hullArea < minArea) continue;
      // An open outline (a document running off the frame shows three sides, no edge along the
      // border) encloses little itself; its hull is the visible part of the document.
      const open = cv.contourArea(contour) < minArea;
      const outlinePoints = polygonPoints(contour, scale, MAX_FIT_POINTS);
      for (const outline of open ? [hull] : [hull, contour]) {
        const approx = scope.mat();
        cv.approxPolyDP(outline, approx, 0.03 * cv.arcLength(outline, true), true);
        const rough = quadFromMat(approx, scale);
        // Both the simplified quad and its re-fitted version: the fit mends corners cut by the
        // simplification, but can also be pulled off by a rounded corner; edge support decides.
        for (const quad of [rough, fitted(rough, outlinePoints, scale)]) {
          if (quad && plausible(quad, frameArea) && withinReach(quad, frame)) out.push({ quad, partial: open });
        }
      }
      // A card merged with clutter is part of a longer outline: every 4 of its simplified corners.
      // Simplified just enough to leave at most MAX_SUBSET_VERTICES corners (clutter adds bumps).
      const detailed = scope.mat();
      const perimeter = cv.arcLength(contour, true);
      let corners: quality.Point[] = [];
      for (const [pass, epsilon] of SUBSET_EPSILONS.entries()) {
        cv.approxPolyDP(contour, detailed, epsilon * perimeter, true);
        corners = polygonPoints(detailed, scale);
        if (pass === 0) collectLongSegments(corners, minSegment, segments);
        if (corners.length <= MAX_SUBSET_VERTICES) break;
      }
      if (corners.length > 4 && corners.length <= MAX_SUBSET_VERTICES) {
        const subsets = quadSubsets(corners);
        const map = edgeMap();
        for (const subset of subsets) {
          // Most subsets cut through background: dropped on the coarse edge map before being fitted.
          if (quality.edgeMapSupport(map, subset, scale, 24, this.borderSides(subset, scale)) < MIN_COARSE_SUPPORT) continue;
          const quad = fitted(subset, outlinePoints, scale);
          if (quad && plausible(quad, frameArea) && withinReach(quad, frame)) out.push({ quad, partial: true });
        }
      }
    }
  }

  /**
   * The outermost candidate whose four sides all have edge support at full resolution: inner
   * rectangles (header band, MRZ band) are smaller than the card, and quads merged with clutter
   * have a side without support. Otherwise the best-supported candidate, as a fallback.
   */
  private chooseQuad(candidates: Candidate[], full: quality.PixelImage, scale: number, options: quality.EdgeSupportOptions): { quad: quality.Quad | null; fallback: { quad: quality.Quad; support: number } | null } {
    const byArea = candidates.map((c) => ({ ...c, area: quality.quadArea(c.quad) })).sort((a, b) => b.area - a.area);
    let fallback: { quad: quality.Quad; support: number } | null = null;
    const tried: quality.Quad[] = [];
    for (const { quad, partial } of byArea) {
      // Thin and dilated edges, hull and outline often give the same quad: refine and score it once.
      if (tried.some((other) => quality.maxCornerError(other, quad) <= DUPLICATE_PX)) continue;
      tried.push(quad);
      // Support is judged on the refined outline, within a couple of pixels: a true side is one
      // straight edge, whereas texture or clutter near a wrong side is not.
      const refined = quality.refineQuad(full, quad, { searchRadius: Math.ceil(1.5 * scale) + 3 });
      const support = this.support(full, refined, scale, options);
      if (support >= MIN_SIDE_SUPPORT) {
        return { quad: growToOutline(full, refined, options), fallback: null };
      }
      // Only whole outlines are fallbacks: a part of a longer outline without support is clutter.
      if (!partial && (!fallback || support > fallback.support)) fallback = { quad: refined, support };
    }
    return { quad: null, fallback };
  }

  /**
   * Sharpness, glare and lighting of the document at the reference scale: its bounding box, in gray,
   * resized so the document's long side is `referenceWidth` px, measured inside its outline (less a
   * margin, so its own edges do not count as sharpness or contrast). A resize is separable and several
   * times cheaper than a perspective warp in OpenCV.js; within the tilt the gate accepts, the
   * foreshortening it leaves changes the Laplacian variance far less than the blur it is there to catch.
   */
  private documentMetrics(rgba: Mat, corners: quality.Quad, thresholds: quality.QualityThresholds, scope: MatScope): RegionMetrics {
    const { cv } = this;
    const [tl, tr, br, bl] = corners;
    const longSide = Math.max((quality.distance(tl, tr) + quality.distance(bl, br)) / 2, (quality.distance(tl, bl) + quality.distance(tr, br)) / 2);
    const left = Math.max(0, Math.floor(Math.min(tl.x, tr.x, br.x, bl.x)));
    const top = Math.max(0, Math.floor(Math.min(tl.y, tr.y, br.y, bl.y)));
    const right = Math.min(rgba.cols, Math.ceil(Math.max(tl.x, tr.x, br.x, bl.x)));
    const bottom = Math.min(rgba.rows, Math.ceil(Math.max(tl.y, tr.y, br.y, bl.y)));
    const scale = thresholds.referenceWidth / Math.max(1, longSide);
    const box = scope.track(rgba.roi(new cv.Rect(left, top, Math.max(1, right - left), Math.max(1, bottom - top))));
    const boxGray = scope.mat();
    cv.cvtColor(box, boxGray, cv.COLOR_RGBA2GRAY);
    const region = scope.mat();
    cv.resize(boxGray, region, new cv.Size(Math.max(1, Math.round(box.cols * scale)), Math.max(1, Math.round(box.rows * scale))), 0, 0, cv.INTER_LINEAR);
    const cx = (tl.x + tr.x + br.x + bl.x) / 4;
    const cy = (tl.y + tr.y + br.y + bl.y) / 4;
    const shrink = 1 - 2 * INSET_FRACTION;
    const outline = corners.map((p) => ({ x: (cx + (p.x - cx) * shrink - left) * scale, y: (cy + (p.y - cy) * shrink - top) * scale }));
    return regionMetrics({ data: region.data, width: region.cols, height: region.rows }, thresholds, outline);
  }

  /** Without a document only the whole (reduced) frame can be judged: for light, mainly. */
  private withoutDocument(frame: RgbaImage, buffers: FrameBuffers, thresholds: quality.QualityThresholds): quality.FrameMetrics {
    this.cv.cvtColor(buffers.smallRgba, buffers.small, this.cv.COLOR_RGBA2GRAY);
    const { small } = buffers;
    return { frameWidth: frame.width, frameHeight: frame.height, document: null, ...regionMetrics({ data: small.data, width: small.cols, height: small.rows }, thresholds), glareFraction: 0 };
  }
}

/** `image` may be a view of the WASM heap: it is read here, before any other OpenCV call could move the heap. */
function regionMetrics(image: quality.GrayImage, thresholds: quality.QualityThresholds, outline?: readonly quality.Point[]): RegionMetrics {
  // Every other row: at the reference width that is still ~100k pixels, and half the time.
  const { sharpness, glareFraction, brightness, contrast } = quality.regionStats(image, thresholds.glareLevel, outline, 2);
  return { sharpness, glareFraction, brightness, contrast };
}
