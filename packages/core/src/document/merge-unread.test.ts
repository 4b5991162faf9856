import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeMrzReads } from './merge.ts';
import type { EngineMrzRead } from './ocr-read.ts';

/**
 * The engine reads the pipeline merged for strong TD1 121010 of tuning set 21000 (eval:mrz --seed 21000),
 * as dumped from the document worker (confidences rounded to 3 places): a glare core over line 1's
 * optional data `<<<<<` (cells 19-23) and one cell of line 2's. The cell reader guessed `D4293` and `J`
 * there at 0 confidence; PP-OCR (two variants) and tesseract.js skipped the cells.
 */
const reads = JSON.parse(readFileSync(new URL('./__fixtures__/strong-td1-121010.reads.json', import.meta.url), 'utf8')) as EngineMrzRead[];
const TRUTH = ['A<FRAL244S5C7<9<<<<<<<<<<<<<<<', '7206100F3311053POL<<<<<<<<<<<0', 'KOWALSKA<<PIOTR<<<<<<<<<<<<<<<'];
const OPTIONS = {
  referenceDate: new Date('2026-06-01T00:00:00Z'),
  engineWeights: { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': 1.5, 'tesseract#0': 0.7 },
  fillerLookalikes: { 'ppocr#0': 'KA', 'ppocr#1': 'KA' },
  lengthWitnesses: ['ocrb#0'],
};

describe('mergeMrzReads and padding under a glare core (recorded reads)', () => {
  it('puts the filler back where no engine read anything, rather than the cell reader\'s guesses, and flags the fields', () => {
    const m = mergeMrzReads(reads, OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TRUTH);
    expect(m.uncertainFields).toEqual(expect.arrayContaining(['optionalData', 'optionalData2']));
    // The checked fields the engines did read stay certain.
    expect(m.uncertainFields).not.toContain('documentNumber');
    expect(m.uncertainFields).not.toContain('birthDate');
    expect(m.uncertainFields).not.toContain('expiryDate');
  });
});
