/**
 * Name normalisation and similarity for screening. Names are transliterated to ASCII with
 * any-ascii (Müller -> Muller, Дмитрий -> Dmitriy), upper-cased and split into letter tokens.
 * Because ICAO 9303 transliterates Ä/Ö/Ü as AE/OE/UE (MUELLER in an MRZ) while lists and any-ascii
 * often drop the E, both sides are also compared with AE/OE/UE folded to A/O/U and the best is
 * kept. Jaro-Winkler is @skyra/jaro-winkler.
 */
import { jaroWinkler } from '@skyra/jaro-winkler';
import anyAscii from 'any-ascii';

export interface NormalizedName {
  /** Letter tokens, upper case. */
  tokens: string[];
  /** The same with AE/OE/UE folded. */
  folded: string[];
}

const fold = (token: string): string => token.replace(/([AOU])E/g, '$1');

export function normalizeName(name: string): NormalizedName {
  const tokens = anyAscii(name).toUpperCase().replace(/[^A-Z]+/g, ' ').trim().split(' ').filter((token) => token.length > 0);
  return { tokens, folded: tokens.map(fold) };
}

const best = (token: string, others: readonly string[]): number => others.reduce((max, other) => Math.max(max, jaroWinkler(token, other)), 0);
const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

function tokensSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  // Word order differs between sources (surname first in an MRZ): compare sorted full strings,
  // and token by token in both directions (penalising extra tokens).
  const [joinedA, joinedB] = [[...a].sort().join(' '), [...b].sort().join(' ')];
  // Jaro-Winkler's prefix bonus scores a name against its own extension highly (GRETA vs GRETA
  // MULLER: 0.89): the whole-string comparison only counts between names of similar length.
  const full = Math.min(joinedA.length, joinedB.length) / Math.max(joinedA.length, joinedB.length) >= 0.75 ? jaroWinkler(joinedA, joinedB) : 0;
  const aToB = mean(a.map((token) => best(token, b)));
  const bToA = mean(b.map((token) => best(token, a)));
  let score = Math.max(full, (aToB + bToA) / 2);
  // A missing middle name: when the shorter name has at least two tokens and all of them match,
  // the extra tokens of the longer one do not count against it.
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 2) score = Math.max(score, mean(short.map((token) => best(token, long))));
  return score;
}

export function nameSimilarity(a: NormalizedName, b: NormalizedName): number {
  return Math.max(tokensSimilarity(a.tokens, b.tokens), tokensSimilarity(a.folded, b.folded));
}
