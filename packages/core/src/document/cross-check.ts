/**
 * Visual zone (printed fields) against the MRZ, field by field. A mismatch is a forgery cue (seed 004:
 * "font consistency / field modification"), reported as a signal, never as a reading error.
 */
import type { EkycErrorCode } from '../errors.ts';
import type { MrzOutputFieldName } from '../mrz/parse.ts';

export type CrossCheckedField = 'surname' | 'givenNames' | 'documentNumber' | 'birthDate' | 'expiryDate';

export interface VisualZoneFields {
  readonly surname?: string | null;
  readonly givenNames?: string | null;
  readonly documentNumber?: string | null;
  /** ISO dates. */
  readonly birthDate?: string | null;
  readonly expiryDate?: string | null;
  readonly issueDate?: string | null;
}

export type FieldComparison = 'match' | 'mismatch' | 'missing';

export interface CrossCheckResult {
  readonly fields: Readonly<Record<CrossCheckedField, FieldComparison>>;
  readonly mismatches: readonly CrossCheckedField[];
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

/** Compares what both zones hold; fields absent from either are `missing` (no signal). */
export function crossCheckVisualZone(viz: VisualZoneFields, mrz: Partial<Record<MrzOutputFieldName, string | null>>): CrossCheckResult {
  const names: CrossCheckedField[] = ['surname', 'givenNames', 'documentNumber', 'birthDate', 'expiryDate'];
  const fields = {} as Record<CrossCheckedField, FieldComparison>;
  for (const name of names) {
    const v = viz[name];
    const m = mrz[name];
    if (!v || !m) { fields[name] = 'missing'; continue; }
    if (name === 'surname' || name === 'givenNames') fields[name] = namesMatch(v, m) ? 'match' : 'mismatch';
    else if (name === 'documentNumber') fields[name] = v.replace(/[\s<-]/g, '').toUpperCase() === m.replace(/</g, '') ? 'match' : 'mismatch';
    else fields[name] = v === m ? 'match' : 'mismatch';
  }
  const mismatches = names.filter((n) => fields[n] === 'mismatch');
  return { fields, mismatches, signal: mismatches.length > 0 ? 'document_viz_mrz_mismatch' : null };
}
