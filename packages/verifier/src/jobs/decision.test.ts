/**
 * Intake -> re-scoring job -> decision, end to end on PGlite with the real face models on
 * onnxruntime-node: a genuine session goes through with every signal the bundle supports scored
 * by the server, a different person's portrait is rejected, and the document number is kept
 * only as its peppered hash.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashDocumentNumber, parsePepper } from '../crypto/pepper.ts';
import { ServerFaceEngine } from '../face/engine.ts';
import { startVerifier, type Verifier } from '../server.ts';
import { getStatus } from '../testing/client.ts';
import { GROUP_JPEG, portraitFrom } from '../testing/faces.ts';
import { testConfig } from '../testing/fixtures.ts';
import { TEST_DOCUMENT } from '../testing/session-bundle.ts';
import { submitRealSession } from '../testing/submit.ts';
import type { VerifierConfig } from '../config.ts';

describe('re-scoring and risk routing (PGlite, onnxruntime-node)', () => {
  let verifier: Verifier;
  let config: VerifierConfig;
  let engine: ServerFaceEngine;
  const logLines: string[] = [];

  beforeAll(async () => {
    config = await testConfig('memory:', { VERIFIER_RISK_OPTIONAL_SIGNALS: 'sanctions,device_velocity' });
    verifier = await startVerifier(config, { listen: false, logger: pino({ level: 'debug' }, { write: (line: string) => { logLines.push(line); } }) });
    engine = await ServerFaceEngine.create();
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await verifier?.close();
  });

  const submit = (content: Parameters<typeof submitRealSession>[3] = {}) => submitRealSession(verifier.app!, config.apiKey, engine, content);

  it('decides a genuine session from server scores, with reasons, a user-safe message, and the full record', async () => {
    const { session, decision: decided } = await submit({ viz: { surname: 'Eriksson', givenNames: 'Anna Maria', documentNumber: 'L898902C3', birthDate: '1974-08-12', expiryDate: '2034-04-15' } });
    const decision = await verifier.store.getDecision(session.sessionId);
    const signals = (decision!.record.inputs as { signals: { name: string; status: string; source: string; score: number | null; details: Record<string, unknown> }[] }).signals;
    const byName = Object.fromEntries(signals.map((s) => [s.name, s]));
    expect(byName.face_match).toMatchObject({ status: 'scored', source: 'server', score: 1 });
    expect(byName.face_match!.details.similarity).toBeGreaterThan(0.5);
    expect(byName.face_liveness).toMatchObject({ status: 'scored', source: 'server', score: 1 });
    expect(byName.face_liveness!.details).toMatchObject({ state: 'passed', consistent: true, continuityFrames: 2 });
    expect(byName.document_authenticity).toMatchObject({ status: 'scored', source: 'server', score: 1 });
    expect(byName.data_checks).toMatchObject({ status: 'scored', score: 1 });
    expect(byName.document_liveness!.status).toBe('missing');
    // Missing document liveness counts 0 (10 of 100); sanctions and velocity are optional here.
    expect(decided.score).toBeCloseTo((1 - 0.1 / 0.85) * 100, 0);
    expect(decided.outcome).toBe('approve');
    expect(decided.reasonCodes).toEqual(expect.arrayContaining(['document_liveness_missing', 'sanctions_missing', 'device_velocity_missing']));
    expect(decision!.record.weights).toMatchObject({ face_liveness: 0.25, face_match: 0.2 });
    // The user sees a generic line and no reason codes.
    const forUser = await getStatus(verifier.app!, session.sessionId, session.clientToken);
    expect(forUser.body.decision).not.toHaveProperty('reasonCodes');
    expect(String(forUser.body.userMessage)).not.toMatch(/liveness|match|document|sanction/i);
    // The document number exists only as its peppered hash.
    const stored = await verifier.store.getDocumentHash(session.sessionId);
    expect(stored).toEqual({ hash: hashDocumentNumber(TEST_DOCUMENT.documentNumber, parsePepper(config.pepper.id, config.pepper.base64url), 'UTO'), pepperId: config.pepper.id });
    for (const table of ['verifier_sessions', 'verifier_decisions', 'verifier_document_hashes', 'verifier_evidence']) {
      const dump = await verifier.db.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
      for (const { row } of dump.rows) {
        expect(row).not.toContain(TEST_DOCUMENT.documentNumber);
        expect(row).not.toContain('ERIKSSON');
      }
    }
  }, 120_000);

  it('rejects a portrait of another person, an expired document and a visual zone that contradicts the MRZ', async () => {
    const other = await portraitFrom(engine, GROUP_JPEG(), 2.2);
    const mismatch = await submit({ portraitJpeg: other.jpeg });
    expect(mismatch.decision.outcome).toBe('reject');
    expect(mismatch.decision.reasonCodes).toContain('face_match_failed');

    const expired = await submit({ document: { expiryDate: '2020-01-01' } });
    expect(expired.decision.outcome).toBe('reject');
    expect(expired.decision.reasonCodes).toContain('document_expired');

    const viz = await submit({ viz: { surname: 'Andersson' } });
    expect(viz.decision.reasonCodes).toContain('viz_mrz_mismatch');
    expect(viz.decision.outcome).not.toBe('approve');
  }, 180_000);

  it('logs ids, outcomes and codes, never the document, names, nonces or tokens', () => {
    expect(logLines.some((line) => line.includes('session decided'))).toBe(true);
    expect(logLines.some((line) => line.includes('evidence received'))).toBe(true);
    const all = logLines.join('\n');
    for (const value of [TEST_DOCUMENT.documentNumber, TEST_DOCUMENT.surname, 'ANNA', 'Eriksson', 'ZE184226B', '1974-08-12', config.apiKey, 'eyJ']) expect(all).not.toContain(value);
  });

  it('marks what the bundle does not hold as missing and never approves on it', async () => {
    const { decision: decided } = await submit({ document: null });
    expect(decided.reasonCodes).toEqual(expect.arrayContaining(['document_authenticity_missing', 'data_checks_missing', 'document_read_absent']));
    expect(decided.outcome).not.toBe('approve');
  }, 120_000);
});
