import { describe, expect, it } from 'vitest';
import { EkycError } from '../errors.ts';
import { computeCheckDigit } from './check-digit.ts';
import { createMrz } from './create.ts';
import { ICAO_SPECIMEN_MRZ } from '@ekyc/testkit/mrz-specimens';

const ANNA = { issuingState: 'UTO', surname: 'Eriksson', givenNames: 'Anna Maria', sex: 'F' } as const;

describe('computeCheckDigit', () => {
  it('computes the ICAO 9303 worked examples', () => {
    expect(computeCheckDigit('L898902C3')).toBe('6');
    expect(computeCheckDigit('740812')).toBe('2');
    expect(computeCheckDigit('120415')).toBe('9');
    expect(computeCheckDigit('ZE184226B<<<<<')).toBe('1');
    expect(computeCheckDigit('<<<<')).toBe('0');
  });

  it('rejects characters outside the MRZ set with a typed error', () => {
    expect(() => computeCheckDigit('ab')).toThrow(EkycError);
  });
});

describe('createMrz', () => {
  it('rebuilds the ICAO specimens of every layout', () => {
    expect(createMrz('TD3', { ...ANNA, documentCode: 'P', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '740812', expiryDate: '2012-04-15', optionalData: 'ZE184226B' })).toEqual(ICAO_SPECIMEN_MRZ.TD3);
    expect(createMrz('TD1', { ...ANNA, documentCode: 'I', documentNumber: 'D23145890', nationality: 'UTO', birthDate: '740812', expiryDate: '120415' })).toEqual(ICAO_SPECIMEN_MRZ.TD1);
    expect(createMrz('TD2', { ...ANNA, documentCode: 'I', documentNumber: 'D23145890', nationality: 'UTO', birthDate: '740812', expiryDate: '120415' })).toEqual(ICAO_SPECIMEN_MRZ.TD2);
    const visa = { ...ANNA, documentCode: 'V', documentNumber: 'L8988901C', nationality: 'XXX', birthDate: '400907', expiryDate: '961210' };
    expect(createMrz('MRVA', { ...visa, optionalData: '6ZE184226B' })).toEqual(ICAO_SPECIMEN_MRZ.MRVA);
    expect(createMrz('MRVB', visa)).toEqual(ICAO_SPECIMEN_MRZ.MRVB);
  });

  it('writes an empty TD3 personal number with a filler check digit', () => {
    const [, line2] = createMrz('TD3', { ...ANNA, documentCode: 'P', documentNumber: 'X1', nationality: 'D', birthDate: '900101', expiryDate: '300101' });
    expect(line2!.slice(28, 43)).toBe('<<<<<<<<<<<<<<<');
    expect(line2!.slice(10, 13)).toBe('D<<');
  });

  it('overflows a long TD1 document number into optional data with its check digit', () => {
    const lines = createMrz('TD1', { ...ANNA, documentCode: 'ID', documentNumber: 'D23145890AB1', nationality: 'UTO', birthDate: '740812', expiryDate: '120415', optionalData: 'X' });
    expect(lines[0]).toBe(`IDUTOD23145890<AB1${computeCheckDigit('D23145890AB1')}<X<<<<<<<<<`);
  });

  it('truncates long names to the field', () => {
    const lines = createMrz('TD1', { ...ANNA, surname: 'Vandenberghe-Oosterhuis', givenNames: 'Maximiliaan', documentCode: 'I', documentNumber: 'A1', nationality: 'UTO', birthDate: '740812', expiryDate: '120415' });
    expect(lines[2]).toHaveLength(30);
    expect(lines[2]).toBe('VANDENBERGHE<OOSTERHUIS<<MAXIM');
  });

  it('refuses values that do not fit, with invalid_argument', () => {
    const base = { ...ANNA, documentCode: 'P', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '740812', expiryDate: '120415' };
    const code = (fn: () => unknown) => { try { fn(); return 'none'; } catch (e) { return (e as EkycError).code; } };
    expect(code(() => createMrz('TD3', { ...base, documentNumber: 'L898902C3XY' }))).toBe('invalid_argument');
    expect(code(() => createMrz('TD3', { ...base, birthDate: '1974-8-12' }))).toBe('invalid_argument');
    expect(code(() => createMrz('TD3', { ...base, surname: 'Öz' }))).toBe('invalid_argument');
    expect(code(() => createMrz('TD3', { ...base, documentCode: 'I' }))).toBe('invalid_argument');
    expect(code(() => createMrz('TD3', { ...base, optionalData: '123456789012345' }))).toBe('invalid_argument');
  });
});
