/**
 * A driving licence in the flow: no MRZ (core `sideLayout`), so its fields come from the printed visual
 * zone and the document checks run on those (core `checkVisualZoneDocument`). Pure decisions, tested
 * without a worker; `VerificationFlow` reads the side again with `visualZone: true` when
 * `needsVisualZone` says so, keeps it as `asLicenceRead` gives it, and builds review with `licenceReviewData`.
 */
import { document as coreDocument, type EkycErrorCode } from '@ekyc/core';
import type { DocumentRead, Portrait } from '@ekyc/workers';
import { documentPolicy, type DocumentPolicyInput } from './policy.ts';
import type { ReviewData, ReviewField } from './types.ts';

/**
 * True when the side read may be a licence: no valid MRZ on it, its visual zone not read yet, and the
 * session accepts driving licences. A licence's printed rows can look like MRZ lines to the line search
 * (1 of 20 synthetic cards: mild seed 7001), so lines found whose reading failed its check digits do not
 * rule a licence out; an unreadable passport MRZ then costs one visual-zone read more.
 */
export function needsVisualZone(read: Pick<DocumentRead, 'mrzFound' | 'mrz' | 'visualZone'>, accepted: readonly coreDocument.DocumentType[]): boolean {
  return !(read.mrzFound && read.mrz?.valid) && read.visualZone === undefined && accepted.includes('driving_licence');
}

/**
 * A side read with its visual zone, as the flow keeps it: a numbered layout (a licence) with no valid MRZ
 * has none by design, so MRZ-like lines the line search found on its printed rows are dropped
 * (`mrzFound` false, `mrz` null) and the side is a licence for the side decision, review and evidence.
 * Any other read is kept as read.
 */
export function asLicenceRead(read: DocumentRead): DocumentRead {
  if (read.visualZone?.layout !== 'numbered' || !read.mrzFound || read.mrz?.valid) return read;
  return { ...read, mrzFound: false, mrz: null };
}

/** The side's visual zone is a licence's: its fields are numbered (EU / ISO 18013-1). */
export function isLicenceRead(read: Pick<DocumentRead, 'mrzFound' | 'visualZone'>): boolean {
  return !read.mrzFound && read.visualZone?.layout === 'numbered';
}

const LICENCE_REVIEW_FIELDS: ReadonlyArray<ReviewField & coreDocument.VizFieldName> = ['surname', 'givenNames', 'documentNumber', 'birthDate', 'expiryDate'];

/**
 * What review shows for a licence: the printed fields (every one from the visual zone: no check digit
 * stands behind them) and the issuing state read from the emblem's sign (as ISO alpha-3), the doubted
 * ones as uncertain, and the document checks' findings on the certain ones (a doubted state under an
 * accepted-countries list is `document_country_unreadable`). `valid` stays false: it means an MRZ
 * whose check digits passed, and there is none.
 */
export function licenceReviewData(read: Pick<DocumentRead, 'visualZone'>, portrait: Pick<Portrait, 'crop'> | null, policy: DocumentPolicyInput): ReviewData & { checked: coreDocument.VisualZoneDocument | null } {
  const fields: Partial<Record<ReviewField, string | null>> = {};
  const uncertain: ReviewField[] = [];
  const issues: EkycErrorCode[] = [];
  let checked: coreDocument.VisualZoneDocument | null = null;
  if (!read.visualZone) issues.push('document_mrz_not_found');
  else {
    checked = coreDocument.checkVisualZoneDocument(read.visualZone, { type: 'driving_licence' }, documentPolicy(policy));
    for (const name of LICENCE_REVIEW_FIELDS) {
      const f = checked.fields[name];
      fields[name] = f?.value ?? null;
      if (!f || f.uncertain) uncertain.push(name);
    }
    const state = checked.issuingState;
    fields.issuingState = state?.value ?? null;
    if (!state || state.uncertain) uncertain.push('issuingState');
    for (const failure of checked.failures) if (!issues.includes(failure.code)) issues.push(failure.code);
  }
  return { documentType: 'driving_licence', format: null, valid: false, fields, uncertain, issues, portraitFound: portrait?.crop != null, checked };
}

/** The `ekyc.licence.read` artifact type (docs/verifier.md): what the verifier re-checks for a licence. */
export const LICENCE_READ_TYPE = 'ekyc.licence.read';

const LICENCE_ARTIFACT_FIELDS: readonly coreDocument.VizFieldName[] = ['surname', 'givenNames', 'documentNumber', 'birthDate', 'issueDate', 'expiryDate'];

/**
 * The printed fields of a licence as the verifier reads them again (`ekyc.licence.read`): each value
 * the device read, the doubted ones listed in `uncertain` (the verifier, like the device, checks only
 * the certain ones), and the issuing state read from the emblem. Null when the side is no licence read.
 */
export function licenceReadArtifact(read: Pick<DocumentRead, 'mrzFound' | 'visualZone'> | null): Record<string, unknown> | null {
  if (read === null || !isLicenceRead(read) || !read.visualZone) return null;
  const zone = read.visualZone;
  const fields: Record<string, string | null> = {};
  const uncertain: string[] = [];
  for (const name of LICENCE_ARTIFACT_FIELDS) {
    const f = zone.fields[name];
    fields[name] = f?.value ?? null;
    if (!f || f.value === null || f.uncertain) uncertain.push(name);
  }
  const state = zone.issuingState;
  fields.issuingState = state?.value ?? null;
  if (!state || state.uncertain) uncertain.push('issuingState');
  return { type: LICENCE_READ_TYPE, layout: 'numbered', fields, uncertain, ...(state?.sign ? { sign: state.sign } : {}) };
}
