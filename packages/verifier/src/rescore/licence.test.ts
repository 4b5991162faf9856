/**
 * A driving licence re-checked on the server from its printed fields (`ekyc.licence.read`): core's
 * document checks run again with the session's configuration on the certain fields, each failure
 * routed as an MRZ document's, and a device whose recorded `document.checks` disagrees sent to review.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMrz, type EvidenceBundle, type EvidenceManifest } from '@ekyc/core';
import { DEFAULT_SESSION_CONFIG } from '../session-config.ts';
import { checkLicenceRead, findLicenceRead, LICENCE_READ_TYPE, type LicenceRead } from './licence.ts';
import { rescoreBundle } from './rescore.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const referenceDate = new Date('2026-06-01T00:00:00Z');

/** What the flow writes for a German licence read with every field certain (flow licenceReadArtifact). */
export function licenceRead(overrides: { fields?: Partial<LicenceRead['fields']>; uncertain?: LicenceRead['uncertain'] } = {}): LicenceRead {
  return {
    type: LICENCE_READ_TYPE, layout: 'numbered', sign: 'D', uncertain: overrides.uncertain ?? [],
    fields: { surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'B072RRE2I55', birthDate: '1985-03-12', issueDate: '2016-01-19', expiryDate: '2031-01-18', issuingState: 'DEU', ...overrides.fields },
  };
}

function bundleWith(read: unknown, recorded: 'pass' | 'fail' | null, issues = ''): EvidenceBundle {
  const data = new TextEncoder().encode(JSON.stringify(read));
  const manifest = {
    session: { nonce: 'licence-nonce-0001', completedAt: referenceDate.toISOString() }, liveness: null,
    artifacts: [{ id: 'document-read', kind: 'other', mediaType: 'application/json', bytes: data.length, sha256: sha256(data), width: null, height: null, capturedAt: referenceDate.toISOString() }],
    checks: recorded === null ? [] : [
      { id: 'mrz', kind: 'mrz.check_digits', status: 'inconclusive', score: null, threshold: null, errorCode: 'document_mrz_not_found', artifactIds: ['document-read'], details: { format: 'none' } },
      { id: 'document-checks', kind: 'document.checks', status: recorded, score: null, threshold: null, errorCode: issues.split(',')[0] || null, artifactIds: ['document-read'], details: { issues } },
    ],
  } as unknown as EvidenceManifest;
  return { manifest, signature: '', artifacts: new Map([['document-read', data]]) };
}

const config = (acceptedCountries: string[], acceptedDocuments = ['passport', 'id_card', 'driving_licence'] as const) => ({ ...DEFAULT_SESSION_CONFIG, acceptedCountries, acceptedDocuments: [...acceptedDocuments] });
const rescore = (bundle: EvidenceBundle, acceptedCountries: string[], acceptedDocuments?: readonly ('passport' | 'id_card' | 'driving_licence')[]) =>
  rescoreBundle(bundle, { config: config(acceptedCountries, acceptedDocuments as never), face: null, referenceDate });
const dataChecks = (result: Awaited<ReturnType<typeof rescore>>) => result.decision.signals.find((s) => s.name === 'data_checks')!;

describe('checkLicenceRead', () => {
  const policy = { acceptedDocuments: ['driving_licence' as const], acceptedCountries: ['D<<'], minimumAge: 18 };
  it('passes a valid licence of an accepted state (ICAO D in the list, DEU read)', () => {
    expect(checkLicenceRead(licenceRead(), policy, referenceDate).codes).toEqual([]);
  });
  it('finds an expired licence, a not-yet-valid one, an under-age holder and a refused state', () => {
    expect(checkLicenceRead(licenceRead({ fields: { expiryDate: '2026-05-31' } }), policy, referenceDate).codes).toEqual(['document_expired']);
    expect(checkLicenceRead(licenceRead({ fields: { issueDate: '2026-06-02', expiryDate: '2036-06-01' } }), policy, referenceDate).codes).toEqual(['document_not_yet_valid']);
    expect(checkLicenceRead(licenceRead({ fields: { birthDate: '2008-06-02' } }), policy, referenceDate).codes).toEqual(['document_holder_under_age']);
    expect(checkLicenceRead(licenceRead({ fields: { issuingState: 'POL' } }), policy, referenceDate).codes).toEqual(['document_country_not_accepted']);
  });
  it('never takes a doubted field as read: a doubted expiry or state is unreadable, not a pass', () => {
    expect(checkLicenceRead(licenceRead({ uncertain: ['expiryDate'] }), policy, referenceDate).codes).toEqual(['document_dates_unreadable']);
    expect(checkLicenceRead(licenceRead({ uncertain: ['issuingState'] }), policy, referenceDate).codes).toEqual(['document_country_unreadable']);
    expect(checkLicenceRead(licenceRead({ uncertain: ['documentNumber'] }), policy, referenceDate).documentNumber).toBeNull();
  });
  it('reads only a well-formed licence artifact', () => {
    const bundle = (read: unknown) => bundleWith(read, null);
    expect(findLicenceRead(bundle(licenceRead()))).not.toBeNull();
    expect(findLicenceRead(bundle({ ...licenceRead(), fields: { ...licenceRead().fields, expiryDate: '18.01.2031' } }))).toBeNull();
    expect(findLicenceRead(bundle({ ...licenceRead(), uncertain: ['nationality'] }))).toBeNull();
    expect(findLicenceRead(bundle({ ...licenceRead(), extra: 1 }))).toBeNull();
  });
});

describe('rescoreBundle: a licence\'s document checks judged again with the session\'s configuration', () => {
  it('agrees with a device that ran the same checks', async () => {
    const result = await rescore(bundleWith(licenceRead(), 'pass'), ['DEU']);
    expect(result.licence?.codes).toEqual([]);
    expect(result.checks).toContainEqual(expect.objectContaining({ kind: 'document.checks', verdict: 'match', rescoredCodes: [] }));
    expect(dataChecks(result)).toMatchObject({ status: 'scored', source: 'server', score: 1, reasonCodes: [] });
    expect(result.decision.hardRules).toEqual([]);
    // No check digit behind printed fields: authenticity is not claimed.
    expect(result.decision.signals.find((s) => s.name === 'document_authenticity')).toMatchObject({ status: 'missing', reasonCodes: ['licence_printed_fields_only'] });
    expect(result.document).toMatchObject({ documentNumber: 'B072RRE2I55', issuingState: 'DEU' });
  });

  it('rejects a licence from a state the session does not accept, and sends the device that passed it to review as well', async () => {
    const result = await rescore(bundleWith(licenceRead({ fields: { issuingState: 'POL' } }), 'pass'), ['DEU', 'FRA']);
    expect(result.checks).toContainEqual(expect.objectContaining({ kind: 'document.checks', verdict: 'differs', recorded: 1, rescored: 0, rescoredCodes: ['document_country_not_accepted'] }));
    expect(dataChecks(result).reasonCodes).toEqual(['country_not_accepted', 'client_score_disagreement']);
    expect(result.decision.hardRules).toEqual([{ code: 'country_not_accepted', escalateTo: 'reject' }, { code: 'client_score_disagreement', escalateTo: 'review' }]);
    expect(result.decision.outcome).toBe('reject');
  });

  it('sends a licence whose state could not be read to review under an accepted-countries list, never approves it', async () => {
    const result = await rescore(bundleWith(licenceRead({ uncertain: ['issuingState'] }), 'fail', 'document_country_unreadable'), ['DEU']);
    expect(result.checks).toContainEqual(expect.objectContaining({ verdict: 'match', rescoredCodes: ['document_country_unreadable'] }));
    expect(result.decision.hardRules).toEqual([{ code: 'country_unreadable', escalateTo: 'review' }]);
    expect(result.decision.outcome).not.toBe('approve');
  });

  it('catches a device that claims an expired licence passed', async () => {
    const result = await rescore(bundleWith(licenceRead({ fields: { expiryDate: '2026-01-18' } }), 'pass'), []);
    expect(dataChecks(result).reasonCodes).toEqual(['document_expired', 'client_score_disagreement']);
    expect(result.decision.outcome).toBe('reject');
  });

  it('rejects a licence where the session does not accept licences, as for any document type', async () => {
    const result = await rescore(bundleWith(licenceRead(), 'pass'), [], ['passport', 'id_card']);
    expect(dataChecks(result).reasonCodes).toEqual(['document_not_accepted', 'client_score_disagreement']);
    expect(result.decision.outcome).toBe('reject');
  });

  it('leaves a bundle with no licence reading as before (document read absent)', async () => {
    const result = await rescore(bundleWith({ type: 'something.else' }, 'pass'), ['DEU']);
    expect(result.licence).toBeNull();
    expect(dataChecks(result)).toMatchObject({ status: 'missing', reasonCodes: ['document_read_absent'] });
  });
});

describe('one German state for passports and licences (ICAO D, ISO DEU)', () => {
  it('accepts a German passport (MRZ D) under DEU or D<< as the device does, with no disagreement', async () => {
    const mrzLines = createMrz('TD3', { documentCode: 'P', issuingState: 'D', surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'C01X00T47', nationality: 'D', birthDate: '830812', sex: 'F', expiryDate: '310415', optionalData: '' });
    for (const listed of ['DEU', 'D<<']) {
      const result = await rescore(bundleWith({ type: 'ekyc.document.read', mrzLines }, 'pass'), [listed]);
      expect(result.licence).toBeNull();
      expect(result.document.mrzValid).toBe(true);
      expect(dataChecks(result).reasonCodes).toEqual([]);
    }
  });
});
