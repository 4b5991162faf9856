/**
 * Cross-device handoff over the HTTP API on both databases: a link is exchanged once for a client
 * token of the same session, never twice, never after it expired or was replaced, never for
 * another session, and not once the session cannot move any more.
 */
import { describe, expect, it } from 'vitest';
import { createSessionSigner } from '@ekyc/core';
import { bindKey, createSession, getStatus, uploadWhole } from '../testing/client.ts';
import { TEST_DATABASES, useTestVerifier } from '../testing/databases.ts';
import { buildSealedBundle, type IssuedSession } from '../testing/fixtures.ts';
import { HANDOFF_TTL_SECONDS } from './handoff.ts';

describe.each(TEST_DATABASES)('cross-device handoff on %s', (kind) => {
  let clockOffsetMs = 0;
  const setup = useTestVerifier(kind, { start: { faceModels: false, now: () => new Date(Date.now() + clockOffsetMs) } });
  const { skip } = setup;

  const app = () => setup.verifier.app!;
  const issue = async (session: IssuedSession, token = session.clientToken) => {
    const response = await app().inject({ method: 'POST', url: `/sessions/${session.sessionId}/handoff`, headers: { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };
  const exchange = async (handoffToken: unknown) => {
    const response = await app().inject({ method: 'POST', url: '/handoff/exchange', payload: { handoffToken } });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };
  const handoffState = async (session: IssuedSession) => {
    const response = await app().inject({ method: 'GET', url: `/sessions/${session.sessionId}/handoff`, headers: { authorization: `Bearer ${session.clientToken}` } });
    return response.json() as { state: string };
  };

  it.skipIf(skip)('exchanges a link once for a working client token of the same session; the phone then uploads and the desktop sees it', async () => {
    const desktop = await createSession(app(), setup.config.apiKey);
    expect((await handoffState(desktop)).state).toBe('none');
    const link = await issue(desktop);
    expect(link.status).toBe(201);
    expect(link.body.ttlSeconds).toBe(HANDOFF_TTL_SECONDS);
    expect(link.body.handoffToken).toMatch(/^hof_[A-Za-z0-9_-]{43}$/);
    expect((await handoffState(desktop)).state).toBe('pending');

    const phone = await exchange(link.body.handoffToken);
    expect(phone.status).toBe(201);
    expect(phone.body).toMatchObject({ sessionId: desktop.sessionId, nonce: desktop.nonce, config: desktop.config, verifierKey: desktop.verifierKey });
    expect(phone.body.clientToken).toEqual(expect.any(String));
    expect((await handoffState(desktop)).state).toBe('exchanged');

    // Single use: the same link again, even right away, is refused.
    const again = await exchange(link.body.handoffToken);
    expect(again).toEqual({ status: 409, body: { code: 'handoff_used' } });

    // The phone's token runs the session: key binding and upload, and the desktop follows the status.
    const phoneSession: IssuedSession = { ...desktop, clientToken: phone.body.clientToken as string };
    const signer = await createSessionSigner();
    expect((await bindKey(app(), phoneSession, signer)).status).toBe(201);
    const { sealed, key } = await buildSealedBundle({ session: phoneSession, signer });
    expect((await uploadWhole(app(), desktop.sessionId, phoneSession.clientToken, sealed, key)).status).toBe(201);
    const status = await getStatus(app(), desktop.sessionId, desktop.clientToken);
    expect(status.status).toBe(200);
    expect(['received', 'decided']).toContain(status.body.status);

    // Once a key is bound (or evidence arrived) the session cannot move again.
    expect(await issue(desktop)).toEqual({ status: 409, body: { code: 'handoff_unavailable' } });
  });

  it.skipIf(skip)('refuses an expired link, and a link replaced by a newer one', async () => {
    const desktop = await createSession(app(), setup.config.apiKey);
    const first = await issue(desktop);
    const second = await issue(desktop);
    expect(await exchange(first.body.handoffToken)).toEqual({ status: 410, body: { code: 'handoff_expired' } });
    try {
      clockOffsetMs = (HANDOFF_TTL_SECONDS + 1) * 1000;
      expect(await exchange(second.body.handoffToken)).toEqual({ status: 410, body: { code: 'handoff_expired' } });
      expect((await handoffState(desktop)).state).toBe('expired');
    } finally {
      clockOffsetMs = 0;
    }
    // Expired, not consumed: a fresh link works.
    const third = await issue(desktop);
    expect((await exchange(third.body.handoffToken)).status).toBe(201);
  });

  it.skipIf(skip)('never crosses sessions: another session\'s token cannot issue or read a link, and an exchanged token works for its own session only', async () => {
    const a = await createSession(app(), setup.config.apiKey);
    const b = await createSession(app(), setup.config.apiKey);
    expect(await issue(a, b.clientToken)).toEqual({ status: 401, body: { code: 'auth_failed' } });
    const link = await issue(a);
    const phone = await exchange(link.body.handoffToken);
    expect(phone.body.sessionId).toBe(a.sessionId);
    const signer = await createSessionSigner();
    expect((await bindKey(app(), { ...b, clientToken: phone.body.clientToken as string }, signer)).status).toBe(401);
    const other = await app().inject({ method: 'GET', url: `/sessions/${b.sessionId}/client`, headers: { authorization: `Bearer ${phone.body.clientToken as string}` } });
    expect(other.statusCode).toBe(401);
  });

  it.skipIf(skip)('names every refusal of a token: unknown, malformed, and a session that expired meanwhile', async () => {
    expect(await exchange(`hof_${'A'.repeat(43)}`)).toEqual({ status: 404, body: { code: 'handoff_invalid' } });
    expect(await exchange('not-a-token')).toEqual({ status: 404, body: { code: 'handoff_invalid' } });
    expect((await exchange(42)).status).toBe(400);
    const desktop = await createSession(app(), setup.config.apiKey);
    const link = await issue(desktop);
    // The link never outlives its session.
    expect(new Date(link.body.expiresAt as string).getTime()).toBeLessThanOrEqual(new Date(desktop.expiresAt).getTime());
    await setup.verifier.db.query('UPDATE verifier_sessions SET expires_at = $2 WHERE id = $1', [desktop.sessionId, new Date(Date.now() - 1000)]);
    expect(await exchange(link.body.handoffToken)).toEqual({ status: 410, body: { code: 'session_expired' } });
    expect(await issue(desktop)).toEqual({ status: 410, body: { code: 'session_expired' } });
  });

  it.skipIf(skip)('gives a page holding only the session id and client token what it needs to run the flow', async () => {
    const session = await createSession(app(), setup.config.apiKey);
    const response = await app().inject({ method: 'GET', url: `/sessions/${session.sessionId}/client`, headers: { authorization: `Bearer ${session.clientToken}` } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ sessionId: session.sessionId, nonce: session.nonce, config: session.config, verifierKey: session.verifierKey, expiresAt: session.expiresAt });
  });

  it.skipIf(skip)('stores only the hash of a handoff token', async () => {
    const session = await createSession(app(), setup.config.apiKey);
    const link = await issue(session);
    const rows = await setup.verifier.db.query<Record<string, unknown>>('SELECT * FROM verifier_handoffs WHERE session_id = $1', [session.sessionId]);
    expect(JSON.stringify(rows.rows)).not.toContain(link.body.handoffToken as string);
    expect(rows.rows).toHaveLength(1);
  });
});
