/**
 * Hash chain over the ordered session events. Each link hashes the previous link and the
 * event's JCS form, so removing, reordering, inserting or editing an event changes every
 * later hash and the head. The genesis link binds the chain to the session id and nonce.
 */
import { EkycError } from '../errors.ts';
import { sha256OfCanonical } from './canonical.ts';
import type { EvidenceDetails, EvidenceEvent, EvidenceManifest } from './schema.ts';

export const CHAIN_ALGORITHM = 'sha256-jcs-v1';

export type UnhashedEvent = Omit<EvidenceEvent, 'hash'>;

export function chainGenesis(sessionId: string, nonce: string): Promise<string> {
  return sha256OfCanonical({ chain: CHAIN_ALGORITHM, sessionId, nonce });
}

export function chainLink(prev: string, event: UnhashedEvent): Promise<string> {
  return sha256OfCanonical({ prev, event: { seq: event.seq, at: event.at, type: event.type, data: event.data } });
}

/** Append-only event log that hashes each event as it is recorded. */
export class EventChain {
  readonly #events: EvidenceEvent[] = [];
  #head: Promise<string>;
  readonly #now: () => Date;

  constructor(sessionId: string, nonce: string, now: () => Date = () => new Date()) {
    this.#head = chainGenesis(sessionId, nonce);
    this.#now = now;
  }

  /** Records an event now; hashing is serialized so concurrent calls keep their call order. */
  append(type: string, data: EvidenceDetails = {}): Promise<EvidenceEvent> {
    const event: UnhashedEvent = { seq: this.#events.length, at: this.#now().toISOString(), type, data: { ...data } };
    const placeholder = { ...event, hash: '' };
    this.#events.push(placeholder);
    this.#head = this.#head.then(async (prev) => {
      placeholder.hash = await chainLink(prev, event);
      return placeholder.hash;
    });
    return this.#head.then(() => ({ ...placeholder }));
  }

  async snapshot(): Promise<{ events: EvidenceEvent[]; head: string; length: number }> {
    const head = await this.#head;
    return { events: this.#events.map((event) => ({ ...event, data: { ...event.data } })), head, length: this.#events.length };
  }
}

/** Recomputes every link; throws `evidence_chain_broken` at the first event that does not match. */
export async function verifyChain(manifest: Pick<EvidenceManifest, 'session' | 'events' | 'chain'>): Promise<void> {
  const { events, chain, session } = manifest;
  if (chain.length !== events.length) {
    throw new EkycError('evidence_chain_broken', 'Chain length does not match the number of events.', {
      details: { expected: chain.length, actual: events.length },
    });
  }
  let prev = await chainGenesis(session.id, session.nonce);
  for (const [index, event] of events.entries()) {
    if (event.seq !== index) {
      throw new EkycError('evidence_chain_broken', 'Event sequence numbers are not contiguous.', { details: { index, seq: event.seq } });
    }
    const expected = await chainLink(prev, event);
    if (expected !== event.hash) {
      throw new EkycError('evidence_chain_broken', 'Event hash does not match its content and predecessor.', { details: { seq: event.seq } });
    }
    prev = expected;
  }
  if (prev !== chain.head) {
    throw new EkycError('evidence_chain_broken', 'Chain head does not match the last event.', { details: { length: events.length } });
  }
}
