/**
 * A verifier cluster on loopback for the load test and the bench: `ekyc-verifier` processes
 * (role api or worker) on one PostgreSQL, clients that do what the SDK does (create a session,
 * bind a key, seal a bundle, upload it and retry on another instance when one is unavailable),
 * and counts read from the database itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createSessionSigner } from '@ekyc/core';
import { buildSealedBundle, type IssuedSession } from '../testing/fixtures.ts';

const BIN = fileURLToPath(new URL('../../bin/ekyc-verifier.js', import.meta.url));

export interface VerifierProcess {
  role: 'api' | 'worker' | 'all';
  url: string | null;
  opsUrl: string | null;
  child: ChildProcess;
  /** Every stdout/stderr line (JSON log lines and the bin's plain lines). */
  lines: string[];
  /** Sends the signal and resolves with the exit code (null when killed by the signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

export function spawnVerifier(role: VerifierProcess['role'], env: Record<string, string>): Promise<VerifierProcess> {
  const child = spawn(process.execPath, [BIN], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: '0', VERIFIER_ROLE: role, VERIFIER_OPS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let url: string | null = null;
    let opsUrl: string | null = null;
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        url ??= /listening on (http:\/\/\S+)/.exec(line)?.[1] ?? null;
        opsUrl ??= /ops listener on (http:\/\/\S+)/.exec(line)?.[1] ?? null;
        // The bin prints the ops line first, then "listening on" (api, all) or "worker running".
        if (role === 'worker' ? /worker running/.test(line) : /listening on/.test(line)) {
          resolve({
            role, url, opsUrl, child, lines,
            async stop(signal) {
              if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
              child.kill(signal);
              return exited;
            },
          });
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`verifier (${role}) exited (${code}) before it was ready: ${lines.slice(-20).join('\n')}`)));
  });
}

export interface PreparedClient {
  session: IssuedSession;
  sealed: Uint8Array;
  key: string;
  /** Filled by `submit`. */
  ackedAt?: number;
  firstSentAt?: number;
  attempts?: number;
  lastStatus?: number;
}

async function postJson(url: string, bearer: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Sessions created and keys bound round-robin over `urls`, bundles signed and sealed (before any timing). */
export async function prepareClients(urls: readonly string[], apiKey: string, count: number, parallel = 16): Promise<PreparedClient[]> {
  const clients: PreparedClient[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) {
      const index = next++;
      const base = urls[index % urls.length]!;
      const created = await postJson(`${base}/sessions`, apiKey, {});
      if (created.status !== 201) throw new Error(`POST /sessions answered ${created.status} ${await created.text()}`);
      const session = (await created.json()) as IssuedSession;
      const signer = await createSessionSigner();
      const bound = await postJson(`${base}/sessions/${session.sessionId}/key`, session.clientToken, { publicKeyJwk: signer.publicKeyJwk });
      if (bound.status !== 201) throw new Error(`key binding answered ${bound.status} ${await bound.text()}`);
      const { sealed, key } = await buildSealedBundle({ session, signer });
      clients[index] = { session, sealed, key };
    }
  }));
  return clients;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Uploads every bundle at once (one request per client in flight). A client whose instance is
 * unreachable, draining (503) or rate-limiting (429) retries the same bytes on the next instance,
 * as a load balancer plus HttpSink would; any other refusal ends that client. `urls()` is read on
 * every attempt, so a restarted instance's new address is picked up.
 */
export async function submitAll(clients: PreparedClient[], urls: () => readonly string[], options: { maxAttempts?: number; onAck?: (acked: number) => void } = {}): Promise<void> {
  let acked = 0;
  await Promise.all(clients.map(async (client, index) => {
    client.firstSentAt = performance.now();
    for (let attempt = 0; attempt < (options.maxAttempts ?? 40); attempt += 1) {
      client.attempts = attempt + 1;
      const list = urls();
      const base = list[(index + attempt) % list.length]!;
      try {
        const response = await fetch(`${base}/sessions/${client.session.sessionId}/evidence`, {
          method: 'POST',
          headers: { authorization: `Bearer ${client.session.clientToken}`, 'content-type': 'application/jose', 'idempotency-key': client.key },
          body: new Uint8Array(client.sealed),
        });
        client.lastStatus = response.status;
        const body = (await response.json().catch(() => ({}))) as { idempotencyKey?: string };
        if ((response.status === 200 || response.status === 201) && body.idempotencyKey === client.key) {
          client.ackedAt = performance.now();
          options.onAck?.(++acked);
          return;
        }
        if (response.status !== 503 && response.status !== 429) return;
      } catch {
        client.lastStatus = 0; // connection refused or reset: the instance is restarting
      }
      await pause(Math.min(1000, 100 * (attempt + 1)));
    }
  }));
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface DatabaseCounts {
  evidence: number;
  evidenceSessions: number;
  decisions: number;
  decisionSessions: number;
  decidedSessions: number;
}

/** Counts and timings read from PostgreSQL, not from any process's memory. */
export class ClusterDatabase {
  readonly #client: pg.Client;
  private constructor(client: pg.Client) {
    this.#client = client;
  }

  static async connect(url: string): Promise<ClusterDatabase> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new ClusterDatabase(client);
  }

  async decided(sessionIds: readonly string[]): Promise<number> {
    const { rows } = await this.#client.query<{ n: number }>('SELECT count(DISTINCT session_id)::int AS n FROM verifier_decisions WHERE session_id = ANY($1)', [sessionIds]);
    return rows[0]!.n;
  }

  async counts(sessionIds: readonly string[]): Promise<DatabaseCounts> {
    const one = async (sql: string): Promise<number> => (await this.#client.query<{ n: number }>(sql, [sessionIds])).rows[0]!.n;
    return {
      evidence: await one('SELECT count(*)::int AS n FROM verifier_evidence WHERE session_id = ANY($1)'),
      evidenceSessions: await one('SELECT count(DISTINCT session_id)::int AS n FROM verifier_evidence WHERE session_id = ANY($1)'),
      decisions: await one('SELECT count(*)::int AS n FROM verifier_decisions WHERE session_id = ANY($1)'),
      decisionSessions: await one('SELECT count(DISTINCT session_id)::int AS n FROM verifier_decisions WHERE session_id = ANY($1)'),
      decidedSessions: await one(`SELECT count(*)::int AS n FROM verifier_sessions WHERE id = ANY($1) AND status <> 'received' AND status <> 'created' AND status <> 'key_bound'`),
    };
  }

  /** Seconds from the bundle's receipt (API instance clock) to its decision (worker clock), per session. */
  async intakeToDecisionSeconds(sessionIds: readonly string[]): Promise<number[]> {
    const { rows } = await this.#client.query<{ s: number }>(
      'SELECT extract(epoch FROM d.decided_at - e.received_at)::float8 AS s FROM verifier_decisions d JOIN verifier_evidence e ON e.session_id = d.session_id WHERE d.session_id = ANY($1)',
      [sessionIds],
    );
    return rows.map((row) => Number(row.s));
  }

  query<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<Row>> {
    return this.#client.query<Row>(sql, params);
  }

  close(): Promise<void> {
    return this.#client.end();
  }
}

/** Waits until `predicate` holds, polling every `everyMs`, at most `polls` times; returns whether it held. */
export async function waitFor(predicate: () => Promise<boolean>, polls: number, everyMs = 200): Promise<boolean> {
  for (let poll = 0; poll < polls; poll += 1) {
    if (await predicate()) return true;
    await pause(everyMs);
  }
  return predicate();
}

/**
 * A webhook receiver as an integrator writes one: checks the signature over the raw body (`verify`
 * throws when it does not hold), answers 2xx to accept, and dedupes by event id (a redelivery of an accepted event
 * is answered 200 again and counted apart). `failFirst(eventId)` makes the first attempt of some
 * events fail with 503, so retries are exercised.
 */
export interface WebhookReceiver {
  url: string;
  /** Accepted deliveries per event id (2xx answered to a validly signed request). */
  readonly acceptedByEvent: Map<string, number>;
  /** Distinct accepted event ids per session. */
  readonly eventsBySession: Map<string, Set<string>>;
  readonly refusedSignatures: number;
  readonly failedOnPurpose: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(verify: (body: string, header: string | undefined) => void, options: { failFirst?: (eventId: string) => boolean } = {}): Promise<WebhookReceiver> {
  const acceptedByEvent = new Map<string, number>();
  const eventsBySession = new Map<string, Set<string>>();
  const attempted = new Set<string>();
  let refusedSignatures = 0;
  let failedOnPurpose = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = request.headers['ekyc-signature'];
      try {
        verify(body, Array.isArray(header) ? header[0] : header);
      } catch {
        refusedSignatures += 1;
        response.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body) as { id: string; data: { sessionId: string } };
      const eventId = String(request.headers['ekyc-event-id'] ?? event.id);
      if (!attempted.has(eventId) && options.failFirst?.(eventId)) {
        attempted.add(eventId);
        failedOnPurpose += 1;
        response.writeHead(503).end();
        return;
      }
      attempted.add(eventId);
      acceptedByEvent.set(eventId, (acceptedByEvent.get(eventId) ?? 0) + 1);
      const set = eventsBySession.get(event.data.sessionId) ?? new Set<string>();
      set.add(eventId);
      eventsBySession.set(event.data.sessionId, set);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/hooks/ekyc`,
    acceptedByEvent, eventsBySession,
    get refusedSignatures() { return refusedSignatures; },
    get failedOnPurpose() { return failedOnPurpose; },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
