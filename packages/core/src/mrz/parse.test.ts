import { describe, expect, it } from 'vitest';
import { createMrz } from './create.ts';
import { parseMrz } from './parse.ts';
import { ICAO_SPECIMEN_MRZ } from '@ekyc/testkit/mrz-specimens';

const REF = { referenceDate: new Date('2011-06-01T00:00:00Z') };

function values(result: ReturnType<typeof parseMrz>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(result.fields).map(([k, f]) => [k, f.value]));
}

describe('parseMrz on the ICAO 9303 specimens', () => {
  it('reads TD3', () => {
    const r = parseMrz(ICAO_SPECIMEN_MRZ.TD3, REF);
    expect(r.format).toBe('TD3');
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    expect(values(r)).toEqual({
      documentCode: 'P', issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3',
      nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2012-04-15', optionalData: 'ZE184226B',
    });
    expect(r.fields.documentNumber!.ranges).toEqual([{ line: 1, start: 0, end: 9 }]);
    expect(r.fields.givenNames!.ranges).toEqual([{ line: 0, start: 15, end: 44 }]);
    expect(r.checks.map((c) => c.check)).toEqual(['documentNumber', 'birthDate', 'expiryDate', 'optionalData', 'composite']);
    expect(r.names.truncated).toBe(false);
  });

  it('reads TD1, TD2, MRV-A and MRV-B', () => {
    for (const format of ['TD1', 'TD2', 'MRVA', 'MRVB'] as const) {
      const r = parseMrz(ICAO_SPECIMEN_MRZ[format], REF);
      expect(r.format).toBe(format);
      expect(r.errors).toEqual([]);
      expect(r.fields.surname!.value).toBe('ERIKSSON');
    }
    expect(values(parseMrz(ICAO_SPECIMEN_MRZ.TD1, REF))).toMatchObject({ documentCode: 'I', documentNumber: 'D23145890', optionalData: '', optionalData2: '' });
    expect(values(parseMrz(ICAO_SPECIMEN_MRZ.MRVA, REF))).toMatchObject({ documentCode: 'V', nationality: 'XXX', birthDate: '1940-09-07', expiryDate: '1996-12-10', optionalData: '6ZE184226B' });
    expect(parseMrz(ICAO_SPECIMEN_MRZ.MRVB, REF).fields.optionalData2).toBeUndefined();
  });
});

describe('parseMrz rules', () => {
  const td3 = (over: Partial<Parameters<typeof createMrz>[1]> = {}) => createMrz('TD3', {
    documentCode: 'P', issuingState: 'D', surname: 'Mustermann', givenNames: 'Erika', documentNumber: 'C01X00T47',
    nationality: 'D', birthDate: '640812', sex: 'F', expiryDate: '271031', ...over,
  });

  it('trims fillers from country codes, so Germany is D', () => {
    const r = parseMrz(td3(), REF);
    expect(r.valid).toBe(true);
    expect(r.fields.issuingState!.value).toBe('D');
    expect(r.fields.optionalData!.value).toBe('');
  });

  it('accepts the ICAO-only codes and rejects unknown ones', () => {
    for (const code of ['EUE', 'UNO', 'UNA', 'UNK', 'XXA', 'XXB', 'XXC', 'XXX']) expect(parseMrz(td3({ nationality: code }), REF).valid).toBe(true);
    const r = parseMrz(td3({ nationality: 'QQQ' }), REF);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([expect.objectContaining({ code: 'mrz_invalid_field', field: 'nationality' })]);
    expect(parseMrz(td3({ issuingState: 'DEU' }), REF).valid).toBe(false);
  });

  it('reports each wrong check digit by name', () => {
    const [l1, l2] = td3();
    const broken = l2!.slice(0, 19) + String((Number(l2![19]) + 1) % 10) + l2!.slice(20);
    const r = parseMrz([l1!, broken], REF);
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.check)).toEqual(['birthDate', 'composite']);
    expect(r.fields.birthDate!.valid).toBe(false);
  });

  it('accepts 0 or < as the check digit of an empty personal number, and nothing else', () => {
    const [l1, l2] = td3();
    expect(l2![42]).toBe('<');
    const withZero = l2!.slice(0, 42) + '0' + l2!.slice(43);
    expect(parseMrz([l1!, withZero], REF).valid).toBe(true);
    const withOne = l2!.slice(0, 42) + '1' + l2!.slice(43);
    expect(parseMrz([l1!, withOne], REF).errors.map((e) => e.check)).toContain('optionalData');
  });

  it('infers centuries: birth in the past, expiry near the reference date', () => {
    const r = parseMrz(td3({ birthDate: '100101', expiryDate: '990101' }), { referenceDate: new Date('2025-01-01T00:00:00Z') });
    expect(r.fields.birthDate!.value).toBe('2010-01-01');
    expect(r.fields.expiryDate!.value).toBe('1999-01-01');
    expect(parseMrz(td3({ birthDate: '300101' }), { referenceDate: new Date('2025-01-01T00:00:00Z') }).fields.birthDate!.value).toBe('1930-01-01');
  });

  it('rejects impossible dates with mrz_invalid_field', () => {
    const r = parseMrz(td3({ birthDate: '641332' }), REF);
    expect(r.valid).toBe(false);
    expect(r.errors).toContainEqual(expect.objectContaining({ code: 'mrz_invalid_field', field: 'birthDate' }));
    expect(parseMrz(td3({ birthDate: '010229' }), REF).fields.birthDate!.value).toBeNull();
    expect(parseMrz(td3({ birthDate: '000229' }), REF).fields.birthDate!.value).toBe('2000-02-29');
  });

  it('flags names that fill the whole field as possibly truncated', () => {
    const r = parseMrz(td3({ surname: 'Wolfeschlegelsteinhausenbergerdorff', givenNames: 'Hubert Blaine' }), REF);
    expect(r.names.truncated).toBe(true);
    expect(r.fields.givenNames!.value).toBe('HU');
  });

  it('reads a long TD1 document number across optional data', () => {
    const lines = createMrz('TD1', { documentCode: 'ID', issuingState: 'UTO', surname: 'A', givenNames: 'B', documentNumber: 'D23145890AB1', nationality: 'UTO', birthDate: '740812', sex: 'X', expiryDate: '120415', optionalData: 'Q7' });
    const r = parseMrz(lines, REF);
    expect(r.valid).toBe(true);
    expect(r.fields.documentNumber!.value).toBe('D23145890AB1');
    expect(r.fields.documentNumber!.ranges).toEqual([{ line: 0, start: 5, end: 14 }, { line: 0, start: 15, end: 18 }]);
    expect(r.fields.optionalData!.value).toBe('Q7');
    const tampered = [lines[0]!.replace('AB1', 'AB2'), lines[1]!, lines[2]!];
    expect(parseMrz(tampered, REF).errors.map((e) => e.check)).toContain('documentNumber');
  });

  it('answers unsupported_format for other shapes, and never throws on garbage', () => {
    expect(parseMrz([], REF).errors[0]!.code).toBe('mrz_unsupported_format');
    expect(parseMrz(['ABC'], REF).format).toBeNull();
    expect(parseMrz([ICAO_SPECIMEN_MRZ.TD3[0]!, ICAO_SPECIMEN_MRZ.TD2[1]!], REF).format).toBeNull();
    const r = parseMrz(['p<uto' + 'x'.repeat(39), '€'.repeat(44)], REF);
    expect(r.valid).toBe(false);
    expect(r.errors.some((e) => e.code === 'mrz_invalid_characters')).toBe(true);
  });
});
