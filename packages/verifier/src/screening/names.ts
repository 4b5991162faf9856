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
  /** Tokens sorted and joined by spaces (word order differs between sources), plain and folded. */
  joined: string;
  foldedJoined: string;
}

const fold = (token: string): string => token.replace(/([AOU])E/g, '$1');

export function normalizeName(name: string): NormalizedName {
  const tokens = anyAscii(name).toUpperCase().replace(/[^A-Z]+/g, ' ').trim().split(' ').filter((token) => token.length > 0);
  const folded = tokens.map(fold);
  return { tokens, folded, joined: [...tokens].sort().join(' '), foldedJoined: [...folded].sort().join(' ') };
}

/**
 * Token-pair similarities are memoised (bounded): list vocabularies repeat (surnames, given
 * names), so screening one subject against a list costs far fewer Jaro-Winkler calls than pairs.
 */
const MEMO_LIMIT = 200_000;
const memo = new Map<string, number>();
function tokenSimilarity(x: string, y: string): number {
  if (x === y) return 1;
  const key = x < y ? `${x} ${y}` : `${y} ${x}`;
  let value = memo.get(key);
  if (value === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    value = jaroWinkler(x, y);
    memo.set(key, value);
  }
  return value;
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

function tokensSimilarity(a: readonly string[], b: readonly string[], joinedA: string, joinedB: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  // Token by token in both directions (penalising extra tokens), and the sorted whole names.
  // Best match of each token of one name among the other's tokens, both ways, from one matrix.
  const rowBest = new Array<number>(a.length).fill(0);
  const columnBest = new Array<number>(b.length).fill(0);
  for (let i = 0; i < a.length; i += 1) {
    for (let j = 0; j < b.length; j += 1) {
      const value = tokenSimilarity(a[i]!, b[j]!);
      if (value > rowBest[i]!) rowBest[i] = value;
      if (value > columnBest[j]!) columnBest[j] = value;
    }
  }
  const aToB = mean(rowBest);
  const bToA = mean(columnBest);
  let score = (aToB + bToA) / 2;
  // The whole-name comparison catches split or joined names (ANNAMARIA vs ANNA MARIA). It is
  // skipped when no token pair reaches 0.8 (then the whole names do not reach the 0.88 candidate
  // bar in practice: it cut screening a 20,000-entry list by most of its time), and when the
  // lengths differ by over a quarter: Jaro-Winkler's prefix bonus scores a name against its own
  // extension highly (GRETA vs GRETA MULLER: 0.89).
  const bestPair = Math.max(...rowBest);
  if (bestPair >= 0.8 && Math.min(joinedA.length, joinedB.length) / Math.max(joinedA.length, joinedB.length) >= 0.75) {
    score = Math.max(score, jaroWinkler(joinedA, joinedB));
  }
  // A missing middle name: when the shorter name has at least two tokens and all of them match,
  // the extra tokens of the longer one do not count against it.
  if (Math.min(a.length, b.length) >= 2) score = Math.max(score, a.length <= b.length ? aToB : bToA);
  return score;
}

export function nameSimilarity(a: NormalizedName, b: NormalizedName): number {
  return Math.max(tokensSimilarity(a.tokens, b.tokens, a.joined, b.joined), tokensSimilarity(a.folded, b.folded, a.foldedJoined, b.foldedJoined));
}
