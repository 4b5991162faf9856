/**
 * Delivers outbox rows (docs/verifier-webhooks.md). A polling worker rather than a pg-boss job:
 * the row written by `enqueueDecisionEvent` already is the job (any transaction client can write
 * it, the reviewer's included, without a queue handle), and per-target acceptance, attempts and
 * the failed state stay in plain SQL for operators. Several workers poll together: a claim is
 * `FOR UPDATE SKIP LOCKED` plus a lease (`next_attempt_at` pushed past the request timeouts), so
 * a worker that dies mid-delivery releases its rows when the lease runs out.
 *
 * Delivery is at least once, per target: every attempt carries the same `Ekyc-Event-Id`, and a
 * target that answered 2xx is never sent the event again. A crash between a 2xx and its record
 * can repeat a delivery; the event id is what a receiver deduplicates on.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { EkycError } from '@ekyc/core';
import type { Database } from '../db/driver.ts';
import { postToTarget } from './post.ts';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from './signature.ts';
import { resolveTarget, type AllowList, type Resolver } from './target.ts';

export interface WebhookTarget {
  /** Stable id of the URL (hash), stored per accepted delivery; the URL itself is not stored. */
  id: string;
  url: URL;
}

export const targetOf = (url: URL): WebhookTarget => ({ id: createHash('sha256').update(url.href).digest('hex').slice(0, 16), url });

export interface WebhookSettings {
  targets: readonly WebhookTarget[];
  /** Active signing secrets: each delivery carries one v1 per secret. */
  secrets: readonly string[];
  allow: AllowList;
  /** Attempts per event before it is marked failed (kept for an operator). */
  maxAttempts: number;
  /** Delay after the first failure; doubled after each further one, up to maxDelaySeconds. */
  retryBaseSeconds: number;
  maxDelaySeconds: number;
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_RETRY = { maxAttempts: 15, retryBaseSeconds: 10, maxDelaySeconds: 3600, timeoutMs: 10_000 } as const;

/** Seconds to wait after failed attempt number `attempt` (1-based): base * 2^(attempt-1), capped. */
export function backoffSeconds(attempt: number, settings: Pick<WebhookSettings, 'retryBaseSeconds' | 'maxDelaySeconds'>): number {
  return Math.min(settings.maxDelaySeconds, settings.retryBaseSeconds * 2 ** Math.max(0, attempt - 1));
}

export interface DeliveryPass {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
}

interface ClaimedRow {
  event_id: string;
  event_type: string;
  session_id: string;
  payload: unknown;
  attempts: number;
}

export interface WebhookDispatcherOptions {
  now?: () => Date;
  logger?: Logger;
  resolve?: Resolver;
  /** Rows claimed per pass. */
  batch?: number;
  /** Up to this fraction of the backoff is added at random, so failing receivers are not hit in lockstep (default 0.1). */
  jitter?: number;
}

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly db: Database, private readonly settings: WebhookSettings, private readonly options: WebhookDispatcherOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  /** One pass: claims due events and attempts each once. */
  async deliverDue(): Promise<DeliveryPass> {
    const pass: DeliveryPass = { claimed: 0, delivered: 0, retried: 0, failed: 0 };
    if (this.settings.targets.length === 0) return pass;
    const now = this.now();
    const leaseMs = this.settings.targets.length * (this.settings.timeoutMs + 5_000) + 30_000;
    const claimed = await this.db.query<ClaimedRow>(
      `UPDATE verifier_webhook_outbox SET next_attempt_at = $2, attempts = attempts + 1
       WHERE event_id IN (
         SELECT event_id FROM verifier_webhook_outbox
         WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
         ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING event_id, event_type, session_id, payload, attempts`,
      [now, new Date(now.getTime() + leaseMs), this.options.batch ?? 16],
    );
    pass.claimed = claimed.rows.length;
    // The claimed events are attempted side by side: one slow receiver answer does not hold the batch.
    for (const result of await Promise.all(claimed.rows.map((row) => this.attempt(row)))) pass[result] += 1;
    return pass;
  }

  private async attempt(row: ClaimedRow): Promise<'delivered' | 'retried' | 'failed'> {
    const accepted = new Set((await this.db.query<{ target_id: string }>(
      'SELECT target_id FROM verifier_webhook_deliveries WHERE event_id = $1', [row.event_id],
    )).rows.map((entry) => entry.target_id));
    const body = JSON.stringify(row.payload);
    let lastStatus: number | null = null;
    let lastError: string | null = null;
    for (const target of this.settings.targets) {
      if (accepted.has(target.id)) continue;
      const outcome = await this.postOne(target, row, body);
      lastStatus = outcome.status;
      if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) {
        await this.db.query(
          `INSERT INTO verifier_webhook_deliveries (event_id, target_id, accepted_at, status) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [row.event_id, target.id, this.now(), outcome.status],
        );
        accepted.add(target.id);
      } else {
        lastError = outcome.error ?? `http_${outcome.status}`;
        this.options.logger?.warn({ eventId: row.event_id, sessionId: row.session_id, target: target.id, attempt: row.attempts, status: outcome.status, error: outcome.error }, 'webhook delivery failed');
      }
    }
    const now = this.now();
    if (this.settings.targets.every((target) => accepted.has(target.id))) {
      await this.db.query(`UPDATE verifier_webhook_outbox SET delivered_at = $2, last_status = $3, last_error = NULL WHERE event_id = $1`, [row.event_id, now, lastStatus]);
      this.options.logger?.info({ eventId: row.event_id, sessionId: row.session_id, attempt: row.attempts }, 'webhook delivered');
      return 'delivered';
    }
    if (row.attempts >= this.settings.maxAttempts) {
      await this.db.query(`UPDATE verifier_webhook_outbox SET failed_at = $2, last_status = $3, last_error = $4 WHERE event_id = $1`, [row.event_id, now, lastStatus, lastError]);
      this.options.logger?.error({ eventId: row.event_id, sessionId: row.session_id, attempts: row.attempts }, 'webhook gave up');
      return 'failed';
    }
    const delay = backoffSeconds(row.attempts, this.settings) * (1 + Math.random() * (this.options.jitter ?? 0.1));
    await this.db.query(
      `UPDATE verifier_webhook_outbox SET next_attempt_at = $2, last_status = $3, last_error = $4 WHERE event_id = $1`,
      [row.event_id, new Date(now.getTime() + Math.round(delay * 1000)), lastStatus, lastError],
    );
    return 'retried';
  }

  private async postOne(target: WebhookTarget, row: ClaimedRow, body: string): Promise<{ status: number | null; error?: string }> {
    try {
      const resolved = await resolveTarget(target.url, this.settings.allow, this.options.resolve);
      const timestamp = Math.floor(this.now().getTime() / 1000);
      return await postToTarget(resolved, body, {
        [EVENT_ID_HEADER]: row.event_id,
        'Ekyc-Event-Type': row.event_type,
        'Ekyc-Delivery-Attempt': String(row.attempts),
        [SIGNATURE_HEADER]: signWebhook(body, this.settings.secrets, timestamp),
        'User-Agent': 'ekyc-verifier-webhooks/1',
      }, this.settings.timeoutMs);
    } catch (error) {
      if (error instanceof EkycError) return { status: null, error: `${error.code}:${String(error.details?.reason ?? '')}` };
      throw error;
    }
  }

  /** Polls every `intervalMs` until stopped; a pass runs only when the previous one finished. */
  start(intervalMs = 1000): void {
    if (this.timer !== null) return;
    const tick = (): void => {
      this.running = this.drain().catch((error: unknown) => {
        this.options.logger?.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'webhook pass failed');
      }).finally(() => {
        if (this.timer !== null) this.timer = setTimeout(tick, intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Passes back to back while batches come back full. */
  private async drain(): Promise<void> {
    const batch = this.options.batch ?? 16;
    for (;;) {
      const pass = await this.deliverDue();
      if (pass.claimed < batch) return;
    }
  }

  /** Stops polling and waits for the pass in flight (graceful shutdown). */
  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
