/**
 * The verifier process is killed (SIGKILL) in the middle of intake. After a restart on the same
 * database, the clients' retries (same bytes, same Idempotency-Key, as HttpSink does) and the
 * queued re-scoring jobs complete: every bundle is stored once and decided once.
 * The first process runs the API only, so jobs are still queued when it dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createSessionSigner, type SessionSigner } from '@ekyc/core';
import { buildSealedBundle, testSecrets, type IssuedSession } from '../testing/fixtures.ts';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { PGlite } from '@electric-sql/pglite';

const BIN = fileURLToPath(new URL('../../bin/ekyc-verifier.js', import.meta.url));
const SESSIONS = 8;

interface Running {
  child: ChildProcess;
  url: string;
}

function startProcess(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [BIN], { env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('exit', (code) => reject(new Error(`verifier exited (${code}): ${output.slice(-2000)}`)));
  });
}

async function stopProcess(running: Running | undefined, signal: NodeJS.Signals): Promise<void> {
  if (running === undefined || running.child.exitCode !== null) return;
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill(signal);
  await exited;
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

describe.each(['pglite', 'postgres'] as const)('restart mid-intake on %s', (kind) => {
  const skip = kind === 'postgres' && !postgresAvailable();
  const dirs: string[] = [];
  let pgServer: TestPostgres | null = null;
  let running: Running | undefined;
  afterAll(async () => {
    await stopProcess(running, 'SIGKILL');
    await pgServer?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)('loses no bundle and decides each exactly once', async () => {
    const state = mkdtempSync(path.join(os.tmpdir(), 'ekyc-restart-'));
    dirs.push(state);
    if (kind === 'postgres') pgServer = await startTestPostgres();
    const databaseUrl = pgServer?.url ?? path.join(state, 'pglite');
    const env = { ...(await testSecrets()), DATABASE_URL: databaseUrl, VERIFIER_STATE_DIR: state, VERIFIER_JOB_EXPIRE_SECONDS: '30' };
    running = await startProcess({ ...env, VERIFIER_ROLE: 'api' });
    const base = running.url;
    const auth = { authorization: `Bearer ${env.VERIFIER_API_KEY}` };

    const clients: { session: IssuedSession; signer: SessionSigner; sealed: Uint8Array; key: string; acked: boolean }[] = [];
    for (let index = 0; index < SESSIONS; index += 1) {
      const session = (await json(await fetch(`${base}/sessions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' }))) as unknown as IssuedSession;
      const signer = await createSessionSigner();
      const bound = await fetch(`${base}/sessions/${session.sessionId}/key`, { method: 'POST', headers: { authorization: `Bearer ${session.clientToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ publicKeyJwk: signer.publicKeyJwk }) });
      expect(bound.status).toBe(201);
      const { sealed, key } = await buildSealedBundle({ session, signer });
      clients.push({ session, signer, sealed, key, acked: false });
    }
    const upload = async (client: (typeof clients)[number], url: string): Promise<number> => {
      const response = await fetch(`${url}/sessions/${client.session.sessionId}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.session.clientToken}`, 'content-type': 'application/jose', 'idempotency-key': client.key },
        body: new Uint8Array(client.sealed),
      });
      const body = await json(response);
      if ((response.status === 200 || response.status === 201) && body.idempotencyKey === client.key) client.acked = true;
      return response.status;
    };

    // Half the uploads complete; the rest are in flight when the process is killed.
    for (const client of clients.slice(0, SESSIONS / 2)) expect(await upload(client, base)).toBe(201);
    const inFlight = clients.slice(SESSIONS / 2).map((client) => upload(client, base).catch(() => 0));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await stopProcess(running, 'SIGKILL');
    await Promise.all(inFlight);

    // Restart with the worker; clients retry everything not acknowledged (HttpSink's behaviour).
    running = await startProcess({ ...env, VERIFIER_ROLE: 'all' });
    for (const client of clients) {
      if (!client.acked) expect([200, 201]).toContain(await upload(client, running.url));
      // An acknowledged bundle sent again is answered from storage.
      else expect(await upload(client, running.url)).toBe(200);
    }
    expect(clients.every((client) => client.acked)).toBe(true);

    let decided = 0;
    for (let poll = 0; poll < 240 && decided < SESSIONS; poll += 1) {
      decided = 0;
      for (const client of clients) {
        const status = await json(await fetch(`${running.url}/sessions/${client.session.sessionId}`, { headers: auth }));
        if (status.status === 'decided') decided += 1;
      }
      if (decided < SESSIONS) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(decided).toBe(SESSIONS);
    await stopProcess(running, 'SIGTERM');

    // Counted in the database itself: one evidence row and one decision per session.
    const count = async (sql: string): Promise<number> => {
      if (kind === 'postgres') {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try { return Number((await client.query(sql)).rows[0].n); } finally { await client.end(); }
      }
      const lite = new PGlite(databaseUrl);
      try { return Number((await lite.query<{ n: number }>(sql)).rows[0]!.n); } finally { await lite.close(); }
    };
    expect(await count('SELECT count(*)::int AS n FROM verifier_evidence')).toBe(SESSIONS);
    expect(await count('SELECT count(*)::int AS n FROM verifier_decisions')).toBe(SESSIONS);
    expect(await count(`SELECT count(DISTINCT session_id)::int AS n FROM verifier_decisions`)).toBe(SESSIONS);
  }, 180_000);
});
