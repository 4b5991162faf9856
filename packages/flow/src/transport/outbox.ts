/**
 * IndexedDB outbox: sealed evidence is written here before the first send attempt, so it
 * survives a reload, a crash or going offline. Entries hold only encrypted bytes and
 * bookkeeping; nothing readable about the person.
 *
 * Bookkeeping and bytes live in two object stores so that walking the outbox (one entry at a
 * time, by cursor) never loads more than one bundle's bytes into memory.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { EkycErrorCode } from '@ekyc/core';
import type { SealedEvidence } from './sink.ts';

/** `expired`: past the attempt or age cap, kept unsent until the integrator retries or discards it. */
export type OutboxState = 'pending' | 'rejected' | 'expired';

/** An entry's bookkeeping, without its bytes. */
export interface OutboxRecord {
  id: string;
  createdAt: string;
  /** When the entry was queued (or re-queued by `retry`); the age cap counts from here. */
  queuedAt: string;
  byteLength: number;
  state: OutboxState;
  attempts: number;
  lastError: { code: EkycErrorCode; at: string } | null;
  expiredReason?: 'attempts' | 'age';
}

export interface OutboxEntry extends OutboxRecord {
  bytes: Uint8Array;
}

interface OutboxSchema extends DBSchema {
  entries: { key: string; value: OutboxRecord; indexes: { byState: [OutboxState, string, string] } };
  bodies: { key: string; value: { id: string; bytes: Uint8Array } };
}

export const DEFAULT_OUTBOX_NAME = 'ekyc-evidence-outbox';
const OUTBOX_VERSION = 2;
// Sorts after every ISO 8601 timestamp: the upper bound of one state's range.
const AFTER_ANY_TIME = '\uffff';

export class EvidenceOutbox {
  readonly #db: IDBPDatabase<OutboxSchema>;

  private constructor(db: IDBPDatabase<OutboxSchema>) {
    this.#db = db;
  }

  static async open(name: string = DEFAULT_OUTBOX_NAME): Promise<EvidenceOutbox> {
    const db = await openDB<OutboxSchema>(name, OUTBOX_VERSION, {
      async upgrade(database, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) database.createObjectStore('entries', { keyPath: 'id' });
        const entries = tx.objectStore('entries');
        entries.createIndex('byState', ['state', 'createdAt', 'id']);
        database.createObjectStore('bodies', { keyPath: 'id' });
        if (oldVersion === 1) await migrateV1(tx);
      },
    });
    return new EvidenceOutbox(db);
  }

  /** Adds evidence unless an entry with the same id (same bytes) is already there. */
  async add(evidence: SealedEvidence, now: Date = new Date()): Promise<OutboxRecord> {
    const tx = this.#db.transaction(['entries', 'bodies'], 'readwrite');
    const entries = tx.objectStore('entries');
    const existing = await entries.get(evidence.id);
    if (existing !== undefined) {
      await tx.done;
      return existing;
    }
    const record: OutboxRecord = {
      id: evidence.id, createdAt: evidence.createdAt, queuedAt: now.toISOString(), byteLength: evidence.bytes.byteLength,
      state: 'pending', attempts: 0, lastError: null,
    };
    await tx.objectStore('bodies').put({ id: evidence.id, bytes: new Uint8Array(evidence.bytes) });
    await entries.put(record);
    await tx.done;
    return record;
  }

  get(id: string): Promise<OutboxRecord | undefined> {
    return this.#db.get('entries', id);
  }

  /** The entry with its bytes. */
  async read(id: string): Promise<OutboxEntry | undefined> {
    const tx = this.#db.transaction(['entries', 'bodies'], 'readonly');
    const [record, body] = await Promise.all([tx.objectStore('entries').get(id), tx.objectStore('bodies').get(id)]);
    await tx.done;
    return record === undefined || body === undefined ? undefined : { ...record, bytes: body.bytes };
  }

  /**
   * The first entry in `state` after `after` (oldest first, ties by id), read by cursor: one
   * record, no bytes. Walk the outbox by passing the previous record back.
   */
  async next(state: OutboxState, after?: Pick<OutboxRecord, 'createdAt' | 'id'>): Promise<OutboxRecord | undefined> {
    const range = after === undefined
      ? IDBKeyRange.bound([state], [state, AFTER_ANY_TIME])
      : IDBKeyRange.bound([state, after.createdAt, after.id], [state, AFTER_ANY_TIME], true);
    const cursor = await this.#db.transaction('entries').store.index('byState').openCursor(range);
    return cursor?.value;
  }

  /** Bookkeeping of the entries (no bytes), oldest first, optionally only one state. */
  async list(state?: OutboxState): Promise<OutboxRecord[]> {
    const states: OutboxState[] = state === undefined ? ['pending', 'rejected', 'expired'] : [state];
    const records: OutboxRecord[] = [];
    for (const each of states) {
      for (let record = await this.next(each); record !== undefined; record = await this.next(each, record)) records.push(record);
    }
    return records.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  }

  /** Counts one failed attempt and sets the entry's state. */
  async recordFailure(id: string, code: EkycErrorCode, state: OutboxState, at: Date = new Date()): Promise<OutboxRecord | undefined> {
    return this.#update(id, (entry) => ({ ...entry, state, attempts: entry.attempts + 1, lastError: { code, at: at.toISOString() } }));
  }

  markExpired(id: string, reason: 'attempts' | 'age'): Promise<OutboxRecord | undefined> {
    return this.#update(id, (entry) => ({ ...entry, state: 'expired', expiredReason: reason }));
  }

  /** Puts an entry back in the queue with a fresh attempt count and age. */
  requeue(id: string, now: Date = new Date()): Promise<OutboxRecord | undefined> {
    return this.#update(id, (entry) => {
      const { expiredReason: _dropped, ...rest } = entry;
      return { ...rest, state: 'pending', attempts: 0, queuedAt: now.toISOString() };
    });
  }

  async remove(id: string): Promise<void> {
    const tx = this.#db.transaction(['entries', 'bodies'], 'readwrite');
    await Promise.all([tx.objectStore('entries').delete(id), tx.objectStore('bodies').delete(id)]);
    await tx.done;
  }

  close(): void {
    this.#db.close();
  }

  async #update(id: string, change: (entry: OutboxRecord) => OutboxRecord): Promise<OutboxRecord | undefined> {
    const tx = this.#db.transaction('entries', 'readwrite');
    const entry = await tx.store.get(id);
    const updated = entry === undefined ? undefined : change(entry);
    if (updated !== undefined) await tx.store.put(updated);
    await tx.done;
    return updated;
  }
}

/** Version 1 kept the bytes inside each entry; move them to `bodies`, one entry at a time. */
async function migrateV1(tx: IDBPTransaction<OutboxSchema, ('entries' | 'bodies')[], 'versionchange'>): Promise<void> {
  const bodies = tx.objectStore('bodies');
  let cursor = await tx.objectStore('entries').openCursor();
  while (cursor !== null) {
    // A version-1 entry: the record with its bytes inline and no queuedAt/byteLength.
    const { bytes, ...record } = cursor.value as OutboxRecord & { bytes: Uint8Array };
    await bodies.put({ id: record.id, bytes });
    await cursor.update({ ...record, queuedAt: record.createdAt, byteLength: bytes.byteLength });
    cursor = await cursor.continue();
  }
}
