/**
 * The built-in screening: Jaro-Winkler on transliteration-normalised names (names.ts) over every
 * entry of an operator-provided list, with date of birth and nationality as tie-breakers:
 *
 * | name similarity | date of birth | nationality | hit |
 * |---|---|---|---|
 * | < 0.88 | any | any | no |
 * | >= 0.88 | contradicts | any | no (another person with a similar name) |
 * | >= 0.88 | matches | any | yes |
 * | >= 0.95 | unknown on either side | matches or unknown | yes |
 * | >= 0.95 | unknown | contradicts | no |
 * | 0.88 - 0.95 | unknown | matches | yes |
 * | 0.88 - 0.95 | unknown | unknown or contradicts | no |
 *
 * 0.95: a one-letter spelling difference in a 6-8 letter surname scores 0.95-0.97; 0.88 lets
 * transliteration variants through only with corroboration. A list entry with only a birth year
 * matches any date in that year.
 */
import type { ScreeningList } from './list.ts';
import { nameSimilarity, normalizeName, type NormalizedName } from './names.ts';
import type { Screening, ScreeningMatch, ScreeningResult, ScreeningSubject, TieBreak } from './types.ts';

export const NAME_CANDIDATE = 0.88;
export const NAME_STRONG = 0.95;

interface PreparedEntry {
  id: string;
  category: string;
  names: NormalizedName[];
  birthDates: string[];
  nationalities: string[];
}

function birthDateTie(subject: string | null, entry: readonly string[]): TieBreak {
  if (subject === null || entry.length === 0) return 'unknown';
  return entry.some((date) => (date.length === 4 ? subject.startsWith(`${date}-`) : subject === date)) ? 'match' : 'contradicts';
}

function nationalityTie(subject: string | null, entry: readonly string[]): TieBreak {
  if (subject === null || entry.length === 0) return 'unknown';
  return entry.includes(subject) ? 'match' : 'contradicts';
}

export function isHit(nameScore: number, birthDate: TieBreak, nationality: TieBreak): boolean {
  if (nameScore < NAME_CANDIDATE || birthDate === 'contradicts') return false;
  if (birthDate === 'match') return true;
  if (nameScore >= NAME_STRONG) return nationality !== 'contradicts';
  return nationality === 'match';
}

export class ListScreening implements Screening {
  readonly listId: string;
  readonly #entries: PreparedEntry[];

  constructor(list: ScreeningList) {
    this.listId = list.id;
    this.#entries = list.entries.map((entry) => ({
      id: entry.id, category: entry.category, names: entry.names.map(normalizeName), birthDates: entry.birthDates, nationalities: entry.nationalities,
    }));
  }

  get size(): number {
    return this.#entries.length;
  }

  async screen(subject: ScreeningSubject): Promise<ScreeningResult> {
    const names = subject.names.map(normalizeName).filter((name) => name.tokens.length > 0);
    const nationality = subject.nationality?.toUpperCase() ?? null;
    const matches: ScreeningMatch[] = [];
    for (const entry of this.#entries) {
      let nameScore = 0;
      for (const name of names) for (const listed of entry.names) nameScore = Math.max(nameScore, nameSimilarity(name, listed));
      if (nameScore < NAME_CANDIDATE) continue;
      const birthDate = birthDateTie(subject.birthDate, entry.birthDates);
      const nationalityTieBreak = nationalityTie(nationality, entry.nationalities);
      if (isHit(nameScore, birthDate, nationalityTieBreak)) {
        matches.push({ listId: this.listId, entryId: entry.id, category: entry.category, nameScore: Math.round(nameScore * 1000) / 1000, birthDate, nationality: nationalityTieBreak });
      }
    }
    matches.sort((a, b) => b.nameScore - a.nameScore || a.entryId.localeCompare(b.entryId));
    return { listId: this.listId, hit: matches.length > 0, matches, compared: this.#entries.length };
  }
}
