/**
 * Which cells of an MRZ line PP-OCR must read after the OCR-B cell reader, and how its reading of
 * those cells is put back into a whole line for the merge.
 *
 * PP-OCRv4's cost grows with its input's width (onnxruntime-web WASM, measured in the document bench:
 * inference is ~98% of its time, the crop and tensor a few ms). The cell reader settles most of a line
 * alone; the second engine is needed only on the cells in doubt: a name (never accepted on one engine)
 * up to the trailing run of fillers, a document number whose 6/G no check digit separates, a character
 * the cell reader was unsure of. A trailing run of fillers the cell reader is sure of is left to it.
 */
import type { document as coreDocument } from '@ekyc/core';
import type { CellGrid } from './ocrb-reader.ts';

/** Cells `[start, end)` of the line, in the cell reader's grid. */
export interface CellSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * Cells of context PP-OCR reads either side of the cells in doubt. A CTC line model reads a glyph from
 * its neighbours too; at a name's end it also reads the first fillers itself, so a letter the cell reader
 * took for `<` just past the name is seen by both engines.
 */
export const SPAN_MARGIN = 3;
/** A trailing `<` at least this confident belongs to the run PP-OCR is spared (the merge's sure filler is 0.85). */
export const TAIL_FILLER_SURE = 0.9;
/** A span covering this share of the line or more is read whole (the saving is small, the context lost is not). */
const WHOLE_LINE_SHARE = 0.85;

/** First cell of the trailing run of fillers the cell reader is sure of (the line length when there is none). */
export function sureFillerTail(read: coreDocument.OcrLineRead): number {
  let tail = read.chars.length;
  while (tail > 0) {
    const c = read.chars[tail - 1]!;
    if (c.char !== '<' || c.confidence < TAIL_FILLER_SURE) break;
    tail--;
  }
  return tail;
}

/**
 * The span PP-OCR must read to settle `cells` (cell indexes in doubt) of a line the cell reader read,
 * or null for the whole line: cells in the sure filler tail are dropped, the rest is covered with
 * SPAN_MARGIN cells of context each side.
 */
export function spanForCells(read: coreDocument.OcrLineRead, cells: Iterable<number>): CellSpan | null {
  const length = read.chars.length;
  const tail = sureFillerTail(read);
  let first = Infinity;
  let last = -Infinity;
  for (const c of cells) {
    if (c < 0 || c >= length) return null;
    if (c >= tail) continue;
    first = Math.min(first, c);
    last = Math.max(last, c);
  }
  // Only sure fillers in doubt: something odd about the line; read it whole.
  if (first > last) return null;
  const span = { start: Math.max(0, first - SPAN_MARGIN), end: Math.min(length, last + 1 + SPAN_MARGIN) };
  return span.end - span.start >= WHOLE_LINE_SHARE * length ? null : span;
}

/** The span's pixel columns in the line crop: from the cell boundary before its first cell to the one after its last. */
export function spanPixels(grid: CellGrid, span: CellSpan, width: number): { x0: number; x1: number } {
  const x0 = Math.max(0, Math.floor(grid.offset + span.start * grid.pitch));
  const x1 = Math.min(width, Math.ceil(grid.offset + span.end * grid.pitch));
  return { x0, x1: Math.max(x0 + 1, x1) };
}

/**
 * A whole line for the merge from a reading of one span: the span's characters as PP-OCR read them,
 * and outside it the cell reader's characters at confidence 0 with no alternatives. Those placeholders
 * keep the line's columns aligned and add no score (and no gap vote) to any column, so every column
 * outside the span weighs exactly what the cell reader alone gave it.
 */
export function spliceSpan(cellRead: coreDocument.OcrLineRead, span: CellSpan, spanRead: coreDocument.OcrLineRead): coreDocument.OcrLineRead {
  const placeholder = (c: coreDocument.OcrCharRead): coreDocument.OcrCharRead => ({ char: c.char, confidence: 0, alternatives: [] });
  const chars = [
    ...cellRead.chars.slice(0, span.start).map(placeholder),
    ...spanRead.chars,
    ...cellRead.chars.slice(span.end).map(placeholder),
  ];
  return { text: chars.map((c) => c.char).join(''), chars };
}
