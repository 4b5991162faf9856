/**
 * Characters the MRZ check digits cannot tell apart. A check digit sums character values (0-9, A=10 ...
 * Z=35, `<` = 0) times weights 7, 3, 1 modulo 10, so two characters whose values are equal mod 10 (`0`,
 * `A`, `K`, `U`, `<`; `8`, `I`, `S`; `6`, `G`, `Q`...) weigh the same under every digit, the composite
 * included: a reading with one put for the other passes every check. Only what the engines saw can
 * separate them.
 */
import { charValue } from '../mrz/charset.ts';

const MRZ_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<';

const BLIND: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const a of MRZ_CHARS) {
    const va = charValue(a.charCodeAt(0)) % 10;
    map.set(a, [...MRZ_CHARS].filter((b) => b !== a && charValue(b.charCodeAt(0)) % 10 === va).join(''));
  }
  return map;
})();

/** The MRZ characters (other than `ch`) every check digit weighs the same as `ch`; '' for a non-MRZ character. */
export function checkBlindRivals(ch: string): string {
  return BLIND.get(ch) ?? '';
}

/** True when the check digits cannot tell `a` from `b` (two different MRZ characters of equal value mod 10). */
export function isCheckBlindPair(a: string, b: string): boolean {
  return a !== b && checkBlindRivals(a).includes(b);
}
