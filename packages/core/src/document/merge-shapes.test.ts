import { describe, expect, it } from 'vitest';
import { mergeMrzReads, shapeCall } from './merge.ts';
import type { OcrCharRead } from './ocr-read.ts';
import { recordedReads, withCharRead } from '../../test/recorded-reads.ts';

const OPTIONS = {
  referenceDate: new Date('2026-06-01T00:00:00Z'),
  engineWeights: { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': 1.5, 'tesseract#0': 0.7 },
  fillerLookalikes: { 'ppocr#0': 'KA', 'ppocr#1': 'KA' },
  lengthWitnesses: ['ocrb#0'],
};

const cell = (char: string, confidence: number, alternatives: Array<[string, number]> = [], faded = false): OcrCharRead => ({
  char, confidence, alternatives: alternatives.map(([c, p]) => ({ char: c, confidence: p })), ...(faded ? { faded: true } : {}),
});

describe('shapeCall (the measuring engine between OCR-B look-alikes)', () => {
  it('takes an `O` whose `0` template stands close for a `0`, and an `O` with no `0` beside it for an `O`', () => {
    // 250000's number cells (true 0) and its issuing state's O (true O), as the cell reader read them.
    expect(shapeCall(cell('O', 0.72, [['0', 0.25]]))).toBe('0');
    expect(shapeCall(cell('O', 0.73, [['Q', 0.14], ['D', 0.12]]))).toBe('O');
    expect(shapeCall(cell('0', 0.63, [['U', 0.04], ['O', 0.02]]))).toBe('0');
    // Mild TD2 314006's `0` of `F4K230R9`, read `O` with its `0` at 0.08 (a true `O` holds 0.03 at most).
    expect(shapeCall(cell('O', 0.9, [['0', 0.08]]))).toBe('0');
    expect(shapeCall(cell('O', 0.95, [['0', 0.03]]))).toBe('O');
  });

  it('calls S/5 and B/8 only when its own read is clear, and never a faded or faint cell', () => {
    expect(shapeCall(cell('5', 0.95, [['S', 0.04]]))).toBe('5');
    expect(shapeCall(cell('8', 0.9, [['S', 0.06], ['B', 0.03]]))).toBe('8');
    expect(shapeCall(cell('S', 0.55, [['5', 0.4]]))).toBeUndefined();
    expect(shapeCall(cell('5', 0.9, [], true))).toBeUndefined();
    expect(shapeCall(cell('O', 0.2, [['0', 0.05]]))).toBeUndefined();
    expect(shapeCall(cell('A', 0.9))).toBeUndefined();
  });
});

/**
 * The engine reads the pipeline merged for strong TD1 250000 of tuning set 150000 (eval:mrz --seed
 * 150000), dumped from the document worker with `mrzEvidence` (confidences rounded to 3 places). The
 * number `G40580B0<`: the cell reader read `G4O58OBO<` with `0` at 0.22-0.28 beside each `O` (a true
 * `0` under strong blur) and `5` 0.95, `8` 0.90; both PP-OCR variants and tesseract.js read `G4OSBOBO`.
 * Several mixes of O/0, S/5 and B/8 pass the number's digit and the composite: refused as ambiguous.
 */
describe('mergeMrzReads with OCR-B look-alikes in a TD1 number (recorded reads)', () => {
  const reads = recordedReads('strong-td1-250000');
  const TRUTH = ['A<POLG40580B0<0<<<<<<<<<<<<<<<', '5202278F3109247FRA<<<<<<<<<<<0', 'ERIKSSON<<MOHAMMED<ALI<<<<<<<<'];

  it('chooses the number the cell reader\'s shapes say over the other engines\' O, S and B', () => {
    const m = mergeMrzReads(reads, OPTIONS);
    expect(m.result.corrected).toEqual(TRUTH);
  });

  it('is valid, not refused for PP-OCR\'s `A` where the cell reader is sure of `<`, and flags what the shapes decided', () => {
    const m = mergeMrzReads(reads, OPTIONS);
    expect(m.ambiguous).toBe(false);
    expect(m.valid).toBe(true);
    expect(m.uncertainFields).toEqual(expect.arrayContaining(['documentNumber', 'optionalData']));
    // The second line no shape or filler decided stays certain.
    expect(m.uncertainFields).not.toContain('birthDate');
    expect(m.uncertainFields).not.toContain('expiryDate');
  });
});


/**
 * The engine reads the pipeline merged for strong TD1 254000 of tuning set 154000 (eval:mrz --seed
 * 154000), dumped as above. The cell reader read every cell right at 0.84 or more (the number
 * `KGW8349CS` at 0.97-1.00); tesseract.js read `KK` for the number's `<K` (`<` the runner-up of each),
 * and the rival `A<D<<<GW8349CS6` (K and `<` weigh the same under every digit) stood 0.18 behind.
 */
describe('mergeMrzReads where the cell reader is sure of a letter the digits cannot tell from `<` (recorded reads)', () => {
  const reads = recordedReads('strong-td1-254000');
  const TRUTH = ['A<D<<KGW8349CS6<<<<<<<<<<<<<<<', '8705286X2701161NLD<<<<<<<<<<<8', 'MARTIN<<SIOBHAN<<<<<<<<<<<<<<<'];

  it('is valid with the cell reader\'s letter, the number flagged', () => {
    const m = mergeMrzReads(reads, OPTIONS);
    expect(m.result.corrected).toEqual(TRUTH);
    expect(m.valid).toBe(true);
    expect(m.uncertainFields).toContain('documentNumber');
  });
});

/**
 * The engine reads the pipeline merged for strong TD1 334025 of set 234000 (eval:mrz --seed 234000),
 * dumped as above. A glare core over line 1's optional data: the cell reader guessed `Q4` there at 0
 * (faded) and read the padding after it `<` at 1.00; PP-OCR read `K` for one of those fillers (both
 * variants, 0.47 and 0.97); tesseract.js read the line as garbage (`X`, `R`, `E` over the padding). The
 * rival with PP-OCR's `K` passes the composite digit and stood 0.29 behind.
 */
describe('mergeMrzReads where the cell reader is sure of `<` and a third engine read other letters there (recorded reads)', () => {
  const TRUTH = ['C<ITAJGT2E2GEG8<<<<<<<<<<<<<<<', '9907283X3507027POL<<<<<<<<<<<6', 'VAN<DER<BERG<<SIOBHAN<<<<<<<<<'];

  it('is valid with the filler, the optional data flagged, not refused for PP-OCR\'s `K`', () => {
    const m = mergeMrzReads(recordedReads('strong-td1-334025'), OPTIONS);
    expect(m.ambiguous).toBe(false);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TRUTH);
    expect(m.uncertainFields).toContain('optionalData');
  });

  it('stays refused when an engine read the rival\'s letter there as itself', () => {
    // tesseract.js's `R` over the padding read as a sure `K`, with no `<` beside it: a letter it saw, not a chevron.
    const m = mergeMrzReads(withCharRead(recordedReads('strong-td1-334025'), 'tesseract#0', 0, 17, { char: 'K', confidence: 0.9, alternatives: [] }), OPTIONS);
    expect(m.ambiguous).toBe(true);
    expect(m.valid).toBe(false);
  });
});

/**
 * The engine reads the pipeline merged for mild TD2 314006 of set 314000 (eval:mrz --seed 314000),
 * dumped as above. The number `F4K230R9`: both PP-OCR variants read it so, the cell reader read
 * `F4K23OR9` (`O` 0.90, `0` 0.08), tesseract.js `FGK230R9`. Taken as an `O`, the cell made PP-OCR's and
 * tesseract.js's `0` votes its own, and the corrector balanced it with tesseract.js's `G`.
 */
describe('mergeMrzReads with a true `0` the cell reader read `O` with its `0` close behind (recorded reads)', () => {
  const reads = recordedReads('mild-td2-314006');

  it('reads the number the engines read, valid', () => {
    const m = mergeMrzReads(reads, OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(['I<UTOMARTIN<<ANNA<MARIA<<<<<<<<<<<<<', 'F4K230R9<6UTO9312166F3204120<<<<<<<6']);
  });
});

