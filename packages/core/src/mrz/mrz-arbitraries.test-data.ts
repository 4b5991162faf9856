/** fast-check generators of valid MRZs and of OCR-like corruptions, for the property tests. */
import fc from 'fast-check';
import { createMrz, type MrzFieldValues } from './create.ts';
import { ICAO_COUNTRY_CODES } from './countries.ts';
import { MRZ_FORMATS, type MrzFormat } from './formats.ts';

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

export function validMrz(): fc.Arbitrary<{ format: MrzFormat; lines: string[] }> {
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
export const OCR_MISREADS: Readonly<Record<string, string>> = {
  O: '0', '0': 'OD', I: '1', '1': 'I', B: '8', '8': 'B', S: '5', '5': 'S', Z: '2', '2': 'Z', G: '6', '6': 'G', D: '0', '<': 'KLC',
};

export interface Corruption { line: number; column: number; to: string }

/** k OCR-like misreads at distinct positions chosen by `eligible`. */
export function corrupt(lines: readonly string[], picks: readonly number[], eligible: (line: number, column: number) => boolean): { lines: string[]; corruptions: Corruption[] } {
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
