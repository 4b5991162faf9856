/**
 * The challenge order comes from the verifier's single-use session nonce, so the client can neither
 * choose nor predict it before the session, and the verifier derives the same order again.
 *
 * Generator: HMAC-SHA256 with the nonce's bytes (its ASCII text as issued) as the key over
 * `LIVENESS_SEQUENCE_LABEL || 0x00 || count || block` for block = 0, 1, ...; the output bytes are a
 * stream from which a Fisher-Yates shuffle of CHALLENGE_KINDS draws by rejection sampling (no modulo
 * bias). The first `count` kinds of the shuffle are the order. The label separates this use of the
 * nonce from any other (signing, hashing) so one nonce never feeds two protocols the same input.
 */
import { EkycError } from '../errors.ts';
import { CHALLENGE_KINDS, type ChallengeKind } from './challenges.ts';

export const LIVENESS_SEQUENCE_LABEL = 'ekyc/liveness/challenge-order/v1';
export const MIN_CHALLENGES = 2;
export const MAX_CHALLENGES = 4;

const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;

export function assertChallengeCount(count: number): void {
  if (!Number.isInteger(count) || count < MIN_CHALLENGES || count > MAX_CHALLENGES) {
    throw new EkycError('invalid_argument', `The challenge count must be an integer from ${MIN_CHALLENGES} to ${MAX_CHALLENGES}`, { details: { count } });
  }
}

function nonceKey(nonce: string): Uint8Array {
  if (typeof nonce !== 'string' || !NONCE_PATTERN.test(nonce)) {
    throw new EkycError('invalid_argument', 'The liveness nonce must be base64url, 16 to 256 characters', { details: { length: typeof nonce === 'string' ? nonce.length : null } });
  }
  return new TextEncoder().encode(nonce);
}

/** Bytes of the HMAC stream, one 32-byte block at a time. */
class HmacStream {
  private block = 0;
  private buffer = new Uint8Array(0);
  private offset = 0;

  constructor(
    private readonly key: CryptoKey,
    private readonly prefix: Uint8Array,
  ) {}

  async next(): Promise<number> {
    if (this.offset >= this.buffer.length) {
      const message = new Uint8Array(this.prefix.length + 4);
      message.set(this.prefix);
      new DataView(message.buffer).setUint32(this.prefix.length, this.block++);
      this.buffer = new Uint8Array(await crypto.subtle.sign('HMAC', this.key, message));
      this.offset = 0;
    }
    return this.buffer[this.offset++]!;
  }

  /** Uniform integer in [0, n), n <= 256, by rejecting bytes above the largest multiple of n. */
  async below(n: number): Promise<number> {
    const limit = 256 - (256 % n);
    for (;;) {
      const byte = await this.next();
      if (byte < limit) return byte % n;
    }
  }
}

/** The challenge order for a session: `count` distinct kinds, reproducible from the nonce. */
export async function challengeSequence(nonce: string, count: number): Promise<ChallengeKind[]> {
  assertChallengeCount(count);
  const keyBytes = nonceKey(nonce);
  const key = await crypto.subtle.importKey('raw', keyBytes as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const label = new TextEncoder().encode(LIVENESS_SEQUENCE_LABEL);
  const prefix = new Uint8Array(label.length + 2);
  prefix.set(label);
  prefix[label.length] = 0;
  prefix[label.length + 1] = count;
  const stream = new HmacStream(key, prefix);
  const kinds: ChallengeKind[] = [...CHALLENGE_KINDS];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = await stream.below(i + 1);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds.slice(0, count);
}

/** Checks an explicit (evaluation-only) sequence: 1-4 distinct known kinds (a recorded clip may perform one). */
export function assertSequence(sequence: readonly unknown[]): asserts sequence is readonly ChallengeKind[] {
  if (!Array.isArray(sequence) || sequence.length < 1 || sequence.length > MAX_CHALLENGES) {
    throw new EkycError('invalid_argument', `An explicit challenge sequence holds 1 to ${MAX_CHALLENGES} kinds`, { details: { length: Array.isArray(sequence) ? sequence.length : null } });
  }
  const seen = new Set<unknown>();
  for (const kind of sequence) {
    if (!(CHALLENGE_KINDS as readonly unknown[]).includes(kind) || seen.has(kind)) {
      throw new EkycError('invalid_argument', 'A challenge sequence holds distinct known challenge kinds', { details: { kind: String(kind) } });
    }
    seen.add(kind);
  }
}
