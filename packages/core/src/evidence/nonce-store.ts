/**
 * Server nonces bind a bundle to one verification and make replays detectable. A production
 * store must make `consume` atomic (e.g. `UPDATE ... SET consumed_at = now() WHERE nonce = ?
 * AND consumed_at IS NULL`); the in-memory store is for tests and single-process demos.
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

export interface NonceStore {
  issue(sessionId: string): Promise<IssuedNonce>;
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

  async consume(nonce: string, sessionId: string): Promise<NonceConsumeResult> {
    const record = this.#records.get(nonce);
    if (record === undefined) return { status: 'unknown' };
    if (record.issued.sessionId !== sessionId) return { status: 'session_mismatch' };
    if (record.consumed) return { status: 'replayed' };
    if (this.#now().getTime() > Date.parse(record.issued.expiresAt)) return { status: 'expired' };
    record.consumed = true;
    return { status: 'consumed', issued: { ...record.issued } };
  }
}
