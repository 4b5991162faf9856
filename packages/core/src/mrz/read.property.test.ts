import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMrz, type MrzFieldValues } from './create.ts';
import { ICAO_COUNTRY_CODES } from './countries.ts';
import { MRZ_FORMATS, type MrzFormat } from './formats.ts';
import { parseMrz } from './parse.ts';
import { MRZ_SEARCH_BUDGET, readMrz } from './read.ts';

// Generators of valid MRZs and of OCR-like corruptions.
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `0123456789${LETTERS}`;
const COUNTRIES = [...ICAO_COUNTRY_CODES];

// Real names hold letters besides K, L and C; the corrector treats K/L/C-only trailing tokens as misread fillers.
const word = fc.string({ unit: fc.constantFrom(...LETTERS), minLength: 2, maxLength: 9 }).filter((w) => /[^KLC]/.test(w));
const yymmdd = fc.date({ min: new Date('1931-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(2, 10).replace(/-/g, ''));

function documentCode(format: MrzFormat): fc.Arbitrary<string> {
  const first = MRZ_FORMATS[format].documentCodeFirst;
  return fc.tuple(fc.constantFrom(...first), fc.constantFrom('<', ...LETTERS.replace('V', ''))).map(([a, b]) => a + b);
}

function validMrz(): fc.Arbitrary<{ format: MrzFormat; lines: string[] }> {
  return fc.constantFrom<MrzFormat>('TD1', 'TD2', 'TD3', 'MRVA', 'MRVB').chain((format) => {
    const long = MRZ_FORMATS[format].documentNumberOverflow;
    const optionalWidth = format === 'TD1' ? 8 : format === 'TD3' ? 14 : format === 'MRVA' ? 16 : format === 'MRVB' ? 8 : 7;
    const values: fc.Arbitrary<MrzFieldValues> = fc.record({
      documentCode: documentCode(format),
      issuingState: fc.constantFrom(...COUNTRIES),
      surname: word,
      givenNames: fc.array(word, { minLength: 0, maxLength: 3 }).map((w) => w.join(' ')),
      documentNumber: fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 5, maxLength: long ? 12 : 9 }),
      nationality: fc.constantFrom(...COUNTRIES),
      birthDate: yymmdd,
      sex: fc.constantFrom('M', 'F', 'X', '<'),
      expiryDate: yymmdd,
      optionalData: fc.string({ unit: fc.constantFrom(...ALNUM), maxLength: long ? 2 : optionalWidth }),
      optionalData2: fc.string({ unit: fc.constantFrom(...ALNUM), maxLength: format === 'TD1' ? 11 : 0 }),
    });
    return values.map((v) => ({ format, lines: createMrz(format, v) }));
  });
}

/** What OCR engines read for a true character. */
const OCR_MISREADS: Readonly<Record<string, string>> = {
  O: '0', '0': 'OD', I: '1', '1': 'I', B: '8', '8': 'B', S: '5', '5': 'S', Z: '2', '2': 'Z', G: '6', '6': 'G', D: '0', '<': 'KLC',
};

interface Corruption { line: number; column: number; to: string }

/** k OCR-like misreads at distinct positions chosen by `eligible`. */
function corrupt(lines: readonly string[], picks: readonly number[], eligible: (line: number, column: number) => boolean): { lines: string[]; corruptions: Corruption[] } {
  const positions: { line: number; column: number; options: string }[] = [];
  lines.forEach((l, line) => [...l].forEach((ch, column) => {
    const options = OCR_MISREADS[ch];
    if (options && eligible(line, column)) positions.push({ line, column, options });
  }));
  const out = lines.map((l) => [...l]);
  const corruptions: Corruption[] = [];
  const used = new Set<number>();
  for (const pick of picks) {
    if (positions.length === used.size) break;
    let i = pick % positions.length;
    while (used.has(i)) i = (i + 1) % positions.length;
    used.add(i);
    const p = positions[i]!;
    const to = p.options[Math.floor(pick / positions.length) % p.options.length]!;
    out[p.line]![p.column] = to;
    corruptions.push({ line: p.line, column: p.column, to });
  }
  return { lines: out.map((l) => l.join('')), corruptions };
}

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

  it('never hides a non-ASCII look-alike: a valid read reports it as a correction at its position', () => {
    const disguise = [(ch: string) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0), (ch: string) => `${ch}\u0301`, (ch: string) => (ch === 'I' ? 'ı' : ch === 'S' ? 'ſ' : ch.toLowerCase())];
    fc.assert(fc.property(validMrz(), fc.nat(), fc.constantFrom(0, 1, 2), ({ lines }, pick, how) => {
      const letters: { line: number; column: number }[] = [];
      lines.forEach((l, line) => [...l].forEach((ch, column) => { if (/[A-Z0-9]/.test(ch)) letters.push({ line, column }); }));
      const at = letters[pick % letters.length]!;
      const ch = lines[at.line]![at.column]!;
      const read = lines.map((l, i) => (i === at.line ? l.slice(0, at.column) + disguise[how]!(ch) + l.slice(at.column + 1) : l));
      const r = readMrz(read, REF);
      // Lower case ASCII is folded silently (documented); everything non-ASCII is reported.
      if (r.valid && read[at.line] !== lines[at.line]!.slice(0, at.column) + ch.toLowerCase() + lines[at.line]!.slice(at.column + 1)) {
        expect(r.corrections).toContainEqual(expect.objectContaining({ line: at.line, column: at.column }));
      }
    }), { numRuns: 1500, seed: 5 });
  });

  it('evaluates at most MRZ_SEARCH_BUDGET candidates on any input, of any shape and length', () => {
    // Hostile material: wildcards (#, Cyrillic, symbols), K runs, confusable digits, fillers, «, non-ASCII letters.
    const hostile = fc.constantFrom(...'#KKKK<<<<0123456789OISBZGDLC«ıſＡ\u0301А§'.split(''));
    const line = (n: number) => fc.string({ unit: hostile, minLength: Math.max(0, n - 6), maxLength: n + 6 });
    const shaped = fc.constantFrom(30, 36, 44).chain((n) => fc.array(line(n), { minLength: 1, maxLength: 6 }).map((l) => l.join('\n')));
    const anyLength = fc.array(fc.string({ unit: hostile, maxLength: 60 }), { maxLength: 40 }).map((l) => l.join('\n'));
    let worst = 0;
    fc.assert(fc.property(fc.oneof(shaped, anyLength), (input) => {
      const r = readMrz(input, REF);
      worst = Math.max(worst, r.search.candidates);
      expect(r.search.candidates).toBeLessThanOrEqual(MRZ_SEARCH_BUDGET);
      if (r.search.exhausted) expect(r.valid).toBe(false);
    }), { numRuns: 3000, seed: 10 });
    // The generator does reach the budget: the bound is what stops these inputs, not their shape.
    expect(worst).toBe(MRZ_SEARCH_BUDGET);
  }, 300_000);

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
