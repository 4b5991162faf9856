/**
 * A fast MRZ reader for OCR-B, which is fixed-pitch: the line is cut into N equal cells (N = 30, 36 or
 * 44, the MRZ line lengths), and each cell is classified against glyph templates rendered from the
 * OCR-B font (ocrb-templates.generated.ts) by normalised cross-correlation, allowing a small shift.
 * Scores become per-character probabilities with alternatives, so the merge and the check digits decide
 * as for the other engines. No model, no worker round trip: tens of milliseconds a line.
 *
 * It knows one font. Documents printed in an OCR-B variant or an older font read with lower scores,
 * which the pipeline treats as "not confident" and hands to PP-OCR.
 */
import { EkycError, document as coreDocumentValues, type document as coreDocument } from '@ekyc/core';
import { cellInkShares } from './ink-fade.ts';
import { MRZ_CHARSET, type GrayImage, type MrzReader } from './mrz-reader.ts';
import { OCRB_TEMPLATES } from './ocrb-templates.generated.ts';

/** The MRZ line lengths (TD1, TD2/MRV-B, TD3/MRV-A). */
export const MRZ_LINE_LENGTHS: readonly number[] = [30, 36, 44];

export interface GlyphTemplates {
  readonly chars: string;
  readonly width: number;
  readonly height: number;
  readonly capTop: number;
  readonly capHeight: number;
  /** Per blur level: chars.length templates of width*height, each zero-mean with unit norm. */
  readonly levels: readonly Float32Array[];
}

function gaussianBlur(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma <= 0) return src.slice();
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const ks = k.reduce((a, b) => a + b, 0);
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let s = 0;
    for (let i = -r; i <= r; i++) s += k[i + r]! * src[y * w + Math.min(w - 1, Math.max(0, x + i))]!;
    tmp[y * w + x] = s / ks;
  }
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let s = 0;
    for (let i = -r; i <= r; i++) s += k[i + r]! * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x]!;
    out[y * w + x] = s / ks;
  }
  return out;
}

function normalizeInPlace(v: Float32Array, start: number, n: number): void {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[start + i]!;
  mean /= n;
  let norm = 0;
  for (let i = 0; i < n; i++) { const d = v[start + i]! - mean; v[start + i] = d; norm += d * d; }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < n; i++) v[start + i]! /= norm;
}

/**
 * Templates decoded from the generated data, at each blur level (Gaussian sigma in template pixels;
 * the cap height is 24 px, so 1.2 px is about the strong set's 0.9-1.5 px blur at 12 px/mm).
 */
export function decodeTemplates(blurs: readonly number[] = [0, 1.2], source: typeof OCRB_TEMPLATES = OCRB_TEMPLATES): GlyphTemplates {
  const { width, height, chars } = source;
  const bytes = Uint8Array.from(atob(source.base64), (c) => c.charCodeAt(0));
  const n = width * height;
  const levels = blurs.map((sigma) => {
    const out = new Float32Array(chars.length * n);
    for (let k = 0; k < chars.length; k++) {
      const glyph = Float32Array.from(bytes.subarray(k * n, (k + 1) * n), (b) => b / 255);
      out.set(gaussianBlur(glyph, width, height, sigma), k * n);
      normalizeInPlace(out, k * n, n);
    }
    return out;
  });
  return { chars, width, height, capTop: source.capTop, capHeight: source.capHeight, levels };
}

/**
 * Darkness 0..1 of each pixel against the local paper and ink levels (per-column range over the crop's
 * height, widened to +-`radius` columns): glare or shade along the line does not move the threshold.
 */
export function localDarkness(line: GrayImage, radius: number): Float32Array {
  const { width: w, height: h, data } = line;
  const colMin = new Float32Array(w).fill(255);
  const colMax = new Float32Array(w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const v = data[y * w + x]!;
    if (v < colMin[x]!) colMin[x] = v;
    if (v > colMax[x]!) colMax[x] = v;
  }
  const lo = new Float32Array(w);
  const hi = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    let mn = 255;
    let mx = 0;
    for (let i = Math.max(0, x - radius); i <= Math.min(w - 1, x + radius); i++) { if (colMin[i]! < mn) mn = colMin[i]!; if (colMax[i]! > mx) mx = colMax[i]!; }
    lo[x] = mn;
    hi[x] = mx;
  }
  // Columns of bare paper (margins, wide gaps) hold only noise: their range is floored at a share of
  // the crop's whole range so that noise does not become ink.
  const sorted = Float32Array.from(colMax).sort();
  const sortedMin = Float32Array.from(colMin).sort();
  const floor = Math.max(24, 0.3 * ((sorted[Math.floor(0.9 * (w - 1))] ?? 255) - (sortedMin[Math.floor(0.1 * (w - 1))] ?? 0)));
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const range = Math.max(floor, hi[x]! - lo[x]!);
    out[y * w + x] = Math.min(1, Math.max(0, (hi[x]! - data[y * w + x]!) / range));
  }
  return out;
}

/** Rows of the cap height (top of the capitals to the baseline) in a darkness map, or null. */
function capRows(dark: Float32Array, w: number, h: number): { top: number; bottom: number } | null {
  const counts = new Array<number>(h).fill(0);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (dark[y * w + x]! > 0.5) counts[y]!++;
  const peak = Math.max(...counts);
  if (peak < Math.max(4, 0.05 * w)) return null;
  // A row belongs to the text when it holds a fair share of the busiest row's ink (stray specks and a
  // neighbouring line's edge do not).
  const min = 0.2 * peak;
  let best: { top: number; bottom: number; ink: number } | null = null;
  for (let y = 0; y < h;) {
    if (counts[y]! < min) { y++; continue; }
    let end = y;
    let ink = 0;
    while (end < h && counts[end]! >= min) ink += counts[end++]!;
    if (!best || ink > best.ink) best = { top: y, bottom: end - 1, ink };
    y = end;
  }
  return best && best.bottom - best.top >= 5 ? { top: best.top, bottom: best.bottom } : null;
}

/** Mean darkness, above and below the text, that makes a column background (the card's edge, the table). */
const BACKGROUND_DARKNESS = 0.3;

/**
 * Clears the columns at the crop's sides that are dark above and below the text as well as across it:
 * no glyph reaches beyond its cap rows, so such a column is the document's edge or what lies beyond it
 * (a card not filling the frame, perspective), caught in the line's crop. Left in, it counted as the line's first ink and the
 * grid began on it: a TD1 name line read `4UUUUHHT<<LENA...` for `OCONNOR<<LENA` (strong eval, 101035).
 * Rows within a quarter cap height of the text are left out (blur spreads the glyphs into them); a
 * neighbouring line caught at the crop's top or bottom darkens one side only. Returns the columns cleared.
 */
export function clearBackgroundColumns(dark: Float32Array, w: number, h: number, cap: { top: number; bottom: number }): number {
  const margin = Math.ceil(0.25 * (cap.bottom - cap.top + 1));
  const above = Math.max(0, cap.top - margin);
  const belowStart = Math.min(h, cap.bottom + 1 + margin);
  if (above < 2 || h - belowStart < 2) return 0;
  const background = (x: number): boolean => {
    let a = 0;
    let b = 0;
    for (let y = 0; y < above; y++) a += dark[y * w + x]!;
    for (let y = belowStart; y < h; y++) b += dark[y * w + x]!;
    return a / above >= BACKGROUND_DARKNESS && b / (h - belowStart) >= BACKGROUND_DARKNESS;
  };
  const clear = (x: number): void => { for (let y = 0; y < h; y++) dark[y * w + x] = 0; };
  // Only runs from the crop's sides: inside the line, a dark column above and below is a stamp or a
  // neighbouring line's glyphs, not the edge, and is left to the cells.
  let left = 0;
  while (left < w && background(left)) clear(left++);
  let right = w - 1;
  while (right > left && background(right)) clear(right--);
  return left + (w - 1 - right);
}

export interface CellGrid {
  readonly cells: number;
  /** Image x of the left edge of cell 0, and the cell pitch, in pixels. */
  readonly offset: number;
  readonly pitch: number;
  /** Mean darkness at the cell boundaries over the mean darkness of the line (lower: cleaner gaps). */
  readonly cost: number;
}

function profileAt(profile: Float32Array, x: number): number {
  if (x <= 0) return profile[0]!;
  if (x >= profile.length - 1) return profile[profile.length - 1]!;
  const i = Math.floor(x);
  const f = x - i;
  return profile[i]! * (1 - f) + profile[i + 1]! * f;
}

/**
 * The line's first and last ink columns are where the smoothed profile rises EXTENT_SHARE of the way
 * from paper to the glyphs' peak. Measured on the strong eval set (80 documents): at 0.08 unsmoothed,
 * a screen moiré's vertical stripes in a 14 px margin started the grid in the margin (105033:
 * `N<TRADE<LA<CRUZ<<FILLCLLL...` for `V<FRADE<LA<CRUZ<<YUKI<<<...`); smoothed over +-2 px (about half
 * a moiré period) at 0.2-0.35 every line read as well or better (at 0.08 smoothed, 101034 still failed).
 */
const EXTENT_SHARE = 0.3;
const EXTENT_SMOOTH = 2;

/**
 * For each line length, the pitch and offset whose cell boundaries cross the least ink (the gaps
 * between glyphs) with all the line's ink inside the cells. Sorted best first.
 */
export function fitCellGrids(profile: Float32Array, lengths: readonly number[] = MRZ_LINE_LENGTHS): CellGrid[] {
  const w = profile.length;
  const sorted = [...profile].sort((a, b) => a - b);
  const paper = sorted[Math.floor(0.05 * w)] ?? 0;
  const peak = sorted[Math.floor(0.98 * (w - 1))] ?? 0;
  if (peak - paper <= 0) return [];
  // Where the ink starts and ends: on the profile smoothed over +-EXTENT_SMOOTH px, at EXTENT_SHARE of
  // the ink's height above the paper (a moiré's stripes in the margin must not count as a glyph).
  const smooth = Float32Array.from(profile, (_, x) => {
    let s = 0;
    for (let i = x - EXTENT_SMOOTH; i <= x + EXTENT_SMOOTH; i++) s += profile[Math.min(w - 1, Math.max(0, i))]!;
    return s / (2 * EXTENT_SMOOTH + 1);
  });
  const on = (x: number): boolean => smooth[x]! - paper > EXTENT_SHARE * (peak - paper);
  let left = 0;
  while (left < w && !on(left)) left++;
  let right = w - 1;
  while (right > left && !on(right)) right--;
  if (right - left < 20) return [];
  let meanInk = 0;
  for (let x = left; x <= right; x++) meanInk += profile[x]! - paper;
  meanInk = Math.max(1e-6, meanInk / (right - left + 1));
  const span = right - left + 1;
  const grids: CellGrid[] = [];
  for (const n of lengths) {
    let best: CellGrid | undefined;
    // The ink spans the glyphs, which fill most of the first and last cells: pitch between span/n and
    // span/(n - 0.6); the grid's left edge up to 0.4 pitch before the first ink.
    const pMin = span / n;
    const pMax = span / (n - 0.6);
    for (let p = pMin; p <= pMax; p += 0.05) {
      for (let o = left - 0.4 * p; o <= left + 0.05 * p; o += 0.25) {
        if (o + n * p < right - 0.05 * p) continue;
        let s = 0;
        for (let i = 0; i <= n; i++) s += Math.max(0, profileAt(profile, o + i * p) - paper);
        const cost = s / (n + 1) / meanInk;
        if (!best || cost < best.cost) best = { cells: n, offset: o, pitch: p, cost };
      }
    }
    if (best) grids.push(best);
  }
  return grids.sort((a, b) => a.cost - b.cost);
}

/** What one cell read: the best template score and a probability per character. */
export interface CellRead {
  readonly scores: Float32Array;
  readonly best: number;
}

export interface GlyphLineRead {
  readonly read: coreDocument.OcrLineRead;
  readonly grid: CellGrid;
  /** Per cell read: the horizontal shift (template pixels) of its best match, and that match's score. */
  readonly shifts: readonly { readonly cell: number; readonly dx: number; readonly score: number }[];
  /** Mean of the cells' best normalised cross-correlation (1 = the templates exactly). */
  readonly meanScore: number;
  /** Per cell read, every template's best score (in the templates' character order). */
  readonly scores: readonly Float32Array[];
}

/**
 * Probability spread of the scores: a character 0.03 below the best template is e^-1 as likely.
 * Measured on the synthetic mild set: right characters score 0.85-0.97 with the runner-up 0.1-0.3
 * below; O/0/D/Q and B/8 sit 0.03-0.08 apart under blur.
 */
const TEMPERATURE = 0.03;
/** Best scores under this say the cell holds no OCR-B glyph we know: confidence falls to 0 at it. */
const SCORE_FLOOR = 0.45;
const SCORE_FULL = 0.75;
/** Shift search around each cell, in template pixels. */
const SHIFT_X = 3;
const SHIFT_Y = 1;
/** Border of the resampled line around the cells, for the shifts. */
const GRID_PAD = SHIFT_X + 1;

/**
 * Reads one MRZ line cut from a rectified document: cap rows, column ink profile, cell grid per MRZ
 * line length, cells classified; the length whose cells match the templates best wins. Null when the
 * crop holds no text-shaped ink.
 */
export function readGlyphLine(line: GrayImage, templates: GlyphTemplates, lengths: readonly number[] = MRZ_LINE_LENGTHS): GlyphLineRead | null {
  const { width: w, height: h } = line;
  const dark = localDarkness(line, Math.max(8, 2 * h));
  const cap = capRows(dark, w, h);
  if (!cap) return null;
  const capH = cap.bottom - cap.top + 1;
  clearBackgroundColumns(dark, w, h, cap);
  const profile = new Float32Array(w);
  for (let y = cap.top; y <= cap.bottom; y++) for (let x = 0; x < w; x++) profile[x]! += dark[y * w + x]!;
  const grids = fitCellGrids(profile, lengths);
  if (grids.length === 0) return null;
  // Wrong lengths put boundaries through glyphs, and the cap rows found include the digits' extra
  // height or not depending on the line's content: candidates (length x vertical scale) are compared
  // on a sample of cells, then the best is read in full.
  const sample = (cells: number): number[] => Array.from({ length: Math.min(cells, SAMPLE_CELLS) }, (_, i) => Math.floor(((i + 0.5) * cells) / Math.min(cells, SAMPLE_CELLS)));
  let chosen: { grid: CellGrid; capH: number; level: number; score: number } | undefined;
  for (const grid of grids.filter((g) => g.cost <= 1.6 * grids[0]!.cost + 0.02)) {
    for (const f of CAP_SCALES) {
      const g = resampleToGrid(dark, w, h, cap.bottom, capH * f, grid, templates, GRID_PAD);
      for (let level = 0; level < templates.levels.length; level++) {
        const r = classifyCells(g, grid, templates, level, sample(grid.cells));
        if (!chosen || r.meanScore > chosen.score) chosen = { grid, capH: capH * f, level, score: r.meanScore };
      }
    }
  }
  const g = resampleToGrid(dark, w, h, cap.bottom, chosen!.capH, chosen!.grid, templates, GRID_PAD);
  const first = classifyCells(g, chosen!.grid, templates, chosen!.level);
  // The boundary fit can drift along a long line (glare hides the last glyphs' ink, so the span is
  // short): the cells' own best shifts show it, linear in the cell index. Re-fit offset and pitch to
  // them and read again; keep whichever matched the templates better.
  const refit = refitGrid(first, templates.width);
  const second = refit ? classifyCells(resampleToGrid(dark, w, h, cap.bottom, chosen!.capH, refit, templates, GRID_PAD), refit, templates, chosen!.level) : undefined;
  const read = discountUnfamiliarFace(second && second.meanScore > first.meanScore ? second : first);
  return markFadedCells(read, cellInkShares(line, cap, read.grid), templates.chars);
}

/**
 * A cell whose fainter half kept less than this share of the line's typical ink contrast was seen
 * washed out (ink-fade.ts). Measured on the 88 strong line crops of tuning set 1000: lines without glare
 * keep 0.66-0.94 in their faintest cell; under a glare veil cells fall to 0.07-0.5, and in fresh set
 * 17000's TD1 117000 the `0` read as `U` kept 0.27.
 */
const FADED_SHARE = 0.6;
/**
 * In a faded cell, a character the check digits cannot tell from the best one (check-blind.ts) whose
 * template scored within this of the best's is a plausible reading of what is left of the glyph, and is
 * offered as an alternative. In 117000 the `0` scored 0.077 under the `U`; the right characters of
 * clean cells score 0.1-0.3 above their runner-up (TEMPERATURE).
 */
const FADED_RIVAL_GAP = 0.12;

/**
 * Marks the cells seen washed out (`faded`, for the merge and the pipeline: one engine alone does not
 * settle a checked character there against a check-blind rival) and adds those rivals, with their own
 * probabilities, to the cell's alternatives. The template match normalises contrast away, so without
 * this a faint rest of a glyph reads as confidently as a whole one: a `0` with its top washed out by
 * glare read `U` at 0.77, and no check digit could object (fresh set 17000, 117000).
 */
export function markFadedCells(read: GlyphLineRead, inkShares: readonly number[], chars: string): GlyphLineRead {
  if (!inkShares.some((share) => share < FADED_SHARE)) return read;
  const cells = read.read.chars.map((c, i) => {
    const scores = read.scores[i];
    if (!scores || (inkShares[i] ?? 1) >= FADED_SHARE) return c;
    const top = chars.indexOf(c.char);
    const s0 = scores[top] ?? -1;
    const known = new Set([c.char, ...c.alternatives.map((a) => a.char)]);
    const rivals = [...coreDocumentValues.checkBlindRivals(c.char)]
      .filter((ch) => !known.has(ch) && (scores[chars.indexOf(ch)] ?? -1) >= s0 - FADED_RIVAL_GAP)
      .map((ch) => ({ char: ch, confidence: c.confidence * Math.exp((scores[chars.indexOf(ch)]! - s0) / TEMPERATURE) }));
    return { ...c, alternatives: [...c.alternatives, ...rivals], faded: true };
  });
  return { ...read, read: { text: read.read.text, chars: cells } };
}

/**
 * How well the line's printed face matches the templates' OCR-B: the upper quartile of the best scores
 * of its cells not read as `<` (a chevron looks alike in most faces; a quartile, so glare or a stamp
 * over part of the line does not count). Measured with testkit's MRZ_FONT_VARIANTS (96 lines each,
 * mild and strong degradation): OCR-B, its sharp cut, bold and heavy 0.93-0.99; DejaVu Sans Mono
 * (another monospace face) 0.83-0.95, median 0.89-0.92, where the cells read 1 as I, S as 5, O/D as 0
 * at full confidence (57-98 such characters in 1320) and one document number came out with two such
 * errors whose check-digit terms cancelled: a silent error in the merged read (eval:mrz --fonts).
 */
export function faceFamiliarity(read: GlyphLineRead): number {
  const scores = read.shifts.filter((_, i) => read.read.chars[i]?.char !== '<').map((s) => s.score).sort((a, b) => a - b);
  if (scores.length < 4) return 1;
  return scores[Math.floor(0.75 * (scores.length - 1))]!;
}

/** Familiarity at and above which the cell reader's confidences stand; at FACE_UNKNOWN and below they fall to 0. */
const FACE_KNOWN = 0.935;
const FACE_UNKNOWN = 0.9;

/**
 * A line in a face the templates do not know is read with confidences scaled down by its familiarity,
 * so the pipeline hands it to PP-OCR and tesseract.js and the merge weighs the cell reader's look-alike
 * letters and digits less: the cell reader knows when it does not know the font. Its `<` fillers keep
 * their confidence: with them discounted too, PP-OCR's `A` fillers won a DejaVu name line
 * (`MARTINLAAAA...`), the line lost its length and the given names came out empty, unflagged.
 */
export function discountUnfamiliarFace(read: GlyphLineRead): GlyphLineRead {
  const f = Math.min(1, Math.max(0, (faceFamiliarity(read) - FACE_UNKNOWN) / (FACE_KNOWN - FACE_UNKNOWN)));
  if (f >= 1) return read;
  const chars = read.read.chars.map((c) => (c.char === '<' ? c : { ...c, confidence: c.confidence * f, alternatives: c.alternatives.map((a) => ({ ...a, confidence: a.confidence * f })) }));
  return { ...read, read: { ...read.read, chars } };
}

/** Least-squares line through the well-matched cells' shifts; a corrected grid when it moves any cell by a pixel or more. */
export function refitGrid(read: GlyphLineRead, templateWidth: number): CellGrid | null {
  const good = read.shifts.filter((s) => s.score >= 0.6);
  if (good.length < 8) return null;
  const n = good.length;
  const mx = good.reduce((a, s) => a + s.cell, 0) / n;
  const my = good.reduce((a, s) => a + s.dx, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const s of good) { sxx += (s.cell - mx) ** 2; sxy += (s.cell - mx) * (s.dx - my); }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const cells = read.grid.cells;
  if (Math.max(Math.abs(intercept), Math.abs(intercept + slope * (cells - 1))) < 1) return null;
  const px = read.grid.pitch / templateWidth;
  return { ...read.grid, offset: read.grid.offset + intercept * px, pitch: read.grid.pitch + slope * px };
}

/** Cells compared per candidate grid before the full read. */
const SAMPLE_CELLS = 8;
/** Cap heights tried around the measured one (digits stand taller than capitals in OCR-B). */
const CAP_SCALES: readonly number[] = [0.92, 1, 1.08];

/** The darkness map resampled so that one cell is one template (pitch -> width, cap height -> capHeight). */
function resampleToGrid(dark: Float32Array, w: number, h: number, baseline: number, capH: number, grid: CellGrid, t: GlyphTemplates, pad: number): { data: Float32Array; width: number; height: number; x0: number } {
  const sx = t.width / grid.pitch;
  const sy = t.capHeight / capH;
  const x0 = grid.offset * sx - pad;
  const width = Math.ceil(grid.cells * t.width + 2 * pad);
  const height = t.height + 2 * pad;
  const data = new Float32Array(width * height);
  // Box-average when shrinking (scans at 600 DPI), bilinear otherwise.
  const kx = Math.max(1, Math.ceil(1 / sx));
  const ky = Math.max(1, Math.ceil(1 / sy));
  const sample = (x: number, y: number): number => {
    const xc = Math.min(w - 1, Math.max(0, x));
    const yc = Math.min(h - 1, Math.max(0, y));
    const xi = Math.min(w - 2, Math.floor(xc));
    const yi = Math.min(h - 2, Math.floor(yc));
    const fx = xc - xi;
    const fy = yc - yi;
    const i = yi * w + xi;
    return (dark[i]! * (1 - fx) + dark[i + 1]! * fx) * (1 - fy) + (dark[i + w]! * (1 - fx) + dark[i + w + 1]! * fx) * fy;
  };
  for (let gy = 0; gy < height; gy++) {
    const yc = baseline + 1 + (gy - pad - t.capTop - t.capHeight + 0.5) / sy - 0.5;
    for (let gx = 0; gx < width; gx++) {
      const xc = (x0 + gx + 0.5) / sx - 0.5;
      let s = 0;
      for (let j = 0; j < ky; j++) for (let i = 0; i < kx; i++) s += sample(xc + ((i + 0.5) / kx - 0.5) / sx, yc + ((j + 0.5) / ky - 0.5) / sy);
      data[gy * width + gx] = s / (kx * ky);
    }
  }
  return { data, width, height, x0 };
}

/** Normalised cross-correlation of the window at (left, top) of the grid image with templates `ks` of one blur level. */
function scoreWindow(g: { data: Float32Array; width: number }, left: number, top: number, t: GlyphTemplates, level: Float32Array, ks: readonly number[], win: Float32Array, out: Float32Array): void {
  const n = t.width * t.height;
  let mean = 0;
  for (let y = 0; y < t.height; y++) {
    const row = (top + y) * g.width + left;
    for (let x = 0; x < t.width; x++) { const v = g.data[row + x]!; win[y * t.width + x] = v; mean += v; }
  }
  mean /= n;
  let norm = 0;
  for (let i = 0; i < n; i++) { const d = win[i]! - mean; win[i] = d; norm += d * d; }
  // A blank cell (no glyph, or a blot): no correlation to speak of.
  if (norm < 1e-3) return;
  const inv = 1 / Math.sqrt(norm);
  for (const k of ks) {
    let dot = 0;
    const base = k * n;
    for (let i = 0; i < n; i++) dot += win[i]! * level[base + i]!;
    dot *= inv;
    if (dot > out[k]!) out[k] = dot;
  }
}

/** Characters kept from the coarse pass for the fine shift search. */
const FINE_CANDIDATES = 6;

function classifyCells(g: { data: Float32Array; width: number }, grid: CellGrid, t: GlyphTemplates, levelIndex: number, only?: readonly number[]): GlyphLineRead {
  const level = t.levels[levelIndex]!;
  const pad = GRID_PAD;
  const K = t.chars.length;
  const all = [...Array(K).keys()];
  const win = new Float32Array(t.width * t.height);
  const chars: coreDocument.OcrCharRead[] = [];
  let scoreSum = 0;
  const coarse = new Float32Array(K);
  const best = new Float32Array(K);
  const probe = new Float32Array(K);
  const cells = only ?? [...Array(grid.cells).keys()];
  const shifts: Array<{ cell: number; dx: number; score: number }> = [];
  const cellScores: Float32Array[] = [];
  for (const c of cells) {
    // Coarse: every character at a few shifts; fine: the best few at every shift around the best one.
    coarse.fill(-1);
    let bestDx = 0;
    let bestScore = -1;
    for (const dx of [-2, 0, 2]) {
      probe.fill(-1);
      scoreWindow(g, pad + c * t.width + dx, pad, t, level, all, win, probe);
      for (let k = 0; k < K; k++) {
        if (probe[k]! > coarse[k]!) coarse[k] = probe[k]!;
        if (probe[k]! > bestScore) { bestScore = probe[k]!; bestDx = dx; }
      }
    }
    const ks = all.filter((k) => coarse[k]! > -1).sort((a, b) => coarse[b]! - coarse[a]!).slice(0, FINE_CANDIDATES);
    best.set(coarse);
    let topDx = bestDx;
    let top = Math.max(...best);
    for (let dy = -SHIFT_Y; dy <= SHIFT_Y; dy++) {
      for (let dx = Math.max(-SHIFT_X, bestDx - 1); dx <= Math.min(SHIFT_X, bestDx + 1); dx++) {
        scoreWindow(g, pad + c * t.width + dx, pad + dy, t, level, ks, win, best);
        const m = Math.max(...best);
        if (m > top) { top = m; topDx = dx; }
      }
    }
    chars.push(cellToChar(best, t.chars));
    cellScores.push(best.slice());
    shifts.push({ cell: c, dx: topDx, score: top });
    scoreSum += top;
  }
  const read = { text: chars.map((ch) => ch.char).join(''), chars };
  return { read, grid, shifts, meanScore: scoreSum / Math.max(1, cells.length), scores: cellScores };
}

/** Scores of one cell -> the character, its confidence and its two best alternatives. */
export function cellToChar(scores: Float32Array, chars: string): coreDocument.OcrCharRead {
  let top = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k]! > scores[top]!) top = k;
  const s0 = scores[top]!;
  let z = 0;
  const p = new Float32Array(scores.length);
  for (let k = 0; k < scores.length; k++) { p[k] = Math.exp((scores[k]! - s0) / TEMPERATURE); z += p[k]!; }
  const quality = Math.min(1, Math.max(0, (s0 - SCORE_FLOOR) / (SCORE_FULL - SCORE_FLOOR)));
  const order = [...p.keys()].filter((k) => k !== top).sort((a, b) => p[b]! - p[a]!);
  return {
    char: chars[top]!,
    confidence: (p[top]! / z) * quality,
    alternatives: order.slice(0, 2).filter((k) => p[k]! / z > 0.02).map((k) => ({ char: chars[k]!, confidence: (p[k]! / z) * quality })),
  };
}

/** The template reader behind the MrzReader interface (one variant; synchronous work, async for the interface). */
export class OcrbReader implements MrzReader {
  readonly engine = 'ocrb';
  readonly variants = 1;
  private readonly templates: GlyphTemplates;

  constructor(templates: GlyphTemplates = decodeTemplates()) {
    this.templates = templates;
    if (templates.chars !== MRZ_CHARSET) throw new EkycError('invalid_argument', 'OCR-B templates must cover the MRZ character set in its order');
  }

  /** The read carries the cell grid it used, so another engine can be given only some of the cells. */
  readLine(line: GrayImage): Promise<coreDocument.OcrLineRead & { readonly grid?: CellGrid }> {
    const r = readGlyphLine(line, this.templates);
    return Promise.resolve(r ? { ...r.read, grid: r.grid } : { text: '', chars: [] });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
