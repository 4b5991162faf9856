/**
 * Document checks on a document read from its printed fields alone (a driving licence has no MRZ):
 * every field keeps its source and confidence, and only the values the reading is sure of reach the
 * checks. A doubted expiry or birth date is never taken as read: the checks then say
 * `document_dates_unreadable`, never "not expired" or "of age" on a guess.
 */
import { checkDocument, type DocumentCheckFailure, type DocumentFacts, type DocumentPolicy } from './checks.ts';
import type { IssuingStateReading } from './licence-state.ts';
import type { DocumentType } from './types.ts';
import type { VisualZoneReading, VizFieldName, VizUncertainty } from './viz-fields.ts';

/** A field as review and evidence show it: where it came from and how sure the reading is. */
export interface SourcedField {
  readonly value: string | null;
  /** `viz`: printed fields only, no check digit stands behind the value. */
  readonly source: 'viz';
  readonly confidence: number;
  /** True: show as unconfirmed; the checks did not use it. */
  readonly uncertain: boolean;
  readonly reasons: readonly VizUncertainty[];
}

export interface VisualZoneDocument {
  readonly type: DocumentType;
  readonly fields: Partial<Record<VizFieldName, SourcedField>>;
  /** What the checks were given: certain values only, null elsewhere. */
  readonly facts: DocumentFacts;
  readonly failures: DocumentCheckFailure[];
  /** The issuing state as read from the print (a licence's distinguishing sign), when it was read. */
  readonly issuingState?: IssuingStateReading;
  /** Fields read but doubted (or not found) that a check needed. */
  readonly unverified: ReadonlyArray<VizFieldName | 'issuingState'>;
}

/**
 * Runs `checkDocument` on the certain printed fields of `reading`. The issuing state is the caller's
 * `issuingState` when given (a state the session already knows), else the reading's own
 * (`reading.issuingState`, a licence's distinguishing sign) when certain: a doubted or missing state
 * is null, which an `acceptedCountries` policy reports as `document_country_unreadable`, never a pass.
 */
export function checkVisualZoneDocument(reading: VisualZoneReading & { issuingState?: IssuingStateReading }, document: { type: DocumentType; issuingState?: string | null }, policy: DocumentPolicy = {}): VisualZoneDocument {
  const fields: Partial<Record<VizFieldName, SourcedField>> = {};
  for (const [name, f] of Object.entries(reading.fields) as Array<[VizFieldName, NonNullable<VisualZoneReading['fields'][VizFieldName]>]>) {
    fields[name] = { value: f.value, source: 'viz', confidence: f.confidence, uncertain: f.uncertain || f.value === null, reasons: f.reasons };
  }
  const certain = (name: VizFieldName): string | null => {
    const f = fields[name];
    return f && !f.uncertain ? f.value : null;
  };
  const read = reading.issuingState;
  const state = document.issuingState ?? (read && !read.uncertain ? read.value : null);
  const facts: DocumentFacts = {
    type: document.type,
    issuingState: state,
    birthDate: certain('birthDate'),
    expiryDate: certain('expiryDate'),
    issueDate: certain('issueDate'),
  };
  const needed: VizFieldName[] = ['expiryDate', ...(policy.minimumAge !== undefined ? ['birthDate' as const] : [])];
  const unverified: Array<VizFieldName | 'issuingState'> = needed.filter((name) => certain(name) === null);
  if (policy.acceptedCountries && state === null) unverified.push('issuingState');
  return { type: document.type, fields, facts, failures: checkDocument(facts, policy), ...(read ? { issuingState: read } : {}), unverified };
}
