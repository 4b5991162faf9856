import { describe, expect, it } from 'vitest';
import { solveErasures } from './erasure.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const MRVA = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'];
const all = (): boolean => true;
/** The lines with `x` at each erased position (what an engine's guess might be). */
const erase = (lines: readonly string[], erased: number[][]): string[] => lines.map((l, i) => [...l].map((ch, c) => (erased[i]!.includes(c) ? 'X' : ch)).join(''));

describe('solveErasures', () => {
  it('solves one unread digit of a date from its check digit, verified by the composite', () => {
    const erased = [[], [15]];
    const s = solveErasures({ lines: erase(TD3, erased), erased, supported: all });
    expect(s?.lines).toEqual(TD3);
    expect(s?.filled).toEqual([{ line: 1, column: 15, char: '0', check: 'birthDate' }]);
  });

  it('solves an unread check digit, and one digit in each of two fields', () => {
    const erased = [[], [19, 23]];
    const s = solveErasures({ lines: erase(TD3, erased), erased, supported: all });
    expect(s?.lines).toEqual(TD3);
    expect(s?.filled.map((f) => f.check)).toEqual(['birthDate', 'expiryDate']);
  });

  it('does not solve two unread characters under one check digit', () => {
    const erased = [[], [14, 15]];
    expect(solveErasures({ lines: erase(TD3, erased), erased, supported: all })).toBeNull();
  });

  it('does not solve a document number position (0, A, K, U and < weigh alike mod 10)', () => {
    const erased = [[], [3]];
    expect(solveErasures({ lines: erase(TD3, erased), erased, supported: all })).toBeNull();
  });

  it('does not solve a layout without a composite digit (MRV-A)', () => {
    const erased = [[], [15]];
    expect(solveErasures({ lines: erase(MRVA, erased), erased, supported: all })).toBeNull();
  });

  it('does not solve the composite digit itself (nothing would verify the reading)', () => {
    const erased = [[], [43]];
    expect(solveErasures({ lines: erase(TD3, erased), erased, supported: all })).toBeNull();
  });

  it('refuses when a second error elsewhere breaks the composite', () => {
    // Birth date erased, and an optional-data character misread: the birth date solves, the composite fails.
    const erased = [[], [15]];
    const lines = erase(TD3, erased);
    lines[1] = lines[1]!.slice(0, 30) + '7' + lines[1]!.slice(31);
    expect(solveErasures({ lines, erased, supported: all })).toBeNull();
  });

  it('refuses when a character the solve rests on is not supported by the engines', () => {
    const erased = [[], [15]];
    expect(solveErasures({ lines: erase(TD3, erased), erased, supported: (l, c) => !(l === 1 && c === 17) })).toBeNull();
  });

  it('keeps the guess at a position no check digit covers (the merge flags its field)', () => {
    const erased = [[22], [15]];
    const lines = erase(TD3, erased);
    const s = solveErasures({ lines, erased, supported: all });
    expect(s?.lines[1]).toBe(TD3[1]);
    expect(s?.filled).toContainEqual({ line: 0, column: 22, char: 'X', check: null });
  });
});
