/**
 * How much of its ink contrast each cell of a fixed-pitch MRZ line kept. Glare, a hologram's sheen or
 * a bright stain lays a veil of light over part of a line: the ink under it comes out washed out, not
 * gone, and not clipped at white (a camera's gain, noise and compression come after the light). A
 * template matcher normalises each cell's contrast away, so the faint rest of a glyph whose top was
 * washed out reads as confidently as a whole one (a `0` with its top lost is a `U`). What the crop does
 * show is the contrast itself: ink-to-paper in the washed part falls well below the line's typical.
 *
 * Each cell is measured in two halves, upper and lower (every OCR-B capital and digit, and the `<`,
 * has ink in both), so a veil over half a glyph counts even when the other half is intact.
 */
import type { GrayImage } from './mrz-reader.ts';

/** Share of a part's pixels taken as its ink: the darkest of them. */
const INK_QUANTILE = 0.05;
/** The part's paper: a level most of its pixels reach (strokes cover well under half a cell). */
const PAPER_QUANTILE = 0.8;

/** Cell boundaries along the line (image x of cell 0's left edge, and the pitch). */
export interface CellColumns {
  readonly cells: number;
  readonly offset: number;
  readonly pitch: number;
}

/** The gray level at rank floor(q (n - 1)) of the n levels counted in `histogram` (as a sorted array would hold it). */
function quantile(histogram: Uint32Array, n: number, q: number): number {
  const rank = Math.min(n - 1, Math.max(0, Math.floor(q * (n - 1))));
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen > rank) return v;
  }
  return 255;
}

/** Ink-to-paper contrast (gray levels) of each cell's upper and lower half over rows [top, bottom]. */
export function cellPartContrasts(line: GrayImage, rows: { readonly top: number; readonly bottom: number }, grid: CellColumns): Array<[number, number]> {
  const { width: w, data } = line;
  const mid = Math.round((rows.top + rows.bottom + 1) / 2);
  const histogram = new Uint32Array(256);
  const part = (x0: number, x1: number, y0: number, y1: number): number => {
    const n = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
    if (n < 4) return 0;
    histogram.fill(0);
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) histogram[data[y * w + x]!]!++;
    return quantile(histogram, n, PAPER_QUANTILE) - quantile(histogram, n, INK_QUANTILE);
  };
  const out: Array<[number, number]> = [];
  for (let c = 0; c < grid.cells; c++) {
    const x0 = Math.max(0, Math.round(grid.offset + c * grid.pitch));
    const x1 = Math.min(w, Math.round(grid.offset + (c + 1) * grid.pitch));
    out.push([part(x0, x1, rows.top, mid), part(x0, x1, mid, rows.bottom + 1)]);
  }
  return out;
}

/**
 * Cells either side whose parts make a cell's typical contrast. A veil of glare covers a few cells
 * (up to ~6 on the synthetic sets); light falling off across a photo dims a whole stretch of the line,
 * and there every cell's neighbours are dimmed alike, so the dim end of a line is not taken for a veil.
 */
const TYPICAL_WINDOW = 8;

/**
 * Per cell, the contrast its fainter half kept as a share of the typical part contrast around it (the
 * median over the parts of the cells within TYPICAL_WINDOW): about 1 for ink as printed, well under it
 * where a veil of light washed part of the glyph out.
 */
export function cellInkShares(line: GrayImage, rows: { readonly top: number; readonly bottom: number }, grid: CellColumns): number[] {
  const parts = cellPartContrasts(line, rows, grid);
  return parts.map(([up, down], c) => {
    const near = parts.slice(Math.max(0, c - TYPICAL_WINDOW), c + TYPICAL_WINDOW + 1).flat().sort((a, b) => a - b);
    const typical = near[Math.floor(near.length / 2)] ?? 0;
    return typical > 0 ? Math.min(up, down) / typical : 1;
  });
}
