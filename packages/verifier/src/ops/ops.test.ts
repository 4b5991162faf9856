/**
 * Operations endpoints and limits on one in-process verifier (PGlite in memory, role all, listening
 * on loopback with its ops listener): probes, Prometheus metrics after a real intake and decision,
 * the metrics token, per-route rate limits (429 rate_limited with Retry-After) and body limits
 * (413 request_too_large), and the configuration checks for what src/ops adds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSessionSigner } from '@ekyc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type VerifierConfig } from '../config.ts';
import { createLogger } from '../observability/logger.ts';
import { startVerifier, type Verifier } from '../server.ts';
import { buildSealedBundle, testConfig, testSecrets, type IssuedSession } from '../testing/fixtures.ts';

const TOKEN = 'metrics-token-0123456789';

/** The value of the sample `name` whose labels include all of `labels` (any order); null when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | null {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const present = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return null;
}

describe('ops endpoints, metrics and limits (PGlite)', () => {
  let verifier: Verifier;
  let config: VerifierConfig;
  beforeAll(async () => {
    config = await testConfig('memory:', {
      VERIFIER_OPS_PORT: '0', VERIFIER_METRICS_TOKEN: TOKEN, VERIFIER_RATE_LIMIT_KEYS: '3', HOST: '127.0.0.1',
    });
    verifier = await startVerifier(config, { faceModels: false, logger: createLogger({ level: 'silent' }) });
  }, 120_000);
  afterAll(async () => {
    await verifier?.close();
  });

  const api = (route: string, init: RequestInit = {}): Promise<Response> => fetch(`${verifier.url}${route}`, init);
  const ops = (route: string, init: RequestInit = {}): Promise<Response> => fetch(`${verifier.opsUrl}${route}`, init);
  const metricsText = async (): Promise<string> => (await ops('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const createSession = async (): Promise<IssuedSession> => (await (await api('/sessions', { method: 'POST', headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json' }, body: '{}' })).json()) as IssuedSession;
  const bind = (session: IssuedSession, jwk: unknown): Promise<Response> => api(`/sessions/${session.sessionId}/key`, { method: 'POST', headers: { authorization: `Bearer ${session.clientToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ publicKeyJwk: jwk }) });

  it('answers liveness and readiness on the API and the ops listener', async () => {
    for (const base of [api, ops]) {
      expect((await base('/healthz')).status).toBe(200);
      const ready = await base('/readyz');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok', queue: 'ok', accepting: 'ok' } });
    }
    expect((await api('/metrics')).status).toBe(404); // metrics live on the ops listener only
  });

  it('counts intake, bytes, decisions, queue jobs, re-scoring and HTTP latency in Prometheus format', async () => {
    const session = await createSession();
    const signer = await createSessionSigner();
    expect((await bind(session, signer.publicKeyJwk)).status).toBe(201);
    const { sealed, key } = await buildSealedBundle({ session, signer });
    const upload = (token: string): Promise<Response> => api(`/sessions/${session.sessionId}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/jose', 'idempotency-key': key }, body: new Uint8Array(sealed) });
    expect((await upload(`${session.clientToken}x`)).status).toBe(401);
    expect((await upload(session.clientToken)).status).toBe(201);
    let text = '';
    for (let poll = 0; poll < 120 && !/ekyc_verifier_decisions_total\{outcome="\w+"/.test(text); poll += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      text = await metricsText();
    }
    expect(sample(text, 'ekyc_verifier_intake_requests_total', { result: 'accepted', code: '', role: 'all' })).toBe(1);
    expect(sample(text, 'ekyc_verifier_intake_requests_total', { result: 'refused', code: 'auth_failed' })).toBe(1);
    expect(sample(text, 'ekyc_verifier_intake_bytes_total', { result: 'accepted' })).toBe(sealed.byteLength);
    const outcome = (await verifier.store.getDecision(session.sessionId))!.outcome;
    expect(sample(text, 'ekyc_verifier_decisions_total', { outcome })).toBe(1);
    expect(sample(text, 'ekyc_verifier_rescore_duration_seconds_count', { result: 'decided' })).toBe(1);
    expect(sample(text, 'ekyc_verifier_http_request_duration_seconds_count', { method: 'POST', route: '/sessions/:id/evidence', status_code: '201' })).toBe(1);
    expect(sample(text, 'ekyc_verifier_queue_jobs', { state: 'completed' })).toBe(1);
    expect(text).toContain('ekyc_verifier_process_resident_memory_bytes');
    expect(text).not.toContain(session.sessionId); // no unbounded labels
    expect((await ops('/metrics')).status).toBe(401);
    expect((await ops('/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
  });

  it('rate-limits per route class with a typed 429 and Retry-After, and limits body sizes per route', async () => {
    const session = await createSession();
    const signer = await createSessionSigner();
    // VERIFIER_RATE_LIMIT_KEYS=3 per minute per address; the test above bound one key already.
    const answers: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) answers.push((await bind(session, signer.publicKeyJwk)).status);
    expect(answers).toEqual([201, 200, 429]);
    const limited = await bind(session, signer.publicKeyJwk);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ code: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another route class from the same address is not affected; probes never are.
    expect((await api(`/sessions/${session.sessionId}`, { headers: { authorization: `Bearer ${config.apiKey}` } })).status).toBe(200);
    expect((await api('/readyz')).status).toBe(200);
    expect(sample(await metricsText(), 'ekyc_verifier_rate_limited_total', { route: 'keys' })).toBe(2);

    const big = await api('/sessions', { method: 'POST', headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ reference: 'x'.repeat(5000) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ code: 'request_too_large' });
  });

  it('drains on close: readiness turns 503 and close resolves drained', async () => {
    const extra = await startVerifier(await testConfig('memory:', { VERIFIER_OPS_PORT: '0' }), { faceModels: false, logger: createLogger({ level: 'silent' }) });
    expect((await fetch(`${extra.opsUrl}/readyz`)).status).toBe(200);
    const closing = extra.close();
    expect((await extra.ready()).accepting).toBe('failed');
    expect(await closing).toBe('drained');
    // Once closed, nothing is ready: /readyz would answer 503.
    expect(await extra.ready()).toEqual({ database: 'failed', migrations: 'failed', queue: 'failed', accepting: 'failed' });
  });
});

describe('operations configuration', () => {
  const dir = (): string => mkdtempSync(path.join(os.tmpdir(), 'ekyc-ops-config-'));
  const load = async (env: Record<string, string>): Promise<VerifierConfig> => loadConfig({ ...(await testSecrets()), ...env }, dir());

  it('has defaults: no ops listener, rate limits on, 25 s shutdown deadline', async () => {
    const config = await load({});
    expect(config.ops).toMatchObject({ logLevel: 'info', opsListener: null, metricsToken: null, trustProxy: false, shutdownTimeoutSeconds: 25 });
    expect(config.ops.rateLimits).toEqual({ windowSeconds: 60, sessions: 600, keys: 300, uploads: 1200, status: 600, other: 300 });
    expect((await load({ VERIFIER_RATE_LIMIT: 'off' })).ops.rateLimits).toBeNull();
    expect((await load({ VERIFIER_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' })).ops.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('refuses bad values at start-up, naming the variable', async () => {
    const refusals: [Record<string, string>, RegExp][] = [
      [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL/],
      [{ VERIFIER_OPS_PORT: 'abc' }, /VERIFIER_OPS_PORT/],
      [{ VERIFIER_METRICS_TOKEN: 'short' }, /VERIFIER_METRICS_TOKEN/],
      [{ NODE_ENV: 'production', VERIFIER_OPS_PORT: '9464', VERIFIER_OPS_HOST: '0.0.0.0' }, /VERIFIER_METRICS_TOKEN is required/],
      [{ VERIFIER_RATE_LIMIT_UPLOADS: '0' }, /VERIFIER_RATE_LIMIT_UPLOADS/],
      [{ VERIFIER_RATE_LIMIT: 'maybe' }, /VERIFIER_RATE_LIMIT/],
      [{ VERIFIER_TRUST_PROXY: 'proxy.local' }, /VERIFIER_TRUST_PROXY/],
      [{ VERIFIER_SHUTDOWN_TIMEOUT_SECONDS: '0' }, /VERIFIER_SHUTDOWN_TIMEOUT_SECONDS/],
      [{ VERIFIER_SESSION_CONFIG: '{not json' }, /VERIFIER_SESSION_CONFIG is not JSON/],
      [{ VERIFIER_SESSION_CONFIG: '{"maxRetries":-1}' }, /VERIFIER_SESSION_CONFIG has invalid fields: maxRetries/],
      [{ VERIFIER_KEK: 'c2hvcnQ' }, /VERIFIER_KEK must be 32 bytes/],
      [{ VERIFIER_TOKEN_SECRET: 'c2hvcnQ' }, /VERIFIER_TOKEN_SECRET must be at least 32 bytes/],
    ];
    for (const [env, message] of refusals) await expect(load(env), JSON.stringify(env)).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(message) });
    // A production ops listener on loopback, or one with a token, is fine.
    await expect(load({ NODE_ENV: 'production', VERIFIER_OPS_PORT: '9464' })).resolves.toBeDefined();
    await expect(load({ NODE_ENV: 'production', VERIFIER_OPS_PORT: '9464', VERIFIER_OPS_HOST: '0.0.0.0', VERIFIER_METRICS_TOKEN: TOKEN })).resolves.toBeDefined();
  });

  it('the bin stops with exit code 1 and one plain line naming the variable', async () => {
    const bin = new URL('../../bin/ekyc-verifier.js', import.meta.url).pathname;
    const result = spawnSync(process.execPath, [bin], { env: { ...process.env, ...(await testSecrets()), VERIFIER_STATE_DIR: dir(), DATABASE_URL: 'memory:', VERIFIER_RATE_LIMIT_UPLOADS: 'many' }, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ekyc-verifier: could not start (invalid_argument): VERIFIER_RATE_LIMIT_UPLOADS must be an integer from 1 to 1000000 (got "many").');
  });
});
