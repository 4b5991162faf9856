/**
 * Outbox-first delivery: persist, then send; keep what could not be sent and try again on
 * `flush()` (at start-up and whenever the browser comes back online). The outbox is walked one
 * entry at a time; an entry past its attempt or age cap is marked `expired`, announced by an
 * event and kept until the integrator retries or discards it.
 */
import { EkycError, sealedEvidenceId } from '@ekyc/core';
import type { EvidenceOutbox, OutboxRecord } from './outbox.ts';
import type { EvidenceSink, SinkReceipt } from './sink.ts';

export type SubmitResult = (
  | { id: string; delivered: true; receipt: SinkReceipt }
  | { id: string; delivered: false; error: EkycError }
) & {
  /** Whether the outbox holds the bytes. When false the caller holds the only copy. */
  stored: boolean;
  /** Why the outbox could not store or update the entry (`transport_outbox_unavailable`). */
  outboxError?: EkycError;
};

export interface FlushReport {
  delivered: string[];
  /** Still in the outbox, to be tried again. */
  pending: string[];
  /** Refused by the endpoint; kept with state "rejected" for the integrator to inspect or drop. */
  rejected: string[];
  /** Past the attempt or age cap by this run; kept with state "expired" (see `retry`, `discard`). */
  expired: string[];
}

export interface DeliveryLimits {
  /** Send attempts per entry (each one a full sink.send, itself retrying). Default 20. */
  maxAttempts: number;
  /** Age since queued after which an entry is no longer sent. Default 7 days (the verifier's default maxAgeMs). */
  maxAgeMs: number;
}

export const DEFAULT_DELIVERY_LIMITS: DeliveryLimits = { maxAttempts: 20, maxAgeMs: 7 * 24 * 60 * 60 * 1000 };

/** Event details; none carries the bytes or anything about the person. */
export type DeliveryEventDetail =
  | { type: 'delivered'; id: string; receipt: SinkReceipt }
  | { type: 'retry_later'; id: string; error: EkycError; attempts: number }
  | { type: 'rejected'; id: string; error: EkycError }
  | { type: 'expired'; id: string; reason: 'attempts' | 'age'; record: OutboxRecord; error: EkycError }
  | { type: 'outbox_unavailable'; id: string; error: EkycError };

export class DeliveryEvent extends Event {
  readonly detail: DeliveryEventDetail;

  constructor(detail: DeliveryEventDetail) {
    super(detail.type);
    this.detail = detail;
  }
}

const FINAL_CODES = new Set(['transport_rejected', 'evidence_too_large']);

function asEkycError(error: unknown): EkycError {
  return error instanceof EkycError ? error : new EkycError('transport_failed', 'The evidence sink failed unexpectedly.', { cause: error });
}

function expiredError(record: OutboxRecord, reason: 'attempts' | 'age', cause?: EkycError): EkycError {
  return new EkycError('transport_outbox_expired', 'The outbox stopped sending this entry: it reached its attempt or age limit.', {
    ...(cause === undefined ? {} : { cause }),
    details: { id: record.id, reason, attempts: record.attempts, lastCode: record.lastError?.code ?? null },
  });
}

function outboxUnavailable(cause: unknown, id: string): EkycError {
  return new EkycError('transport_outbox_unavailable', 'The evidence outbox could not store the bundle.', {
    cause,
    details: { id, reason: cause instanceof DOMException || cause instanceof Error ? cause.name : 'unknown' },
  });
}

export class EvidenceDelivery extends EventTarget {
  readonly #outbox: EvidenceOutbox;
  readonly #sink: EvidenceSink;
  readonly #limits: DeliveryLimits;
  readonly #now: () => Date;
  #flushing: Promise<FlushReport> | null = null;

  constructor(options: { outbox: EvidenceOutbox; sink: EvidenceSink; limits?: Partial<DeliveryLimits>; now?: () => Date }) {
    super();
    this.#outbox = options.outbox;
    this.#sink = options.sink;
    this.#limits = { ...DEFAULT_DELIVERY_LIMITS, ...options.limits };
    this.#now = options.now ?? (() => new Date());
    const { maxAttempts, maxAgeMs } = this.#limits;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new EkycError('invalid_argument', 'limits.maxAttempts must be a positive integer.');
    if (!(maxAgeMs > 0)) throw new EkycError('invalid_argument', 'limits.maxAgeMs must be positive.');
  }

  /**
   * Stores the sealed bytes durably, then tries to send them once. When the outbox cannot store
   * them (quota, private mode) the send is still tried and `stored: false` tells the caller it
   * holds the only copy. Throws only on a final refusal.
   */
  async submit(sealed: Uint8Array): Promise<SubmitResult> {
    const id = await sealedEvidenceId(sealed);
    const createdAt = this.#now().toISOString();
    let outboxError: EkycError | undefined;
    try {
      await this.#outbox.add({ id, bytes: sealed, createdAt }, this.#now());
    } catch (cause) {
      outboxError = outboxUnavailable(cause, id);
      this.#emit({ type: 'outbox_unavailable', id, error: outboxError });
    }
    const stored = outboxError === undefined;
    const outcome = await this.#attempt({ id, bytes: sealed, createdAt }, stored);
    const result: SubmitResult = { ...outcome, stored: stored && outcome.stored };
    const error = outboxError ?? outcome.outboxError;
    if (error !== undefined) result.outboxError = error;
    if (!result.delivered && FINAL_CODES.has(result.error.code)) throw result.error;
    return result;
  }

  /** Sends every pending entry, oldest first, one at a time. Concurrent calls share one run. */
  flush(): Promise<FlushReport> {
    this.#flushing ??= this.#flushAll().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /** Flushes whenever `target` fires "online"; returns an unsubscribe function. */
  flushWhenOnline(target: EventTarget = globalThis): () => void {
    const onOnline = (): void => {
      void this.flush().catch(() => undefined);
    };
    target.addEventListener('online', onOnline);
    return () => target.removeEventListener('online', onOnline);
  }

  /** Entries past their cap, oldest first (bookkeeping only, no bytes). */
  listExpired(): Promise<OutboxRecord[]> {
    return this.#outbox.list('expired');
  }

  /** Re-queues an expired (or rejected) entry with fresh caps and tries it once now. */
  async retry(id: string): Promise<SubmitResult> {
    const record = await this.#outbox.requeue(id, this.#now());
    const entry = record === undefined ? undefined : await this.#outbox.read(id);
    if (entry === undefined) throw new EkycError('invalid_argument', 'No outbox entry with this id.', { details: { id } });
    return this.#attempt(entry, true);
  }

  /** Deletes an entry for good (the integrator decided it will never be sent). */
  discard(id: string): Promise<void> {
    return this.#outbox.remove(id);
  }

  async #flushAll(): Promise<FlushReport> {
    const report: FlushReport = { delivered: [], pending: [], rejected: [], expired: [] };
    let record = await this.#outbox.next('pending');
    while (record !== undefined) {
      const current = record;
      const expiry = this.#expiry(current);
      if (expiry !== null) {
        const expired = (await this.#outbox.markExpired(current.id, expiry)) ?? current;
        report.expired.push(current.id);
        this.#emit({ type: 'expired', id: current.id, reason: expiry, record: expired, error: expiredError(expired, expiry) });
      } else {
        const entry = await this.#outbox.read(current.id);
        if (entry !== undefined) {
          const outcome = await this.#attempt(entry, true);
          if (outcome.delivered) report.delivered.push(entry.id);
          else if (FINAL_CODES.has(outcome.error.code)) report.rejected.push(entry.id);
          else if (outcome.expired) report.expired.push(entry.id);
          else report.pending.push(entry.id);
        }
      }
      record = await this.#outbox.next('pending', current);
    }
    return report;
  }

  #expiry(record: OutboxRecord): 'attempts' | 'age' | null {
    if (record.attempts >= this.#limits.maxAttempts) return 'attempts';
    if (this.#now().getTime() - Date.parse(record.queuedAt) > this.#limits.maxAgeMs) return 'age';
    return null;
  }

  async #attempt(entry: { id: string; bytes: Uint8Array; createdAt: string }, stored: boolean): Promise<SubmitResult & { expired?: boolean }> {
    let receipt: SinkReceipt;
    try {
      receipt = await this.#sink.send({ id: entry.id, bytes: entry.bytes, createdAt: entry.createdAt });
    } catch (caught) {
      const error = asEkycError(caught);
      const final = FINAL_CODES.has(error.code);
      if (!stored) return { id: entry.id, delivered: false, error, stored };
      try {
        const record = await this.#outbox.recordFailure(entry.id, error.code, final ? 'rejected' : 'pending', this.#now());
        if (final) this.#emit({ type: 'rejected', id: entry.id, error });
        else if (record !== undefined && record.attempts >= this.#limits.maxAttempts) {
          const expired = (await this.#outbox.markExpired(entry.id, 'attempts')) ?? record;
          const expiry = expiredError(expired, 'attempts', error);
          this.#emit({ type: 'expired', id: entry.id, reason: 'attempts', record: expired, error: expiry });
          return { id: entry.id, delivered: false, error: expiry, stored, expired: true };
        } else this.#emit({ type: 'retry_later', id: entry.id, error, attempts: record?.attempts ?? 0 });
      } catch (cause) {
        const outboxError = outboxUnavailable(cause, entry.id);
        this.#emit({ type: 'outbox_unavailable', id: entry.id, error: outboxError });
        return { id: entry.id, delivered: false, error, stored, outboxError };
      }
      return { id: entry.id, delivered: false, error, stored };
    }
    this.#emit({ type: 'delivered', id: entry.id, receipt });
    if (!stored) return { id: entry.id, delivered: true, receipt, stored };
    try {
      await this.#outbox.remove(entry.id);
    } catch (cause) {
      // Delivered but still in the outbox: a later flush resends it, which the idempotency key makes harmless.
      const outboxError = outboxUnavailable(cause, entry.id);
      this.#emit({ type: 'outbox_unavailable', id: entry.id, error: outboxError });
      return { id: entry.id, delivered: true, receipt, stored, outboxError };
    }
    return { id: entry.id, delivered: true, receipt, stored: false };
  }

  #emit(detail: DeliveryEventDetail): void {
    this.dispatchEvent(new DeliveryEvent(detail));
  }
}
