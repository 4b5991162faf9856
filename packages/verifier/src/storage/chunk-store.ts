/**
 * core's ChunkStore in SQL, so chunks of one upload can land on different API instances.
 * `putChunk` replaces a repeated chunk and updates the upload's byte counter in one statement
 * pair inside a transaction, atomic per key.
 */
import type { ChunkStore, PendingUpload } from '@ekyc/core';
import type { Database } from '../db/driver.ts';
import { fromBase64, toBase64 } from './session-store.ts';

export class SqlChunkStore implements ChunkStore {
  constructor(private readonly db: Database) {}

  async get(key: string): Promise<PendingUpload | undefined> {
    const upload = await this.db.query<{ chunk_count: number; total_bytes: number; received_bytes: number; touched_at: number }>(
      'SELECT chunk_count, total_bytes::float8 AS total_bytes, received_bytes::float8 AS received_bytes, touched_at::float8 AS touched_at FROM verifier_uploads WHERE idempotency_key = $1',
      [key],
    );
    const row = upload.rows[0];
    if (row === undefined) return undefined;
    const chunks = await this.db.query<{ chunk_index: number }>('SELECT chunk_index FROM verifier_upload_chunks WHERE idempotency_key = $1', [key]);
    return {
      count: row.chunk_count, totalBytes: Number(row.total_bytes), receivedBytes: Number(row.received_bytes),
      received: chunks.rows.map((c) => c.chunk_index), touchedAt: Number(row.touched_at),
    };
  }

  async create(key: string, upload: { count: number; totalBytes: number; touchedAt: number }): Promise<void> {
    await this.db.query(
      `INSERT INTO verifier_uploads (idempotency_key, chunk_count, total_bytes, received_bytes, touched_at) VALUES ($1, $2, $3, 0, $4)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [key, upload.count, upload.totalBytes, upload.touchedAt],
    );
  }

  async putChunk(key: string, index: number, bytes: Uint8Array, touchedAt: number): Promise<PendingUpload> {
    await this.db.transaction(async (tx) => {
      // Row lock on the upload serializes chunks of one key arriving at once.
      await tx.query('SELECT 1 FROM verifier_uploads WHERE idempotency_key = $1 FOR UPDATE', [key]);
      await tx.query(
        `INSERT INTO verifier_upload_chunks (idempotency_key, chunk_index, bytes) VALUES ($1, $2, decode($3, 'base64'))
         ON CONFLICT (idempotency_key, chunk_index) DO UPDATE SET bytes = EXCLUDED.bytes`,
        [key, index, toBase64(bytes)],
      );
      await tx.query(
        `UPDATE verifier_uploads SET touched_at = $2,
           received_bytes = (SELECT coalesce(sum(length(bytes)), 0) FROM verifier_upload_chunks WHERE idempotency_key = $1)
         WHERE idempotency_key = $1`,
        [key, touchedAt],
      );
    });
    const held = await this.get(key);
    if (held === undefined) return { count: 0, totalBytes: 0, receivedBytes: 0, received: [], touchedAt };
    return held;
  }

  async chunks(key: string): Promise<Uint8Array[]> {
    const result = await this.db.query<{ bytes: string }>(`SELECT encode(bytes, 'base64') AS bytes FROM verifier_upload_chunks WHERE idempotency_key = $1 ORDER BY chunk_index`, [key]);
    return result.rows.map((row) => fromBase64(row.bytes));
  }

  async delete(key: string): Promise<void> {
    await this.db.query('DELETE FROM verifier_uploads WHERE idempotency_key = $1', [key]);
  }

  async totals(): Promise<{ uploads: number; bytes: number }> {
    const result = await this.db.query<{ uploads: number; bytes: number }>('SELECT count(*)::int AS uploads, coalesce(sum(received_bytes), 0)::float8 AS bytes FROM verifier_uploads');
    const row = result.rows[0];
    return { uploads: Number(row?.uploads ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  async deleteIdleSince(cutoff: number): Promise<number> {
    const result = await this.db.query('DELETE FROM verifier_uploads WHERE touched_at < $1', [cutoff]);
    return result.rowCount;
  }
}
