/**
 * Conformance comparison with the `mrz` npm package (cheminfo) on the same inputs. The numbers are
 * printed and the differences asserted; docs/mrz.md explains each of them.
 */
import { parse as referenceParse } from 'mrz';
import { describe, expect, it } from 'vitest';
import { ICAO_COUNTRY_CODES } from './countries.ts';
import { createMrz } from './create.ts';
import type { MrzFormat } from './formats.ts';
import { parseMrz } from './parse.ts';
import { mulberry32 } from '../random.ts';
import { readMrz } from './read.ts';
import { ICAO_SPECIMEN_MRZ } from '@ekyc/testkit/mrz-specimens';

const REF = { referenceDate: new Date('2025-06-01T00:00:00Z') };
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `0123456789${LETTERS}`;
const COUNTRIES = [...ICAO_COUNTRY_CODES];

function sample(format: MrzFormat, random: () => number): string[] {
  const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[Math.floor(random() * chars.length)]).join('');
  const oneOf = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const yymmdd = () => `${pick('0123456789', 2)}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  return createMrz(format, {
    documentCode: format === 'TD3' ? 'P' : format.startsWith('MRV') ? 'V' : oneOf(['I', 'ID', 'A', 'C']),
    issuingState: oneOf(COUNTRIES),
    surname: pick(LETTERS, 3 + Math.floor(random() * 8)),
    givenNames: pick(LETTERS, 3 + Math.floor(random() * 8)),
    documentNumber: pick(ALNUM, 9),
    nationality: oneOf(COUNTRIES),
    birthDate: yymmdd(),
    sex: oneOf(['M', 'F', 'X', '<']),
    expiryDate: yymmdd(),
    optionalData: format === 'TD3' ? pick(ALNUM, Math.floor(random() * 10)) : '',
  });
}

/** Reference result, or 'throws' for inputs it refuses. */
function reference(lines: readonly string[], autocorrect = false): ReturnType<typeof referenceParse> | 'throws' {
  try {
    return referenceParse([...lines], { autocorrect });
  } catch {
    return 'throws';
  }
}

describe('conformance with the mrz package', () => {
  it('reads the same field values from valid TD1, TD2 and TD3; differs only on sex X and codes outside its country list', () => {
    const random = mulberry32(1);
    const outsideReferenceList = new Set<string>();
    let sexX = 0;
    let agree = 0;
    let total = 0;
    for (let i = 0; i < 1500; i++) {
      const format = (['TD1', 'TD2', 'TD3'] as const)[i % 3]!;
      const lines = sample(format, random);
      const ours = parseMrz(lines, REF);
      const theirs = reference(lines);
      expect(ours.errors).toEqual([]);
      expect(theirs).not.toBe('throws');
      if (theirs === 'throws') continue;
      total++;
      expect(theirs.format).toBe(format);
      expect(theirs.fields.documentNumber).toBe(ours.fields.documentNumber!.value);
      expect(theirs.fields.birthDate).toBe(ours.fields.birthDate!.raw);
      expect(theirs.fields.expirationDate).toBe(ours.fields.expiryDate!.raw);
      expect(theirs.fields.lastName).toBe(ours.fields.surname!.value);
      expect(theirs.fields.firstName ?? '').toBe(ours.fields.givenNames!.value);
      if (theirs.valid) { agree++; continue; }
      // Every disagreement is sex X (added by ICAO 9303, 8th edition) or a code missing from the reference list.
      for (const d of theirs.details.filter((x) => !x.valid)) {
        if (d.field === 'sex') {
          expect(ours.fields.sex!.value).toBe('X');
          sexX++;
        } else {
          expect(['issuingState', 'nationality']).toContain(d.field);
          outsideReferenceList.add(ours.fields[d.field as 'issuingState' | 'nationality']!.value!);
        }
      }
    }
    console.log(`valid TD1/TD2/TD3: both valid ${agree}/${total}; reference rejects sex X in ${sexX}, codes ${[...outsideReferenceList].sort().join(' ')}`);
    expect([...outsideReferenceList].every((code) => ICAO_COUNTRY_CODES.has(code))).toBe(true);
  });

  it('parses visas, which the reference misreads as TD3/TD2 with invalid fields', () => {
    for (const format of ['MRVA', 'MRVB'] as const) {
      const ours = parseMrz(ICAO_SPECIMEN_MRZ[format], REF);
      const theirs = reference(ICAO_SPECIMEN_MRZ[format]);
      expect(ours).toMatchObject({ format, valid: true });
      expect(theirs !== 'throws' && theirs.valid).toBe(false);
    }
  });

  it('recovers more single OCR confusions than the reference autocorrect, and misreads no more', () => {
    const random = mulberry32(2);
    const misreads: Record<string, string> = { O: '0', '0': 'O', I: '1', '1': 'I', B: '8', '8': 'B', S: '5', '5': 'S', Z: '2', '2': 'Z', D: '0' };
    const tally = { ours: { recovered: 0, misread: 0 }, theirs: { recovered: 0, misread: 0 } };
    let runs = 0;
    for (let i = 0; i < 1500; i++) {
      const format = (['TD1', 'TD2', 'TD3'] as const)[i % 3]!;
      const lines = sample(format, random);
      if (reference(lines) === 'throws' || !(reference(lines) as { valid: boolean }).valid) continue;
      const positions = lines.flatMap((l, line) => [...l].map((ch, column) => ({ line, column, ch }))).filter((p) => misreads[p.ch]);
      const p = positions[Math.floor(random() * positions.length)]!;
      const read = lines.map((l, line) => (line === p.line ? l.slice(0, p.column) + misreads[p.ch] + l.slice(p.column + 1) : l));
      runs++;
      const ours = readMrz(read, REF);
      if (ours.valid) tally.ours[ours.corrected.join() === lines.join() ? 'recovered' : 'misread']++;
      const theirs = reference(read, true);
      if (theirs !== 'throws' && theirs.valid) {
        const same = (['documentNumber', 'birthDate', 'expirationDate', 'lastName', 'firstName', 'issuingState', 'nationality'] as const)
          .every((f) => theirs.fields[f] === (reference(lines) as ReturnType<typeof referenceParse>).fields[f]);
        tally.theirs[same ? 'recovered' : 'misread']++;
      }
    }
    console.log(`one confusion anywhere in ${runs} MRZs: ours ${JSON.stringify(tally.ours)}, mrz autocorrect ${JSON.stringify(tally.theirs)}`);
    expect(tally.ours.recovered).toBeGreaterThan(tally.theirs.recovered);
    expect(tally.ours.misread).toBeLessThanOrEqual(tally.theirs.misread);
  });

  it('accepts the ICAO specimens, whose Utopia code the reference rejects', () => {
    for (const format of ['TD1', 'TD2', 'TD3'] as const) {
      const theirs = reference(ICAO_SPECIMEN_MRZ[format]);
      expect(parseMrz(ICAO_SPECIMEN_MRZ[format], REF).valid).toBe(true);
      expect(theirs !== 'throws' && theirs.details.filter((d) => !d.valid).map((d) => d.field)).toEqual(['issuingState', 'nationality']);
    }
  });
});
