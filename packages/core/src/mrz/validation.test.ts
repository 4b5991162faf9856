import { describe, expect, it } from 'vitest';
import { parseMrz } from './parse.ts';
import { ICAO_SPECIMEN_MRZ } from '@ekyc/testkit/mrz-specimens';
import { ageOn, checkMrzPolicy, exceedsMaxValidity, isExpired, isUnderAge } from './validation.ts';

const on = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('MRZ policy helpers', () => {
  it('treats a document as valid through its expiry day', () => {
    expect(isExpired('2012-04-15', on('2012-04-15'))).toBe(false);
    expect(isExpired('2012-04-15', on('2012-04-16'))).toBe(true);
    expect(isExpired('garbage')).toBeUndefined();
  });

  it('computes age with birthdays, including 29 February', () => {
    expect(ageOn('2000-06-10', on('2018-06-09'))).toBe(17);
    expect(ageOn('2000-06-10', on('2018-06-10'))).toBe(18);
    expect(ageOn('2004-02-29', on('2022-02-28'))).toBe(17);
    expect(ageOn('2004-02-29', on('2022-03-01'))).toBe(18);
    expect(isUnderAge('2000-06-10', 18, on('2018-06-09'))).toBe(true);
  });

  it('flags expiry beyond the maximum validity', () => {
    expect(exceedsMaxValidity('2035-01-01', 10, on('2025-01-01'))).toBe(false);
    expect(exceedsMaxValidity('2035-01-02', 10, on('2025-01-01'))).toBe(true);
  });

  it('checks a parsed specimen against a policy', () => {
    const r = parseMrz(ICAO_SPECIMEN_MRZ.TD3, { referenceDate: on('2011-01-01') });
    const dates = { birthDate: r.fields.birthDate?.value, expiryDate: r.fields.expiryDate?.value };
    expect(checkMrzPolicy(dates, { minimumAge: 18, referenceDate: on('2011-01-01') })).toEqual([]);
    expect(checkMrzPolicy(dates, { minimumAge: 40, referenceDate: on('2013-01-01') })).toEqual(['expired', 'under_age']);
    expect(checkMrzPolicy({ birthDate: null, expiryDate: null }, { minimumAge: 18 })).toEqual(['date_unreadable']);
  });
});
