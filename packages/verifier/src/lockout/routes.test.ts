/**
 * POST /sessions/:id/liveness-attempts and the upload route through the real app (PGlite, API
 * role, a clock the test moves): retries capped by the session config, the 6th failure within
 * 3 minutes answered 429 with Retry-After, the upload from a locked-out address refused the same
 * way, released after the period; behind a trusted proxy each forwarded address counts apart.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionSigner } from '@ekyc/core';
import { startVerifier, type Verifier } from '../server.ts';
import { bindKey, createSession } from '../testing/client.ts';
import { buildSealedBundle, testConfig, type IssuedSession } from '../testing/fixtures.ts';
import type { VerifierConfig } from '../config.ts';

describe('liveness attempts over HTTP (PGlite)', () => {
  let verifier: Verifier;
  let config: VerifierConfig;
  let clock = new Date();

  beforeAll(async () => {
    config = await testConfig('memory:', {
      VERIFIER_ROLE: 'api', VERIFIER_SESSION_CONFIG: JSON.stringify({ maxRetries: 1 }), VERIFIER_LIVENESS_LOCKOUT_SECONDS: '300',
      VERIFIER_TRUST_PROXY: '127.0.0.1', VERIFIER_RATE_LIMIT: 'off',
    });
    verifier = await startVerifier(config, { listen: false, now: () => clock, logger: pino({ level: 'silent' }) });
  }, 60_000);
  afterAll(async () => {
    await verifier?.close();
  });

  const report = (session: IssuedSession, deviceId: string, outcome: 'passed' | 'failed', forwardedFor?: string) => verifier.app!.inject({
    method: 'POST', url: `/sessions/${session.sessionId}/liveness-attempts`,
    headers: { authorization: `Bearer ${session.clientToken}`, ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }) },
    payload: { deviceId, outcome },
  });

  it('allows 1 + maxRetries attempts, then answers session_retries_exhausted', async () => {
    const session = await createSession(verifier.app!, config.apiKey);
    expect((await report(session, 'device_a_0123456789abcdef', 'failed', '198.51.100.10')).json()).toMatchObject({ attempt: 1, attemptsAllowed: 2, attemptsRemaining: 1 });
    expect((await report(session, 'device_a_0123456789abcdef', 'passed', '198.51.100.10')).statusCode).toBe(201);
    const third = await report(session, 'device_a_0123456789abcdef', 'passed', '198.51.100.10');
    expect([third.statusCode, third.json()]).toEqual([409, { code: 'session_retries_exhausted' }]);
    const bad = await report(session, 'short', 'passed');
    expect([bad.statusCode, bad.json()]).toEqual([400, { code: 'invalid_argument' }]);
    const other = await createSession(verifier.app!, config.apiKey);
    const wrongToken = await verifier.app!.inject({ method: 'POST', url: `/sessions/${other.sessionId}/liveness-attempts`, headers: { authorization: `Bearer ${session.clientToken}` }, payload: { deviceId: 'device_a_0123456789abcdef', outcome: 'passed' } });
    expect([wrongToken.statusCode, wrongToken.json()]).toEqual([401, { code: 'auth_failed' }]);
  });

  it('locks an address out on the 6th failure within 3 minutes, refuses its uploads too, and releases it after the period', async () => {
    const sessions: IssuedSession[] = [];
    for (let index = 0; index < 7; index += 1) sessions.push(await createSession(verifier.app!, config.apiKey));
    for (let index = 0; index < 5; index += 1) {
      expect((await report(sessions[index]!, `device_${index}_0123456789abcdef`, 'failed', '203.0.113.50')).statusCode).toBe(201);
      clock = new Date(clock.getTime() + 20_000);
    }
    const sixth = await report(sessions[5]!, 'device_5_0123456789abcdef', 'failed', '203.0.113.50');
    expect([sixth.statusCode, sixth.headers['retry-after'], sixth.json()]).toEqual([429, '300', { code: 'liveness_locked_out', retryAfterSeconds: 300 }]);
    // Another client behind the same trusted proxy is not affected.
    expect((await report(sessions[6]!, 'device_6_0123456789abcdef', 'failed', '203.0.113.51')).statusCode).toBe(201);

    // The locked-out address cannot upload evidence either (refused before anything is read).
    const session = sessions[5]!;
    const signer = await createSessionSigner();
    await bindKey(verifier.app!, session, signer);
    const { sealed, key } = await buildSealedBundle({ session, signer, startedAt: new Date() });
    const upload = (forwardedFor: string) => verifier.app!.inject({
      method: 'POST', url: `/sessions/${session.sessionId}/evidence`,
      headers: { authorization: `Bearer ${session.clientToken}`, 'content-type': 'application/jose', 'idempotency-key': key, 'x-forwarded-for': forwardedFor },
      payload: Buffer.from(sealed),
    });
    clock = new Date(clock.getTime() + 299_000);
    const refused = await upload('203.0.113.50');
    expect([refused.statusCode, refused.headers['retry-after'], refused.json()]).toEqual([429, '1', { type: 'ekyc.evidence.error', version: 1, code: 'liveness_locked_out' }]);
    expect(await verifier.store.loadEvidence(session.sessionId)).toBeNull();
    clock = new Date(clock.getTime() + 1_000);
    expect((await upload('203.0.113.50')).statusCode).toBe(201);
  });
});
