/**
 * The EU emblem of a driving licence on the rectified front: Directive 2006/126/EC, Annex I prints the
 * issuing state's distinguishing sign "in negative in a blue rectangle and encircled by twelve yellow
 * stars" at the top left of side 1. Found by colour (saturated blue in the card's top-left quarter),
 * and the sign cut out by whiteness: the minimum of R, G and B is high only for white ink (the blue
 * ground has little red, the yellow stars little blue), so the stars drop out. Pure pixels, no model.
 */
import type { RgbaImage } from '@ekyc/core';
import type { Rect } from './mrz-locate.ts';
import type { GrayImage } from './mrz-reader.ts';

export interface EmblemSign {
  /** The emblem's rectangle in the image. */
  readonly emblem: Rect;
  /** The sign, dark on light (255 - min(R, G, B)), with a margin: what the OCR engines read. */
  readonly crop: GrayImage;
}

/** A pixel of the emblem's blue: blue well above red and green (holds under dim light, where all fall). */
function isBlue(r: number, g: number, b: number): boolean {
  return b - r > 30 && b > 1.5 * r && b > 1.2 * g;
}

/** The longest run of indices whose count reaches `min`. */
function longestRun(counts: readonly number[], min: number): [number, number] | null {
  let best: [number, number] | null = null;
  for (let i = 0; i < counts.length;) {
    if (counts[i]! < min) { i++; continue; }
    const start = i;
    while (i < counts.length && counts[i]! >= min) i++;
    if (!best || i - start > best[1] - best[0]) best = [start, i];
  }
  return best;
}

/**
 * The emblem and its sign, or null when no blue rectangle of emblem shape sits in the top-left
 * quarter (a card of another layout, a washed-out or monochrome image), or nothing white is in it.
 */
export function emblemSign(rgba: RgbaImage): EmblemSign | null {
  const { width, height, data } = rgba;
  const rw = Math.round(width * 0.4);
  const rh = Math.round(height * 0.45);
  const rows = new Array<number>(rh).fill(0);
  const cols = new Array<number>(rw).fill(0);
  for (let y = 0; y < rh; y++) {
    for (let x = 0; x < rw; x++) {
      const i = (y * width + x) * 4;
      if (isBlue(data[i]!, data[i + 1]!, data[i + 2]!)) { rows[y]!++; cols[x]!++; }
    }
  }
  const maxRow = Math.max(...rows);
  const maxCol = Math.max(...cols);
  // The emblem is at least 5% of the card wide (11 mm of 85.6 on the model).
  if (maxRow < 0.05 * width || maxCol < 0.03 * height) return null;
  const ys = longestRun(rows, 0.3 * maxRow);
  const xs = longestRun(cols, 0.3 * maxCol);
  if (!ys || !xs) return null;
  const emblem: Rect = { x: xs[0], y: ys[0], width: xs[1] - xs[0], height: ys[1] - ys[0] };
  const aspect = emblem.width / emblem.height;
  if (aspect < 0.8 || aspect > 2.5 || emblem.width < 0.05 * width) return null;
  let blue = 0;
  for (let y = emblem.y; y < emblem.y + emblem.height; y++) {
    for (let x = emblem.x; x < emblem.x + emblem.width; x++) {
      const i = (y * width + x) * 4;
      if (isBlue(data[i]!, data[i + 1]!, data[i + 2]!)) blue++;
    }
  }
  // Mostly blue: the stars and the sign cover a small part of it.
  if (blue < 0.5 * emblem.width * emblem.height) return null;
  // Whiteness inside the emblem, its edge left out (the card's light paper borders it).
  const inset = Math.max(1, Math.round(0.08 * Math.min(emblem.width, emblem.height)));
  const ix = emblem.x + inset;
  const iy = emblem.y + inset;
  const iw = emblem.width - 2 * inset;
  const ih = emblem.height - 2 * inset;
  if (iw < 8 || ih < 8) return null;
  const white = new Uint8Array(iw * ih);
  for (let y = 0; y < ih; y++) {
    for (let x = 0; x < iw; x++) {
      const i = ((iy + y) * width + ix + x) * 4;
      white[y * iw + x] = Math.min(data[i]!, data[i + 1]!, data[i + 2]!);
    }
  }
  const sorted = Uint8Array.from(white).sort();
  const ground = sorted[Math.floor(sorted.length * 0.5)]!;
  const ink = sorted[Math.floor(sorted.length * 0.99)]!;
  if (ink - ground < 60) return null;
  const threshold = (ground + ink) / 2;
  const rowInk = new Array<number>(ih).fill(0);
  const colInk = new Array<number>(iw).fill(0);
  for (let y = 0; y < ih; y++) for (let x = 0; x < iw; x++) if (white[y * iw + x]! > threshold) { rowInk[y]!++; colInk[x]!++; }
  // Two pixels make a stroke; one is noise.
  const inkRows = rowInk.map((n, y) => (n >= 2 ? y : -1)).filter((y) => y >= 0);
  const inkCols = colInk.map((n, x) => (n >= 2 ? x : -1)).filter((x) => x >= 0);
  if (inkRows.length === 0 || inkCols.length === 0) return null;
  const top = inkRows[0]!;
  const bottom = inkRows[inkRows.length - 1]! + 1;
  const left = inkCols[0]!;
  const right = inkCols[inkCols.length - 1]! + 1;
  const margin = Math.round(0.3 * (bottom - top));
  const cx0 = Math.max(0, left - margin);
  const cy0 = Math.max(0, top - margin);
  const cx1 = Math.min(iw, right + margin);
  const cy1 = Math.min(ih, bottom + margin);
  const sw = cx1 - cx0;
  const ch = cy1 - cy0;
  // A one-letter sign (`I`, `L`) is narrower than the recogniser needs: PP-OCR rec scales the line to
  // 48 px high and gives one CTC step per 8 px of width, so a 20 px wide `I` had 2-3 steps and read
  // as nothing. The crop is padded with the emblem's ground to 1.5x its height.
  const cw = Math.max(sw, Math.ceil(1.5 * ch));
  const pad = Math.floor((cw - sw) / 2);
  const crop = new Uint8Array(cw * ch).fill(255 - ground);
  for (let y = 0; y < ch; y++) for (let x = 0; x < sw; x++) crop[y * cw + pad + x] = 255 - white[(cy0 + y) * iw + cx0 + x]!;
  return { emblem, crop: { width: cw, height: ch, data: crop } };
}
