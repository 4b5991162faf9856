/**
 * core's NonceStore on the verifier's sessions table, for callers of `verifyEvidence` (an
 * auditor tool, a custom endpoint): `lookup` reads, `consume` is the same atomic UPDATE the
 * intake uses. The intake itself consumes inside its storage transaction (see intake.ts).
 */
import { generateNonce, type IssuedNonce, type NonceConsumeResult, type NonceLookupResult, type NonceStore } from '@ekyc/core';
import type { Database } from '../db/driver.ts';
import type { SessionConfig } from '../session-config.ts';
import { NonceConsumeError, consumeNonce } from './session-store.ts';

export class SqlNonceStore implements NonceStore {
  constructor(
    private readonly db: Database,
    private readonly options: { ttlMs: number; config: SessionConfig; now?: () => Date },
  ) {}

  #now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async issue(sessionId: string): Promise<IssuedNonce> {
    const now = this.#now();
    const nonce = generateNonce();
    const expiresAt = new Date(now.getTime() + this.options.ttlMs);
    await this.db.query(
      `INSERT INTO verifier_sessions (id, nonce, created_at, expires_at, config, status, updated_at) VALUES ($1, $2, $3, $4, $5, 'created', $3)`,
      [sessionId, nonce, now, expiresAt, JSON.stringify(this.options.config)],
    );
    return { nonce, sessionId, issuedAt: now.toISOString(), expiresAt: expiresAt.toISOString() };
  }

  async lookup(nonce: string, sessionId: string): Promise<NonceLookupResult> {
    const result = await this.db.query<{ id: string; created_at: Date; expires_at: Date; nonce_consumed_at: Date | null }>(
      'SELECT id, created_at, expires_at, nonce_consumed_at FROM verifier_sessions WHERE nonce = $1', [nonce],
    );
    const row = result.rows[0];
    if (row === undefined) return { status: 'unknown' };
    if (row.id !== sessionId) return { status: 'session_mismatch' };
    if (row.nonce_consumed_at !== null) return { status: 'replayed' };
    if (new Date(row.expires_at).getTime() <= this.#now().getTime()) return { status: 'expired' };
    return { status: 'valid', issued: { nonce, sessionId, issuedAt: new Date(row.created_at).toISOString(), expiresAt: new Date(row.expires_at).toISOString() } };
  }

  async consume(nonce: string, sessionId: string): Promise<NonceConsumeResult> {
    try {
      const session = await this.db.transaction((tx) => consumeNonce(tx, nonce, sessionId, this.#now()));
      return { status: 'consumed', issued: { nonce, sessionId, issuedAt: session.createdAt.toISOString(), expiresAt: session.expiresAt.toISOString() } };
    } catch (error) {
      if (error instanceof NonceConsumeError) return { status: error.refusal };
      throw error;
    }
  }
}
