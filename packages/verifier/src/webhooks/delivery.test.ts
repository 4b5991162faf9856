/**
 * Webhook delivery to a real loopback HTTP receiver (PGlite and PostgreSQL), on a clock the test
 * moves: signatures under each active secret, retries with backoff, acceptance counted by event id,
 * nothing for a rolled-back decision, SSRF refusals, and concurrent dispatchers on one table.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EkycError, generateNonce } from '@ekyc/core';
import { openDatabase, type Database } from '../db/driver.ts';
import { migrate } from '../db/migrate.ts';
import { DEFAULT_SESSION_CONFIG } from '../session-config.ts';
import { SessionStore } from '../storage/session-store.ts';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { WebhookDispatcher, backoffSeconds, targetOf, type WebhookSettings } from './delivery.ts';
import { enqueueDecisionEvent } from './outbox.ts';
import { verifyWebhookSignature } from './signature.ts';
import { parseAllowList } from './target.ts';

interface Received {
  eventId: string;
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver as an integrator would write it: answers from a script of statuses, counts acceptances by event id. */
class Receiver {
  readonly requests: Received[] = [];
  readonly acceptedById = new Map<string, number>();
  statuses: number[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const status = this.statuses.shift() ?? 200;
        const eventId = String(request.headers['ekyc-event-id']);
        this.requests.push({ eventId, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), answered: status });
        if (status >= 200 && status < 300) this.acceptedById.set(eventId, (this.acceptedById.get(eventId) ?? 0) + 1);
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/ekyc`;
  }

  reset(): void {
    this.requests.length = 0;
    this.acceptedById.clear();
    this.statuses = [];
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const SECRET_NEW = 'whsec_new_0123456789abcdefghijklmnopqrstuv';
const SECRET_OLD = 'whsec_old_0123456789abcdefghijklmnopqrstuv';

describe.each(['pglite', 'postgres'] as const)('webhook delivery on %s', (kind) => {
  const skip = kind === 'postgres' && !postgresAvailable();
  let pgServer: TestPostgres | null = null;
  let db: Database;
  let store: SessionStore;
  const receiver = new Receiver();
  let clock = new Date('2026-03-01T12:00:00.000Z');
  const now = (): Date => clock;
  const advance = (seconds: number): void => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };

  const settings = (overrides: Partial<WebhookSettings> = {}): WebhookSettings => ({
    targets: [targetOf(new URL(receiver.url))],
    secrets: [SECRET_NEW, SECRET_OLD],
    allow: parseAllowList('127.0.0.1/32,::1/128'),
    maxAttempts: 5,
    retryBaseSeconds: 10,
    maxDelaySeconds: 3600,
    timeoutMs: 5000,
    ...overrides,
  });
  const dispatcher = (overrides: Partial<WebhookSettings> = {}) => new WebhookDispatcher(db, settings(overrides), { now, jitter: 0 });

  beforeAll(async () => {
    if (skip) return;
    await receiver.start();
    if (kind === 'postgres') pgServer = await startTestPostgres();
    db = await openDatabase(pgServer?.url ?? 'memory:');
    await migrate(db);
    store = new SessionStore(db);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await pgServer?.stop();
    await receiver.stop();
  });
  beforeEach(async () => {
    if (skip) return;
    receiver.reset();
    // Each test sees only its own events.
    await db.query('DELETE FROM verifier_webhook_outbox');
  });
  afterEach(() => {
    advance(3600);
  });

  const decide = async (reference: string | null = 'order-1'): Promise<string> => {
    const id = `ses_wh_${Math.random().toString(36).slice(2, 12)}`;
    await store.createSession({ id, nonce: generateNonce(), createdAt: clock, expiresAt: new Date(clock.getTime() + 600_000), config: DEFAULT_SESSION_CONFIG, integratorReference: reference });
    expect(await store.saveDecision({ sessionId: id, decidedAt: clock, outcome: 'approve', score: 91, reasonCodes: [], record: {} }, null)).toBe(true);
    return id;
  };

  it.skipIf(skip)('delivers a decision once, signed under each active secret, with its event id', async () => {
    const sessionId = await decide();
    const pass = await dispatcher().deliverDue();
    expect(pass).toEqual({ claimed: 1, delivered: 1, retried: 0, failed: 0 });
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    const body = JSON.parse(request!.body) as { id: string; data: { sessionId: string; outcome: string; decidedBy: string; integratorReference: string } };
    expect(body.id).toBe(request!.eventId);
    expect(body.data).toMatchObject({ sessionId, outcome: 'approve', decidedBy: 'automatic', integratorReference: 'order-1' });
    const header = String(request!.headers['ekyc-signature']);
    expect(header.match(/v1=/g)).toHaveLength(2);
    const nowSeconds = Math.floor(clock.getTime() / 1000);
    // A receiver holding only one of the secrets (before or after its rotation) accepts.
    for (const secret of [SECRET_NEW, SECRET_OLD]) {
      expect(verifyWebhookSignature({ body: request!.body, header, secrets: [secret], now: nowSeconds })).toEqual({ timestamp: nowSeconds });
    }
    expect(() => verifyWebhookSignature({ body: request!.body, header, secrets: ['whsec_someone_else_0123456789abcdefghijkl'], now: nowSeconds })).toThrow(EkycError);
    // Nothing is due any more: a second pass sends nothing.
    advance(86_400);
    expect(await dispatcher().deliverDue()).toEqual({ claimed: 0, delivered: 0, retried: 0, failed: 0 });
    expect(receiver.requests).toHaveLength(1);
  });

  it.skipIf(skip)('retries a failing receiver with exponential backoff until it accepts, and the receiver accepts the event once', async () => {
    await decide();
    receiver.statuses = [500, 503, 502, 200];
    const hooks = dispatcher();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(await hooks.deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
      const row = (await db.query<{ next_attempt_at: Date; attempts: number; last_status: number }>('SELECT next_attempt_at, attempts, last_status FROM verifier_webhook_outbox')).rows[0]!;
      expect(row.attempts).toBe(attempt);
      delays.push((new Date(row.next_attempt_at).getTime() - clock.getTime()) / 1000);
      // Not due yet one second before the backoff ends: nothing is sent.
      advance(delays.at(-1)! - 1);
      expect((await hooks.deliverDue()).claimed).toBe(0);
      advance(1);
    }
    expect(delays).toEqual([backoffSeconds(1, settings()), backoffSeconds(2, settings()), backoffSeconds(3, settings())]);
    expect(delays).toEqual([10, 20, 40]);
    expect(await hooks.deliverDue()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(receiver.requests.map((request) => request.answered)).toEqual([500, 503, 502, 200]);
    expect(new Set(receiver.requests.map((request) => request.eventId)).size).toBe(1);
    expect(receiver.requests.map((request) => request.headers['ekyc-delivery-attempt'])).toEqual(['1', '2', '3', '4']);
    expect([...receiver.acceptedById.values()]).toEqual([1]);
    advance(86_400);
    expect((await hooks.deliverDue()).claimed).toBe(0);
    expect(receiver.requests).toHaveLength(4);
  });

  it.skipIf(skip)('gives up after the attempt limit and keeps the event, marked failed', async () => {
    await decide();
    receiver.statuses = [500, 500];
    const hooks = dispatcher({ maxAttempts: 2 });
    expect(await hooks.deliverDue()).toMatchObject({ retried: 1 });
    advance(10);
    expect(await hooks.deliverDue()).toMatchObject({ failed: 1 });
    advance(86_400);
    expect((await hooks.deliverDue()).claimed).toBe(0);
    const row = (await db.query<{ failed_at: Date | null; delivered_at: Date | null; last_error: string }>('SELECT failed_at, delivered_at, last_error FROM verifier_webhook_outbox')).rows[0]!;
    expect(row.failed_at).not.toBeNull();
    expect(row.delivered_at).toBeNull();
    expect(row.last_error).toBe('http_500');
  });

  it.skipIf(skip)('sends nothing for a decision whose transaction rolled back', async () => {
    const id = `ses_wh_rb_${Math.random().toString(36).slice(2, 10)}`;
    await store.createSession({ id, nonce: generateNonce(), createdAt: clock, expiresAt: new Date(clock.getTime() + 600_000), config: DEFAULT_SESSION_CONFIG, integratorReference: null });
    await expect(db.transaction(async (tx) => {
      await tx.query(`INSERT INTO verifier_decisions (session_id, decided_at, outcome, score, reason_codes, record) VALUES ($1, $2, 'reject', 10, '[]', '{}')`, [id, clock]);
      await enqueueDecisionEvent(tx, { sessionId: id, outcome: 'reject', decidedBy: 'reviewer', decidedAt: clock, integratorReference: null });
      throw new Error('rolled back after the event was written');
    })).rejects.toThrow('rolled back');
    expect(await dispatcher().deliverDue()).toEqual({ claimed: 0, delivered: 0, retried: 0, failed: 0 });
    expect(receiver.requests).toEqual([]);
    expect(await store.getDecision(id)).toBeNull();
  });

  it.skipIf(skip)('does not resend to a target that accepted while another target keeps failing', async () => {
    await decide();
    const refused = targetOf(new URL('http://127.0.0.1:9/closed'));
    const hooks = dispatcher({ targets: [targetOf(new URL(receiver.url)), refused] });
    expect(await hooks.deliverDue()).toMatchObject({ retried: 1 });
    advance(10);
    expect(await hooks.deliverDue()).toMatchObject({ retried: 1 });
    expect(receiver.requests).toHaveLength(1);
    const row = (await db.query<{ last_error: string }>('SELECT last_error FROM verifier_webhook_outbox')).rows[0]!;
    expect(row.last_error).toBe('ECONNREFUSED');
  });

  it.skipIf(skip)('gives up on a receiver that never answers within the timeout, and retries it', async () => {
    await decide();
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const hooks = dispatcher({ targets: [targetOf(new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`))], timeoutMs: 300 });
      expect(await hooks.deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
      const row = (await db.query<{ last_error: string; attempts: number }>('SELECT last_error, attempts FROM verifier_webhook_outbox')).rows[0]!;
      expect(row).toEqual({ last_error: 'timeout', attempts: 1 });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it.skipIf(skip)('refuses a loopback target outside the allow-list at delivery: nothing reaches it', async () => {
    await decide();
    expect(await dispatcher({ allow: [] }).deliverDue()).toMatchObject({ retried: 1 });
    expect(receiver.requests).toEqual([]);
    const row = (await db.query<{ last_error: string }>('SELECT last_error FROM verifier_webhook_outbox')).rows[0]!;
    expect(row.last_error).toBe('webhook_target_refused:address');
  });

  it.skipIf(skip)('connects to the address it checked, never resolving the name again (DNS rebinding)', async () => {
    await decide();
    const port = new URL(receiver.url).port;
    let lookups = 0;
    // The name answers a checked (allow-listed) address once; anything after that would be the rebinding.
    const resolve = async () => (lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.1', family: 4 }]);
    const hooks = new WebhookDispatcher(db, settings({ targets: [targetOf(new URL(`http://hooks.integrator.test:${port}/hooks/ekyc`))] }), { now, jitter: 0, resolve });
    expect(await hooks.deliverDue()).toMatchObject({ delivered: 1 });
    expect(lookups).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers.host).toBe(`hooks.integrator.test:${port}`);
  });

  it.skipIf(skip || kind === 'pglite')('two dispatchers polling one table deliver each of 20 events exactly once', async () => {
    for (let index = 0; index < 20; index += 1) await decide(`order-${index}`);
    const a = dispatcher();
    const b = dispatcher();
    const passes = await Promise.all([a.deliverDue(), b.deliverDue(), a.deliverDue(), b.deliverDue()]);
    expect(passes.reduce((sum, pass) => sum + pass.delivered, 0)).toBe(20);
    expect(receiver.requests).toHaveLength(20);
    expect(receiver.acceptedById.size).toBe(20);
    expect([...receiver.acceptedById.values()].every((count) => count === 1)).toBe(true);
    expect((await db.query<{ n: string }>('SELECT count(*) AS n FROM verifier_webhook_deliveries d JOIN verifier_webhook_outbox o USING (event_id)')).rows[0]!.n).toBe('20');
  });
});
