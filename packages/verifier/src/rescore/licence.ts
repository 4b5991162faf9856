/**
 * A driving licence re-checked on the server. A licence has no MRZ: the device sends the printed
 * fields it read (`ekyc.licence.read`, an `other` artifact, `application/json`, docs/verifier.md), each
 * doubted one listed in `uncertain`, and the issuing state read from the emblem's sign (ISO alpha-3).
 * The verifier runs core's pure document checks (`checkDocument`: expiry, not yet valid, minimum age,
 * validity, accepted documents and countries) on the certain fields with the session's own
 * configuration, and routes them as it routes an MRZ document's: each failure a hard rule, and a
 * device whose recorded `document.checks` passed what fails here (or the reverse) to review with
 * `client_score_disagreement`. Nothing is taken on trust: a doubted date or state is unreadable, never
 * a pass. No check digit stands behind printed fields, so `document_authenticity` stays missing.
 */
import { z } from 'zod';
import { document as coreDocument, rescore as coreRescore, risk, type EvidenceBundle } from '@ekyc/core';

export const LICENCE_READ_TYPE = 'ekyc.licence.read';

const FIELD_NAMES = ['surname', 'givenNames', 'documentNumber', 'birthDate', 'issueDate', 'expiryDate', 'issuingState'] as const;
type LicenceField = (typeof FIELD_NAMES)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().optional();
export const licenceReadSchema = z.strictObject({
  type: z.literal(LICENCE_READ_TYPE),
  layout: z.literal('numbered'),
  fields: z.strictObject({
    surname: z.string().max(200).nullable().optional(),
    givenNames: z.string().max(200).nullable().optional(),
    documentNumber: z.string().max(64).nullable().optional(),
    birthDate: isoDate,
    issueDate: isoDate,
    expiryDate: isoDate,
    issuingState: z.string().regex(/^[A-Z]{3}$/).nullable().optional(),
  }),
  uncertain: z.array(z.enum(FIELD_NAMES)).max(FIELD_NAMES.length),
  /** The sign as the device read it (diagnostics). */
  sign: z.string().max(8).optional(),
});
export type LicenceRead = z.infer<typeof licenceReadSchema>;

/** The first valid `ekyc.licence.read` artifact in manifest order, or null. */
export function findLicenceRead(bundle: Pick<EvidenceBundle, 'manifest' | 'artifacts'>): LicenceRead | null {
  for (const artifact of bundle.manifest.artifacts) {
    if (artifact.kind !== 'other' || artifact.mediaType !== 'application/json') continue;
    const bytes = bundle.artifacts.get(artifact.id);
    if (bytes === undefined) continue;
    try {
      const parsed = licenceReadSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: not a licence read
    }
  }
  return null;
}

export interface LicenceFindings {
  /** The certain values the checks were given. */
  facts: coreDocument.DocumentFacts;
  /** core checkDocument's failure codes, as the flow's review computes them. */
  codes: coreDocument.DocumentCheckCode[];
  /** The certain licence number (null when doubted), for duplicate detection. */
  documentNumber: string | null;
}

export interface LicenceCheckConfig {
  acceptedDocuments: readonly coreDocument.DocumentType[];
  acceptedCountries: readonly string[];
  minimumAge: number;
}

/** The document checks on the certain printed fields, with the session's configuration (the flow's `documentPolicy`). */
export function checkLicenceRead(read: LicenceRead, config: LicenceCheckConfig, referenceDate: Date): LicenceFindings {
  const certain = (name: LicenceField): string | null => (read.uncertain.includes(name) ? null : read.fields[name] ?? null);
  const facts: coreDocument.DocumentFacts = {
    type: 'driving_licence', issuingState: certain('issuingState'), birthDate: certain('birthDate'), expiryDate: certain('expiryDate'), issueDate: certain('issueDate'),
  };
  const failures = coreDocument.checkDocument(facts, {
    minimumAge: config.minimumAge,
    acceptedDocuments: config.acceptedDocuments,
    ...(config.acceptedCountries.length > 0 ? { acceptedCountries: config.acceptedCountries } : {}),
    referenceDate,
  });
  return { facts, codes: [...new Set(failures.map((f) => f.code))], documentNumber: certain('documentNumber') };
}

/**
 * Each check code as a routing reason, in the words the MRZ path uses (core rescore), and where it
 * routes: a fact about the document rejects, a field that could not be read goes to review.
 */
export const LICENCE_ROUTING: Readonly<Record<coreDocument.DocumentCheckCode, { reason: string; escalateTo: risk.HardRule['escalateTo'] }>> = {
  document_expired: { reason: 'document_expired', escalateTo: 'reject' },
  document_not_yet_valid: { reason: 'not_yet_valid', escalateTo: 'reject' },
  document_holder_under_age: { reason: 'under_age', escalateTo: 'reject' },
  document_validity_too_long: { reason: 'validity_too_long', escalateTo: 'review' },
  document_type_not_accepted: { reason: 'document_not_accepted', escalateTo: 'reject' },
  document_country_not_accepted: { reason: 'country_not_accepted', escalateTo: 'reject' },
  document_country_unreadable: { reason: 'country_unreadable', escalateTo: 'review' },
  document_dates_unreadable: { reason: 'date_unreadable', escalateTo: 'review' },
};

export interface LicenceRescore {
  decision: risk.RiskDecision;
  signals: risk.RiskSignal[];
  hardRules: risk.HardRule[];
  checks: coreRescore.RescoredCheck[];
  findings: LicenceFindings;
}

/**
 * The licence's findings joined to core's re-scoring of the rest of the bundle (faces, liveness): its
 * document signals (`document_read_absent` there: the bundle holds no MRZ) replaced, the recorded
 * `document.checks` compared with the codes found here, and the risk decided again. Null when the
 * bundle holds an MRZ reading (that one is the document's) or no licence reading.
 */
export function rescoreLicence(bundle: Pick<EvidenceBundle, 'manifest' | 'artifacts'>, core: Pick<coreRescore.EvidenceRescore, 'signals' | 'hardRules' | 'checks' | 'document'>, config: LicenceCheckConfig, referenceDate: Date, policy?: risk.RiskPolicy): LicenceRescore | null {
  if (core.document.mrzValid !== null) return null;
  const read = findLicenceRead(bundle);
  if (read === null) return null;
  const findings = checkLicenceRead(read, config, referenceDate);
  const hardRules = [...core.hardRules];
  const reasons = findings.codes.map((code) => LICENCE_ROUTING[code]);
  for (const { reason, escalateTo } of reasons) hardRules.push({ code: reason, escalateTo });
  const routingReasons = reasons.map((r) => r.reason);
  const client = bundle.manifest.checks.find((check) => check.kind === 'document.checks');
  if (client !== undefined && (client.status === 'pass') !== (findings.codes.length === 0)) {
    // The device passed what the same checks fail here (or the reverse): a client that lies about its checks, or another policy.
    routingReasons.push('client_score_disagreement');
    hardRules.push({ code: 'client_score_disagreement', escalateTo: 'review' });
  }
  const authenticity: risk.RiskSignal = { name: 'document_authenticity', score: null, status: 'missing', source: 'none', reasonCodes: ['licence_printed_fields_only'], details: { layout: read.layout } };
  const dataChecks: risk.RiskSignal = {
    name: 'data_checks', score: findings.codes.length === 0 ? 1 : 0, status: 'scored', source: 'server', reasonCodes: routingReasons,
    details: { documentType: 'driving_licence', documentChecks: findings.codes.join(',') || null, uncertain: read.uncertain.join(',') || null },
  };
  const signals = core.signals.map((s) => (s.name === 'document_authenticity' ? authenticity : s.name === 'data_checks' ? dataChecks : s));
  const recordedCodes = client === undefined ? [] : String(client.details['issues'] ?? '').split(',').filter(Boolean);
  const checks = core.checks.map((check) => {
    if (check.kind !== 'document.checks') return check;
    const recorded = bundle.manifest.checks.find((c) => c.id === check.checkId)!;
    return coreRescore.compareCheck(recorded, findings.codes.length === 0 ? 1 : 0, 'licence printed fields', { recorded: recordedCodes, rescored: findings.codes });
  });
  return { decision: risk.decideRisk(signals, hardRules, policy), signals, hardRules, checks, findings };
}
