/**
 * The HTTP upload protocol shared by the browser HttpSink (@ekyc/flow) and a verifier endpoint
 * (specified in docs/evidence.md, "Upload protocol").
 *
 * Every request is `POST <endpoint>` with `Idempotency-Key: <sha256 hex of the sealed bytes>`.
 * A bundle up to one chunk goes in one request (`Content-Type: application/jose`). A larger one
 * goes as numbered chunks (`Content-Type: application/octet-stream`) with `Evidence-Chunk:
 * <index>/<count>` and `Evidence-Total-Bytes`. The endpoint answers 202 with an
 * `ekyc.evidence.partial` body while chunks are missing, and 200/201 with an `ekyc.evidence.ack`
 * body echoing the key once it holds every byte. Only that acknowledgement counts as delivery:
 * any other answer, a redirect included, leaves the bundle in the outbox.
 */
import { z } from 'zod';
import { EkycError, isEkycErrorCode, type EkycErrorCode } from '../errors.ts';
import { sha256HexOf } from './canonical.ts';

export const UPLOAD_HEADERS = {
  idempotencyKey: 'Idempotency-Key',
  chunk: 'Evidence-Chunk',
  totalBytes: 'Evidence-Total-Bytes',
} as const;

export const SEALED_MEDIA_TYPE = 'application/jose';
export const CHUNK_MEDIA_TYPE = 'application/octet-stream';

export const UPLOAD_PROTOCOL_VERSION = 1;
export const EVIDENCE_ACK_TYPE = 'ekyc.evidence.ack';
export const EVIDENCE_PARTIAL_TYPE = 'ekyc.evidence.partial';
export const EVIDENCE_ERROR_TYPE = 'ekyc.evidence.error';
/** HTTP statuses that may carry an acknowledgement (201 on first receipt, 200 for a repeat). */
export const ACK_STATUSES: readonly number[] = [200, 201];
export const PARTIAL_STATUS = 202;
/** Largest chunk count the protocol allows (`Evidence-Chunk` carries at most 6 digits). */
export const MAX_CHUNK_COUNT = 999_999;

/** The idempotency key and outbox id of sealed evidence: its SHA-256, revealing nothing else. */
export function sealedEvidenceId(sealed: Uint8Array): Promise<string> {
  return sha256HexOf(new Uint8Array(sealed));
}

const idempotencyKeySchema = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');

export function isIdempotencyKey(value: unknown): value is string {
  return idempotencyKeySchema.safeParse(value).success;
}

// --- Answers -----------------------------------------------------------------------------------

/**
 * The verifier's acknowledgement: it holds every byte of the bundle whose SHA-256 is
 * `idempotencyKey` (durably; what it does next, e.g. verification, is its own business).
 * Unknown members are ignored so a verifier may add its own.
 */
export const evidenceAckSchema = z.object({
  type: z.literal(EVIDENCE_ACK_TYPE),
  version: z.literal(UPLOAD_PROTOCOL_VERSION),
  idempotencyKey: idempotencyKeySchema,
  receivedAt: z.iso.datetime({ offset: false }),
  sessionId: z.string().min(1).max(128).optional(),
});
export type EvidenceAck = z.infer<typeof evidenceAckSchema>;

/** A half-open range of chunk indexes, `[start, end)`. */
export type IndexRange = [start: number, end: number];

/** The answer while chunks are missing; `missing` is sorted, non-overlapping, non-adjacent. */
export const evidencePartialSchema = z.object({
  type: z.literal(EVIDENCE_PARTIAL_TYPE),
  version: z.literal(UPLOAD_PROTOCOL_VERSION),
  idempotencyKey: idempotencyKeySchema,
  missing: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().positive()])).min(1).max(Math.ceil(MAX_CHUNK_COUNT / 2)),
});
export type EvidencePartial = z.infer<typeof evidencePartialSchema>;

/** Optional body of a refusal (4xx/5xx): the EkycError code, never a message. */
export const evidenceErrorSchema = z.object({
  type: z.literal(EVIDENCE_ERROR_TYPE),
  version: z.literal(UPLOAD_PROTOCOL_VERSION),
  code: z.string().max(64),
});
export type EvidenceErrorAnswer = { type: typeof EVIDENCE_ERROR_TYPE; version: typeof UPLOAD_PROTOCOL_VERSION; code: EkycErrorCode };

export function evidenceAck(idempotencyKey: string, options: { receivedAt?: Date; sessionId?: string } = {}): EvidenceAck {
  if (!isIdempotencyKey(idempotencyKey)) throw new EkycError('invalid_argument', 'An idempotency key is 64 lower-case hex characters.');
  const ack: EvidenceAck = { type: EVIDENCE_ACK_TYPE, version: UPLOAD_PROTOCOL_VERSION, idempotencyKey, receivedAt: (options.receivedAt ?? new Date()).toISOString() };
  if (options.sessionId !== undefined) ack.sessionId = options.sessionId;
  return ack;
}

export function evidencePartial(idempotencyKey: string, missing: IndexRange[]): EvidencePartial {
  if (!isIdempotencyKey(idempotencyKey)) throw new EkycError('invalid_argument', 'An idempotency key is 64 lower-case hex characters.');
  if (missing.length === 0) throw new EkycError('invalid_argument', 'A partial answer names at least one missing range.');
  return { type: EVIDENCE_PARTIAL_TYPE, version: UPLOAD_PROTOCOL_VERSION, idempotencyKey, missing };
}

export function evidenceErrorAnswer(code: EkycErrorCode): EvidenceErrorAnswer {
  return { type: EVIDENCE_ERROR_TYPE, version: UPLOAD_PROTOCOL_VERSION, code };
}

/** The acknowledgement in `body` when it is one for `expectedKey`; null for anything else. */
export function parseEvidenceAck(body: unknown, expectedKey: string): EvidenceAck | null {
  const parsed = evidenceAckSchema.safeParse(body);
  return parsed.success && parsed.data.idempotencyKey === expectedKey ? parsed.data : null;
}

/**
 * The missing ranges in `body` when it is a partial answer for `expectedKey` whose ranges are
 * well-formed for `count` chunks (sorted, disjoint, inside `[0, count)`); null otherwise.
 */
export function parseEvidencePartial(body: unknown, expectedKey: string, count: number): IndexRange[] | null {
  const parsed = evidencePartialSchema.safeParse(body);
  if (!parsed.success || parsed.data.idempotencyKey !== expectedKey) return null;
  let previousEnd = -1;
  for (const [start, end] of parsed.data.missing) {
    if (start <= previousEnd || end <= start || end > count) return null;
    previousEnd = end;
  }
  return parsed.data.missing;
}

/** The EkycError code of a refusal body, when it carries a known one. */
export function parseEvidenceErrorCode(body: unknown): EkycErrorCode | null {
  const parsed = evidenceErrorSchema.safeParse(body);
  return parsed.success && isEkycErrorCode(parsed.data.code) ? parsed.data.code : null;
}

/** Indexes in `[0, count)` absent from `received`, as sorted half-open ranges. */
export function missingRanges(count: number, received: Iterable<number>): IndexRange[] {
  const have = new Set(received);
  const ranges: IndexRange[] = [];
  let start = -1;
  for (let index = 0; index <= count; index += 1) {
    const missing = index < count && !have.has(index);
    if (missing && start < 0) start = index;
    if (!missing && start >= 0) {
      ranges.push([start, index]);
      start = -1;
    }
  }
  return ranges;
}

export function rangesContain(ranges: readonly IndexRange[], index: number): boolean {
  return ranges.some(([start, end]) => index >= start && index < end);
}

// --- Requests ----------------------------------------------------------------------------------

export interface ChunkSpan {
  index: number;
  start: number;
  end: number;
}

export function planChunks(totalBytes: number, chunkBytes: number): ChunkSpan[] {
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0) throw new EkycError('invalid_argument', 'chunkBytes must be a positive integer.');
  const count = Math.max(1, Math.ceil(totalBytes / chunkBytes));
  if (count > MAX_CHUNK_COUNT) throw new EkycError('invalid_argument', 'chunkBytes is too small for this bundle.', { details: { count, max: MAX_CHUNK_COUNT } });
  return Array.from({ length: count }, (_, index) => ({ index, start: index * chunkBytes, end: Math.min(totalBytes, (index + 1) * chunkBytes) }));
}

export function formatChunkHeader(index: number, count: number): string {
  return `${index}/${count}`;
}

export function parseChunkHeader(value: string): { index: number; count: number } | null {
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(value);
  if (match === null) return null;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return count >= 1 && index < count ? { index, count } : null;
}

/** A decimal byte count of at most 15 digits (a safe integer); null otherwise. */
export function parseTotalBytesHeader(value: string): number | null {
  return /^\d{1,15}$/.test(value) ? Number(value) : null;
}

export type UploadRequest =
  | { kind: 'whole'; key: string }
  | { kind: 'chunk'; key: string; index: number; count: number; totalBytes: number };

/**
 * Reads and validates the upload headers of a request (`header(name)` returns a header value or
 * null/undefined, names as in UPLOAD_HEADERS). Throws `evidence_upload_invalid` (answer 400).
 */
export function readUploadRequest(header: (name: string) => string | null | undefined): UploadRequest {
  const key = header(UPLOAD_HEADERS.idempotencyKey) ?? '';
  if (!isIdempotencyKey(key)) throw new EkycError('evidence_upload_invalid', 'Idempotency-Key is not a lower-case hex SHA-256.');
  const chunk = header(UPLOAD_HEADERS.chunk);
  if (chunk === null || chunk === undefined) return { kind: 'whole', key };
  const position = parseChunkHeader(chunk);
  const totalBytes = parseTotalBytesHeader(header(UPLOAD_HEADERS.totalBytes) ?? '');
  if (position === null) throw new EkycError('evidence_upload_invalid', 'Evidence-Chunk is not <index>/<count>.');
  if (totalBytes === null) throw new EkycError('evidence_upload_invalid', 'Evidence-Total-Bytes is not a byte count.');
  return { kind: 'chunk', key, ...position, totalBytes };
}
