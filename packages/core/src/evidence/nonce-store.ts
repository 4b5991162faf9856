/**
 * Server nonces bind a bundle to one verification and make replays detectable. Verification
 * first calls `lookup` (read-only, before any decryption) and calls `consume` only once every
 * other check passed. A production store must make `consume` atomic (e.g. `UPDATE ... SET
 * consumed_at = now() WHERE nonce = ? AND session_id = ? AND consumed_at IS NULL`); the
 * in-memory store is for tests and single-process demos.
 */
import { base64url } from 'jose';

export interface IssuedNonce {
  nonce: string;
  sessionId: string;
  issuedAt: string;
  expiresAt: string;
}

export type NonceConsumeResult =
  | { status: 'consumed'; issued: IssuedNonce }
  /** Never issued by this verifier. */
  | { status: 'unknown' }
  /** Issued for another session id. */
  | { status: 'session_mismatch' }
  | { status: 'replayed' }
  | { status: 'expired' };

/** The same answers as `consume`, without using the nonce up. */
export type NonceLookupResult = Exclude<NonceConsumeResult, { status: 'consumed' }> | { status: 'valid'; issued: IssuedNonce };

export interface NonceStore {
  issue(sessionId: string): Promise<IssuedNonce>;
  /** Reports what `consume` would answer now, changing nothing. Must be cheap: it runs before decryption. */
  lookup(nonce: string, sessionId: string): Promise<NonceLookupResult>;
  /** Marks the nonce used; a second call for the same nonce must return `replayed`. */
  consume(nonce: string, sessionId: string): Promise<NonceConsumeResult>;
}

/** 256 random bits as unpadded base64url (43 characters). */
export function generateNonce(): string {
  return base64url.encode(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

export interface MemoryNonceStoreOptions {
  ttlMs?: number;
  now?: () => Date;
}

export class MemoryNonceStore implements NonceStore {
  readonly #records = new Map<string, { issued: IssuedNonce; consumed: boolean }>();
  readonly #ttlMs: number;
  readonly #now: () => Date;

  constructor(options: MemoryNonceStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.#now = options.now ?? (() => new Date());
  }

  async issue(sessionId: string): Promise<IssuedNonce> {
    const now = this.#now();
    const issued: IssuedNonce = {
      nonce: generateNonce(),
      sessionId,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.#ttlMs).toISOString(),
    };
    this.#records.set(issued.nonce, { issued, consumed: false });
    return { ...issued };
  }

  async lookup(nonce: string, sessionId: string): Promise<NonceLookupResult> {
    const record = this.#records.get(nonce);
    if (record === undefined) return { status: 'unknown' };
    if (record.issued.sessionId !== sessionId) return { status: 'session_mismatch' };
    if (record.consumed) return { status: 'replayed' };
    if (this.#now().getTime() > Date.parse(record.issued.expiresAt)) return { status: 'expired' };
    return { status: 'valid', issued: { ...record.issued } };
  }

  async consume(nonce: string, sessionId: string): Promise<NonceConsumeResult> {
    const result = await this.lookup(nonce, sessionId);
    if (result.status !== 'valid') return result;
    // Re-checked after the await: of two concurrent calls only the first marks it used.
    const record = this.#records.get(nonce);
    if (record === undefined || record.consumed) return { status: 'replayed' };
    record.consumed = true;
    return { status: 'consumed', issued: result.issued };
  }
}
