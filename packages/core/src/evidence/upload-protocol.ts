/**
 * The HTTP upload protocol shared by the browser HttpSink (@ekyc/flow) and a verifier endpoint.
 *
 * Every request is `POST <endpoint>` with `Idempotency-Key: <sha256 hex of the sealed bytes>`.
 * A bundle up to one chunk goes in one request (`Content-Type: application/jose`). A larger one
 * goes as numbered chunks (`Content-Type: application/octet-stream`) with `Evidence-Chunk:
 * <index>/<count>` and `Evidence-Total-Bytes`; the endpoint answers 202 while chunks are
 * missing (JSON `{ status: 'partial', missing: [...] }`) and 200/201 once it holds every byte
 * and their SHA-256 equals the key. Repeating a request with the same key must be harmless.
 */
import { EkycError } from '../errors.ts';
import { sha256HexOf } from './canonical.ts';

export const UPLOAD_HEADERS = {
  idempotencyKey: 'Idempotency-Key',
  chunk: 'Evidence-Chunk',
  totalBytes: 'Evidence-Total-Bytes',
} as const;

export const SEALED_MEDIA_TYPE = 'application/jose';
export const CHUNK_MEDIA_TYPE = 'application/octet-stream';

/** The idempotency key and outbox id of sealed evidence: its SHA-256, revealing nothing else. */
export function sealedEvidenceId(sealed: Uint8Array): Promise<string> {
  return sha256HexOf(new Uint8Array(sealed));
}

export interface ChunkSpan {
  index: number;
  start: number;
  end: number;
}

export function planChunks(totalBytes: number, chunkBytes: number): ChunkSpan[] {
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0) throw new EkycError('invalid_argument', 'chunkBytes must be a positive integer.');
  const count = Math.max(1, Math.ceil(totalBytes / chunkBytes));
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

export interface ChunkInput {
  key: string;
  index: number;
  count: number;
  totalBytes: number;
  bytes: Uint8Array;
}

export type ChunkAcceptResult =
  | { status: 'partial'; missing: number[] }
  | { status: 'complete'; sealed: Uint8Array };

/**
 * Server-side reassembly of chunked uploads, in memory. Chunks may arrive in any order and
 * repeat; inconsistent chunks, oversize uploads and a hash that differs from the key are refused.
 */
export class ChunkAssembler {
  readonly #uploads = new Map<string, { count: number; totalBytes: number; chunks: Map<number, Uint8Array> }>();
  readonly #maxTotalBytes: number;
  readonly #maxPendingUploads: number;

  constructor(options: { maxTotalBytes: number; maxPendingUploads?: number }) {
    this.#maxTotalBytes = options.maxTotalBytes;
    this.#maxPendingUploads = options.maxPendingUploads ?? 1000;
  }

  async accept(chunk: ChunkInput): Promise<ChunkAcceptResult> {
    if (!/^[0-9a-f]{64}$/.test(chunk.key)) throw new EkycError('invalid_argument', 'Idempotency key is not a SHA-256 hex string.');
    if (chunk.totalBytes > this.#maxTotalBytes) {
      throw new EkycError('evidence_too_large', 'The evidence bundle exceeds the size limit.', { details: { bytes: chunk.totalBytes, max: this.#maxTotalBytes } });
    }
    let upload = this.#uploads.get(chunk.key);
    if (upload === undefined) {
      if (this.#uploads.size >= this.#maxPendingUploads) throw new EkycError('transport_failed', 'Too many uploads in progress.');
      upload = { count: chunk.count, totalBytes: chunk.totalBytes, chunks: new Map() };
      this.#uploads.set(chunk.key, upload);
    }
    if (upload.count !== chunk.count || upload.totalBytes !== chunk.totalBytes) {
      throw new EkycError('invalid_argument', 'Chunk disagrees with earlier chunks of the same upload.');
    }
    if (chunk.index < 0 || chunk.index >= chunk.count) throw new EkycError('invalid_argument', 'Chunk index is outside its upload.');
    upload.chunks.set(chunk.index, chunk.bytes.slice());
    let received = 0;
    for (const bytes of upload.chunks.values()) received += bytes.byteLength;
    if (received > upload.totalBytes) {
      this.#uploads.delete(chunk.key);
      throw new EkycError('invalid_argument', 'Chunks hold more bytes than the upload announced.');
    }
    const missing = Array.from({ length: upload.count }, (_, index) => index).filter((index) => !upload.chunks.has(index));
    if (missing.length > 0) return { status: 'partial', missing };
    if (received !== upload.totalBytes) {
      this.#uploads.delete(chunk.key);
      throw new EkycError('evidence_truncated', 'Chunks hold fewer bytes than the upload announced.');
    }

    const sealed = new Uint8Array(upload.totalBytes);
    let offset = 0;
    for (let index = 0; index < upload.count; index += 1) {
      const bytes = upload.chunks.get(index) ?? new Uint8Array(0);
      sealed.set(bytes, offset);
      offset += bytes.byteLength;
    }
    this.#uploads.delete(chunk.key);
    if ((await sealedEvidenceId(sealed)) !== chunk.key) {
      throw new EkycError('evidence_hash_mismatch', 'Reassembled upload does not match its idempotency key.');
    }
    return { status: 'complete', sealed };
  }
}
