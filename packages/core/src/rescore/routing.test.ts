/**
 * One routing table for every document finding: an MRZ document's (rescoreEvidence) and a driving
 * licence's (rescoreLicence) route the same finding to the same reason and the same escalation.
 */
import { describe, expect, it } from 'vitest';
import { createMrz } from '../mrz/index.ts';
import type { EvidenceArtifact, EvidenceCheck, EvidenceManifest } from '../evidence/schema.ts';
import { DEFAULT_RESCORE_CONFIG, DOCUMENT_ROUTING, LICENCE_READ_TYPE, documentRoute, mrzFindingRoute, rescoreEvidence, rescoreLicence, type BundleLike } from './index.ts';

const referenceDate = new Date('2026-06-01T10:05:00Z');
const checks: EvidenceCheck[] = [{ id: 'document-checks', kind: 'document.checks', status: 'fail', score: null, threshold: null, errorCode: 'document_expired', artifactIds: [], details: { issues: 'document_expired' } }];

function bundleOf(read: Record<string, unknown>): BundleLike {
  const manifest = {
    session: { id: 'ses_test', nonce: 'n'.repeat(43), startedAt: '2026-06-01T09:59:00.000Z', completedAt: '2026-06-01T10:01:00.000Z' }, checks, liveness: null,
    artifacts: [{ id: 'document-read', kind: 'other', mediaType: 'application/json', capturedAt: '2026-06-01T10:00:00.000Z' } as EvidenceArtifact],
  } as unknown as EvidenceManifest;
  return { manifest, artifacts: new Map([['document-read', new TextEncoder().encode(JSON.stringify(read))]]) };
}

describe('DOCUMENT_ROUTING', () => {
  it('rejects on a fact about the document, reviews what could not be read or judged', () => {
    const escalations = Object.fromEntries(Object.entries(DOCUMENT_ROUTING).map(([code, route]) => [code, route.escalateTo]));
    expect(escalations).toEqual({
      document_expired: 'reject', document_not_yet_valid: 'reject', document_holder_under_age: 'reject', document_type_not_accepted: 'reject', document_country_not_accepted: 'reject',
      document_validity_too_long: 'review', document_country_unreadable: 'review', document_dates_unreadable: 'review',
    });
  });

  it('routes each MRZ finding through the document check it is', () => {
    expect(mrzFindingRoute('expired')).toBe(documentRoute('document_expired'));
    expect(mrzFindingRoute('under_age')).toBe(documentRoute('document_holder_under_age'));
    expect(mrzFindingRoute('validity_too_long')).toBe(documentRoute('document_validity_too_long'));
    expect(mrzFindingRoute('date_unreadable')).toBe(documentRoute('document_dates_unreadable'));
    expect(mrzFindingRoute('document_not_accepted')).toBe(documentRoute('document_type_not_accepted'));
    expect(mrzFindingRoute('country_not_accepted')).toBe(documentRoute('document_country_not_accepted'));
  });

  it('gives an expired passport and an expired licence the same hard rule and reason', async () => {
    const mrzLines = createMrz('TD3', { documentCode: 'P', issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '740812', sex: 'F', expiryDate: '260115', optionalData: '' });
    const passport = await rescoreEvidence(bundleOf({ type: 'ekyc.document.read', mrzLines }), { config: DEFAULT_RESCORE_CONFIG, referenceDate, faces: null });
    const licenceBundle = bundleOf({
      type: LICENCE_READ_TYPE, layout: 'numbered', uncertain: [],
      fields: { surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'B072RRE2I55', birthDate: '1985-03-12', issueDate: '2011-01-19', expiryDate: '2026-01-15', issuingState: 'DEU' },
    });
    const config = { ...DEFAULT_RESCORE_CONFIG, acceptedDocuments: ['passport', 'driving_licence'] as const };
    const licence = rescoreLicence(licenceBundle, await rescoreEvidence(licenceBundle, { config, referenceDate, faces: null }), config, referenceDate)!;
    const rule = { code: 'document_expired', escalateTo: 'reject' };
    expect(passport.hardRules).toContainEqual(rule);
    expect(licence.hardRules).toEqual([rule]);
    expect(passport.signals.find((s) => s.name === 'data_checks')!.reasonCodes).toEqual(['document_expired']);
    expect(licence.signals.find((s) => s.name === 'data_checks')!.reasonCodes).toEqual(['document_expired']);
  });
});
