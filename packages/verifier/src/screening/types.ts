/**
 * Sanctions / PEP screening (seed 004), pluggable: the re-scoring job calls `screen` with the
 * names, date of birth and nationality read from the document, and a hit escalates the case
 * whatever the score. The built-in implementation is ListScreening (matcher.ts) over a list file
 * the operator provides; a commercial screening service fits the same interface.
 */
export interface ScreeningSubject {
  /** Name variants of one person (e.g. the MRZ's and the visual zone's), each "given names surname". */
  names: string[];
  /** ISO date `YYYY-MM-DD`, or null when unknown. */
  birthDate: string | null;
  /** ICAO / ISO 3166-1 alpha-3 code, or null when unknown. */
  nationality: string | null;
}

export type TieBreak = 'match' | 'contradicts' | 'unknown';

export interface ScreeningMatch {
  listId: string;
  entryId: string;
  category: string;
  /** Best Jaro-Winkler similarity of a subject name and an entry name, in [0, 1]. */
  nameScore: number;
  birthDate: TieBreak;
  nationality: TieBreak;
}

export interface ScreeningResult {
  listId: string;
  hit: boolean;
  /** The entries that hit (never the subject's data). */
  matches: ScreeningMatch[];
  /** How many list entries were compared (a count, for bounds in tests). */
  compared: number;
}

export interface Screening {
  readonly listId: string;
  screen(subject: ScreeningSubject): Promise<ScreeningResult>;
}
