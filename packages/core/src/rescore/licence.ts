/**
 * A driving licence re-checked from its evidence, as the verifier and the auditor page run it. A
 * licence has no MRZ: the device sends the printed fields it read (`ekyc.licence.read`, an `other`
 * artifact, `application/json`, docs/verifier.md), each doubted one listed in `uncertain`, and the
 * issuing state read from the emblem's sign (ISO alpha-3). The pure document checks (`checkDocument`:
 * expiry, not yet valid, minimum age, validity, accepted documents and countries) run on the certain
 * fields with the session's configuration, each failure routed as an MRZ document's (routing.ts), and
 * a device whose recorded `document.checks` passed what fails here (or the reverse) goes to review
 * with `client_score_disagreement`. Nothing is taken on trust: a doubted date or state is unreadable,
 * never a pass. No check digit stands behind printed fields, so `document_authenticity` stays missing.
 */
import { z } from 'zod';
import { checkDocument, type DocumentCheckCode, type DocumentFacts } from '../document/index.ts';
import * as risk from '../risk/index.ts';
import type { BundleLike } from './content.ts';
import { compareCheck, type RescoredCheck } from './compare.ts';
import type { DocumentRescoreConfig } from './document.ts';
import type { EvidenceRescore } from './rescore.ts';
import { documentRoute, routeRules } from './routing.ts';

export const LICENCE_READ_TYPE = 'ekyc.licence.read';

export const LICENCE_FIELD_NAMES = ['surname', 'givenNames', 'documentNumber', 'birthDate', 'issueDate', 'expiryDate', 'issuingState'] as const;
export type LicenceField = (typeof LICENCE_FIELD_NAMES)[number];

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
  uncertain: z.array(z.enum(LICENCE_FIELD_NAMES)).max(LICENCE_FIELD_NAMES.length),
  /** The sign as the device read it (diagnostics). */
  sign: z.string().max(8).optional(),
});
export type LicenceRead = z.infer<typeof licenceReadSchema>;

/** The first valid `ekyc.licence.read` artifact in manifest order, or null. */
export function findLicenceRead(bundle: BundleLike): LicenceRead | null {
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
  facts: DocumentFacts;
  /** checkDocument's failure codes, as the flow's review computes them. */
  codes: DocumentCheckCode[];
  /** The certain licence number (null when doubted), for duplicate detection. */
  documentNumber: string | null;
}

/** The document checks on the certain printed fields, with the session's configuration (the flow's `documentPolicy`). */
export function checkLicenceRead(read: LicenceRead, config: DocumentRescoreConfig, referenceDate: Date): LicenceFindings {
  const certain = (name: LicenceField): string | null => (read.uncertain.includes(name) ? null : read.fields[name] ?? null);
  const facts: DocumentFacts = {
    type: 'driving_licence', issuingState: certain('issuingState'), birthDate: certain('birthDate'), expiryDate: certain('expiryDate'), issueDate: certain('issueDate'),
  };
  const failures = checkDocument(facts, {
    minimumAge: config.minimumAge,
    acceptedDocuments: config.acceptedDocuments,
    ...(config.acceptedCountries.length > 0 ? { acceptedCountries: config.acceptedCountries } : {}),
    referenceDate,
  });
  return { facts, codes: [...new Set(failures.map((f) => f.code))], documentNumber: certain('documentNumber') };
}

export interface LicenceRescore {
  decision: risk.RiskDecision;
  signals: risk.RiskSignal[];
  hardRules: risk.HardRule[];
  checks: RescoredCheck[];
  /** The artifact as read (the printed fields, the doubted ones, the sign), for display. */
  read: LicenceRead;
  findings: LicenceFindings;
}

/**
 * The licence's findings joined to `rescoreEvidence`'s re-scoring of the rest of the bundle (faces,
 * liveness): its document signals (`document_read_absent` there: the bundle holds no MRZ) replaced, the
 * recorded `document.checks` compared with the codes found here, and the risk decided again. Null when
 * the bundle holds an MRZ reading (that one is the document's) or no licence reading.
 */
export function rescoreLicence(bundle: BundleLike, core: Pick<EvidenceRescore, 'signals' | 'hardRules' | 'checks' | 'document'>, config: DocumentRescoreConfig, referenceDate: Date, policy?: risk.RiskPolicy): LicenceRescore | null {
  if (core.document.mrzValid !== null) return null;
  const read = findLicenceRead(bundle);
  if (read === null) return null;
  const findings = checkLicenceRead(read, config, referenceDate);
  const routes = findings.codes.map(documentRoute);
  const hardRules = [...core.hardRules, ...routeRules(routes)];
  const routingReasons = routes.map((route) => route.reason);
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
    return compareCheck(recorded, findings.codes.length === 0 ? 1 : 0, 'licence printed fields', { recorded: recordedCodes, rescored: findings.codes });
  });
  return { decision: risk.decideRisk(signals, hardRules, policy), signals, hardRules, checks, read, findings };
}
