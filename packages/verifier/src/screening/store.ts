/** Screening matches of a session (list id, entry id, scores and tie-breaks; nothing of the subject). */
import type { SqlClient } from '../db/driver.ts';
import type { ScreeningMatch } from './types.ts';

export interface StoredScreeningMatch extends ScreeningMatch {
  screenedAt: Date;
}

/** Replaces the session's matches (a retried job writes the same set again). */
export async function saveScreeningMatches(db: SqlClient, sessionId: string, matches: readonly ScreeningMatch[], at: Date): Promise<void> {
  await db.query('DELETE FROM verifier_screening_matches WHERE session_id = $1', [sessionId]);
  for (const match of matches) {
    await db.query(
      'INSERT INTO verifier_screening_matches (session_id, list_id, entry_id, score, details, screened_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
      [sessionId, match.listId, match.entryId, match.nameScore, JSON.stringify({ category: match.category, birthDate: match.birthDate, nationality: match.nationality }), at],
    );
  }
}

export async function listScreeningMatches(db: SqlClient, sessionId: string): Promise<StoredScreeningMatch[]> {
  const result = await db.query<{ list_id: string; entry_id: string; score: number; details: { category: string; birthDate: ScreeningMatch['birthDate']; nationality: ScreeningMatch['nationality'] }; screened_at: Date | string }>(
    'SELECT * FROM verifier_screening_matches WHERE session_id = $1 ORDER BY score DESC, entry_id', [sessionId],
  );
  return result.rows.map((row) => ({
    listId: row.list_id, entryId: row.entry_id, nameScore: Number(row.score), category: row.details.category, birthDate: row.details.birthDate,
    nationality: row.details.nationality, screenedAt: row.screened_at instanceof Date ? row.screened_at : new Date(row.screened_at),
  }));
}
