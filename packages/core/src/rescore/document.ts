/**
 * Document checks from what the bundle holds, as the verifier and the auditor run them: the MRZ
 * lines the device read parsed again with readMrz; expiry, age and validity (checkMrzPolicy) and the
 * accepted document and country for routing; the visual zone against the MRZ when the device sent
 * visual-zone fields; and the flow's own `document.checks` (core document.checkDocument, the
 * function the flow ran at review) computed again to compare with the recorded one.
 */
import { checkDocument, crossCheckVisualZone, documentTypeFromMrz, sameCountry, type DocumentCheckCode, type DocumentType } from '../document/index.ts';
import { readMrz, checkMrzPolicy, type MrzFormat, type MrzPolicyFailure, type MrzReadResult } from '../mrz/index.ts';
import type { DocumentReadArtifact } from './content.ts';

export interface DocumentRescoreConfig {
  acceptedDocuments: readonly DocumentType[];
  /** ICAO codes; empty = every country. */
  acceptedCountries: readonly string[];
  minimumAge: number;
}

export interface DocumentFindings {
  /** Null when the bundle holds no readable document data. */
  mrzValid: boolean | null;
  format: string | null;
  documentNumber: string | null;
  issuingState: string | null;
  /** checkMrzPolicy's failures (`expired`, `under_age`, `validity_too_long`, `date_unreadable`). */
  policyFailures: MrzPolicyFailure[];
  acceptanceFailures: Array<'document_not_accepted' | 'country_not_accepted'>;
  /** Null when no visual-zone field was sent that both zones hold (core crossCheckVisualZone: match or mismatch). */
  vizMatches: boolean | null;
  vizMismatchedFields: string[];
  /** core document.checkDocument on the MRZ's facts, as the flow's review step runs it; null without a valid MRZ. */
  documentChecks: DocumentCheckCode[] | null;
  /** The parsed MRZ, for display (field ranges); null without a reading. */
  mrz: MrzReadResult | null;
}

export function checkDocumentRead(read: DocumentReadArtifact | null, config: DocumentRescoreConfig, referenceDate: Date): DocumentFindings {
  if (read === null) {
    return { mrzValid: null, format: null, documentNumber: null, issuingState: null, policyFailures: [], acceptanceFailures: [], vizMatches: null, vizMismatchedFields: [], documentChecks: null, mrz: null };
  }
  const mrz = readMrz(read.mrzLines, { referenceDate });
  const value = (name: keyof typeof mrz.fields): string | null => mrz.fields[name]?.value ?? null;
  const policyFailures: MrzPolicyFailure[] = mrz.valid
    ? checkMrzPolicy({ birthDate: value('birthDate'), expiryDate: value('expiryDate') }, { minimumAge: config.minimumAge, referenceDate })
    : [];
  const type = mrz.format === null ? null : documentTypeFromMrz(mrz.format as MrzFormat, value('documentCode') ?? '');
  const state = value('issuingState');
  const acceptanceFailures: DocumentFindings['acceptanceFailures'] = [];
  if (mrz.valid && (type === null || !config.acceptedDocuments.includes(type))) acceptanceFailures.push('document_not_accepted');
  // ICAO `D` and ISO `DEU` (and fillers) compare as one state, as in checkDocument.
  if (mrz.valid && config.acceptedCountries.length > 0 && (state === null || !config.acceptedCountries.some((c) => sameCountry(c, state)))) acceptanceFailures.push('country_not_accepted');

  const documentChecks = mrz.valid
    ? [...new Set(checkDocument({ type, issuingState: state, birthDate: value('birthDate'), expiryDate: value('expiryDate') }, {
      minimumAge: config.minimumAge,
      acceptedDocuments: config.acceptedDocuments,
      ...(config.acceptedCountries.length > 0 ? { acceptedCountries: config.acceptedCountries } : {}),
      referenceDate,
    }).map((failure) => failure.code))]
    : null;

  // The same field-by-field comparison the device runs (core crossCheckVisualZone: names in their MRZ
  // forms, Ä as AE or A; a truncated MRZ name as the printed name's start).
  const crossCheck = read.viz !== undefined && mrz.valid
    ? crossCheckVisualZone(read.viz, Object.fromEntries(Object.entries(mrz.fields).map(([name, f]) => [name, f?.value ?? null])))
    : null;
  const mismatched: string[] = crossCheck ? [...crossCheck.mismatches] : [];
  return {
    mrzValid: mrz.valid,
    format: mrz.format,
    documentNumber: mrz.valid ? value('documentNumber') : null,
    issuingState: state,
    policyFailures,
    acceptanceFailures,
    vizMatches: !crossCheck || crossCheck.compared.length === 0 ? null : mismatched.length === 0,
    vizMismatchedFields: mismatched,
    documentChecks,
    mrz,
  };
}
