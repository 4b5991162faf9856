/**
 * Default evidence sink: POSTs sealed evidence to the integrator's endpoint following the
 * upload protocol in @ekyc/core (idempotency key, chunks for large bundles; docs/evidence.md).
 * Delivery counts only on the verifier's acknowledgement echoing the key; redirects are never
 * followed (a captive portal's 200 page must not count). Network errors, redirects, 408/425/429,
 * 5xx and unacknowledged answers are retried with jittered exponential backoff; other 4xx are final.
 */
import {
  ACK_STATUSES, CHUNK_MEDIA_TYPE, DEFAULT_MAX_SEALED_BYTES, EkycError, PARTIAL_STATUS, SEALED_MEDIA_TYPE, UPLOAD_HEADERS,
  formatChunkHeader, parseEvidenceAck, parseEvidenceErrorCode, parseEvidencePartial, planChunks, rangesContain,
  type ChunkSpan, type EvidenceAck, type IndexRange,
} from '@ekyc/core';
import { DEFAULT_BACKOFF, backoffDelayMs, parseRetryAfterMs, sleep, type BackoffPolicy } from './backoff.ts';
import type { EvidenceSink, SealedEvidence, SinkReceipt } from './sink.ts';

export interface HttpSinkOptions {
  endpoint: string | URL;
  /** Extra headers, e.g. an integrator's session token. Never put personal data here. */
  headers?: Record<string, string>;
  maxBytes?: number;
  /** Bundles above this go in chunks of this size. */
  chunkBytes?: number;
  retry?: Partial<BackoffPolicy>;
  requestTimeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** Injection points for tests. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const RETRYABLE_STATUS = new Set([408, 425, 429]);
const isRetryable = (status: number): boolean => RETRYABLE_STATUS.has(status) || status >= 500;

type Answer = { kind: 'ack'; ack: EvidenceAck } | { kind: 'partial'; missing: IndexRange[] };

interface Exchange {
  status: number;
  body: unknown;
  answer: Answer;
  attempts: number;
}

export class HttpSink implements EvidenceSink {
  readonly #endpoint: string;
  readonly #headers: Record<string, string>;
  readonly #maxBytes: number;
  readonly #chunkBytes: number;
  readonly #retry: BackoffPolicy;
  readonly #requestTimeoutMs: number;
  readonly #fetch: typeof globalThis.fetch;
  readonly #random: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: HttpSinkOptions) {
    this.#endpoint = String(options.endpoint);
    this.#headers = { ...options.headers };
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_SEALED_BYTES;
    this.#chunkBytes = options.chunkBytes ?? 1024 * 1024;
    this.#retry = { ...DEFAULT_BACKOFF, ...options.retry };
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? sleep;
    if (!Number.isInteger(this.#chunkBytes) || this.#chunkBytes <= 0) throw new EkycError('invalid_argument', 'chunkBytes must be a positive integer.');
    if (this.#retry.attempts < 1) throw new EkycError('invalid_argument', 'retry.attempts must be at least 1.');
  }

  async send(evidence: SealedEvidence, options: { signal?: AbortSignal } = {}): Promise<SinkReceipt> {
    const total = evidence.bytes.byteLength;
    if (total > this.#maxBytes) {
      throw new EkycError('evidence_too_large', 'The evidence bundle exceeds the size limit.', { details: { bytes: total, maxBytes: this.#maxBytes } });
    }
    if (total <= this.#chunkBytes) {
      const result = await this.#post(evidence, evidence.bytes, { 'Content-Type': SEALED_MEDIA_TYPE }, 1, options.signal);
      if (result.answer.kind !== 'ack') throw notAcknowledged(evidence.id, result.status, result.attempts);
      return { id: evidence.id, status: result.status, body: result.body, ack: result.answer.ack, attempts: result.attempts };
    }
    return this.#sendChunked(evidence, options.signal);
  }

  async #sendChunked(evidence: SealedEvidence, signal: AbortSignal | undefined): Promise<SinkReceipt> {
    const spans = planChunks(evidence.bytes.byteLength, this.#chunkBytes);
    let pending: ChunkSpan[] = spans;
    let attempts = 0;
    // Each round sends what the endpoint reports missing; a healthy endpoint needs one round.
    for (let round = 0; round < this.#retry.attempts; round += 1) {
      let last: Exchange | undefined;
      for (const span of pending) {
        last = await this.#post(evidence, evidence.bytes.subarray(span.start, span.end), {
          'Content-Type': CHUNK_MEDIA_TYPE,
          [UPLOAD_HEADERS.chunk]: formatChunkHeader(span.index, spans.length),
          [UPLOAD_HEADERS.totalBytes]: String(evidence.bytes.byteLength),
        }, spans.length, signal);
        attempts += last.attempts;
        // The endpoint may hold every byte before this round ends (chunks it kept from earlier).
        if (last.answer.kind === 'ack') return { id: evidence.id, status: last.status, body: last.body, ack: last.answer.ack, attempts };
      }
      if (last === undefined || last.answer.kind !== 'partial') break;
      const { missing } = last.answer;
      pending = spans.filter((span) => rangesContain(missing, span.index));
    }
    throw new EkycError('transport_not_acknowledged', 'The endpoint kept reporting missing chunks.', { details: { id: evidence.id, attempts } });
  }

  /** One request, repeated until it gets an acknowledgement or (for chunks) a partial answer. */
  async #post(evidence: SealedEvidence, body: Uint8Array, headers: Record<string, string>, chunkCount: number, signal: AbortSignal | undefined): Promise<Exchange> {
    let lastFailure: { status: number | null; cause?: unknown; unacknowledged?: boolean } = { status: null };
    for (let attempt = 1; attempt <= this.#retry.attempts; attempt += 1) {
      let response: Response;
      try {
        const timeout = AbortSignal.timeout(this.#requestTimeoutMs);
        response = await this.#fetch(this.#endpoint, {
          method: 'POST',
          headers: { ...this.#headers, ...headers, [UPLOAD_HEADERS.idempotencyKey]: evidence.id },
          body: new Uint8Array(body),
          redirect: 'error',
          signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
        });
      } catch (cause) {
        if (signal?.aborted) throw new EkycError('transport_failed', 'Evidence upload was aborted.', { cause, details: { id: evidence.id } });
        lastFailure = { status: null, cause };
        if (attempt < this.#retry.attempts) await this.#sleep(backoffDelayMs(attempt - 1, this.#retry, this.#random), signal);
        continue;
      }
      const status = response.status;
      const responseBody = await readBody(response);
      const answer = readAnswer(status, responseBody, evidence.id, chunkCount);
      if (answer !== null) return { status, body: responseBody, answer, attempts: attempt };
      const code = parseEvidenceErrorCode(responseBody);
      if (status === 413) {
        throw new EkycError('evidence_too_large', 'The endpoint refused the evidence as too large.', { details: { id: evidence.id, status, ...(code === null ? {} : { code }) } });
      }
      // 2xx/3xx without an acknowledgement (a portal page, a proxy, a misconfigured endpoint) and
      // opaque redirects (status 0) are retried, never counted as delivered.
      const unacknowledged = status < 400;
      if (!unacknowledged && !isRetryable(status)) {
        throw new EkycError('transport_rejected', 'The endpoint refused the evidence.', { details: { id: evidence.id, status, ...(code === null ? {} : { code }) } });
      }
      lastFailure = { status, unacknowledged };
      if (attempt < this.#retry.attempts) {
        const jittered = backoffDelayMs(attempt - 1, this.#retry, this.#random);
        const retryAfter = parseRetryAfterMs(response.headers.get('Retry-After'));
        await this.#sleep(Math.min(this.#retry.maxDelayMs, Math.max(jittered, retryAfter ?? 0)), signal);
      }
    }
    if (lastFailure.unacknowledged === true) throw notAcknowledged(evidence.id, lastFailure.status, this.#retry.attempts);
    throw new EkycError('transport_failed', 'The evidence could not be delivered.', {
      cause: lastFailure.cause,
      details: { id: evidence.id, attempts: this.#retry.attempts, lastStatus: lastFailure.status },
    });
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '' || !(response.headers.get('Content-Type') ?? '').includes('json')) return text === '' ? null : text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function readAnswer(status: number, body: unknown, key: string, chunkCount: number): Answer | null {
  if (ACK_STATUSES.includes(status)) {
    const ack = parseEvidenceAck(body, key);
    return ack === null ? null : { kind: 'ack', ack };
  }
  if (status === PARTIAL_STATUS && chunkCount > 1) {
    const missing = parseEvidencePartial(body, key, chunkCount);
    return missing === null ? null : { kind: 'partial', missing };
  }
  return null;
}

function notAcknowledged(id: string, status: number | null, attempts: number): EkycError {
  return new EkycError('transport_not_acknowledged', 'The endpoint did not acknowledge the evidence.', { details: { id, lastStatus: status, attempts } });
}
