import { describe, expect, it } from 'vitest';
import { document as coreDocument } from '@ekyc/core';
import { cutColumns } from './ppocr-reader.ts';
import { SPAN_MARGIN, spanForCells, spanPixels, spliceSpan, sureFillerTail } from './ppocr-spans.ts';

type LineRead = coreDocument.OcrLineRead;

/** Names line, and a data line whose document number holds a 6 and a G (no check digit tells them apart). */
const NAMES = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<';
const DATA = 'L86G902631UTO7408122F1204159ZE184227B<<<<<46';
const REF = { referenceDate: new Date('2010-01-01T00:00:00Z') };
const WEIGHTS = { 'ocrb#0': 1.5, 'ppocr#0': 1 };

function read(text: string, conf = 0.98, overrides: Record<number, [string, number]> = {}): LineRead {
  const chars = [...text].map((char, i) => {
    const o = overrides[i];
    return { char: o?.[0] ?? char, confidence: o?.[1] ?? conf, alternatives: [] };
  });
  return { text: chars.map((c) => c.char).join(''), chars };
}

/** PP-OCR's read of cells [start, end) only, spliced back into the cell reader's line. */
function spanRead(cells: LineRead, start: number, end: number, own: string): LineRead {
  return spliceSpan(cells, { start, end }, read(own, 0.95));
}

describe('sureFillerTail', () => {
  it('finds where the run of sure trailing fillers starts', () => {
    expect(sureFillerTail(read(NAMES))).toBe('P<UTOERIKSSON<<ANNA<MARIA'.length);
    expect(sureFillerTail(read(DATA))).toBe(DATA.length);
  });

  it('stops at a filler the cell reader is unsure of', () => {
    expect(sureFillerTail(read(NAMES, 0.98, { 30: ['<', 0.6] }))).toBe(31);
  });
});

describe('spanForCells', () => {
  const names = read(NAMES);
  const nameCells = Array.from({ length: NAMES.length - 5 }, (_, i) => 5 + i);

  it('covers a name up to the sure fillers, with a margin of context each side', () => {
    expect(spanForCells(names, nameCells)).toEqual({ start: 5 - SPAN_MARGIN, end: 25 + SPAN_MARGIN });
  });

  it('covers the cells in doubt on a data line (the document number)', () => {
    expect(spanForCells(read(DATA), [0, 1, 2, 3, 4, 5, 6, 7, 8])).toEqual({ start: 0, end: 9 + SPAN_MARGIN });
  });

  it('reads the whole line when the span would cover most of it, a cell is out of the line, or only sure fillers are in doubt', () => {
    expect(spanForCells(read(DATA), [0, 40])).toBeNull();
    expect(spanForCells(names, [50])).toBeNull();
    expect(spanForCells(names, [30, 31])).toBeNull();
  });
});

describe('spanPixels and cutColumns', () => {
  it('cuts the span at its cell boundaries, padded with paper', () => {
    expect(spanPixels({ cells: 44, offset: 10, pitch: 20, cost: 0 }, { start: 2, end: 5 }, 1000)).toEqual({ x0: 50, x1: 110 });
    const line = { width: 6, height: 2, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16]) };
    expect([...cutColumns(line, 2, 4, 1).data]).toEqual([255, 3, 4, 255, 255, 13, 14, 255]);
  });
});

describe('spliceSpan in the merge', () => {
  it('keeps the line aligned, PP-OCR characters inside the span, the cell reader\'s outside at confidence 0', () => {
    const cells = read(NAMES);
    const spliced = spanRead(cells, 2, 28, NAMES.slice(2, 28));
    expect(spliced.text).toBe(NAMES);
    expect(spliced.chars.slice(0, 2).every((c) => c.confidence === 0)).toBe(true);
    expect(spliced.chars.slice(28).every((c) => c.confidence === 0 && c.alternatives.length === 0)).toBe(true);
    expect(spliced.chars[10]!.confidence).toBe(0.95);
  });

  const merge = (ocrb: LineRead[], ppocr: LineRead[]) => coreDocument.mergeMrzReads(
    [{ engine: 'ppocr#0', lines: ppocr }, { engine: 'ocrb#0', lines: ocrb }],
    { ...REF, engineWeights: WEIGHTS },
  );

  it('accepts a name PP-OCR confirmed in its span, and flags one it read differently there', () => {
    const ocrb = [read(NAMES), read(DATA)];
    const agreed = merge(ocrb, [spanRead(ocrb[0]!, 2, 28, NAMES.slice(2, 28)), spanRead(ocrb[1]!, 0, 12, DATA.slice(0, 12))]);
    expect(agreed.valid).toBe(true);
    expect(agreed.uncertainFields).toEqual([]);
    const other = NAMES.slice(2, 21) + 'N' + NAMES.slice(22, 28);
    const dissent = merge(ocrb, [spanRead(ocrb[0]!, 2, 28, other), spanRead(ocrb[1]!, 0, 12, DATA.slice(0, 12))]);
    expect(dissent.uncertainFields).toContain('givenNames');
  });

  it('confirms a 6/G only where PP-OCR itself read it: the placeholders outside its span are no second opinion', () => {
    const ocrb = [read(NAMES), read(DATA)];
    const names = spanRead(ocrb[0]!, 2, 28, NAMES.slice(2, 28));
    // The data line's span misses the document number: only the cell reader read it.
    const missed = merge(ocrb, [names, spanRead(ocrb[1]!, 13, 30, DATA.slice(13, 30))]);
    expect(missed.valid).toBe(true);
    expect(missed.uncertainFields).toContain('documentNumber');
    const covered = merge(ocrb, [names, spanRead(ocrb[1]!, 0, 12, DATA.slice(0, 12))]);
    expect(covered.uncertainFields).not.toContain('documentNumber');
  });
});
