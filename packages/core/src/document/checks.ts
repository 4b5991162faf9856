/** Document checks on the fields read, each failure with its own code. Pure. */
import { ageOn, exceedsMaxValidity, isExpired } from '../mrz/validation.ts';
import type { EkycErrorCode } from '../errors.ts';
import { sameCountry } from './licence-state.ts';
import type { DocumentType } from './types.ts';

export type DocumentCheckCode = Extract<EkycErrorCode,
  | 'document_expired'
  | 'document_not_yet_valid'
  | 'document_holder_under_age'
  | 'document_validity_too_long'
  | 'document_type_not_accepted'
  | 'document_country_not_accepted'
  | 'document_country_unreadable'
  | 'document_dates_unreadable'>;

export interface DocumentFacts {
  readonly type: DocumentType | null;
  /** ICAO / ISO 3166-1 alpha-3 code of the issuing state (`D` or `DEU` for Germany); null when not read. */
  readonly issuingState: string | null;
  readonly birthDate: string | null;
  readonly expiryDate: string | null;
  /** From the visual zone when printed (no MRZ layout carries it). */
  readonly issueDate?: string | null;
}

export interface DocumentPolicy {
  /** Holders younger than this fail. */
  readonly minimumAge?: number;
  /** Longest validity per type, years; the expiry may not lie further than this after issue (or today). */
  readonly maxValidityYears?: Partial<Record<DocumentType, number>>;
  /** seed 004 `accepted_documents`; absent = all. */
  readonly acceptedDocuments?: readonly DocumentType[];
  /** seed 004 `accepted_countries` (ICAO codes; `D` and `DEU` are the same state); absent = all. */
  readonly acceptedCountries?: readonly string[];
  readonly referenceDate?: Date;
}

/**
 * Longest validity a genuine document of each type has (years), from issue. Passports and ID cards:
 * 10 in most states (a few issue 15-year cards); residence permits: 10; visas: 10; licences: 15.
 */
export const DEFAULT_MAX_VALIDITY_YEARS: Readonly<Record<DocumentType, number>> = {
  passport: 10,
  id_card: 15,
  residence_permit: 10,
  visa: 10,
  driving_licence: 15,
};

export interface DocumentCheckFailure {
  readonly code: DocumentCheckCode;
  /** The field the check read (never its value). */
  readonly field: 'expiryDate' | 'issueDate' | 'birthDate' | 'documentCode' | 'issuingState';
}

function validIso(iso: string | null | undefined): iso is string {
  return typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(iso);
}

/** Runs every check; an empty list means the document passes them all. */
export function checkDocument(facts: DocumentFacts, policy: DocumentPolicy = {}): DocumentCheckFailure[] {
  const ref = policy.referenceDate ?? new Date();
  const failures: DocumentCheckFailure[] = [];
  if (!validIso(facts.expiryDate)) failures.push({ code: 'document_dates_unreadable', field: 'expiryDate' });
  else {
    if (isExpired(facts.expiryDate, ref)) failures.push({ code: 'document_expired', field: 'expiryDate' });
    const years = facts.type ? (policy.maxValidityYears?.[facts.type] ?? DEFAULT_MAX_VALIDITY_YEARS[facts.type]) : 15;
    // From the issue date when printed, else from today (a document issued today is the longest case).
    const tooLong = validIso(facts.issueDate)
      ? exceedsMaxValidity(facts.expiryDate, years, new Date(`${facts.issueDate}T00:00:00Z`)) === true
      : exceedsMaxValidity(facts.expiryDate, years, ref) === true;
    if (tooLong) failures.push({ code: 'document_validity_too_long', field: 'expiryDate' });
  }
  if (validIso(facts.issueDate) && isExpired(ref.toISOString().slice(0, 10), new Date(`${facts.issueDate}T00:00:00Z`))) {
    // The reference day lies before the issue day.
    failures.push({ code: 'document_not_yet_valid', field: 'issueDate' });
  }
  if (policy.minimumAge !== undefined) {
    if (!validIso(facts.birthDate)) failures.push({ code: 'document_dates_unreadable', field: 'birthDate' });
    else {
      const age = ageOn(facts.birthDate, ref);
      if (age === undefined || age < policy.minimumAge) failures.push({ code: 'document_holder_under_age', field: 'birthDate' });
    }
  }
  if (policy.acceptedDocuments && (facts.type === null || !policy.acceptedDocuments.includes(facts.type))) {
    failures.push({ code: 'document_type_not_accepted', field: 'documentCode' });
  }
  if (policy.acceptedCountries) {
    // A state that could not be read is neither accepted nor refused: its own code, never a pass.
    if (facts.issuingState === null) failures.push({ code: 'document_country_unreadable', field: 'issuingState' });
    else if (!policy.acceptedCountries.some((c) => sameCountry(c, facts.issuingState!))) failures.push({ code: 'document_country_not_accepted', field: 'issuingState' });
  }
  return failures;
}
