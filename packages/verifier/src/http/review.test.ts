/**
 * The review and audit API over HTTP (Fastify inject, PGlite and PostgreSQL): roles enforced (integrator key,
 * client token and wrong tokens refused; a reviewer cannot fetch the decrypted bundle; an auditor
 * cannot claim), two reviewers claiming one case, the reviewer decision superseding the automatic
 * one in GET /sessions/:id while both stay visible, the auditor's decrypted bundle, the audit log
 * holding every access in order, and the operator CLI.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionSigner, decodeContainer, readSealedHeader, risk } from '@ekyc/core';
import type { VerifierConfig } from '../config.ts';
import { openDatabase } from '../db/driver.ts';
import { OperatorStore } from '../operators/store.ts';
import { runOperatorCommand } from '../operators/cli.ts';
import { startVerifier, type Verifier } from '../server.ts';
import type { Outcome } from '../storage/types.ts';
import { bindKey, createSession, getStatus, uploadWhole } from '../testing/client.ts';
import { buildSealedBundle, testConfig, type IssuedSession } from '../testing/fixtures.ts';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../testing/postgres.ts';

describe.each(['pglite', 'postgres'] as const)('review and audit API (%s)', (kind) => {
  const skip = kind === 'postgres' && !postgresAvailable();
  let pgServer: TestPostgres | null = null;
  let verifier: Verifier;
  let config: VerifierConfig;
  const tokens: Record<'alice' | 'bob' | 'auditor' | 'disabled', string> = { alice: '', bob: '', auditor: '', disabled: '' };
  const ids: Record<string, string> = {};
  const logLines: string[] = [];

  beforeAll(async () => {
    // API role only: the automatic decisions are written by the tests (the re-scoring is tested elsewhere).
    if (skip) return;
    if (kind === 'postgres') pgServer = await startTestPostgres();
    config = await testConfig(pgServer?.url ?? 'memory:', { VERIFIER_ROLE: 'api', VERIFIER_REVIEW_CLAIM_SECONDS: '120' });
    verifier = await startVerifier(config, { listen: false, logger: pino({ level: 'debug' }, { write: (line: string) => { logLines.push(line); } }) });
    const operators = new OperatorStore(verifier.db);
    for (const [key, role] of [['alice', 'reviewer'], ['bob', 'reviewer'], ['auditor', 'auditor'], ['disabled', 'reviewer']] as const) {
      const added = await operators.add({ name: `Test ${key}`, role });
      tokens[key] = added.token;
      ids[key] = added.operator.id;
    }
    await operators.disable(ids.disabled!);
  }, 120_000);
  afterAll(async () => {
    await verifier?.close();
    await pgServer?.stop();
  });

  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, bearer: string, payload?: Record<string, unknown>) => {
    const response = await verifier.app!.inject({ method, url, headers: { authorization: `Bearer ${bearer}` }, ...(payload === undefined ? {} : { payload }) });
    return { status: response.statusCode, body: response.headers['content-type']?.toString().startsWith('application/json') ? response.json() : response.rawPayload, headers: response.headers };
  };

  /** A session with stored evidence and an automatic decision. */
  async function decidedSession(outcome: Outcome): Promise<IssuedSession> {
    const app = verifier.app!;
    const session = await createSession(app, config.apiKey);
    const signer = await createSessionSigner();
    await bindKey(app, session, signer);
    const { sealed, key } = await buildSealedBundle({ session, signer });
    expect((await uploadWhole(app, session.sessionId, session.clientToken, sealed, key)).status).toBe(201);
    await verifier.store.saveDecision({ sessionId: session.sessionId, decidedAt: new Date(), outcome, score: 72.5, reasonCodes: ['face_match_low'], record: { inputs: { signals: [], hardRules: [] } } }, null);
    return session;
  }

  it.skipIf(skip)('refuses the integrator key, client tokens, wrong and disabled tokens on review routes, and wrong roles with auth_forbidden', async () => {
    const session = await decidedSession('review');
    const queue = '/review/queues/review';
    expect(await call('GET', queue, config.apiKey)).toMatchObject({ status: 401, body: { code: 'auth_failed' } });
    expect(await call('GET', queue, session.clientToken)).toMatchObject({ status: 401, body: { code: 'auth_failed' } });
    const forged = `${tokens.alice.slice(0, -4)}AAAA`;
    expect(await call('GET', queue, forged)).toMatchObject({ status: 401, body: { code: 'auth_failed' } });
    expect(await call('GET', queue, 'ekop.op00000000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ status: 401 });
    expect(await call('GET', queue, tokens.disabled)).toMatchObject({ status: 401, body: { code: 'auth_failed' } });
    expect(await call('POST', `/review/cases/${session.sessionId}/claim`, config.apiKey)).toMatchObject({ status: 401 });
    expect(await call('POST', `/review/cases/${session.sessionId}/decision`, config.apiKey, { outcome: 'approve', note: 'x' })).toMatchObject({ status: 401 });
    // A reviewer cannot fetch the decrypted bundle nor read the audit log; an auditor cannot claim or decide.
    expect(await call('GET', `/audit/sessions/${session.sessionId}/bundle`, tokens.alice)).toMatchObject({ status: 403, body: { code: 'auth_forbidden' } });
    expect(await call('GET', '/audit/log', tokens.alice)).toMatchObject({ status: 403, body: { code: 'auth_forbidden' } });
    expect(await call('POST', `/review/cases/${session.sessionId}/claim`, tokens.auditor)).toMatchObject({ status: 403, body: { code: 'auth_forbidden' } });
    expect(await call('GET', '/audit/log', config.apiKey)).toMatchObject({ status: 401 });
    expect((await call('GET', '/operators/me', tokens.auditor)).body).toEqual({ id: ids.auditor, name: 'Test auditor', role: 'auditor' });
  });

  it.skipIf(skip)('claims, decides and shows the reviewer decision in force with the automatic one kept; the auditor opens the bundle; every access is audited in order', async () => {
    const session = await decidedSession('review');
    const { sessionId } = session;
    const listed = await call('GET', '/review/queues/review', tokens.alice);
    expect(listed.status).toBe(200);
    expect((listed.body as { items: { sessionId: string; claim: unknown }[] }).items.find((item) => item.sessionId === sessionId)).toMatchObject({ claim: null });

    // Two reviewers claim at once: one gets it, the other a typed conflict.
    const [a, b] = await Promise.all([call('POST', `/review/cases/${sessionId}/claim`, tokens.alice), call('POST', `/review/cases/${sessionId}/claim`, tokens.bob)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body).toEqual({ code: 'review_claim_conflict' });
    const [winner, other] = a.status === 200 ? ['alice', 'bob'] as const : ['bob', 'alice'] as const;
    expect((a.status === 200 ? a : b).body).toMatchObject({ sessionId, operatorId: ids[winner] });
    expect(await call('POST', `/review/cases/${sessionId}/decision`, tokens[other], { outcome: 'reject', note: 'Not mine.' })).toMatchObject({ status: 409, body: { code: 'review_claim_required' } });

    const view = await call('GET', `/review/cases/${sessionId}`, tokens[winner]);
    expect(view.body).toMatchObject({ sessionId, automaticDecision: { outcome: 'review', score: 72.5 }, reviewerDecision: null, effectiveDecision: { outcome: 'review', decidedBy: 'automatic' }, claim: { operatorId: ids[winner] }, duplicates: [], screening: [] });
    const decided = await call('POST', `/review/cases/${sessionId}/decision`, tokens[winner], { outcome: 'approve', note: 'Portrait and selfie compared by hand.' });
    expect(decided).toMatchObject({ status: 201, body: { outcome: 'approve', automaticOutcome: 'review', operatorId: ids[winner] } });
    expect(await call('POST', `/review/cases/${sessionId}/decision`, tokens[winner], { outcome: 'reject', note: 'Again.' })).toMatchObject({ status: 409 });

    const forIntegrator = await getStatus(verifier.app!, sessionId, config.apiKey);
    expect(forIntegrator.body).toMatchObject({
      decision: { outcome: 'approve', decidedBy: 'reviewer', score: 72.5, reasonCodes: ['face_match_low'] },
      automaticDecision: { outcome: 'review', score: 72.5, reasonCodes: ['face_match_low'] },
      reviewerDecision: { outcome: 'approve', operatorId: ids[winner] },
      userMessage: risk.USER_MESSAGES.approve,
    });
    expect(JSON.stringify(forIntegrator.body)).not.toContain('Portrait and selfie');
    const forUser = await getStatus(verifier.app!, sessionId, session.clientToken);
    expect(forUser.body).toMatchObject({ decision: { outcome: 'approve' }, userMessage: risk.USER_MESSAGES.approve });
    expect(forUser.body).not.toHaveProperty('automaticDecision');
    expect(forUser.body.decision).not.toHaveProperty('reasonCodes');

    const bundle = await call('GET', `/audit/sessions/${sessionId}/bundle`, tokens.auditor);
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toBe('application/vnd.ekyc.evidence-container');
    expect(bundle.headers['cache-control']).toBe('no-store');
    expect(decodeContainer(new Uint8Array(bundle.body as Buffer)).manifest.session.id).toBe(sessionId);

    const log = await call('GET', `/audit/log?sessionId=${sessionId}`, tokens.auditor);
    const entries = (log.body as { entries: { seq: number; action: string; actorId: string | null; details: Record<string, unknown> }[] }).entries;
    expect(entries.map((entry) => [entry.action, entry.actorId])).toEqual([
      ['decision.automatic', null], ['case.claimed', ids[winner]], ['case.viewed', ids[winner]], ['decision.reviewed', ids[winner]], ['bundle.accessed', ids.auditor],
    ]);
    expect(entries.map((entry) => entry.seq)).toEqual([...entries.map((entry) => entry.seq)].sort((x, y) => x - y));
    // The whole log: the queue listing and the refused accesses of the first test are there too, in order.
    const all = (await call('GET', '/audit/log?limit=1000', tokens.auditor)).body as { entries: { seq: number; action: string; prevHash: string; hash: string }[] };
    const actions = all.entries.map((entry) => entry.action);
    expect(actions.filter((action) => action === 'access.denied')).toHaveLength(3);
    expect(actions.indexOf('queue.listed')).toBeLessThan(actions.indexOf('case.claimed'));
    expect(actions.at(-1)).toBe('audit.read');
    for (const [index, entry] of all.entries.entries()) if (index > 0) expect(entry.prevHash).toBe(all.entries[index - 1]!.hash);
    expect((await call('GET', '/audit/log/verify', tokens.auditor)).body).toMatchObject({ valid: true, firstBadSeq: null });
    // The note and names stay out of the log and the process log.
    expect(JSON.stringify(all)).not.toContain('Portrait and selfie');
    expect(JSON.stringify(all)).not.toContain('Test alice');
    const processLog = logLines.join('\n');
    for (const secret of [tokens.alice, tokens.bob, tokens.auditor, 'Portrait and selfie', 'Test alice']) expect(processLog).not.toContain(secret);
  });

  it.skipIf(skip)('shows an escalated case to its user exactly like a review, and keeps it in the escalation queue only', async () => {
    const session = await decidedSession('escalate');
    const forUser = await getStatus(verifier.app!, session.sessionId, session.clientToken);
    expect(forUser.body).toMatchObject({ decision: { outcome: 'review' }, userMessage: risk.USER_MESSAGES.review });
    expect(JSON.stringify(forUser.body)).not.toMatch(/escalat|screening|sanction/i);
    expect((await getStatus(verifier.app!, session.sessionId, config.apiKey)).body).toMatchObject({ decision: { outcome: 'escalate' } });
    const escalation = (await call('GET', '/review/queues/escalation', tokens.bob)).body as { items: { sessionId: string }[] };
    const review = (await call('GET', '/review/queues/review', tokens.bob)).body as { items: { sessionId: string }[] };
    expect(escalation.items.map((item) => item.sessionId)).toContain(session.sessionId);
    expect(review.items.map((item) => item.sessionId)).not.toContain(session.sessionId);
    // A claim given back is free at once; releasing a claim one does not hold releases nothing.
    const claimUrl = `/review/cases/${session.sessionId}/claim`;
    expect((await call('POST', claimUrl, tokens.bob)).status).toBe(200);
    expect(await call('DELETE', claimUrl, tokens.alice)).toMatchObject({ status: 200, body: { released: false } });
    expect(await call('POST', claimUrl, tokens.alice)).toMatchObject({ status: 409, body: { code: 'review_claim_conflict' } });
    expect(await call('DELETE', claimUrl, tokens.bob)).toMatchObject({ status: 200, body: { released: true } });
    expect(await call('POST', claimUrl, tokens.alice)).toMatchObject({ status: 200, body: { operatorId: ids.alice } });
  });

  it.skipIf(skip)('gives an auditor the stored evidence with the nonce, the bound signing key, the arrival and the configuration (audited); refuses a reviewer', async () => {
    const app = verifier.app!;
    const session = await createSession(app, config.apiKey);
    const signer = await createSessionSigner();
    await bindKey(app, session, signer);
    const { sealed, key } = await buildSealedBundle({ session, signer });
    expect((await uploadWhole(app, session.sessionId, session.clientToken, sealed, key)).status).toBe(201);
    const url = `/audit/sessions/${session.sessionId}/evidence`;

    expect(await call('GET', url, tokens.alice)).toMatchObject({ status: 403, body: { code: 'auth_forbidden' } });
    expect(await call('GET', url, config.apiKey)).toMatchObject({ status: 401 });
    expect(await call('GET', '/audit/sessions/ses_unknown000000000000000/evidence', tokens.auditor)).toMatchObject({ status: 404, body: { code: 'session_not_found' } });

    const response = await call('GET', url, tokens.auditor);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.body as { sessionId: string; nonce: string; signingKey: Record<string, string>; receivedAt: string; sealedBytes: number; config: Record<string, unknown>; container: string };
    expect(body).toMatchObject({ sessionId: session.sessionId, nonce: session.nonce, sealedBytes: sealed.byteLength, config: { acceptedDocuments: session.config.acceptedDocuments } });
    expect(body.signingKey).toEqual(signer.publicKeyJwk);
    expect(Date.parse(body.receivedAt)).not.toBeNaN();
    // The container is the bundle that passed intake: its signer is the bound key, its nonce the session's.
    const bundle = decodeContainer(new Uint8Array(Buffer.from(body.container, 'base64')));
    expect(bundle.manifest.session).toMatchObject({ id: session.sessionId, nonce: session.nonce });
    expect(bundle.manifest.signer.publicKeyJwk).toEqual(body.signingKey);
    // The sealed header as received: the JWE's first segment, naming the session and nonce it was sealed for.
    const sealedHeader = (body as unknown as { sealedHeader: string }).sealedHeader;
    expect(sealedHeader).toBe(new TextDecoder().decode(sealed).split('.')[0]);
    expect(readSealedHeader(new TextEncoder().encode(`${sealedHeader}.`))).toMatchObject({ sessionId: session.sessionId, nonce: session.nonce });

    const log = (await call('GET', `/audit/log?sessionId=${session.sessionId}`, tokens.auditor)).body as { entries: { action: string; actorId: string | null; details: Record<string, unknown> }[] };
    expect(log.entries.filter((entry) => entry.action === 'bundle.accessed')).toEqual([expect.objectContaining({ actorId: ids.auditor, details: { sealedBytes: sealed.byteLength, withRecord: true } })]);
  });
});

describe('ekyc-verifier operator (CLI)', () => {
  it('adds an operator and prints its token once (only its scrypt hash is stored), lists and disables it', async () => {
    const databaseUrl = path.join(mkdtempSync(path.join(os.tmpdir(), 'ekyc-operator-cli-')), 'pglite');
    const lines: string[] = [];
    await runOperatorCommand(['add', '--name', 'Casey Reviewer', '--role', 'reviewer'], { databaseUrl }, (line) => lines.push(line));
    const token = lines.map((line) => line.trim()).find((line) => line.startsWith('ekop.'))!;
    expect(token).toMatch(/^ekop\.op[0-9a-f]{20}\.[A-Za-z0-9_-]{43}$/);
    const id = token.split('.')[1]!;
    lines.length = 0;
    await runOperatorCommand(['list'], { databaseUrl }, (line) => lines.push(line));
    expect(lines).toEqual([`${id}\treviewer\tenabled\tCasey Reviewer`]);
    await expect(runOperatorCommand(['add', '--name', 'X', '--role', 'admin'], { databaseUrl })).rejects.toMatchObject({ code: 'invalid_argument' });
    const db = await openDatabase(databaseUrl);
    try {
      const stored = await db.query<{ token_hash: string }>('SELECT token_hash FROM verifier_operators WHERE id = $1', [id]);
      expect(stored.rows[0]!.token_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
      expect(stored.rows[0]!.token_hash).not.toContain(token.split('.')[2]!);
      expect((await new OperatorStore(db).authenticate(token))?.role).toBe('reviewer');
    } finally {
      await db.close();
    }
    await runOperatorCommand(['disable', '--id', id], { databaseUrl }, () => undefined);
    const again = await openDatabase(databaseUrl);
    try {
      expect(await new OperatorStore(again).authenticate(token)).toBeNull();
    } finally {
      await again.close();
    }
  }, 120_000);
});
