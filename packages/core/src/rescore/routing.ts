/**
 * Where each document finding routes in the risk decision: the one table for an MRZ document's
 * findings (rescore.ts) and a driving licence's printed fields (licence.ts). A fact about the
 * document (expired, under age, a type or state not accepted) rejects; what could not be read or
 * judged (dates, the state, a validity longer than the type allows) goes to review. `reason` is the
 * routing reason code the decision carries (the words the MRZ path has always used).
 */
import type { DocumentCheckCode } from '../document/index.ts';
import type { MrzPolicyFailure } from '../mrz/index.ts';
import type { HardRule } from '../risk/index.ts';

export interface DocumentRoute {
  reason: string;
  escalateTo: HardRule['escalateTo'];
}

export const DOCUMENT_ROUTING: Readonly<Record<DocumentCheckCode, DocumentRoute>> = {
  document_expired: { reason: 'document_expired', escalateTo: 'reject' },
  document_not_yet_valid: { reason: 'not_yet_valid', escalateTo: 'reject' },
  document_holder_under_age: { reason: 'under_age', escalateTo: 'reject' },
  document_validity_too_long: { reason: 'validity_too_long', escalateTo: 'review' },
  document_type_not_accepted: { reason: 'document_not_accepted', escalateTo: 'reject' },
  document_country_not_accepted: { reason: 'country_not_accepted', escalateTo: 'reject' },
  document_country_unreadable: { reason: 'country_unreadable', escalateTo: 'review' },
  document_dates_unreadable: { reason: 'date_unreadable', escalateTo: 'review' },
};

/** The MRZ path's findings (checkMrzPolicy's failures and the acceptance checks of document.ts). */
export type MrzFinding = MrzPolicyFailure | 'document_not_accepted' | 'country_not_accepted';

const MRZ_FINDING_CODE: Readonly<Record<MrzFinding, DocumentCheckCode>> = {
  expired: 'document_expired',
  under_age: 'document_holder_under_age',
  validity_too_long: 'document_validity_too_long',
  date_unreadable: 'document_dates_unreadable',
  document_not_accepted: 'document_type_not_accepted',
  country_not_accepted: 'document_country_not_accepted',
};

/** The route of a document check's failure code. */
export function documentRoute(code: DocumentCheckCode): DocumentRoute {
  return DOCUMENT_ROUTING[code];
}

/** The route of an MRZ finding: the document check it is, through the same table. */
export function mrzFindingRoute(finding: MrzFinding): DocumentRoute {
  return DOCUMENT_ROUTING[MRZ_FINDING_CODE[finding]];
}

/** Each route as the hard rule the risk decision takes. */
export function routeRules(routes: readonly DocumentRoute[]): HardRule[] {
  return routes.map(({ reason, escalateTo }) => ({ code: reason, escalateTo }));
}
