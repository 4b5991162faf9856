/**
 * Outbox-first delivery: persist, then send; keep what could not be sent and try again on
 * `flush()` (at start-up and whenever the browser comes back online).
 */
import { EkycError, sealedEvidenceId } from '@ekyc/core';
import type { EvidenceOutbox } from './outbox.ts';
import type { EvidenceSink, SinkReceipt } from './sink.ts';

export type SubmitResult =
  | { id: string; delivered: true; receipt: SinkReceipt }
  | { id: string; delivered: false; error: EkycError };

export interface FlushReport {
  delivered: string[];
  /** Still in the outbox, to be tried again. */
  pending: string[];
  /** Refused by the endpoint; kept with state "rejected" for the integrator to inspect or drop. */
  rejected: string[];
}

const FINAL_CODES = new Set(['transport_rejected', 'evidence_too_large']);

function asEkycError(error: unknown): EkycError {
  return error instanceof EkycError ? error : new EkycError('transport_failed', 'The evidence sink failed unexpectedly.', { cause: error });
}

export class EvidenceDelivery {
  readonly #outbox: EvidenceOutbox;
  readonly #sink: EvidenceSink;
  #flushing: Promise<FlushReport> | null = null;

  constructor(options: { outbox: EvidenceOutbox; sink: EvidenceSink }) {
    this.#outbox = options.outbox;
    this.#sink = options.sink;
  }

  /** Stores the sealed bytes durably, then tries to send them once. Throws only on a final refusal. */
  async submit(sealed: Uint8Array): Promise<SubmitResult> {
    const id = await sealedEvidenceId(sealed);
    const entry = await this.#outbox.add({ id, bytes: sealed, createdAt: new Date().toISOString() });
    const outcome = await this.#attempt(entry);
    if (outcome.delivered) return outcome;
    if (FINAL_CODES.has(outcome.error.code)) throw outcome.error;
    return outcome;
  }

  /** Sends every pending entry, oldest first. Concurrent calls share one run. */
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

  async #flushAll(): Promise<FlushReport> {
    const report: FlushReport = { delivered: [], pending: [], rejected: [] };
    for (const entry of await this.#outbox.list('pending')) {
      const outcome = await this.#attempt(entry);
      if (outcome.delivered) report.delivered.push(entry.id);
      else if (FINAL_CODES.has(outcome.error.code)) report.rejected.push(entry.id);
      else report.pending.push(entry.id);
    }
    return report;
  }

  async #attempt(entry: { id: string; bytes: Uint8Array; createdAt: string }): Promise<SubmitResult> {
    try {
      const receipt = await this.#sink.send({ id: entry.id, bytes: entry.bytes, createdAt: entry.createdAt });
      await this.#outbox.remove(entry.id);
      return { id: entry.id, delivered: true, receipt };
    } catch (caught) {
      const error = asEkycError(caught);
      await this.#outbox.recordFailure(entry.id, error.code, FINAL_CODES.has(error.code) ? 'rejected' : 'pending');
      return { id: entry.id, delivered: false, error };
    }
  }
}
