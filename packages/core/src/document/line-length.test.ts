import { describe, expect, it } from 'vitest';
import { recordedReads } from '../../test/recorded-reads.ts';
import { lineLengthConflicts, MRZ_LAYOUT_LINE_LENGTHS, witnessedLineLengths, witnessesLength } from './line-length.ts';
import { mergeMrzReads } from './merge.ts';
import { lineFromText, type EngineMrzRead, type OcrCharRead, type OcrLineRead } from './ocr-read.ts';

/** A line read at `conf(i)` per character, no alternatives. */
function read(text: string, conf: (i: number) => number): OcrLineRead {
  const chars: OcrCharRead[] = [...text].map((char, i) => ({ char, confidence: conf(i), alternatives: [] }));
  return { text, chars };
}

/** As the document pipeline weighs the engines (document.ts). */
const OPTIONS = {
  referenceDate: new Date('2026-01-01T00:00:00Z'),
  engineWeights: { 'ppocr#0': 1, 'ocrb#0': 1.5, 'tesseract#0': 0.7 },
  fillerLookalikes: { 'ppocr#0': 'KA' },
  lengthWitnesses: ['ocrb#0'],
};

/**
 * An MRV-A visa (2x44) with a glare core over columns 24-30 of both lines (strong eval set, 109018):
 * PP-OCR dropped the glared characters (its lines came out 36 and 39 long), the OCR-B cell reader read
 * its 44 cells with ~0 confidence under the glare, tesseract read garbage there.
 */
const TRUTH = ['V<FRAOKAFOR<<SIOBHAN<<<<<<<<<<<<<<<<<<<<<<<<', 'D9Z2320101ITA5004254F2706052<<<<<<<<<<<<<<<<'];
const GLARED: EngineMrzRead[] = [
  { engine: 'ppocr#0', lines: [read('V<FRAOKAFOR<<SIOBHAN<<<<<<<<<<<<<<<<', () => 0.9), read('D9Z2320101ITA5004254F27009<<<<<<<<<<<<<', (i) => (i >= 24 && i <= 26 ? 0.4 : 0.9))] },
  { engine: 'ocrb#0', lines: [read('V<FRAOKAFOR<<SIOBHAN<<<<2J33LLL<<<<<<<<<<<<<', (i) => (i >= 24 && i <= 30 ? 0 : 0.95)), read('D9Z2320101ITA5004254F2706LJJLLK<<<<<<<<<<<<<', (i) => (i >= 25 && i <= 30 ? 0 : 0.95))] },
  { engine: 'tesseract#0', lines: [read('V<FRAOKAFOR<<SIOBHAN<<<<LLLLLLLLLKL', () => 0.6), read('D9223201011ITAS004254F270<<<', () => 0.8)] },
];

describe('witnessedLineLengths', () => {
  it('takes, per line, the longest MRZ layout length an engine read it at', () => {
    expect(MRZ_LAYOUT_LINE_LENGTHS).toEqual([30, 36, 44]);
    const w = witnessedLineLengths(GLARED, ['ocrb#0']);
    expect(w.map((x) => x?.length)).toEqual([44, 44]);
    expect(w[0]!.engine).toBe('ocrb#0');
  });

  it('takes no witness from an engine that does not measure (tesseract read a 30-long TD1 line 36 long, 101000)', () => {
    const w = witnessedLineLengths([{ engine: 'tesseract#0', lines: [lineFromText('5312249M3005257P0L<<<<LKLKLKLKLKLKL2')] }], ['ocrb#0']);
    expect(w[0]).toBeUndefined();
  });

  it('takes no witness from a line at no layout length (39 is a 44 or a 36 with characters lost or added)', () => {
    const w = witnessedLineLengths([{ engine: 'a', lines: [lineFromText('X'.repeat(39)), lineFromText('X'.repeat(36))] }], ['a']);
    expect(w[0]).toBeUndefined();
    expect(w[1]?.length).toBe(36);
  });

  it('takes a line with a glare core over a quarter of its letters at its word', () => {
    expect(GLARED.find((r) => r.engine === 'ocrb#0')!.lines.every(witnessesLength)).toBe(true);
  });
});

/**
 * An MRV-B visa printed in FreeMono (Courier at 10 pitch; `eval:mrz --fonts courier`, mild 1004), as the
 * document worker read it: both PP-OCR reads and tesseract.js have the 36-character lines right; the
 * cell reader, which knows OCR-B only, gridded them at 30 and 44 cells and discounted every letter and
 * digit it read to 0.
 */
const COURIER_READS = recordedReads('font-courier-mrvb-1004');
const COURIER_TRUTH = ['V<ITAERIKSSON<<JOAO<PEDRO<<<<<<<<<<<', 'J206E4J5T4GBR0109202M2706188<<<<<<<<'];

describe('a line in a face the cell reader does not know', () => {
  it('witnesses no length', () => {
    const cells = COURIER_READS.find((r) => r.engine === 'ocrb#0')!;
    expect(cells.lines.map((l) => l.text.length)).toEqual([30, 44]);
    expect(cells.lines.some(witnessesLength)).toBe(false);
    expect(witnessedLineLengths(COURIER_READS, ['ocrb#0'])).toEqual([undefined, undefined]);
  });

  it('so the recognisers\' right reading stands (it was refused as shorter than measured)', () => {
    const m = mergeMrzReads(COURIER_READS, { ...OPTIONS, engineWeights: { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': 1.5, 'tesseract#0': 0.7 } });
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(COURIER_TRUTH);
    expect(m.result.errors.map((e) => e.code)).not.toContain('mrz_line_length');
  });
});

describe('lineLengthConflicts', () => {
  const w = witnessedLineLengths([{ engine: 'a', lines: [lineFromText('X'.repeat(36)), lineFromText('X'.repeat(44)), lineFromText('X'.repeat(44))] }], ['a']);

  it('is one-sided: a witness shorter than the reading says only that its engine dropped characters', () => {
    expect(lineLengthConflicts(['X'.repeat(44), 'X'.repeat(44), 'X'.repeat(44)], w)).toEqual([]);
  });

  it('reports a line shorter than its witness', () => {
    const c = lineLengthConflicts(['X'.repeat(44), 'X'.repeat(36), 'X'.repeat(44)], w);
    expect(c).toEqual([{ line: 1, length: 36, witness: { line: 1, length: 44, engine: 'a' } }]);
  });

  it('maps a reading of fewer lines onto the last lines read (the MRZ is the lowest text)', () => {
    expect(lineLengthConflicts(['X'.repeat(44), 'X'.repeat(44)], w)).toEqual([]);
    expect(lineLengthConflicts(['X'.repeat(36), 'X'.repeat(36)], w).map((c) => c.witness.line)).toEqual([1, 2]);
  });
});

describe('mergeMrzReads and line lengths', () => {
  it('refuses an MRV-B reading of a visa whose lines an engine read 44 long (109018: was valid with a wrong expiry)', () => {
    const m = mergeMrzReads(GLARED, OPTIONS);
    expect(m.valid).toBe(false);
    expect(m.result.valid).toBe(false);
    expect(m.result.errors.map((e) => e.code)).toContain('mrz_line_length');
    // What it refused: the reading that passed the check digits by chance.
    expect(m.result.corrected.map((l) => l.length)).toEqual([36, 36]);
    expect(m.result.fields.expiryDate?.value).not.toBe('2027-06-05');
  });

  it('still reads the 44-long lines when the CTC engine dropped fillers and the cell reader read them', () => {
    const reads: EngineMrzRead[] = [
      { engine: 'ppocr#0', lines: [read(TRUTH[0]!.slice(0, 36), () => 0.9), read(TRUTH[1]!.slice(0, 30) + '<'.repeat(6), () => 0.9)] },
      { engine: 'ocrb#0', lines: TRUTH.map((t) => read(t, () => 0.95)) },
    ];
    const m = mergeMrzReads(reads, OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.result.format).toBe('MRVA');
    expect(m.result.corrected).toEqual(TRUTH);
  });

  it('reads a TD1 that tesseract read 36 long (it reads `<` as `LK`: no measurement, 101000)', () => {
    const td1 = ['I<D<<U246U958<0<<<<<<<<<<<<<<<', '5312249M3005257POL<<<<<<<<<<<2', 'SILVA<<LUCAS<<<<<<<<<<<<<<<<<<'];
    const reads: EngineMrzRead[] = [
      { engine: 'ppocr#0', lines: td1.map((t) => read(t, () => 0.9)) },
      { engine: 'ocrb#0', lines: td1.map((t) => read(t, () => 0.95)) },
      { engine: 'tesseract#0', lines: [read(td1[0]!, () => 0.5), read('5312249M3005257P0L<<<<LKLKLKLKLKLKL2', () => 0.5), read(td1[2]!, () => 0.5)] },
    ];
    const m = mergeMrzReads(reads, OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(td1);
  });

  it('leaves a 36-long document alone when no engine read its lines longer', () => {
    const mrvb = ['V<FRAOKAFOR<<SIOBHAN<<<<<<<<<<<<<<<<', 'D9Z2320101ITA5004254F2706052<<<<<<<<'];
    const m = mergeMrzReads([{ engine: 'ppocr#0', lines: mrvb.map((t) => read(t, () => 0.9)) }, { engine: 'ocrb#0', lines: mrvb.map((t) => read(t, () => 0.95)) }], OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.result.format).toBe('MRVB');
  });
});
