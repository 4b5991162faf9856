import { describe, expect, it } from 'vitest';
import { byteRange } from './byte-range.ts';

describe('byteRange', () => {
  it('writes both sizes in the unit of the total, the unit once, with one decimal in MB', () => {
    expect(byteRange('en', 12_345_678, 42_900_000)).toEqual({ loaded: '12.3', total: '42.9 MB' });
    expect(byteRange('en', 0, 42_900_000)).toEqual({ loaded: '0.0', total: '42.9 MB' });
    expect(byteRange('en', 420_000, 43_000_000)).toEqual({ loaded: '0.4', total: '43.0 MB' });
    expect(byteRange('fr', 12_345_678, 42_900_000)).toEqual({ loaded: '12,3', total: '42,9\u202fMo' });
    expect(byteRange('es', 12_345_678, 42_900_000)).toEqual({ loaded: '12,3', total: '42,9 MB' });
    expect(byteRange('en', 120_600, 830_000)).toEqual({ loaded: '121', total: '830 kB' });
    expect(byteRange('en', 10_480_000, 21_280_000)).toEqual({ loaded: '10.5', total: '21.3 MB' });
  });

  it('never shows the full total before the last byte arrived', () => {
    expect(byteRange('en', 42_899_999, 42_900_000).loaded).toBe('42.8');
    expect(byteRange('en', 42_900_000, 42_900_000).loaded).toBe('42.9');
  });
});
