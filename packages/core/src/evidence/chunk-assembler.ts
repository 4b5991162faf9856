/**
 * Server-side reassembly of chunked uploads (docs/evidence.md, "Upload protocol"). Every chunk is
 * validated before any state is created; pending uploads are bounded in count, in bytes (each
 * and all together) and in idle time. Storage sits behind `ChunkStore` so a server can keep
 * pending chunks in a database; `MemoryChunkStore` is for one process.
 */
import { EkycError } from '../errors.ts';
import { MAX_CHUNK_COUNT, isIdempotencyKey, missingRanges, sealedEvidenceId, type IndexRange } from './upload-protocol.ts';

export interface ChunkInput {
  key: string;
  index: number;
  count: number;
  totalBytes: number;
  bytes: Uint8Array;
}

export type ChunkAcceptResult =
  | { status: 'partial'; missing: IndexRange[] }
  | { status: 'complete'; sealed: Uint8Array };

export interface PendingUpload {
  count: number;
  totalBytes: number;
  /** Bytes held for this upload (sum over received chunks). */
  receivedBytes: number;
  /** Indexes of the chunks held, any order. */
  received: number[];
  /** Clock value (ms) of the last chunk; drives expiry. */
  touchedAt: number;
}

/**
 * Where pending chunks live. A database-backed store must make `putChunk` atomic per key (two
 * chunks of the same upload may arrive at once) and keep `totals` cheap (a counter row).
 */
export interface ChunkStore {
  get(key: string): Promise<PendingUpload | undefined>;
  /** Creates an empty upload unless one exists for the key (insert-if-absent: chunks of a new upload may race). */
  create(key: string, upload: { count: number; totalBytes: number; touchedAt: number }): Promise<void>;
  /** Stores (or replaces) one chunk and returns the upload afterwards. */
  putChunk(key: string, index: number, bytes: Uint8Array, touchedAt: number): Promise<PendingUpload>;
  /** The chunks of a complete upload in index order. */
  chunks(key: string): Promise<Uint8Array[]>;
  delete(key: string): Promise<void>;
  /** Pending uploads and the bytes they hold, all keys together. */
  totals(): Promise<{ uploads: number; bytes: number }>;
  /** Deletes uploads whose last chunk came before `cutoff`; returns how many. */
  deleteIdleSince(cutoff: number): Promise<number>;
}

export class MemoryChunkStore implements ChunkStore {
  readonly #uploads = new Map<string, { count: number; totalBytes: number; touchedAt: number; chunks: Map<number, Uint8Array> }>();
  #bytes = 0;

  async get(key: string): Promise<PendingUpload | undefined> {
    const upload = this.#uploads.get(key);
    return upload === undefined ? undefined : this.#view(upload);
  }

  async create(key: string, upload: { count: number; totalBytes: number; touchedAt: number }): Promise<void> {
    if (!this.#uploads.has(key)) this.#uploads.set(key, { ...upload, chunks: new Map() });
  }

  async putChunk(key: string, index: number, bytes: Uint8Array, touchedAt: number): Promise<PendingUpload> {
    const upload = this.#uploads.get(key);
    if (upload === undefined) throw new EkycError('evidence_upload_invalid', 'No upload in progress for this key.');
    this.#bytes -= upload.chunks.get(index)?.byteLength ?? 0;
    upload.chunks.set(index, bytes.slice());
    this.#bytes += bytes.byteLength;
    upload.touchedAt = touchedAt;
    return this.#view(upload);
  }

  async chunks(key: string): Promise<Uint8Array[]> {
    const upload = this.#uploads.get(key);
    if (upload === undefined) return [];
    return Array.from({ length: upload.count }, (_, index) => upload.chunks.get(index) ?? new Uint8Array(0));
  }

  async delete(key: string): Promise<void> {
    const upload = this.#uploads.get(key);
    if (upload === undefined) return;
    for (const bytes of upload.chunks.values()) this.#bytes -= bytes.byteLength;
    this.#uploads.delete(key);
  }

  async totals(): Promise<{ uploads: number; bytes: number }> {
    return { uploads: this.#uploads.size, bytes: this.#bytes };
  }

  async deleteIdleSince(cutoff: number): Promise<number> {
    let deleted = 0;
    for (const [key, upload] of this.#uploads) {
      if (upload.touchedAt < cutoff) {
        await this.delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }

  #view(upload: { count: number; totalBytes: number; touchedAt: number; chunks: Map<number, Uint8Array> }): PendingUpload {
    let receivedBytes = 0;
    for (const bytes of upload.chunks.values()) receivedBytes += bytes.byteLength;
    return { count: upload.count, totalBytes: upload.totalBytes, receivedBytes, received: [...upload.chunks.keys()], touchedAt: upload.touchedAt };
  }
}

export interface ChunkAssemblerOptions {
  /** Largest bundle accepted (bytes). */
  maxTotalBytes: number;
  /** Largest single chunk (bytes); also bounds `totalBytes <= count * maxChunkBytes`. Default 8 MiB. */
  maxChunkBytes?: number;
  /** Most chunks one upload may announce. Default 4096. */
  maxChunkCount?: number;
  /** Most uploads in progress at once. Default 100. */
  maxPendingUploads?: number;
  /** Most bytes held for all uploads in progress. Default 256 MiB. */
  maxPendingBytes?: number;
  /** An upload with no chunk for this long is dropped. Default 15 minutes. */
  idleTimeoutMs?: number;
  store?: ChunkStore;
  /** Clock in ms (injectable for tests). */
  now?: () => number;
}

export const DEFAULT_CHUNK_LIMITS = {
  maxChunkBytes: 8 * 1024 * 1024,
  maxChunkCount: 4096,
  maxPendingUploads: 100,
  maxPendingBytes: 256 * 1024 * 1024,
  idleTimeoutMs: 15 * 60 * 1000,
} as const;

const invalid = (message: string, details: Record<string, unknown> = {}): EkycError => new EkycError('evidence_upload_invalid', message, { details });

/**
 * Chunks may arrive in any order and repeat. Refusals: `evidence_upload_invalid` (malformed or
 * inconsistent chunk, answer 400), `evidence_too_large` (413), `evidence_upload_busy` (too many
 * uploads or bytes in progress: answer 503 with Retry-After), `evidence_truncated` and
 * `evidence_hash_mismatch` (the complete upload is wrong; its state is dropped).
 */
export class ChunkAssembler {
  readonly #maxTotalBytes: number;
  readonly #limits: Required<Omit<ChunkAssemblerOptions, 'store' | 'now' | 'maxTotalBytes'>>;
  readonly #store: ChunkStore;
  readonly #now: () => number;

  constructor(options: ChunkAssemblerOptions) {
    this.#maxTotalBytes = options.maxTotalBytes;
    this.#limits = {
      maxChunkBytes: options.maxChunkBytes ?? DEFAULT_CHUNK_LIMITS.maxChunkBytes,
      maxChunkCount: Math.min(MAX_CHUNK_COUNT, options.maxChunkCount ?? DEFAULT_CHUNK_LIMITS.maxChunkCount),
      maxPendingUploads: options.maxPendingUploads ?? DEFAULT_CHUNK_LIMITS.maxPendingUploads,
      maxPendingBytes: options.maxPendingBytes ?? DEFAULT_CHUNK_LIMITS.maxPendingBytes,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_CHUNK_LIMITS.idleTimeoutMs,
    };
    for (const [name, value] of Object.entries({ maxTotalBytes: this.#maxTotalBytes, ...this.#limits })) {
      if (!Number.isSafeInteger(value) || value <= 0) throw new EkycError('invalid_argument', `${name} must be a positive integer.`);
    }
    this.#store = options.store ?? new MemoryChunkStore();
    this.#now = options.now ?? Date.now;
  }

  /** Drops uploads idle past the timeout; `accept` also does this before creating a new one. */
  expireIdle(): Promise<number> {
    return this.#store.deleteIdleSince(this.#now() - this.#limits.idleTimeoutMs);
  }

  async accept(chunk: ChunkInput): Promise<ChunkAcceptResult> {
    this.#validate(chunk);
    const now = this.#now();
    let upload = await this.#store.get(chunk.key);
    if (upload !== undefined && upload.touchedAt < now - this.#limits.idleTimeoutMs) {
      await this.#store.delete(chunk.key);
      upload = undefined;
    }
    if (upload === undefined) {
      await this.expireIdle();
      const totals = await this.#store.totals();
      if (totals.uploads >= this.#limits.maxPendingUploads) {
        throw new EkycError('evidence_upload_busy', 'Too many uploads are in progress.', { details: { uploads: totals.uploads, max: this.#limits.maxPendingUploads } });
      }
      await this.#store.create(chunk.key, { count: chunk.count, totalBytes: chunk.totalBytes, touchedAt: now });
      // Another chunk of the same new upload may have created it first, with other numbers.
      upload = await this.#store.get(chunk.key);
      if (upload === undefined) throw new EkycError('evidence_upload_busy', 'The upload vanished while it was being created.');
    }
    if (upload.count !== chunk.count || upload.totalBytes !== chunk.totalBytes) {
      throw invalid('Chunk disagrees with earlier chunks of the same upload.');
    }
    const totals = await this.#store.totals();
    if (totals.bytes + chunk.bytes.byteLength > this.#limits.maxPendingBytes) {
      if (upload.received.length === 0) await this.#store.delete(chunk.key);
      throw new EkycError('evidence_upload_busy', 'Uploads in progress hold too many bytes.', { details: { bytes: totals.bytes, max: this.#limits.maxPendingBytes } });
    }

    const held = await this.#store.putChunk(chunk.key, chunk.index, chunk.bytes, now);
    if (held.receivedBytes > held.totalBytes) {
      await this.#store.delete(chunk.key);
      throw invalid('Chunks hold more bytes than the upload announced.');
    }
    const missing = missingRanges(held.count, held.received);
    if (missing.length > 0) return { status: 'partial', missing };
    if (held.receivedBytes !== held.totalBytes) {
      await this.#store.delete(chunk.key);
      throw new EkycError('evidence_truncated', 'Chunks hold fewer bytes than the upload announced.');
    }
    const sealed = new Uint8Array(held.totalBytes);
    let offset = 0;
    for (const bytes of await this.#store.chunks(chunk.key)) {
      sealed.set(bytes, offset);
      offset += bytes.byteLength;
    }
    await this.#store.delete(chunk.key);
    if ((await sealedEvidenceId(sealed)) !== chunk.key) {
      throw new EkycError('evidence_hash_mismatch', 'Reassembled upload does not match its idempotency key.');
    }
    return { status: 'complete', sealed };
  }

  /** Everything that can be checked on one chunk alone, before any state exists. */
  #validate(chunk: ChunkInput): void {
    const { key, index, count, totalBytes, bytes } = chunk;
    const { maxChunkBytes, maxChunkCount } = this.#limits;
    if (!isIdempotencyKey(key)) throw invalid('Idempotency key is not a lower-case hex SHA-256.');
    if (!Number.isSafeInteger(count) || count < 1 || count > maxChunkCount) throw invalid('Chunk count is outside the allowed range.', { count, max: maxChunkCount });
    if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw invalid('Chunk index is outside its upload.', { index, count });
    if (!Number.isSafeInteger(totalBytes) || totalBytes < 0) throw invalid('Total bytes is not a byte count.');
    if (totalBytes > this.#maxTotalBytes) {
      throw new EkycError('evidence_too_large', 'The evidence bundle exceeds the size limit.', { details: { bytes: totalBytes, max: this.#maxTotalBytes } });
    }
    // Every chunk carries at least one byte (one empty chunk for an empty upload), and no chunk is
    // larger than maxChunkBytes: so count <= totalBytes <= count * maxChunkBytes.
    if (count > Math.max(1, totalBytes) || totalBytes > count * maxChunkBytes) {
      throw invalid('Chunk count does not fit the total bytes.', { count, totalBytes });
    }
    if (bytes.byteLength > maxChunkBytes || bytes.byteLength > totalBytes || (bytes.byteLength === 0 && totalBytes > 0)) {
      throw invalid('Chunk size is outside the allowed range.', { bytes: bytes.byteLength });
    }
  }
}
