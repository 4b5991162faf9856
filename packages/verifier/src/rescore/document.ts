/**
 * Document checks on the server from what the bundle holds: the MRZ lines the device read (an
 * `other` artifact, `application/json`, `{ "type": "ekyc.document.read", "mrzLines": [...],
 * "viz"?: {...} }`) parsed again with core's readMrz; expiry, age and accepted document and
 * country; and the visual zone against the MRZ when the device sent visual-zone fields.
 */
import { checkMrzPolicy, readMrz, type EvidenceBundle } from '@ekyc/core';
import { z } from 'zod';
import { documentKindOf, type SessionConfig } from '../session-config.ts';

export const DOCUMENT_READ_TYPE = 'ekyc.document.read';

const vizSchema = z.object({
  surname: z.string().max(200).optional(),
  givenNames: z.string().max(200).optional(),
  documentNumber: z.string().max(64).optional(),
  birthDate: z.string().max(10).optional(),
  expiryDate: z.string().max(10).optional(),
}).strict();

const documentReadSchema = z.object({
  type: z.literal(DOCUMENT_READ_TYPE),
  mrzLines: z.array(z.string().max(64)).min(1).max(3),
  viz: vizSchema.optional(),
}).strict();
export type DocumentRead = z.infer<typeof documentReadSchema>;

export interface DocumentFindings {
  /** Null when the bundle holds no readable document data. */
  mrzValid: boolean | null;
  format: string | null;
  documentNumber: string | null;
  issuingState: string | null;
  policyFailures: string[];
  acceptanceFailures: string[];
  /** Null when no visual-zone fields were sent. */
  vizMatches: boolean | null;
  vizMismatchedFields: string[];
}

export function findDocumentRead(bundle: EvidenceBundle): DocumentRead | null {
  for (const artifact of bundle.manifest.artifacts) {
    if (artifact.kind !== 'other' || artifact.mediaType !== 'application/json') continue;
    const bytes = bundle.artifacts.get(artifact.id);
    if (bytes === undefined) continue;
    try {
      const parsed = documentReadSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: not a document read
    }
  }
  return null;
}

const normalizeName = (value: string): string => value.toUpperCase().normalize('NFKD').replace(/[^A-Z]/g, '');

export function checkDocument(read: DocumentRead | null, config: SessionConfig, referenceDate: Date): DocumentFindings {
  if (read === null) {
    return { mrzValid: null, format: null, documentNumber: null, issuingState: null, policyFailures: [], acceptanceFailures: [], vizMatches: null, vizMismatchedFields: [] };
  }
  const mrz = readMrz(read.mrzLines, { referenceDate });
  const value = (name: keyof typeof mrz.fields): string | null => mrz.fields[name]?.value ?? null;
  const policyFailures: string[] = mrz.valid
    ? checkMrzPolicy({ birthDate: value('birthDate'), expiryDate: value('expiryDate') }, { minimumAge: config.thresholds.minimumAge, referenceDate })
    : [];
  const acceptanceFailures: string[] = [];
  const kind = documentKindOf(value('documentCode') ?? '');
  if (mrz.valid && (kind === null || !config.acceptedDocuments.includes(kind))) acceptanceFailures.push('document_not_accepted');
  const state = value('issuingState');
  if (mrz.valid && config.acceptedCountries.length > 0 && (state === null || !config.acceptedCountries.includes(state))) acceptanceFailures.push('country_not_accepted');

  const mismatched: string[] = [];
  if (read.viz !== undefined && mrz.valid) {
    const compare = (field: string, viz: string | undefined, fromMrz: string | null, normalize: (v: string) => string) => {
      if (viz === undefined || fromMrz === null) return;
      if (normalize(viz) !== normalize(fromMrz)) mismatched.push(field);
    };
    compare('surname', read.viz.surname, value('surname'), normalizeName);
    compare('givenNames', read.viz.givenNames, value('givenNames'), normalizeName);
    compare('documentNumber', read.viz.documentNumber, value('documentNumber'), (v) => v.toUpperCase().replace(/[^A-Z0-9]/g, ''));
    compare('birthDate', read.viz.birthDate, value('birthDate'), (v) => v);
    compare('expiryDate', read.viz.expiryDate, value('expiryDate'), (v) => v);
  }
  return {
    mrzValid: mrz.valid,
    format: mrz.format,
    documentNumber: mrz.valid ? value('documentNumber') : null,
    issuingState: state,
    policyFailures,
    acceptanceFailures,
    vizMatches: read.viz === undefined || !mrz.valid ? null : mismatched.length === 0,
    vizMismatchedFields: mismatched,
  };
}
