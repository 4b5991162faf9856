/**
 * A driving-licence session end to end: intake -> re-scoring job -> stored decision, on PGlite and on
 * PostgreSQL (skipped where it is not installed). The bundle carries the device's licence reading
 * (`ekyc.licence.read`) and its recorded `document.checks`; the server runs the document checks again
 * on the printed fields with the session's configuration, and a device that passed a licence from a
 * state the session does not accept is rejected with the country reason and the disagreement.
 */
import { describe, expect, it } from 'vitest';
import { createSessionSigner, type ArtifactInput, type EvidenceCheck } from '@ekyc/core';
import { awaitDecision, bindKey, createSession, uploadWhole } from '../testing/client.ts';
import { TEST_DATABASES, useTestVerifier } from '../testing/databases.ts';
import { buildSealedBundle } from '../testing/fixtures.ts';

const licence = (issuingState: string, uncertain: string[] = []) => ({
  type: 'ekyc.licence.read', layout: 'numbered', sign: issuingState === 'DEU' ? 'D' : 'PL', uncertain,
  fields: { surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'B072RRE2I55', birthDate: '1985-03-12', issueDate: '2016-01-19', expiryDate: '2031-01-18', issuingState },
});

describe.each(TEST_DATABASES)('a driving licence re-checked by the verifier on %s', (kind) => {
  const sessionConfig = { acceptedDocuments: ['passport', 'id_card', 'driving_licence'], acceptedCountries: ['D<<', 'FRA'] };
  const harness = useTestVerifier(kind, { env: { VERIFIER_SESSION_CONFIG: JSON.stringify(sessionConfig), VERIFIER_RISK_OPTIONAL_SIGNALS: 'sanctions,device_velocity' }, start: { faceModels: false } });

  async function decide(read: Record<string, unknown>, recorded: 'pass' | 'fail', issues = '') {
    const app = harness.verifier.app!;
    const session = await createSession(app, harness.config.apiKey);
    const signer = await createSessionSigner();
    await bindKey(app, session, signer);
    const startedAt = new Date();
    const data = new TextEncoder().encode(JSON.stringify(read));
    const artifacts: ArtifactInput[] = [{ id: 'document-read', kind: 'other', mediaType: 'application/json', data, width: null, height: null, capturedAt: new Date(startedAt.getTime() + 50).toISOString() }];
    const checks: EvidenceCheck[] = [
      { id: 'mrz', kind: 'mrz.check_digits', status: 'inconclusive', score: null, threshold: null, errorCode: 'document_mrz_not_found', artifactIds: ['document-read'], details: { format: 'none' } },
      { id: 'document-checks', kind: 'document.checks', status: recorded, score: null, threshold: null, errorCode: issues.split(',')[0] || null, artifactIds: ['document-read'], details: { issues } },
    ];
    const { sealed, key } = await buildSealedBundle({ session, signer, startedAt, artifacts, checks });
    expect((await uploadWhole(app, session.sessionId, session.clientToken, sealed, key)).status).toBe(201);
    await awaitDecision(app, session.sessionId, harness.config.apiKey);
    const decision = await harness.verifier.store.getDecision(session.sessionId);
    const signals = (decision!.record.inputs as { signals: { name: string; status: string; reasonCodes: string[]; details: Record<string, unknown> }[] }).signals;
    return { outcome: decision!.outcome, reasonCodes: decision!.reasonCodes, dataChecks: signals.find((s) => s.name === 'data_checks')! };
  }

  it.skipIf(harness.skip)('re-runs the checks on a German licence (ICAO D accepted) and agrees with the device', async () => {
    const result = await decide(licence('DEU'), 'pass');
    expect(result.dataChecks).toMatchObject({ status: 'scored', reasonCodes: [], details: { documentType: 'driving_licence', documentChecks: null } });
    expect(result.reasonCodes).not.toContain('client_score_disagreement');
    expect(result.reasonCodes).not.toContain('country_not_accepted');
  }, 60_000);

  it.skipIf(harness.skip)('rejects a Polish licence the device passed: the country reason and the disagreement', async () => {
    const result = await decide(licence('POL'), 'pass');
    expect(result.dataChecks.reasonCodes).toEqual(['country_not_accepted', 'client_score_disagreement']);
    expect(result.outcome).toBe('reject');
    expect(result.reasonCodes).toEqual(expect.arrayContaining(['country_not_accepted', 'client_score_disagreement']));
  }, 60_000);

  it.skipIf(harness.skip)('never approves a licence whose state could not be read', async () => {
    const result = await decide(licence('DEU', ['issuingState']), 'fail', 'document_country_unreadable');
    expect(result.dataChecks.reasonCodes).toEqual(['country_unreadable']);
    expect(result.outcome).not.toBe('approve');
    expect(result.reasonCodes).not.toContain('client_score_disagreement');
  }, 60_000);
});
