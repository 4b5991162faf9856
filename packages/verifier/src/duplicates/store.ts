/**
 * Duplicate detection storage (seed 003): selfie embeddings in verifier_face_embeddings (biometric
 * data, its own table so retention can purge it on its own schedule) and the duplicate signals
 * found, in verifier_duplicate_signals. Document numbers are matched on their peppered hashes in
 * verifier_document_hashes (migration 001); the number itself never reaches the database.
 */
import type { SqlClient } from '../db/driver.ts';

export type DuplicateKind = 'document_number' | 'face';

export interface DuplicateSignal {
  kind: DuplicateKind;
  otherSessionId: string;
  /** Cosine similarity of the two selfies (face); null for a document-number match. */
  similarity: number | null;
}

export interface DuplicateLink extends DuplicateSignal {
  /** `found`: this session's re-scoring found the other; `found_by`: the other (later) session found this one. */
  direction: 'found' | 'found_by';
  detectedAt: Date;
}

export async function saveFaceEmbedding(db: SqlClient, input: { sessionId: string; modelId: string; embedding: Float32Array; at: Date }): Promise<void> {
  await db.query(
    `INSERT INTO verifier_face_embeddings (session_id, model_id, embedding, created_at) VALUES ($1, $2, $3::real[], $4)
     ON CONFLICT (session_id) DO UPDATE SET model_id = EXCLUDED.model_id, embedding = EXCLUDED.embedding, created_at = EXCLUDED.created_at`,
    [input.sessionId, input.modelId, Array.from(input.embedding), input.at],
  );
}

/** Replaces this session's signals (a retried job writes the same set again). */
export async function saveDuplicateSignals(db: SqlClient, sessionId: string, signals: readonly DuplicateSignal[], at: Date): Promise<void> {
  await db.query('DELETE FROM verifier_duplicate_signals WHERE session_id = $1', [sessionId]);
  for (const signal of signals) {
    await db.query(
      'INSERT INTO verifier_duplicate_signals (session_id, kind, other_session_id, similarity, detected_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [sessionId, signal.kind, signal.otherSessionId, signal.similarity, at],
    );
  }
}

export async function listDuplicateSignals(db: SqlClient, sessionId: string): Promise<DuplicateLink[]> {
  const result = await db.query<{ session_id: string; kind: DuplicateKind; other_session_id: string; similarity: number | null; detected_at: Date | string }>(
    'SELECT * FROM verifier_duplicate_signals WHERE session_id = $1 OR other_session_id = $1 ORDER BY detected_at, kind, other_session_id', [sessionId],
  );
  return result.rows.map((row) => {
    const found = row.session_id === sessionId;
    return {
      kind: row.kind, otherSessionId: found ? row.other_session_id : row.session_id, similarity: row.similarity === null ? null : Number(row.similarity),
      direction: found ? 'found' : 'found_by', detectedAt: row.detected_at instanceof Date ? row.detected_at : new Date(row.detected_at),
    };
  });
}
