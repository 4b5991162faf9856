/**
 * End to end on PGlite and PostgreSQL, with the real face models: a session with a known test
 * identity goes through intake, reported liveness attempts, re-scoring and a signed webhook to a
 * loopback receiver; then retention runs on a clock the test controls. At each class's boundary
 * (one second before: kept; at it: purged) the evidence, the personal fields and finally the
 * decision record go; in between no table or blob holds any field of the identity, and the
 * decision record stays with hashes only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionSigner, decodeContainer } from '@ekyc/core';
import type { VerifierConfig } from '../config.ts';
import { openEnvelope, importKek } from '../crypto/envelope.ts';
import { ServerFaceEngine } from '../face/engine.ts';
import { evidenceAad } from '../intake/intake.ts';
import { startVerifier, type Verifier } from '../server.ts';
import { bindKey, createSession, getStatus, uploadWhole } from '../testing/client.ts';
import { buildSealedBundle, testConfig } from '../testing/fixtures.ts';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { realSessionContent, TEST_DOCUMENT } from '../testing/session-bundle.ts';
import { verifyWebhookSignature } from '../webhooks/signature.ts';
import { RETENTION_QUEUE } from './job.ts';
import { runRetentionPass } from './purge.ts';
import { purgeAuditLogBefore } from '../audit/log.ts';

const SECRET = 'whsec_retention_test_0123456789abcdefghij';
const DAY = 86_400;
const VIZ = { surname: 'Eriksson', givenNames: 'Anna Maria', documentNumber: 'L898902C3', birthDate: '1974-08-12', expiryDate: '2034-04-15' };
/** Every field of the test identity, as text and as it would appear in a bytea column (hex). */
const NEEDLES = [TEST_DOCUMENT.documentNumber, TEST_DOCUMENT.surname, TEST_DOCUMENT.givenNames, 'ANNA<MARIA', 'Eriksson', 'Anna Maria', TEST_DOCUMENT.birthDate, '740812', TEST_DOCUMENT.optionalData, '340415'];
const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

describe.each(['pglite', 'postgres'] as const)('retention end to end on %s', (kind) => {
  const skip = kind === 'postgres' && !postgresAvailable();
  let pgServer: TestPostgres | null = null;
  let verifier: Verifier;
  let config: VerifierConfig;
  let engine: ServerFaceEngine;
  let receiver: Server;
  const deliveries: { headers: Record<string, unknown>; body: string }[] = [];
  let clock = new Date();
  const now = (): Date => clock;

  beforeAll(async () => {
    if (skip) return;
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    if (kind === 'postgres') pgServer = await startTestPostgres();
    config = await testConfig(pgServer?.url ?? 'memory:', {
      VERIFIER_RISK_OPTIONAL_SIGNALS: 'sanctions,device_velocity',
      VERIFIER_WEBHOOK_URLS: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ekyc`,
      VERIFIER_WEBHOOK_SECRETS: SECRET,
      VERIFIER_WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32',
      VERIFIER_RETENTION_EVIDENCE: '30d', VERIFIER_RETENTION_FIELDS: '90d', VERIFIER_RETENTION_DECISION: '1826d', VERIFIER_RETENTION_AUDIT: '1826d',
    });
    verifier = await startVerifier(config, { listen: false, now, webhookPollingMs: 200, logger: pino({ level: 'silent' }) });
    engine = await ServerFaceEngine.create();
  }, 180_000);
  afterAll(async () => {
    await engine?.close();
    await verifier?.close();
    await pgServer?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  /** Every row of every table of the verifier's schema and pg-boss's, as text. */
  async function everyTableText(): Promise<string> {
    const tables = await verifier.db.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname IN (current_schema(), 'pgboss') ORDER BY 1, 2`,
    );
    expect(tables.rows.length).toBeGreaterThan(10);
    const parts: string[] = [];
    for (const { schema, name } of tables.rows) {
      const rows = await verifier.db.query<{ row: string }>(`SELECT t::text AS row FROM "${schema}"."${name}" t`);
      parts.push(...rows.rows.map((row) => row.row));
    }
    return parts.join('\n');
  }
  const leaks = (text: string): string[] => NEEDLES.filter((needle) => text.includes(needle) || text.toLowerCase().includes(hex(needle)));
  const count = async (table: string, sessionId: string): Promise<number> =>
    Number((await verifier.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table} WHERE session_id = $1`, [sessionId])).rows[0]!.n);

  it.skipIf(skip)('decides and signs the webhook, then purges evidence, fields and the record each at its boundary', async () => {
    const app = verifier.app!;
    const session = await createSession(app, config.apiKey, { reference: 'crm-4711' });
    const signer = await createSessionSigner();
    await bindKey(app, session, signer);
    const attempt = async (outcome: 'failed' | 'passed') => app.inject({
      method: 'POST', url: `/sessions/${session.sessionId}/liveness-attempts`,
      headers: { authorization: `Bearer ${session.clientToken}` }, payload: { deviceId: 'device_retention_0123456789', outcome },
    });
    expect((await attempt('failed')).json()).toEqual({ sessionId: session.sessionId, attempt: 1, attemptsAllowed: 4, attemptsRemaining: 3 });
    expect((await attempt('passed')).statusCode).toBe(201);
    const startedAt = new Date();
    const real = await realSessionContent({ nonce: session.nonce, startedAt, engine, viz: VIZ });
    const { sealed, key } = await buildSealedBundle({ session, signer, startedAt, ...real });
    expect((await uploadWhole(app, session.sessionId, session.clientToken, sealed, key)).status).toBe(201);
    // Bounded in polls: the worker polls every 0.5 s, the dispatcher every 0.2 s.
    for (let poll = 0; poll < 160 && deliveries.length === 0; poll += 1) await new Promise((resolve) => setTimeout(resolve, 250));
    const status = await getStatus(app, session.sessionId, config.apiKey);
    expect(status.body).toMatchObject({ status: 'decided', decision: { outcome: 'approve' } });

    // The webhook: once, signed, with the integrator's reference and no personal data.
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    expect(verifyWebhookSignature({ body: delivery!.body, header: String(delivery!.headers['ekyc-signature']), secrets: [SECRET], now: Math.floor(clock.getTime() / 1000) })).toBeTruthy();
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: 'verification.decided', data: { sessionId: session.sessionId, outcome: 'approve', decidedBy: 'automatic', integratorReference: 'crm-4711' } });
    expect(leaks(delivery!.body)).toEqual([]);

    // Before any purge the identity is in the stored evidence (decrypted here), and the
    // selfie embedding and attempt hashes exist.
    const stored = (await verifier.store.loadEvidence(session.sessionId))!;
    const keks = new Map([[config.kek.id, await importKek(config.kek.id, config.kek.base64url)]]);
    const container = await openEnvelope(stored.envelope, keks, evidenceAad(session.sessionId, stored.idempotencyKey));
    expect(decodeContainer(container).manifest.session.id).toBe(session.sessionId);
    const plaintext = Buffer.from(container).toString('latin1');
    expect(plaintext).toContain(TEST_DOCUMENT.documentNumber);
    expect(await count('verifier_face_embeddings', session.sessionId)).toBe(1);
    expect(await count('verifier_liveness_attempts', session.sessionId)).toBe(2);
    const before = await verifier.store.getDecision(session.sessionId);
    const documentHash = await verifier.store.getDocumentHash(session.sessionId);
    expect(documentHash).not.toBeNull();

    const decidedAt = before!.decidedAt.getTime();
    const at = (seconds: number): Date => new Date(decidedAt + seconds * 1000);
    const pass = (when: Date) => runRetentionPass(verifier.db, config.retention.policy, when, { purgeAudit: purgeAuditLogBefore });

    // Evidence: kept one second before 30 days, purged at 30 days.
    expect(await pass(at(30 * DAY - 1))).toMatchObject({ evidence: 0, fields: 0, decision: 0 });
    expect(await count('verifier_evidence', session.sessionId)).toBe(1);
    expect(await pass(at(30 * DAY))).toMatchObject({ evidence: 1, fields: 0, decision: 0 });
    expect(await count('verifier_evidence', session.sessionId)).toBe(0);
    expect(await count('verifier_face_embeddings', session.sessionId)).toBe(0);
    expect(await count('verifier_liveness_attempts', session.sessionId)).toBe(2);
    // A second pass finds nothing more to do.
    expect(await pass(at(30 * DAY + 1))).toMatchObject({ evidence: 0, fields: 0, decision: 0 });

    // Fields: through the job on the queue this time (the schedule is registered; a job is sent by hand).
    expect((await verifier.queue.boss.getSchedules()).map((schedule) => schedule.name)).toContain(RETENTION_QUEUE);
    clock = at(90 * DAY - 1);
    expect(await pass(clock)).toMatchObject({ fields: 0 });
    expect(await count('verifier_liveness_attempts', session.sessionId)).toBe(2);
    clock = at(90 * DAY);
    await verifier.queue.boss.send(RETENTION_QUEUE, {});
    for (let poll = 0; poll < 120 && (await count('verifier_liveness_attempts', session.sessionId)) > 0; poll += 1) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await count('verifier_liveness_attempts', session.sessionId)).toBe(0);

    // Now: no field of the identity in any table or blob; the decision record intact, hashes only.
    expect(leaks(await everyTableText())).toEqual([]);
    const after = await verifier.store.getDecision(session.sessionId);
    expect(after).toEqual(before);
    expect(await verifier.store.getDocumentHash(session.sessionId)).toEqual(documentHash);
    const log = await verifier.db.query<{ data_class: string; detail: Record<string, unknown> }>('SELECT data_class, detail FROM verifier_retention_log WHERE session_id = $1 ORDER BY data_class', [session.sessionId]);
    expect(log.rows.map((row) => row.data_class)).toEqual(['evidence', 'fields']);
    expect(log.rows[0]!.detail).toMatchObject({ evidenceSha256: key, sealedBytes: sealed.byteLength });
    const sessionRow = await verifier.store.getSession(session.sessionId);
    expect(sessionRow).toMatchObject({ status: 'decided', signingKey: null, integratorReference: 'crm-4711' });
    expect((await getStatus(app, session.sessionId, config.apiKey)).body).toMatchObject({ status: 'decided', decision: { outcome: 'approve' } });

    // Decision record: kept one second before 1826 days, gone with every trace of the session at it.
    expect(await pass(at(1826 * DAY - 1))).toMatchObject({ decision: 0 });
    expect(await verifier.store.getDecision(session.sessionId)).not.toBeNull();
    const final = await pass(at(1826 * DAY));
    expect(final.decision).toBe(1);
    expect(final.audit).toBeGreaterThan(0);
    expect(await verifier.store.getSession(session.sessionId)).toBeNull();
    const remaining = await everyTableText();
    // The (random, non-personal) session id is left only in pg-boss's finished re-scoring job,
    // which pg-boss itself deletes 7 days after completion (deleteAfterSeconds).
    const traces = remaining.split('\n').filter((line) => line.includes(session.sessionId));
    expect(traces.length).toBeGreaterThan(0);
    expect(traces.every((line) => line.includes(',ekyc-rescore,') && line.includes(',completed,'))).toBe(true);
    expect(leaks(remaining)).toEqual([]);
  }, 240_000);
});
