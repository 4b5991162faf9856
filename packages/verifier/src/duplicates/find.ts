/**
 * Duplicates of a session in other sessions (seed 003): the same document-number hash (under the
 * current or any previous pepper), or a selfie embedding whose cosine similarity with this one
 * reaches FACE_DUPLICATE_THRESHOLD. Either becomes a signal naming the other session, a reason
 * code and a `review` hard rule, so a human sees it (a returning customer is legitimate; the same
 * face under another document, or the same document under another face, is not).
 */
import { face as coreFace, risk } from '@ekyc/core';
import type { SqlClient } from '../db/driver.ts';
import type { DuplicateSignal } from './store.ts';

/**
 * fr-feature cosine at or above which two selfies count as the same person. docs/face.md: the
 * approve band starts at 0.50 because it lies above every impostor pair measured (max 0.366 in
 * 283 pairs, TAR 1.00 at FAR 1e-3 with threshold 0.366; max 0.45 in a 1,690-pair portrait set),
 * while every genuine pair measured is >= 0.526. Selfie-vs-selfie genuine pairs run higher than
 * portrait-vs-selfie (up to 0.90), so this threshold misses few repeats. Across N stored sessions
 * the expected false signals per new session are about N x FAR at 0.50: unmeasured below 1e-3.
 */
export const FACE_DUPLICATE_THRESHOLD = 0.5;
/** At most this many matches of each kind are reported per session (faces best first, documents oldest first). */
export const MAX_DUPLICATES = 20;

/** Sessions other than `sessionId` holding any of these (pepper id, hash) pairs. */
export async function findDocumentDuplicates(db: SqlClient, sessionId: string, hashes: readonly { pepperId: string; hash: string }[]): Promise<DuplicateSignal[]> {
  if (hashes.length === 0) return [];
  const pairs = hashes.map((_, index) => `($${2 * index + 2}, $${2 * index + 3})`).join(', ');
  const result = await db.query<{ session_id: string }>(
    `SELECT DISTINCT session_id, created_at FROM verifier_document_hashes WHERE session_id <> $1 AND (pepper_id, document_number_hash) IN (${pairs}) ORDER BY created_at, session_id LIMIT ${MAX_DUPLICATES}`,
    [sessionId, ...hashes.flatMap((entry) => [entry.pepperId, entry.hash])],
  );
  return result.rows.map((row) => ({ kind: 'document_number', otherSessionId: row.session_id, similarity: null }));
}

/**
 * Other sessions' selfies (same embedding model) at or above `threshold`. The dot product runs in
 * the database (embeddings are stored L2-normalised): one scan of verifier_face_embeddings, 512
 * multiply-adds per stored session, no embedding leaves the database.
 */
export async function findFaceDuplicates(db: SqlClient, input: { sessionId: string; modelId: string; embedding: Float32Array; threshold?: number }): Promise<DuplicateSignal[]> {
  const normalized = coreFace.l2Normalize(input.embedding);
  const result = await db.query<{ session_id: string; similarity: number }>(
    `SELECT session_id, similarity FROM (
       SELECT session_id, (SELECT sum(a * b) FROM unnest(embedding, $3::real[]) AS t(a, b)) AS similarity
       FROM verifier_face_embeddings WHERE session_id <> $1 AND model_id = $2
     ) scored WHERE similarity >= $4 ORDER BY similarity DESC, session_id LIMIT $5`,
    [input.sessionId, input.modelId, Array.from(normalized), input.threshold ?? FACE_DUPLICATE_THRESHOLD, MAX_DUPLICATES],
  );
  return result.rows.map((row) => ({ kind: 'face', otherSessionId: row.session_id, similarity: Math.round(Number(row.similarity) * 1000) / 1000 }));
}

/** Reason codes and hard rules for the decision: `duplicate_document_number`, `duplicate_face`, each routing to review. */
export function duplicateFindings(signals: readonly DuplicateSignal[]): { reasonCodes: string[]; hardRules: risk.HardRule[] } {
  const codes = [...new Set(signals.map((signal) => (signal.kind === 'face' ? 'duplicate_face' : 'duplicate_document_number')))];
  return { reasonCodes: codes, hardRules: codes.map((code) => ({ code, escalateTo: 'review' as const })) };
}
