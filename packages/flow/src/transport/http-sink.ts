/**
 * Default evidence sink: POSTs sealed evidence to the integrator's endpoint following the
 * upload protocol in @ekyc/core (idempotency key, chunks for large bundles), retrying network
 * errors, 408/425/429 and 5xx with jittered exponential backoff. Other 4xx are final.
 */
import {
  CHUNK_MEDIA_TYPE, DEFAULT_MAX_SEALED_BYTES, EkycError, SEALED_MEDIA_TYPE, UPLOAD_HEADERS,
  formatChunkHeader, planChunks, type ChunkSpan,
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

interface Exchange {
  status: number;
  body: unknown;
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
      const result = await this.#post(evidence, evidence.bytes, { 'Content-Type': SEALED_MEDIA_TYPE }, options.signal);
      return { id: evidence.id, status: result.status, body: result.body, attempts: result.attempts };
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
        }, signal);
        attempts += last.attempts;
      }
      if (last === undefined) break;
      if (last.status !== 202) return { id: evidence.id, status: last.status, body: last.body, attempts };
      const missing = missingChunks(last.body, spans.length);
      if (missing.length === 0) {
        throw new EkycError('transport_failed', 'The endpoint acknowledged every chunk but did not complete the upload.', { details: { id: evidence.id } });
      }
      pending = spans.filter((span) => missing.includes(span.index));
    }
    throw new EkycError('transport_failed', 'The endpoint kept reporting missing chunks.', { details: { id: evidence.id, attempts } });
  }

  async #post(evidence: SealedEvidence, body: Uint8Array, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<Exchange> {
    let lastFailure: { status: number | null; cause?: unknown } = { status: null };
    for (let attempt = 1; attempt <= this.#retry.attempts; attempt += 1) {
      let response: Response;
      try {
        const timeout = AbortSignal.timeout(this.#requestTimeoutMs);
        response = await this.#fetch(this.#endpoint, {
          method: 'POST',
          headers: { ...this.#headers, ...headers, [UPLOAD_HEADERS.idempotencyKey]: evidence.id },
          body: new Uint8Array(body),
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
      if (status >= 200 && status < 300) return { status, body: responseBody, attempts: attempt };
      if (status === 413) {
        throw new EkycError('evidence_too_large', 'The endpoint refused the evidence as too large.', { details: { id: evidence.id, status } });
      }
      if (!isRetryable(status)) {
        throw new EkycError('transport_rejected', 'The endpoint refused the evidence.', { details: { id: evidence.id, status } });
      }
      lastFailure = { status };
      if (attempt < this.#retry.attempts) {
        const jittered = backoffDelayMs(attempt - 1, this.#retry, this.#random);
        const retryAfter = parseRetryAfterMs(response.headers.get('Retry-After'));
        await this.#sleep(Math.min(this.#retry.maxDelayMs, Math.max(jittered, retryAfter ?? 0)), signal);
      }
    }
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

function missingChunks(body: unknown, count: number): number[] {
  const missing = (body as { missing?: unknown } | null)?.missing;
  if (!Array.isArray(missing)) return Array.from({ length: count }, (_, index) => index);
  return missing.filter((value): value is number => Number.isInteger(value) && value >= 0 && value < count);
}
