import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MRZ_FORMATS } from './formats.ts';
import { corrupt, validMrz } from './mrz-arbitraries.test-data.ts';
import { parseMrz } from './parse.ts';
import { readMrz } from './read.ts';

const REF = { referenceDate: new Date('2025-06-01T00:00:00Z') };
const picks = (k: number) => fc.array(fc.nat({ max: 10_000 }), { minLength: k, maxLength: k });

/** Positions a reading can be checked at: covered by a check digit, or a document code, country code or sex. */
function checkable(format: keyof typeof MRZ_FORMATS) {
  const spec = MRZ_FORMATS[format];
  return (line: number, column: number): boolean => {
    const inCheck = spec.checks.some((c) => (c.line === line && c.position === column) || c.covers.some((r) => r.line === line && column >= r.start && column < r.end));
    const field = spec.fields.find((f) => f.line === line && column >= f.start && column < f.end);
    return inCheck || field?.field === 'issuingState' || field?.field === 'nationality' || field?.field === 'sex' || field?.field === 'documentCode';
  };
}

describe('readMrz properties', () => {
  it('generated MRZs parse as valid', () => {
    fc.assert(fc.property(validMrz(), ({ format, lines }) => {
      const r = parseMrz(lines, REF);
      expect(r.format).toBe(format);
      expect(r.errors).toEqual([]);
    }), { numRuns: 500 });
  });

  it('strict mode: one OCR confusion is recovered or flagged, never misread', () => {
    fc.assert(fc.property(validMrz(), picks(1), ({ format, lines }, p) => {
      const { lines: read } = corrupt(lines, p, checkable(format));
      const r = readMrz(read, { ...REF, strict: true });
      if (r.valid) expect(r.corrected).toEqual(lines);
    }), { numRuns: 1500 });
  });

  it('strict mode: two or three confusions are misread in under 2% of MRZs (one mod-10 digit cannot do better)', () => {
    let misread = 0;
    const runs = 1000;
    fc.assert(fc.property(validMrz(), fc.integer({ min: 2, max: 3 }).chain(picks), ({ format, lines }, p) => {
      const { lines: read } = corrupt(lines, p, checkable(format));
      const r = readMrz(read, { ...REF, strict: true });
      if (r.valid && r.corrected.join() !== lines.join()) misread++;
    }), { numRuns: runs, seed: 3 });
    expect(misread / runs).toBeLessThan(0.02);
  });

  it('default mode: after one confusion, a misread only ever sits at a position reported as uncertain', () => {
    fc.assert(fc.property(validMrz(), picks(1), ({ format, lines }, p) => {
      const { lines: read } = corrupt(lines, p, checkable(format));
      const r = readMrz(read, REF);
      if (!r.valid) return;
      r.corrected.forEach((line, l) => [...line].forEach((ch, c) => {
        if (ch !== lines[l]![c]) expect(r.uncertain.some((u) => u.line === l && u.column === c)).toBe(true);
      }));
    }), { numRuns: 1500 });
  });

  it('one confusion at a check-digit-covered digit or letter is recovered in most cases', () => {
    let recovered = 0;
    const runs = 400;
    fc.assert(fc.property(validMrz(), picks(1), ({ format, lines }, p) => {
      const { lines: read } = corrupt(lines, p, checkable(format));
      const r = readMrz(read, REF);
      if (r.valid && r.corrected.join() === lines.join()) recovered++;
    }), { numRuns: runs, seed: 42 });
    expect(recovered / runs).toBeGreaterThan(0.6);
  });

  it('never throws or hangs on 100000 random strings', () => {
    const alphabet = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<KLC «\n');
    const shaped = fc.constantFrom(30, 36, 44).chain((n) => fc.array(fc.string({ unit: alphabet, minLength: n - 2, maxLength: n + 2 }), { minLength: 2, maxLength: 3 }));
    const anything = fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: alphabet, maxLength: 140 }));
    fc.assert(fc.property(fc.oneof({ arbitrary: anything, weight: 9 }, { arbitrary: shaped, weight: 1 }), (input) => {
      const r = readMrz(input, REF);
      expect(typeof r.valid).toBe('boolean');
    }), { numRuns: 100_000 });
  }, 300_000);
});
