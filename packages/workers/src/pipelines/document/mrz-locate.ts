/**
 * OpenCV.js plumbing of document reading: the rectified crop from a quad (or the whole image), and the
 * MRZ lines found on it by morphology. A frame with no MRZ-shaped line group is rejected here, before
 * any OCR runs.
 */
import { document as coreDocument, type RgbaImage } from '@ekyc/core';
import type { OpenCv } from '../quality/opencv-frame.ts';
import { MatScope } from '../quality/opencv-frame.ts';
import type { GrayImage } from './mrz-reader.ts';

export interface Rect { x: number; y: number; width: number; height: number }

export interface Rectified {
  readonly rgba: RgbaImage<Uint8ClampedArray>;
  readonly gray: GrayImage;
  /**
   * The brightest colour channel of each pixel: the MRZ's black ink is dark in all three (ICAO 9303
   * has it absorb in the near infrared as well), a coloured stamp's ink or a hologram's diffraction
   * colour is bright in at least one, and fades here. The MRZ lines are found on this image.
   */
  readonly ink: GrayImage;
  readonly sizeClass: coreDocument.DocumentSizeClass;
  /** Rectified pixels per millimetre of the document. */
  readonly pxPerMm: number;
  /** DPI the source captured the document at (from the quad, or the whole image). */
  readonly captureDpi: number;
}

type Quad = readonly [{ x: number; y: number }, { x: number; y: number }, { x: number; y: number }, { x: number; y: number }];

/** Pixels per millimetre the line search runs at: OCR-B MRZ characters are then ~10 px tall. */
const LOCATE_PX_PER_MM = 4;

/**
 * Narrowest MRZ line, mm: TD1's 30 characters at 2.54 mm are 76.2 mm; 0.7 of it leaves room for the
 * scale being misjudged (the line search's retries step by 0.685 and 1.46) and for a line cut at a
 * filler run's end. A line is also accepted at 55% of the image's width, as before: a document filling
 * the image. A document small in a photo is found by its lines' own size instead.
 */
const MIN_LINE_MM = 0.7 * 76.2;


/**
 * Warps the document to its canonical size at 300 DPI. With no quad the whole image is the document
 * (a scan or a tight crop), kept at its own resolution.
 */
export function rectify(cv: OpenCv, image: RgbaImage, quad: Quad | null, sizeClass?: coreDocument.DocumentSizeClass): Rectified {
  const scope = new MatScope(cv);
  try {
    const src = scope.track(new cv.Mat(image.height, image.width, cv.CV_8UC4));
    src.data.set(image.data);
    const corners = quad ?? coreDocument.wholeImageQuad(image.width, image.height);
    const edgeW = Math.hypot(corners[1].x - corners[0].x, corners[1].y - corners[0].y);
    const edgeH = Math.hypot(corners[3].x - corners[0].x, corners[3].y - corners[0].y);
    // A quad seen upright (portrait): start at its top-right corner so the long side becomes the width.
    const ordered = edgeH > edgeW ? [corners[1], corners[2], corners[3], corners[0]] : [...corners];
    const cls = sizeClass ?? coreDocument.sizeClassFromAspect(edgeW, edgeH);
    const captureDpi = coreDocument.captureDpi(ordered as unknown as Quad, cls);
    let dst: InstanceType<OpenCv['Mat']>;
    let pxPerMm: number;
    if (quad) {
      const size = coreDocument.rectifiedSize(cls);
      const from = scope.track(cv.matFromArray(4, 1, cv.CV_32FC2, ordered.flatMap((p) => [p.x, p.y])));
      const to = scope.track(cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, size.width, 0, size.width, size.height, 0, size.height]));
      const m = scope.track(cv.getPerspectiveTransform(from, to));
      dst = scope.mat();
      cv.warpPerspective(src, dst, m, new cv.Size(size.width, size.height), cv.INTER_LINEAR, cv.BORDER_REPLICATE, new cv.Scalar());
      pxPerMm = size.width / coreDocument.DOCUMENT_SIZES_MM[cls].widthMm;
    } else {
      dst = src;
      if (edgeH > edgeW) { dst = scope.mat(); cv.rotate(src, dst, cv.ROTATE_90_COUNTERCLOCKWISE); }
      pxPerMm = dst.cols / coreDocument.DOCUMENT_SIZES_MM[cls].widthMm;
    }
    const gray = scope.mat();
    cv.cvtColor(dst, gray, cv.COLOR_RGBA2GRAY);
    const rgba = { width: dst.cols, height: dst.rows, data: new Uint8ClampedArray(dst.data) };
    return {
      rgba,
      gray: { width: gray.cols, height: gray.rows, data: new Uint8Array(gray.data) },
      ink: maxChannel(rgba),
      sizeClass: cls,
      pxPerMm,
      captureDpi,
    };
  } finally {
    scope.dispose();
  }
}

/** Per pixel, the brightest of R, G and B (see `Rectified.ink`). */
export function maxChannel(image: RgbaImage): GrayImage {
  const n = image.width * image.height;
  const data = new Uint8Array(n);
  const d = image.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const r = d[j]!;
    const g = d[j + 1]!;
    const b = d[j + 2]!;
    data[i] = r > g ? (r > b ? r : b) : g > b ? g : b;
  }
  return { width: image.width, height: image.height, data };
}

/**
 * How a line's level crop is sampled from the image: crop pixel (x, y) lies at `toImage` · (x, y, 1)
 * in the image (a 3x3 homography, row-major), for a crop `width` x `height`.
 */
export interface LineSampling { readonly width: number; readonly height: number; readonly toImage: readonly number[] }

/**
 * How `cropGray` samples each line box `findMrzLines` returned: the box itself, or where the line runs
 * askew or under perspective in the image (an upload read whole), a homography that gives it level and
 * at an even pitch. Kept beside the box, not on it, so the box stays the plain rectangle callers report
 * and store (a copy of it is cropped as a plain rectangle).
 */
const samplings = new WeakMap<Rect, LineSampling>();

/** How a line box from `findMrzLines` is sampled for the readers (undefined for any other rectangle). */
export function samplingOf(line: Rect): LineSampling | undefined {
  return samplings.get(line);
}

function withSampling(box: Rect, along: LineSampling): Rect {
  samplings.set(box, along);
  return box;
}

export interface MrzLines {
  /** Line boxes top to bottom in rectified pixels (empty when no MRZ-shaped group was found). */
  readonly lines: readonly Rect[];
  /** Line-shaped components seen (for diagnostics). */
  readonly candidates: number;
}

/**
 * A row of text: its box, and the least-squares line through its ink pixels (sums of x, y, x², xy over
 * `n` pixels, so pieces merge by adding them). `thick` is its ink's height across that line: the box's
 * height less the rise of the line over the box's width (a level line: its height).
 */
interface Row { x: number; y: number; w: number; h: number; thick: number; n: number; sx: number; sy: number; sxx: number; sxy: number }

/** Rows shorter than this (mm) keep a level line: a few characters' ink has no reliable slope. */
const MIN_SLOPE_SPAN_MM = 20;
/** Steepest line slope the search fits (tan 8°): steeper pieces are not lines of a page read upright. */
const MAX_SLOPE = Math.tan((8 * Math.PI) / 180);
/**
 * Below this rise over the line (as a share of the ink's height), a line is level: a rectified page's
 * lines are, and the readers tolerate this much drift.
 */
const LEVEL_RISE = 0.25;

function slopeOf(r: Row, ppm: number): number {
  if (r.w < MIN_SLOPE_SPAN_MM * ppm) return 0;
  const vx = r.sxx - (r.sx * r.sx) / r.n;
  if (vx <= 0) return 0;
  const b = (r.sxy - (r.sx * r.sy) / r.n) / vx;
  return Math.max(-MAX_SLOPE, Math.min(MAX_SLOPE, b));
}

/** The row's ink centre line at column `x`. */
function centreAt(r: Row, x: number, ppm: number): number {
  return r.sy / r.n + slopeOf(r, ppm) * (x - r.sx / r.n);
}

/**
 * Joins the pieces of each text row (a line broken where the closing did not bridge it), widest first:
 * a piece belongs to a row when its centre lies on the row's ink line, within half the thinner's height.
 */
function mergeRows(pieces: Row[], ppm: number): Row[] {
  const out: Row[] = [];
  for (const b of [...pieces].sort((p, q) => q.w - p.w)) {
    const bx = b.sx / b.n;
    const row = out.find((r) => Math.abs(centreAt(r, bx, ppm) - b.sy / b.n) < 0.5 * Math.min(r.thick, b.thick));
    if (!row) { out.push({ ...b }); continue; }
    const x2 = Math.max(row.x + row.w, b.x + b.w);
    const y2 = Math.max(row.y + row.h, b.y + b.h);
    row.x = Math.min(row.x, b.x); row.y = Math.min(row.y, b.y);
    row.w = x2 - row.x; row.h = y2 - row.y;
    row.n += b.n; row.sx += b.sx; row.sy += b.sy; row.sxx += b.sxx; row.sxy += b.sxy;
    row.thick = Math.max(row.thick, b.thick);
  }
  return out;
}

/** Per component label, the sums of its pixels' x, y, x², xy (Row's line fit). */
function pixelSums(labels: Int32Array, width: number, count: number): Float64Array {
  const sums = new Float64Array(count * 5);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l === 0) continue;
    const x = i % width;
    const y = (i - x) / width;
    const k = l * 5;
    sums[k]! += 1; sums[k + 1]! += x; sums[k + 2]! += y; sums[k + 3]! += x * x; sums[k + 4]! += x * y;
  }
  return sums;
}

/**
 * Finds the MRZ lines: dark text by black-hat, characters joined into lines by a horizontal closing,
 * then the lowest group of 2 or 3 long lines of equal height and width at the MRZ line pitch. Each
 * line's slope is fitted to its ink, so a line askew in an upload is measured by its ink's height
 * across it (not its box's) and cut level (`samplingOf`).
 */
export function findMrzLines(cv: OpenCv, gray: GrayImage, pxPerMm: number): MrzLines {
  const scope = new MatScope(cv);
  try {
    const full = scope.track(cv.matFromArray(gray.height, gray.width, cv.CV_8UC1, gray.data as unknown as number[]));
    const s = Math.min(1, LOCATE_PX_PER_MM / pxPerMm);
    const small = scope.mat();
    cv.resize(full, small, new cv.Size(Math.max(1, Math.round(gray.width * s)), Math.max(1, Math.round(gray.height * s))), 0, 0, cv.INTER_AREA);
    const ppm = pxPerMm * s;
    const mm = (v: number): number => Math.max(1, Math.round(v * ppm));
    const k1 = scope.track(cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(mm(5), mm(4))));
    // Ink against its local paper (the closing: the paper's brightness around each character), as a
    // share of that brightness (a black-hat divided by the paper): print absorbs a share of the light,
    // so under a shadow or a gradient the same ink gives a smaller black-hat but the same ratio, and one
    // Otsu threshold fits the whole page.
    const paper = scope.mat();
    cv.morphologyEx(small, paper, cv.MORPH_CLOSE, k1);
    const dark = scope.mat();
    cv.subtract(paper, small, dark);
    const blackhat = scope.mat();
    cv.divide(dark, paper, blackhat, 255, -1);
    const bin = scope.mat();
    cv.threshold(blackhat, bin, 0, 255, cv.THRESH_BINARY | cv.THRESH_OTSU);
    const closed = scope.mat();
    const k2 = scope.track(cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(mm(1.6), 1)));
    cv.morphologyEx(bin, closed, cv.MORPH_CLOSE, k2);
    const labels = scope.mat();
    const stats = scope.mat();
    const centroids = scope.mat();
    const n = cv.connectedComponentsWithStats(closed, labels, stats, centroids, 8, cv.CV_32S);
    const sums = pixelSums(labels.data32S as Int32Array, small.cols, n);
    const pieces: Row[] = [];
    for (let i = 1; i < n; i++) {
      const h = stats.intAt(i, cv.CC_STAT_HEIGHT);
      const x = stats.intAt(i, cv.CC_STAT_LEFT);
      const y = stats.intAt(i, cv.CC_STAT_TOP);
      const w = stats.intAt(i, cv.CC_STAT_WIDTH);
      const k = i * 5;
      const piece: Row = { x, y, w, h, thick: h, n: sums[k]!, sx: sums[k + 1]!, sy: sums[k + 2]!, sxx: sums[k + 3]!, sxy: sums[k + 4]! };
      piece.thick = Math.max(1, h - Math.abs(slopeOf(piece, ppm)) * w);
      if (piece.thick < 0.8 * ppm || piece.thick > 5 * ppm) continue;
      // Edges of the crop (background past a rounded corner, a warped border) are no text.
      if (y <= 0 || y + h >= small.rows || (x <= 0 && x + w >= small.cols)) continue;
      pieces.push(piece);
    }
    const W = small.cols;
    const midX = W / 2;
    const rows = mergeRows(pieces, ppm)
      .filter((b) => b.w >= Math.min(0.55 * W, MIN_LINE_MM * ppm) && b.w <= 0.98 * W && b.w / b.thick > 12 && b.thick >= 1.4 * ppm && b.thick <= 5 * ppm)
      .sort((a, b) => centreAt(a, midX, ppm) - centreAt(b, midX, ppm));
    // Lowest run of 2-3 rows at MRZ pitch (ICAO: 6 lines per inch, ~4.2 mm; allow 3.2-6.5 mm) and similar width.
    let best: Row[] = [];
    for (let i = 0; i < rows.length; i++) {
      const group = [rows[i]!];
      for (let j = i + 1; j < rows.length && group.length < 3; j++) {
        const last = group[group.length - 1]!;
        const at = last.x + last.w / 2;
        const pitch = (centreAt(rows[j]!, at, ppm) - centreAt(last, at, ppm)) / ppm;
        if (pitch < 3.2 || pitch > 6.5) break;
        if (Math.abs(rows[j]!.w - group[0]!.w) > 0.2 * group[0]!.w) break;
        group.push(rows[j]!);
      }
      if (group.length >= 2 && (group.length > best.length || (group.length === best.length && centreAt(group[0]!, midX, ppm) > centreAt(best[0]!, midX, ppm)))) best = group;
    }
    // The lines of a zone are printed equally long from one left edge (ICAO 9303), so each is cut over
    // the group's whole extent: a line whose start the search lost (that piece joined to a stroke below
    // it, or cut off by a washed-out gap) is still read whole. Mild MRV-B 33004 and strong MRV-A 101008
    // (tuning sets) had line 2 cut after its 7th character, and both engines read only the rest.
    const left = Math.min(...best.map((b) => b.x));
    const right = Math.max(...best.map((b) => b.x + b.w));
    const lines = best.map((b) => ({ ...b, x: left, w: right - left })).map((b) => {
      const along = lineSampling(gray, b, ppm, s);
      return along ? sampledLine(along, gray.width, gray.height) : lineBox(b, ppm, s, gray.width, gray.height);
    });
    return { lines, candidates: rows.length };
  } finally {
    scope.dispose();
  }
}

/** Padding of a line's crop: 1.5 mm at the ends, 0.45 of the ink's height (at least 2 px) above and below. */
const END_PAD_MM = 1.5;
const padAcross = (thick: number): number => Math.max(2, 0.45 * thick);

/** The line's plain box in the full image (`s`: the search's scale), as it was always cut. */
function lineBox(b: Row, ppm: number, s: number, width: number, height: number): Rect {
  const pad = padAcross(b.thick);
  const x = Math.max(0, (b.x - END_PAD_MM * ppm) / s);
  const y = Math.max(0, (b.y - pad) / s);
  const x2 = Math.min(width, (b.x + b.w + END_PAD_MM * ppm) / s);
  const y2 = Math.min(height, (b.y + b.h + pad) / s);
  const box = { x: Math.round(x), y: Math.round(y), width: Math.round(x2 - x), height: Math.round(y2 - y) };
  return withSampling(box, { width: box.width, height: box.height, toImage: [1, 0, box.x, 0, 1, box.y, 0, 0, 1] });
}

/** 3x3 row-major matrix product. */
function mul(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[r * 3 + c] = a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
  return out;
}

/**
 * Largest change of the character pitch from a line's left to its right end that is taken for
 * perspective (mild camera tilt foreshortens an MRZ line by up to ~15%); a larger measured change is
 * no perspective, and the line is sampled level at an even scale.
 */
const MAX_PITCH_RATIO = 0.25;
/** Below this measured change of pitch along the line, a level line is cut as a plain box. */
const EVEN_PITCH = 0.03;

/**
 * The character pitch of columns `[from, to)` of a column ink profile: the lag in
 * `[minLag, maxLag]` where the profile best matches itself shifted (normalised autocorrelation,
 * refined to a fraction of a pixel by a parabola through the peak), with how well it matched.
 */
function pitchOf(profile: Float32Array, from: number, to: number, minLag: number, maxLag: number): { pitch: number; score: number } | null {
  const n = to - from;
  if (n < 3 * maxLag) return null;
  let mean = 0;
  for (let x = from; x < to; x++) mean += profile[x]!;
  mean /= n;
  const scores: number[] = [];
  const lo = Math.max(1, Math.floor(minLag));
  const hi = Math.ceil(maxLag);
  for (let lag = lo; lag <= hi; lag++) {
    let num = 0;
    let da = 0;
    let db = 0;
    for (let x = from; x + lag < to; x++) {
      const a = profile[x]! - mean;
      const b = profile[x + lag]! - mean;
      num += a * b; da += a * a; db += b * b;
    }
    scores.push(da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0);
  }
  let best = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k]! > scores[best]!) best = k;
  if (best === 0 || best === scores.length - 1) return null;
  const [l, c, r] = [scores[best - 1]!, scores[best]!, scores[best + 1]!];
  const denom = l - 2 * c + r;
  const shift = denom < 0 ? Math.max(-0.5, Math.min(0.5, (l - r) / (2 * denom))) : 0;
  return { pitch: lo + best + shift, score: c };
}

/**
 * How much a level line's character pitch grows from its left to its right end (right / left; 1: even),
 * measured on its ink: the pitch of its first and last 40% of ink columns. Null when either part has no
 * clear pitch (a read of a line of this crop would not be helped by a guess).
 */
export function pitchRatio(crop: GrayImage, thick: number): number | null {
  const { width: w, height: h, data } = crop;
  // Ink per column against its local paper (the brightest pixel within a character height either
  // side), so a shadow's edge or a gradient along the line adds no pitch of its own.
  const colMax = new Float32Array(w);
  for (let x = 0; x < w; x++) for (let y = 0; y < h; y++) colMax[x] = Math.max(colMax[x]!, data[y * w + x]!);
  const reach = Math.max(1, Math.round(thick));
  const profile = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    let paper = 0;
    for (let i = Math.max(0, x - reach); i <= Math.min(w - 1, x + reach); i++) paper = Math.max(paper, colMax[i]!);
    let ink = 0;
    for (let y = 0; y < h; y++) ink += Math.max(0, paper - data[y * w + x]!) / Math.max(1, paper);
    profile[x] = ink;
  }
  const peak = Math.max(...profile);
  let first = 0;
  while (first < w && profile[first]! < 0.3 * peak) first++;
  let last = w - 1;
  while (last > first && profile[last]! < 0.3 * peak) last--;
  const span = last - first;
  // The pitch of the middle part first (over the whole line, perspective smears it), then of each end near it.
  const part = Math.round(0.4 * span);
  const middle = pitchOf(profile, first + Math.round(0.3 * span), first + Math.round(0.3 * span) + part, 0.75 * thick, 1.6 * thick);
  if (!middle || middle.score < 0.3) return null;
  const left = pitchOf(profile, first, first + part, 0.8 * middle.pitch, 1.25 * middle.pitch);
  const right = pitchOf(profile, last + 1 - part, last + 1, 0.8 * middle.pitch, 1.25 * middle.pitch);
  if (!left || !right || left.score < 0.3 || right.score < 0.3) return null;
  return right.pitch / left.pitch;
}

/**
 * How a line is sampled level and at an even pitch: turned by its ink line's slope (`level`, the affine
 * part), and where its character pitch changes along it (perspective: `pitchRatio`), unfolded by a
 * projective term along the line. Null when the line is level and evenly pitched (a rectified page, a
 * flat scan): it is cut as a plain box, as always.
 */
function lineSampling(ink: GrayImage, b: Row, ppm: number, s: number): LineSampling | null {
  const slope = slopeOf(b, ppm);
  const angle = Math.atan(slope);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const pad = padAcross(b.thick);
  const x0 = b.x - END_PAD_MM * ppm;
  const x1 = b.x + b.w + END_PAD_MM * ppm;
  const X = Math.round((x1 - x0) / cos / s);
  const H = Math.round((b.thick + 2 * pad) / s);
  const sx = x0 / s;
  const sy = centreAt(b, x0, ppm) / s;
  // Level frame (x along the line from its padded start, y across from the top of the crop) -> image.
  const level = [cos, -sin, sx + (H / 2) * sin, sin, cos, sy - (H / 2) * cos, 0, 0, 1];
  const ratio = pitchRatio(sampleLine(ink, { width: X, height: H, toImage: level }), b.thick / s);
  const even = ratio === null || Math.abs(ratio - 1) > MAX_PITCH_RATIO || Math.abs(ratio - 1) < EVEN_PITCH;
  if (even && Math.abs(slope) * b.w < LEVEL_RISE * b.thick) return null;
  if (even) return { width: X, height: H, toImage: level };
  // Perspective along the line: in centred coordinates, level x' = u' / (1 + c u'), y' = v' / (1 + c u'),
  // whose scale at level x' is (1 - c x')^2; c from the pitch ratio measured at the ends of the ink.
  const xl = -0.3 * X;
  const xr = 0.3 * X;
  const root = Math.sqrt(ratio);
  const c = (root - 1) / (root * xl - xr);
  const u = (x: number): number => x / (1 - c * x);
  const U = Math.round(u(X / 2) - u(-X / 2));
  const uMid = (u(X / 2) + u(-X / 2)) / 2;
  // Output (u, v) -> centred (u' = u - U/2 + uMid, v' = v - H/2) -> level frame (x' + X/2, y' + H/2).
  const centreOut = [1, 0, -U / 2 + uMid, 0, 1, -H / 2, 0, 0, 1];
  const unfold = [1, 0, 0, 0, 1, 0, c, 0, 1];
  const toLevel = [1, 0, X / 2, 0, 1, H / 2, 0, 0, 1];
  return { width: U, height: H, toImage: mul(level, mul(toLevel, mul(unfold, centreOut))) };
}

/** Crop pixel (x, y) in the image. */
function mapPoint(t: readonly number[], x: number, y: number): [number, number] {
  const w = t[6]! * x + t[7]! * y + t[8]!;
  return [(t[0]! * x + t[1]! * y + t[2]!) / w, (t[3]! * x + t[4]! * y + t[5]!) / w];
}

/** A sampled line with the axis-aligned box (whole pixels, inside the image) around its crop. */
function sampledLine(along: LineSampling, width: number, height: number): Rect {
  const pts = [mapPoint(along.toImage, 0, 0), mapPoint(along.toImage, along.width, 0), mapPoint(along.toImage, along.width, along.height), mapPoint(along.toImage, 0, along.height)];
  const x = Math.max(0, Math.floor(Math.min(...pts.map((p) => p[0]))));
  const y = Math.max(0, Math.floor(Math.min(...pts.map((p) => p[1]))));
  const x2 = Math.min(width, Math.ceil(Math.max(...pts.map((p) => p[0]))));
  const y2 = Math.min(height, Math.ceil(Math.max(...pts.map((p) => p[1]))));
  return withSampling({ x, y, width: x2 - x, height: y2 - y }, along);
}

/**
 * The crop with each pixel as a share of its local paper (the brightest pixel of its column's
 * neighbourhood, `reach` columns either side), scaled to white: print absorbs a share of the light, so a
 * shadow's edge or a gradient along the line vanishes and the ink keeps its contrast.
 */
export function againstPaper(crop: GrayImage, reach: number): GrayImage {
  const { width: w, height: h, data } = crop;
  const colMax = new Float32Array(w);
  for (let x = 0; x < w; x++) for (let y = 0; y < h; y++) colMax[x] = Math.max(colMax[x]!, data[y * w + x]!);
  const r = Math.max(1, Math.round(reach));
  const out = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let paper = 0;
    for (let i = Math.max(0, x - r); i <= Math.min(w - 1, x + r); i++) paper = Math.max(paper, colMax[i]!);
    const k = 255 / Math.max(1, paper);
    for (let y = 0; y < h; y++) out[y * w + x] = Math.min(255, Math.round(data[y * w + x]! * k));
  }
  return { width: w, height: h, data: out };
}

/** Samples a line's crop through its homography (bilinear; outside the image, its nearest edge). */
function sampleLine(gray: GrayImage, along: LineSampling): GrayImage {
  const { width: w, height: h, toImage: t } = along;
  const data = new Uint8Array(w * h);
  const W = gray.width;
  const H = gray.height;
  const g = gray.data;
  const [a, b, c, d, e, f, g0, g1, g2] = t as [number, number, number, number, number, number, number, number, number];
  for (let v = 0; v < h; v++) {
    const pv = v + 0.5;
    for (let u = 0; u < w; u++) {
      // Pixel centres: crop (u + 0.5, v + 0.5) -> image, less half a pixel for the image's pixel grid.
      const pu = u + 0.5;
      const z = g0 * pu + g1 * pv + g2;
      const x = Math.min(W - 1, Math.max(0, (a * pu + b * pv + c) / z - 0.5));
      const y = Math.min(H - 1, Math.max(0, (d * pu + e * pv + f) / z - 0.5));
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const x1 = Math.min(W - 1, x0 + 1);
      const y1 = Math.min(H - 1, y0 + 1);
      const fx = x - x0;
      const fy = y - y0;
      const above = g[y0 * W + x0]! * (1 - fx) + g[y0 * W + x1]! * fx;
      const below = g[y1 * W + x0]! * (1 - fx) + g[y1 * W + x1]! * fx;
      data[v * w + u] = Math.round(above * (1 - fy) + below * fy);
    }
  }
  return { width: w, height: h, data };
}

/**
 * Copies a rectangle of a gray image. A line box from `findMrzLines` is sampled as `samplingOf` says
 * (level, at an even pitch) and read against its local paper (`againstPaper`: a shadow's edge across it
 * vanishes).
 */
export function cropGray(gray: GrayImage, r: Rect): GrayImage {
  const along = samplings.get(r);
  // A plain box's sampling is a whole-pixel shift: copied as it is.
  if (along && !(along.toImage[0] === 1 && along.toImage[1] === 0 && along.toImage[3] === 0 && along.toImage[4] === 1 && along.toImage[6] === 0 && along.toImage[7] === 0)) {
    return againstPaper(sampleLine(gray, along), along.height / 2);
  }
  const data = new Uint8Array(r.width * r.height);
  for (let y = 0; y < r.height; y++) data.set(gray.data.subarray((r.y + y) * gray.width + r.x, (r.y + y) * gray.width + r.x + r.width), y * r.width);
  const box = { width: r.width, height: r.height, data };
  return along ? againstPaper(box, along.height / 2) : box;
}

/** Rotates a gray image by 180 degrees (a document upside down). */
export function rotate180(gray: GrayImage): GrayImage {
  const data = new Uint8Array(gray.data.length);
  for (let i = 0; i < data.length; i++) data[i] = gray.data[data.length - 1 - i]!;
  return { width: gray.width, height: gray.height, data };
}
