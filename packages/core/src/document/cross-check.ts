/**
 * Visual zone (printed fields) against the MRZ, field by field. A mismatch is a forgery cue (seed 004:
 * "font consistency / field modification"), reported as a signal, never as a reading error.
 */
import type { EkycErrorCode } from '../errors.ts';
import type { MrzOutputFieldName } from '../mrz/parse.ts';

export type CrossCheckedField = 'surname' | 'givenNames' | 'documentNumber' | 'birthDate' | 'expiryDate' | 'sex' | 'nationality';

const CROSS_CHECKED: readonly CrossCheckedField[] = ['surname', 'givenNames', 'documentNumber', 'birthDate', 'expiryDate', 'sex', 'nationality'];

export interface VisualZoneFields {
  readonly surname?: string | null;
  readonly givenNames?: string | null;
  readonly documentNumber?: string | null;
  /** ISO dates. */
  readonly birthDate?: string | null;
  readonly expiryDate?: string | null;
  readonly issueDate?: string | null;
  /** `M`, `F` or `X`. */
  readonly sex?: string | null;
  /** Compared only when printed as a code (1-3 letters); a country name is not compared. */
  readonly nationality?: string | null;
}

/**
 * `uncertain`: both zones hold the field but one of them flagged it: neither a match nor a signal.
 * `not_compared`: the MRZ value was (partly) filled from the visual zone (viz-fill.ts), so comparing
 * them would compare the printed value with itself.
 */
export type FieldComparison = 'match' | 'mismatch' | 'missing' | 'uncertain' | 'not_compared';

export interface CrossCheckOptions {
  /** Visual-zone fields read but not confirmed (low confidence, repaired...). */
  readonly vizUncertain?: Iterable<string>;
  /** MRZ fields the reading flagged uncertain. */
  readonly mrzUncertain?: Iterable<string>;
  /** MRZ fields whose value came (partly) from the visual zone (MrzFieldSource): `not_compared`. */
  readonly mrzFromVisualZone?: Iterable<string>;
}

export interface CrossCheckResult {
  readonly fields: Readonly<Record<CrossCheckedField, FieldComparison>>;
  readonly mismatches: readonly CrossCheckedField[];
  /** The fields both zones held and that were compared: `match` or `mismatch`. */
  readonly compared: readonly CrossCheckedField[];
  /** `document_viz_mrz_mismatch` when any field disagrees. */
  readonly signal: Extract<EkycErrorCode, 'document_viz_mrz_mismatch'> | null;
}

/**
 * Names as an MRZ writes them (ICAO 9303-3 section 6): upper case, accents dropped, common
 * transliterations (Ä→AE is also allowed as A), anything else a space.
 */
export function mrzNameForm(name: string): string[] {
  const upper = name.normalize('NFC').toUpperCase();
  const expand = (s: string, expanded: boolean): string => s
    .replace(/Ä/g, expanded ? 'AE' : 'A').replace(/Ö/g, expanded ? 'OE' : 'O').replace(/Ü/g, expanded ? 'UE' : 'U')
    .replace(/ß/g, 'SS').replace(/Æ/g, 'AE').replace(/Ø/g, 'OE').replace(/Å/g, 'AA').replace(/Þ/g, 'TH')
    .normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Z]+/g, ' ').trim().replace(/ +/g, ' ');
  return [...new Set([expand(upper, true), expand(upper, false)])];
}

function namesMatch(viz: string, mrz: string): boolean {
  const m = mrz.replace(/ +/g, ' ').trim();
  // The MRZ may be truncated: the printed name must then start with it.
  return mrzNameForm(viz).some((v) => v === m || (m.length >= 3 && v.startsWith(m)) || v.replace(/ /g, '') === m.replace(/ /g, ''));
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Least edits between the printed name's MRZ forms and the MRZ name, spaces ignored. */
function nameDistance(viz: string, mrz: string): number {
  const m = mrz.replace(/[ <]/g, '');
  return Math.min(...mrzNameForm(viz).map((v) => editDistance(v.replace(/ /g, ''), m)));
}

/**
 * Letters and digits a printed sans-serif number draws alike. A printed number differing from the MRZ's
 * only in such pairs is a misread of the print, not another number: the MRZ's is check-digit verified,
 * and no identity is changed by writing an `O` for a `0`. Found on the fresh cross-check set 190000 (mild
 * TD3 190007): the page's `G0980T0P` read `G0980TOP`, both engines agreeing, and reported a mismatch.
 */
const NUMBER_LOOK_ALIKES: ReadonlySet<string> = new Set(['O0', 'D0', 'Q0', 'I1', 'S5', 'B8', 'Z2', 'G6'].flatMap((p) => [p, `${p[1]}${p[0]}`]));

/** A printed document number as it is compared with the MRZ's: spaces, dashes and fillers out, upper case. */
export function printedNumberForm(printed: string): string {
  return printed.replace(/[\s<-]/g, '').toUpperCase();
}

/** The MRZ's document number as it is compared with a printed one: its fillers out. */
export function mrzNumberForm(mrz: string): string {
  return mrz.replace(/</g, '');
}

/** A printed document number and the MRZ's as they are compared. */
function numberForms(v: string, m: string): [string, string] {
  return [printedNumberForm(v), mrzNumberForm(m)];
}

/** Same length, and every position that differs is a look-alike pair (NUMBER_LOOK_ALIKES). */
function numbersLookAlike(v: string, m: string): boolean {
  const [a, b] = numberForms(v, m);
  return a.length === b.length && [...a].every((ch, i) => ch === b[i] || NUMBER_LOOK_ALIKES.has(`${ch}${b[i]}`));
}

function compare(name: CrossCheckedField, v: string, m: string): boolean {
  if (name === 'surname' || name === 'givenNames') return namesMatch(v, m);
  if (name === 'documentNumber') { const [a, b] = numberForms(v, m); return a === b; }
  if (name === 'sex') return v.toUpperCase() === (m === '' || m === '<' ? 'X' : m.toUpperCase());
  if (name === 'nationality') return v.toUpperCase() === m.replace(/</g, '');
  return v === m;
}

/**
 * Compares what both zones hold; fields absent from either are `missing`, fields either zone flagged
 * are `uncertain` (no signal from either: an unconfirmed read is no forgery cue).
 */
export function crossCheckVisualZone(viz: VisualZoneFields, mrz: Partial<Record<MrzOutputFieldName, string | null>>, options: CrossCheckOptions = {}): CrossCheckResult {
  const names = CROSS_CHECKED;
  const vizUncertain = new Set(options.vizUncertain ?? []);
  const mrzUncertain = new Set(options.mrzUncertain ?? []);
  const fromViz = new Set(options.mrzFromVisualZone ?? []);
  const fields = {} as Record<CrossCheckedField, FieldComparison>;
  for (const name of names) {
    if (fromViz.has(name)) { fields[name] = 'not_compared'; continue; }
    const v = viz[name];
    const m = mrz[name];
    if (!v || !m || (name === 'nationality' && !/^[A-Z]{1,3}$/i.test(v.trim()))) { fields[name] = 'missing'; continue; }
    if (vizUncertain.has(name)) { fields[name] = 'uncertain'; continue; }
    if (mrzUncertain.has(name)) {
      // An uncertain MRZ name can be far off under heavy degradation (eval:viz strong: filler runs read
      // as letters after the name, 3 false mismatches of 8 genuine documents at a 34% edit threshold),
      // so only a printed name that shares almost nothing with it is a mismatch: edits over 60% of the
      // longer name (another name, not a misread one).
      // A filler run read as letters (`KKKK...`, eval:viz strong) is no name to compare: lengths must be
      // close and the MRZ name free of triple letters.
      const bare = m.replace(/[ <]/g, '');
      const comparable = Math.abs(bare.length - v.replace(/ /g, '').length) <= Math.max(3, 0.4 * bare.length) && !/(.)\1\1/.test(bare);
      fields[name] = (name === 'surname' || name === 'givenNames') && comparable && nameDistance(v, m) > 0.6 * Math.max(v.replace(/ /g, '').length, bare.length) ? 'mismatch' : 'uncertain';
      continue;
    }
    // A printed number that differs only in look-alikes confirms nothing and signals nothing.
    fields[name] = compare(name, v, m) ? 'match' : name === 'documentNumber' && numbersLookAlike(v, m) ? 'uncertain' : 'mismatch';
  }
  const mismatches = names.filter((n) => fields[n] === 'mismatch');
  const compared = names.filter((n) => fields[n] === 'match' || fields[n] === 'mismatch');
  return { fields, mismatches, compared, signal: mismatches.length > 0 ? 'document_viz_mrz_mismatch' : null };
}
