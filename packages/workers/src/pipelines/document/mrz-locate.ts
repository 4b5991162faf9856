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

export interface MrzLines {
  /** Line boxes top to bottom in rectified pixels (empty when no MRZ-shaped group was found). */
  readonly lines: readonly Rect[];
  /** Line-shaped components seen (for diagnostics). */
  readonly candidates: number;
}

interface Box { x: number; y: number; w: number; h: number }

function mergeRows(boxes: Box[]): Box[] {
  const sorted = [...boxes].sort((a, b) => a.y + a.h / 2 - (b.y + b.h / 2));
  const out: Box[] = [];
  for (const b of sorted) {
    const row = out.find((r) => {
      const overlap = Math.min(r.y + r.h, b.y + b.h) - Math.max(r.y, b.y);
      return overlap > 0.5 * Math.min(r.h, b.h);
    });
    if (!row) { out.push({ ...b }); continue; }
    const x2 = Math.max(row.x + row.w, b.x + b.w);
    const y2 = Math.max(row.y + row.h, b.y + b.h);
    row.x = Math.min(row.x, b.x); row.y = Math.min(row.y, b.y);
    row.w = x2 - row.x; row.h = y2 - row.y;
  }
  return out;
}

/**
 * Finds the MRZ lines: dark text by black-hat, characters joined into lines by a horizontal closing,
 * then the lowest group of 2 or 3 long lines of equal height and width at the MRZ line pitch.
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
    const boxes: Box[] = [];
    for (let i = 1; i < n; i++) {
      const h = stats.intAt(i, cv.CC_STAT_HEIGHT);
      if (h < 0.8 * ppm || h > 5 * ppm) continue;
      const x = stats.intAt(i, cv.CC_STAT_LEFT);
      const y = stats.intAt(i, cv.CC_STAT_TOP);
      const w = stats.intAt(i, cv.CC_STAT_WIDTH);
      // Edges of the crop (background past a rounded corner, a warped border) are no text.
      if (y <= 0 || y + h >= small.rows || (x <= 0 && x + w >= small.cols)) continue;
      boxes.push({ x, y, w, h });
    }
    const W = small.cols;
    const rows = mergeRows(boxes).filter((b) => b.w >= Math.min(0.55 * W, MIN_LINE_MM * ppm) && b.w <= 0.98 * W && b.w / b.h > 12 && b.h >= 1.4 * ppm && b.h <= 5 * ppm).sort((a, b) => a.y - b.y);
    // Lowest run of 2-3 rows at MRZ pitch (ICAO: 6 lines per inch, ~4.2 mm; allow 3.2-6.5 mm) and similar width.
    let best: Box[] = [];
    for (let i = 0; i < rows.length; i++) {
      const group = [rows[i]!];
      for (let j = i + 1; j < rows.length && group.length < 3; j++) {
        const last = group[group.length - 1]!;
        const pitch = (rows[j]!.y + rows[j]!.h / 2 - (last.y + last.h / 2)) / ppm;
        if (pitch < 3.2 || pitch > 6.5) break;
        if (Math.abs(rows[j]!.w - group[0]!.w) > 0.2 * group[0]!.w) break;
        group.push(rows[j]!);
      }
      if (group.length >= 2 && (group.length > best.length || (group.length === best.length && group[0]!.y > best[0]!.y))) best = group;
    }
    const padY = (b: Box): number => Math.max(2, 0.45 * b.h);
    const lines = best.map((b) => {
      const x = Math.max(0, (b.x - 1.5 * ppm) / s);
      const y = Math.max(0, (b.y - padY(b)) / s);
      const x2 = Math.min(gray.width, (b.x + b.w + 1.5 * ppm) / s);
      const y2 = Math.min(gray.height, (b.y + b.h + padY(b)) / s);
      return { x: Math.round(x), y: Math.round(y), width: Math.round(x2 - x), height: Math.round(y2 - y) };
    });
    return { lines, candidates: rows.length };
  } finally {
    scope.dispose();
  }
}

/** Copies a rectangle of a gray image. */
export function cropGray(gray: GrayImage, r: Rect): GrayImage {
  const data = new Uint8Array(r.width * r.height);
  for (let y = 0; y < r.height; y++) data.set(gray.data.subarray((r.y + y) * gray.width + r.x, (r.y + y) * gray.width + r.x + r.width), y * r.width);
  return { width: r.width, height: r.height, data };
}

/** Rotates a gray image by 180 degrees (a document upside down). */
export function rotate180(gray: GrayImage): GrayImage {
  const data = new Uint8Array(gray.data.length);
  for (let i = 0; i < data.length; i++) data[i] = gray.data[data.length - 1 - i]!;
  return { width: gray.width, height: gray.height, data };
}
