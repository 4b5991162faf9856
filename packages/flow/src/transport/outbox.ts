/**
 * IndexedDB outbox: sealed evidence is written here before the first send attempt, so it
 * survives a reload, a crash or going offline. Entries hold only encrypted bytes and
 * bookkeeping; nothing readable about the person.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { EkycErrorCode } from '@ekyc/core';
import type { SealedEvidence } from './sink.ts';

export type OutboxState = 'pending' | 'rejected';

export interface OutboxEntry extends SealedEvidence {
  state: OutboxState;
  attempts: number;
  lastError: { code: EkycErrorCode; at: string } | null;
}

interface OutboxSchema extends DBSchema {
  entries: { key: string; value: OutboxEntry; indexes: { createdAt: string } };
}

export const DEFAULT_OUTBOX_NAME = 'ekyc-evidence-outbox';

export class EvidenceOutbox {
  readonly #db: IDBPDatabase<OutboxSchema>;

  private constructor(db: IDBPDatabase<OutboxSchema>) {
    this.#db = db;
  }

  static async open(name: string = DEFAULT_OUTBOX_NAME): Promise<EvidenceOutbox> {
    const db = await openDB<OutboxSchema>(name, 1, {
      upgrade(database) {
        database.createObjectStore('entries', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
      },
    });
    return new EvidenceOutbox(db);
  }

  /** Adds evidence unless an entry with the same id (same bytes) is already there. */
  async add(evidence: SealedEvidence): Promise<OutboxEntry> {
    const tx = this.#db.transaction('entries', 'readwrite');
    const existing = await tx.store.get(evidence.id);
    const entry: OutboxEntry = existing ?? { ...evidence, bytes: new Uint8Array(evidence.bytes), state: 'pending', attempts: 0, lastError: null };
    if (existing === undefined) await tx.store.put(entry);
    await tx.done;
    return entry;
  }

  get(id: string): Promise<OutboxEntry | undefined> {
    return this.#db.get('entries', id);
  }

  /** Entries oldest first, optionally only one state. */
  async list(state?: OutboxState): Promise<OutboxEntry[]> {
    const all = await this.#db.getAllFromIndex('entries', 'createdAt');
    return state === undefined ? all : all.filter((entry) => entry.state === state);
  }

  async recordFailure(id: string, code: EkycErrorCode, state: OutboxState, at: Date = new Date()): Promise<void> {
    const tx = this.#db.transaction('entries', 'readwrite');
    const entry = await tx.store.get(id);
    if (entry !== undefined) await tx.store.put({ ...entry, state, attempts: entry.attempts + 1, lastError: { code, at: at.toISOString() } });
    await tx.done;
  }

  remove(id: string): Promise<void> {
    return this.#db.delete('entries', id);
  }

  close(): void {
    this.#db.close();
  }
}
