/**
 * Graceful shutdown of the `ekyc-verifier` process (role all, PGlite directory, real face models):
 * SIGTERM arrives while an upload is half-sent and a re-scoring job is running. The process stops
 * accepting, lets the upload finish (201 with its acknowledgement), lets the job record its
 * decision, stops pg-boss and closes the database, and exits 0. Checked afterwards in the database
 * itself: the decision is there, its job completed, and the late bundle is stored with its job
 * queued for the next worker. "In flight" is read from the process's own metrics, not guessed
 * from timing.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createSessionSigner } from '@ekyc/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerFaceEngine } from '../face/engine.ts';
import { buildSealedBundle, testSecrets, type IssuedSession } from '../testing/fixtures.ts';
import { realSessionContent } from '../testing/session-bundle.ts';
import { spawnVerifier, waitFor, type VerifierProcess } from './cluster.ts';

async function issue(url: string, apiKey: string): Promise<{ session: IssuedSession; signer: Awaited<ReturnType<typeof createSessionSigner>> }> {
  const session = (await (await fetch(`${url}/sessions`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: '{}' })).json()) as IssuedSession;
  const signer = await createSessionSigner();
  const bound = await fetch(`${url}/sessions/${session.sessionId}/key`, { method: 'POST', headers: { authorization: `Bearer ${session.clientToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ publicKeyJwk: signer.publicKeyJwk }) });
  if (bound.status !== 201) throw new Error(`key binding answered ${bound.status}`);
  return { session, signer };
}

function gauge(text: string, name: string): number {
  return Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

describe('graceful shutdown (SIGTERM)', () => {
  const state = mkdtempSync(path.join(os.tmpdir(), 'ekyc-shutdown-'));
  let running: VerifierProcess | undefined;
  let engine: ServerFaceEngine | undefined;
  afterAll(async () => {
    await running?.stop('SIGKILL');
    await engine?.close();
    rmSync(state, { recursive: true, force: true });
  });

  it('finishes the in-flight upload and the running job, then exits 0', async () => {
    const secrets = await testSecrets();
    const databaseUrl = path.join(state, 'pglite');
    running = await spawnVerifier('all', { ...secrets, DATABASE_URL: databaseUrl, VERIFIER_STATE_DIR: state, LOG_LEVEL: 'debug' });
    const base = running.url!;
    const metrics = async (): Promise<string> => (await fetch(`${running!.opsUrl}/metrics`)).text();

    engine = await ServerFaceEngine.create();
    const real = await issue(base, secrets.VERIFIER_API_KEY);
    const startedAt = new Date();
    const content = await realSessionContent({ nonce: real.session.nonce, startedAt, engine });
    const jobBundle = await buildSealedBundle({ session: real.session, signer: real.signer, startedAt, ...content });
    const late = await issue(base, secrets.VERIFIER_API_KEY);
    const lateBundle = await buildSealedBundle({ session: late.session, signer: late.signer });

    // The late upload: headers and half the body now, the rest after SIGTERM.
    const target = new URL(`${base}/sessions/${late.session.sessionId}/evidence`);
    const half = lateBundle.sealed.byteLength >> 1;
    let finishLate: () => void = () => undefined;
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(target, {
        method: 'POST',
        headers: { authorization: `Bearer ${late.session.clientToken}`, 'content-type': 'application/jose', 'idempotency-key': lateBundle.key, 'content-length': String(lateBundle.sealed.byteLength) },
      }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => { body += chunk.toString(); });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(lateBundle.sealed.subarray(0, half));
      finishLate = () => req.end(lateBundle.sealed.subarray(half));
    });
    expect(await waitFor(async () => gauge(await metrics(), 'ekyc_verifier_http_requests_in_flight') === 1, 200, 25)).toBe(true);

    // The job: uploaded whole, then wait until its re-scoring is running.
    const uploaded = await fetch(`${base}/sessions/${real.session.sessionId}/evidence`, {
      method: 'POST', headers: { authorization: `Bearer ${real.session.clientToken}`, 'content-type': 'application/jose', 'idempotency-key': jobBundle.key }, body: new Uint8Array(jobBundle.sealed),
    });
    expect(uploaded.status).toBe(201);
    expect(await waitFor(async () => gauge(await metrics(), 'ekyc_verifier_jobs_in_flight') === 1, 400, 20)).toBe(true);

    const exited = running.stop('SIGTERM');
    // Draining: the process no longer takes new connections.
    expect(await waitFor(async () => running!.lines.some((line) => line.includes('"msg":"shutting down: draining"')), 100, 20)).toBe(true);
    finishLate();
    const lateAnswer = await answer;
    expect(lateAnswer.status).toBe(201);
    expect(JSON.parse(lateAnswer.body)).toMatchObject({ idempotencyKey: lateBundle.key });
    expect(await exited).toBe(0);
    const stopped = running.lines.find((line) => line.includes('"msg":"verifier stopped"'));
    expect(JSON.parse(stopped!)).toMatchObject({ result: 'drained' });
    const order = ['"msg":"shutting down: draining"', '"msg":"session decided"', '"msg":"queue stopped"'].map((msg) => running!.lines.findIndex((line) => line.includes(msg)));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect(order[1]).toBeLessThan(order[2]!);

    const lite = new PGlite(databaseUrl);
    try {
      const decided = await lite.query<{ n: number }>('SELECT count(*)::int AS n FROM verifier_decisions WHERE session_id = $1', [real.session.sessionId]);
      expect(decided.rows[0]!.n).toBe(1);
      const jobs = await lite.query<{ session: string; state: string }>(`SELECT data->>'sessionId' AS session, state::text AS state FROM pgboss.job WHERE name = 'ekyc-rescore'`);
      const stateOf = Object.fromEntries(jobs.rows.map((row) => [row.session, row.state]));
      expect(stateOf[real.session.sessionId]).toBe('completed');
      // The late bundle was acknowledged, so it is stored and its job exists (run before the queue
      // stopped, or waiting for the next worker).
      const stored = await lite.query<{ n: number }>('SELECT count(*)::int AS n FROM verifier_evidence WHERE session_id = $1', [late.session.sessionId]);
      expect(stored.rows[0]!.n).toBe(1);
      expect(stateOf[late.session.sessionId]).toMatch(/^(created|retry|completed)$/);
    } finally {
      await lite.close();
    }
  }, 180_000);
});
