import { describe, expect, it } from 'vitest';
import { computeCheckDigit } from '../mrz/check-digit.ts';
import { recordedReads } from '../../test/recorded-reads.ts';
import { mergeMrzReads, type MergeOptions } from './merge.ts';
import { hasPrintableDoubt } from './printed-doubts.ts';

/**
 * A TD1 back with a glare core over its number (controlled hotspot, seed 604005, mild): the cell
 * reader saw `6` faded and `1`, `7` washed out; the merge's guesses `J`, `C` pass the number's check
 * digit and the composite. Truth `YJ61729C<`, printed on the card's front as `YJ61729C`.
 */
const OPTIONS: MergeOptions = {
  referenceDate: new Date('2026-06-01T00:00:00Z'),
  engineWeights: { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': 1.5, 'tesseract#0': 0.7 },
  fillerLookalikes: { 'ppocr#0': 'KA', 'ppocr#1': 'KA' },
  lengthWitnesses: ['ocrb#0'],
};
const DATES = ['030417', '340109', '250715'];
const merge = (printed?: MergeOptions['printed']) => mergeMrzReads(recordedReads('glare-td1-604005'), { ...OPTIONS, ...(printed ? { printed } : {}) });

describe('a valid reading doubting its number, settled from the printed value (recorded reads)', () => {
  it('alone: valid, the number wrong and flagged', () => {
    const m = merge();
    expect(m.valid).toBe(true);
    expect(m.result.fields.documentNumber?.value).toBe('YJJC729C');
    expect(m.uncertainFields).toContain('documentNumber');
    expect(hasPrintableDoubt(m.uncertainFields)).toBe(true);
  });

  it('with the printed number: the glyphs glare took are the print, the field stays flagged, the positions are reported', () => {
    const m = merge({ documentNumbers: ['YJ61729C'], dates: DATES });
    expect(m.valid).toBe(true);
    expect(m.result.fields.documentNumber?.value).toBe('YJ61729C');
    expect(m.result.corrected[0]).toBe('IDD<<YJ61729C<0<<<<<<<<<<<<<<<');
    expect(m.uncertainFields).toContain('documentNumber');
    expect(m.printedFilled).toEqual([{ line: 0, column: 7, was: 'J', char: '6' }, { line: 0, column: 8, was: 'C', char: '1' }]);
  });

  it('a printed value that passes the check digit but differs where the engines read clearly is not taken', () => {
    // `C` at column 12 was read at 0.66-1.0 by every engine; a printed `YJ6?729X` with the check digit kept.
    const other = [...'ABDEFGHIJKLMNOPQRSTUVWXYZ'].flatMap((x) => [...'0123456789'].map((y) => `YJ6${y}729${x}`)).find((v) => computeCheckDigit(`${v}<`) === '0')!;
    const m = merge({ documentNumbers: [other], dates: DATES });
    expect(m.result.fields.documentNumber?.value).toBe('YJJC729C');
    expect(m.printedFilled).toEqual([]);
  });

  it('a printed value that fails the check digit, or two that both fit, settle nothing', () => {
    expect(merge({ documentNumbers: ['YJ62729C'], dates: DATES }).printedFilled).toEqual([]);
    const twin = [...'0123456789'].flatMap((a) => [...'0123456789'].map((b) => `YJ${a}${b}729C`)).find((v) => v !== 'YJ61729C' && computeCheckDigit(`${v}<`) === '0')!;
    const both = merge({ documentNumbers: ['YJ61729C', twin], dates: DATES });
    expect(both.result.fields.documentNumber?.value).toBe('YJJC729C');
    expect(both.printedFilled).toEqual([]);
  });
});
