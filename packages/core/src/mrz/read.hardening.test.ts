/**
 * Findings of issue #10 (hardening), each reproduced: an unbounded search, silent non-ASCII
 * normalisation, `«` read as one or two fillers, and uncertain or expired values shown as plainly valid.
 */
import { describe, expect, it } from 'vitest';
import { ICAO_SPECIMEN_MRZ } from '@ekyc/testkit/mrz-specimens';
import { createMrz } from './create.ts';
import { MRZ_MAX_INPUT_CHARS, MRZ_SEARCH_BUDGET, readMrz } from './read.ts';

const REF = { referenceDate: new Date('2011-06-01T00:00:00Z') };
const TD3 = ICAO_SPECIMEN_MRZ.TD3;

/**
 * The slowest input a hill-climbing search found (92 bytes, TD1-shaped: fillers, K runs, digits, two
 * `#`). Before the budget: 1.2-1.4 s CPU in `ekyc-mrz` (2-4 s wall on the shared 2-core VM).
 */
export const WORST_KNOWN_INPUT = '0<UO#KKKKKKK#<KKKKKKKKKKKKK8K\n7499126F1299159UTOKKKKKKKKKKK6\n<<<<<<<<<<<<<<<<<<K<0<<<<<<<<<';

describe('readMrz search budget', () => {
  it('stops the worst known input at the budget and says so', () => {
    const r = readMrz(WORST_KNOWN_INPUT, REF);
    expect(r.valid).toBe(false);
    expect(r.search.candidates).toBeLessThanOrEqual(MRZ_SEARCH_BUDGET);
    expect(r.search.exhausted).toBe(true);
    expect(r.errors.map((e) => e.code)).toContain('mrz_search_exhausted');
  });

  it('counts the candidates of an ordinary read, far below the budget', () => {
    const r = readMrz(TD3.join('\n').replace('L898902C3', 'L8989O2C3'), REF);
    expect(r.valid).toBe(true);
    expect(r.search.exhausted).toBe(false);
    expect(r.search.candidates).toBeGreaterThan(0);
    expect(r.search.candidates).toBeLessThan(MRZ_SEARCH_BUDGET / 10);
  });

  it('drops lines no layout can use before any search, wherever they stand', () => {
    const noise = Array.from({ length: 150 }, (_, i) => (i % 2 ? 'K<#'.repeat(20) : 'SURNAME'));
    const r = readMrz([...noise, TD3[0]!, 'PASSPORT', TD3[1]!, 'X'.repeat(80)], REF);
    expect(r.valid).toBe(true);
    expect(r.corrected).toEqual(TD3);
    expect(r.search.candidates).toBe(readMrz(TD3, REF).search.candidates);
  });

  it('refuses text longer than any MRZ with OCR noise, without reading it', () => {
    const r = readMrz(`${'A'.repeat(MRZ_MAX_INPUT_CHARS)}\n${TD3.join('\n')}`, REF);
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.code)).toEqual(['mrz_input_too_large']);
    expect(r.corrected).toEqual([]);
    expect(r.search.candidates).toBe(0);
  });
});

describe('readMrz non-ASCII characters', () => {
  it('reports letters that only upper-case or fold to ASCII as corrections, with their positions', () => {
    const ocr = [TD3[0]!.replace('ERIKSSON', 'ERıKSſON').replace('ANNA', 'ＡNNA').replace('MARIA', 'MARI\u0301A'), TD3[1]!];
    const r = readMrz(ocr, REF);
    expect(r.corrected).toEqual(TD3);
    expect(r.corrections).toEqual([
      { line: 0, column: 7, from: 'ı', to: 'I' },
      { line: 0, column: 10, from: 'ſ', to: 'S' },
      { line: 0, column: 15, from: 'Ａ', to: 'A' },
      { line: 0, column: 23, from: 'I\u0301', to: 'I' },
    ]);
    expect(r.confidence).toBeLessThan(1);
  });

  it('reads a ligature as its letters and reports both', () => {
    const lines = createMrz('TD3', { documentCode: 'P', issuingState: 'UTO', surname: 'OFFER', givenNames: 'ANNA', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '740812', sex: 'F', expiryDate: '120415' });
    const r = readMrz([lines[0]!.replace('OFFER', 'OﬀER'), lines[1]!], REF);
    expect(r.valid).toBe(true);
    expect(r.corrected).toEqual(lines);
    expect(r.corrections).toEqual([{ line: 0, column: 6, from: 'ﬀ', to: 'F' }, { line: 0, column: 7, from: 'ﬀ', to: 'F' }]);
  });
});

describe('readMrz «', () => {
  it('reads « as one filler where the layout length needs one', () => {
    const r = readMrz([TD3[0]!.replace('ANNA<MARIA', 'ANNA«MARIA'), TD3[1]!], REF);
    expect(r.valid).toBe(true);
    expect(r.corrected).toEqual(TD3);
    expect(r.fields.givenNames?.value).toBe('ANNA MARIA');
  });

  it('reads « as two fillers where the layout length needs two', () => {
    const r = readMrz([TD3[0]!.replace('ERIKSSON<<ANNA', 'ERIKSSON«ANNA'), TD3[1]!], REF);
    expect(r.valid).toBe(true);
    expect(r.corrected).toEqual(TD3);
  });

  it('lets the check digits choose when both readings fit the length', () => {
    const lines = createMrz('TD3', { documentCode: 'P', issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '740812', sex: 'F', expiryDate: '120415', optionalData: 'ZE<18422' });
    const ocr = [lines[0]!, lines[1]!.replace('ZE<18422<<<<<<', 'ZE«18422«<<<<')];
    const r = readMrz(ocr, REF);
    expect(r.valid).toBe(true);
    expect(r.corrected).toEqual(lines);
  });

  it('reports the ambiguity when no check digit can choose', () => {
    // ERIKSSON<<ANNA<MARIA or ERIKSSON<ANNA<<MARIA: the same length, no check digit covers names.
    const r = readMrz([TD3[0]!.replace('ERIKSSON<<ANNA<MARIA', 'ERIKSSON«ANNA«MARIA'), TD3[1]!], REF);
    expect(r.valid).toBe(false);
    expect(r.ambiguous).toBe(true);
    expect(r.errors.map((e) => e.code)).toContain('mrz_ambiguous');
  });
});

describe('readMrz uncertain and expired values', () => {
  // The demo's pre-filled example: the ICAO specimen with O for 0 and K for the first `<` of `<<`.
  const demo = TD3.join('\n').replace('0', 'O').replace('<<', 'K<');

  it('takes a K/L/C next to a single filler for the missing name separator, and marks the names uncertain', () => {
    const r = readMrz(demo, { referenceDate: new Date('2025-06-01T00:00:00Z') });
    expect(r.fields.surname?.value).toBe('ERIKSSON');
    expect(r.fields.givenNames?.value).toBe('ANNA MARIA');
    expect(r.corrections).toContainEqual({ line: 0, column: 13, from: 'K', to: '<' });
    expect(r.uncertain).toContainEqual({ line: 0, column: 13, alternatives: 'K' });
    expect(r.uncertainFields).toEqual(expect.arrayContaining(['surname', 'givenNames']));
  });

  it('leaves a one-letter-short name part alone: DE<LA<ROSA has no lost separator to restore', () => {
    const lines = createMrz('TD3', { documentCode: 'P', issuingState: 'UTO', surname: 'DE LA ROSA', givenNames: '', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '740812', sex: 'F', expiryDate: '120415' });
    const r = readMrz(lines, REF);
    expect(r.valid).toBe(true);
    expect(r.fields.surname?.value).toBe('DE LA ROSA');
    expect(r.corrections).toEqual([]);
  });

  it('says when the document has expired', () => {
    expect(readMrz(demo, { referenceDate: new Date('2025-06-01T00:00:00Z') }).expired).toBe(true);
    expect(readMrz(demo, REF).expired).toBe(false);
  });

  it('marks nothing uncertain in a name with its separator', () => {
    const r = readMrz(TD3, REF);
    expect(r.uncertainFields).toEqual(['optionalData']);
  });
});
