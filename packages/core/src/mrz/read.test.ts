import { describe, expect, it } from 'vitest';
import { readMrz } from './read.ts';
import { ICAO_SPECIMEN_MRZ } from '@ekyc/testkit/mrz-specimens';

const REF = { referenceDate: new Date('2011-06-01T00:00:00Z') };
const TD3 = ICAO_SPECIMEN_MRZ.TD3.join('\n');

describe('readMrz', () => {
  it('reads a clean specimen with confidence and no corrections', () => {
    const r = readMrz(ICAO_SPECIMEN_MRZ.TD1, REF);
    expect(r.valid).toBe(true);
    expect(r.corrections).toEqual([]);
    expect(r.confidence).toBe(1);
  });

  it('undoes case, spaces, « and letter/digit confusions in numeric fields', () => {
    const ocr = 'p<utoeriksson«anna<maria<<<<<<<<<<<<<<<<<<<\nL898902C36UT0 74O8122F12O4159ZE184226B<<<<<1O';
    const r = readMrz(ocr, REF);
    expect(r.valid).toBe(true);
    expect(r.corrected).toEqual(ICAO_SPECIMEN_MRZ.TD3);
    expect(r.corrections).toEqual(expect.arrayContaining([
      { line: 1, column: 12, from: '0', to: 'O' },
      { line: 1, column: 15, from: 'O', to: '0' },
      { line: 1, column: 43, from: 'O', to: '0' },
    ]));
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThan(1);
  });

  it('uses the check digits to pick the one confusion that fits in a document number', () => {
    const r = readMrz(TD3.replace('L898902C3', 'L8989O2C3'), REF);
    expect(r.valid).toBe(true);
    expect(r.corrections).toEqual([{ line: 1, column: 5, from: 'O', to: '0' }]);
    // With a margin, a reading two changes away (which a single check digit cannot exclude) makes it ambiguous.
    expect(readMrz(TD3.replace('L898902C3', 'L8989O2C3'), { ...REF, margin: 1 }).ambiguous).toBe(true);
  });

  it('turns K/L/C read for fillers back into fillers', () => {
    const r = readMrz(ICAO_SPECIMEN_MRZ.TD1.map((l, i) => (i === 2 ? l.replace('MARIA<<<<<<<<<<', 'MARIA<<KLC<<<<<') : l)), REF);
    expect(r.valid).toBe(true);
    expect(r.corrected).toEqual(ICAO_SPECIMEN_MRZ.TD1);
  });

  it('fixes lines with fillers lost or added', () => {
    const r = readMrz(TD3.replace('<<<<<<<<<<<<<<<<<<<\n', '<<<<<<<<<<<<<<<<\n').replace('B<<<<<10', 'B<<<<<<10'), REF);
    expect(r.valid).toBe(true);
    expect(r.corrected).toEqual(ICAO_SPECIMEN_MRZ.TD3);
    expect(r.corrections.filter((c) => c.to === '<' && c.from === '')).toHaveLength(3);
  });

  it('reports ambiguity, never a valid guess, when two readings need equally few corrections', () => {
    // I->1 and 2->Z change both the personal number and composite sums by the same amount.
    const r = readMrz(TD3.replace('ZE184226B', 'ZEI84226B'), REF);
    expect(r.valid).toBe(false);
    expect(r.ambiguous).toBe(true);
    expect(r.errors.map((e) => e.code)).toContain('mrz_ambiguous');
  });

  it('lists characters no check digit can confirm, and refuses them in strict mode', () => {
    const r = readMrz(TD3, REF);
    expect(r.valid).toBe(true);
    expect(r.uncertain).toEqual([{ line: 1, column: 35, alternatives: 'G' }]);
    expect(readMrz(TD3, { ...REF, strict: true }).valid).toBe(false);
  });

  it('fails with typed errors, not exceptions, on text that is no MRZ', () => {
    for (const input of ['', 'hello', '\u0000'.repeat(100), ['x'.repeat(44), 'y'.repeat(44)]]) {
      const r = readMrz(input, REF);
      expect(r.valid).toBe(false);
      expect(r.errors.length).toBeGreaterThan(0);
    }
  });
});
