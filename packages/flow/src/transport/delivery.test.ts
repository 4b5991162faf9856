import 'fake-indexeddb/auto';
import { EkycError, sealedEvidenceId } from '@ekyc/core';
import { describe, expect, it } from 'vitest';
import { EvidenceDelivery, type DeliveryEvent, type DeliveryEventDetail } from './delivery.ts';
import { EvidenceOutbox } from './outbox.ts';
import type { EvidenceSink, SealedEvidence, SinkReceipt } from './sink.ts';

/** A scripted sink standing in for the network (the I/O boundary). */
class ScriptedSink implements EvidenceSink {
  readonly received: SealedEvidence[] = [];
  outcomes: Array<'ok' | 'offline' | 'rejected'> = [];

  onSend: () => void = () => undefined;

  async send(evidence: SealedEvidence): Promise<SinkReceipt> {
    this.onSend();
    const outcome = this.outcomes.shift() ?? 'ok';
    if (outcome === 'offline') throw new EkycError('transport_failed', 'offline');
    if (outcome === 'rejected') throw new EkycError('transport_rejected', 'refused', { details: { status: 400 } });
    this.received.push({ ...evidence, bytes: new Uint8Array(evidence.bytes) });
    return { id: evidence.id, status: 201, body: null, attempts: 1 };
  }
}

let dbCounter = 0;
const freshName = (): string => `outbox-test-${++dbCounter}`;
const sealed = (seed: number, length = 1_000): Uint8Array => Uint8Array.from({ length }, (_, index) => (index * 13 + seed) & 0xff);

describe('EvidenceOutbox + EvidenceDelivery (fake-indexeddb)', () => {
  it('delivers immediately when the sink accepts and leaves the outbox empty', async () => {
    const outbox = await EvidenceOutbox.open(freshName());
    const sink = new ScriptedSink();
    const result = await new EvidenceDelivery({ outbox, sink }).submit(sealed(1));
    expect(result.delivered).toBe(true);
    expect(sink.received[0]?.bytes).toEqual(sealed(1));
    expect(sink.received[0]?.id).toBe(await sealedEvidenceId(sealed(1)));
    expect(await outbox.list()).toEqual([]);
  });

  it('keeps evidence across a reopen (reload) while offline and sends it on flush', async () => {
    const name = freshName();
    const sink = new ScriptedSink();
    sink.outcomes = ['offline', 'offline'];
    const before = await EvidenceOutbox.open(name);
    const first = await new EvidenceDelivery({ outbox: before, sink }).submit(sealed(2));
    const second = await new EvidenceDelivery({ outbox: before, sink }).submit(sealed(3));
    expect(first.delivered).toBe(false);
    expect(second.delivered).toBe(false);
    before.close();

    const after = await EvidenceOutbox.open(name);
    const pending = await after.list('pending');
    expect(await Promise.all(pending.map(async (entry) => (await after.read(entry.id))?.bytes))).toEqual([sealed(2), sealed(3)]);
    expect(pending.every((entry) => entry.attempts === 1 && entry.lastError?.code === 'transport_failed')).toBe(true);

    const report = await new EvidenceDelivery({ outbox: after, sink }).flush();
    expect(report).toEqual({ delivered: [first.id, second.id], pending: [], rejected: [], expired: [] });
    expect(sink.received.map((item) => item.bytes)).toEqual([sealed(2), sealed(3)]);
    expect(await after.list()).toEqual([]);
  });

  it('flushes when the browser fires "online"', async () => {
    const outbox = await EvidenceOutbox.open(freshName());
    const sink = new ScriptedSink();
    sink.outcomes = ['offline'];
    const delivery = new EvidenceDelivery({ outbox, sink });
    await delivery.submit(sealed(4));
    const target = new EventTarget();
    const stop = delivery.flushWhenOnline(target);
    target.dispatchEvent(new Event('online'));
    await delivery.flush();
    expect(sink.received).toHaveLength(1);
    expect(await outbox.list()).toEqual([]);
    stop();
  });

  it('a final refusal throws, is kept as rejected and is not retried by flush', async () => {
    const outbox = await EvidenceOutbox.open(freshName());
    const sink = new ScriptedSink();
    sink.outcomes = ['rejected'];
    const delivery = new EvidenceDelivery({ outbox, sink });
    const error: unknown = await delivery.submit(sealed(5)).catch((e: unknown) => e);
    expect((error as EkycError).code).toBe('transport_rejected');
    const [rejected] = await outbox.list('rejected');
    expect((await outbox.read(rejected!.id))?.bytes).toEqual(sealed(5));
    expect(await delivery.flush()).toEqual({ delivered: [], pending: [], rejected: [], expired: [] });
    expect(sink.received).toHaveLength(0);
  });

  it('submitting the same bytes twice keeps one entry; concurrent flushes send each entry once', async () => {
    const outbox = await EvidenceOutbox.open(freshName());
    const sink = new ScriptedSink();
    sink.outcomes = ['offline', 'offline'];
    const delivery = new EvidenceDelivery({ outbox, sink });
    await delivery.submit(sealed(6));
    await delivery.submit(sealed(6));
    expect(await outbox.list()).toHaveLength(1);
    expect((await outbox.list())[0]?.attempts).toBe(2);
    const [a, b] = await Promise.all([delivery.flush(), delivery.flush()]);
    expect(a).toBe(b);
    expect(sink.received).toHaveLength(1);
  });

  // Found by attack: a QuotaExceededError from outbox.add escaped raw and nothing was sent.
  it('a full outbox still sends, and reports a typed transport_outbox_unavailable', async () => {
    const outbox = await EvidenceOutbox.open(freshName());
    outbox.add = async () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    const sink = new ScriptedSink();
    const delivery = new EvidenceDelivery({ outbox, sink });
    const events = collect(delivery);
    const result = await delivery.submit(sealed(7));
    expect(result.delivered).toBe(true);
    expect(result.stored).toBe(false);
    expect(result.outboxError?.code).toBe('transport_outbox_unavailable');
    expect(result.outboxError?.details).toMatchObject({ reason: 'QuotaExceededError' });
    expect(sink.received.map((item) => item.bytes)).toEqual([sealed(7)]);
    expect(events.map((event) => event.type)).toEqual(['outbox_unavailable', 'delivered']);

    sink.outcomes = ['offline'];
    const offline = await delivery.submit(sealed(8));
    expect(offline).toMatchObject({ delivered: false, stored: false });
    expect(offline.delivered === false && offline.error.code).toBe('transport_failed');
    expect(offline.outboxError?.code).toBe('transport_outbox_unavailable');
  });

  // Found by reading: flush loaded every bundle's bytes at once (list with bytes) before sending.
  it('flush walks the outbox one entry at a time: one bundle\'s bytes read per send', async () => {
    const outbox = await EvidenceOutbox.open(freshName());
    const sink = new ScriptedSink();
    sink.outcomes = ['offline', 'offline', 'offline', 'offline'];
    const delivery = new EvidenceDelivery({ outbox, sink });
    for (const seed of [10, 11, 12, 13]) await delivery.submit(sealed(seed, 50_000));
    expect((await outbox.list()).every((record) => !('bytes' in record) && record.byteLength === 50_000)).toBe(true);

    const read = outbox.read.bind(outbox);
    let reads = 0;
    outbox.read = (id) => {
      reads += 1;
      return read(id);
    };
    const readsAtSend: number[] = [];
    sink.onSend = () => readsAtSend.push(reads);
    const report = await delivery.flush();
    expect(report.delivered).toHaveLength(4);
    expect(readsAtSend).toEqual([1, 2, 3, 4]);
  });

  // Found by reading: entries were retried forever.
  it('an entry past its attempt cap is reported, kept, no longer sent, and can be retried or discarded', async () => {
    const outbox = await EvidenceOutbox.open(freshName());
    const sink = new ScriptedSink();
    sink.outcomes = ['offline', 'offline', 'offline'];
    const delivery = new EvidenceDelivery({ outbox, sink, limits: { maxAttempts: 3 } });
    const events = collect(delivery);
    const { id } = await delivery.submit(sealed(20));
    await delivery.flush();
    const report = await delivery.flush();
    expect(report).toEqual({ delivered: [], pending: [], rejected: [], expired: [id] });
    expect(events.filter((event) => event.type === 'expired')).toEqual([
      expect.objectContaining({ type: 'expired', id, reason: 'attempts', record: expect.objectContaining({ state: 'expired', attempts: 3 }) }),
    ]);
    const expiredEvent = events.find((event) => event.type === 'expired');
    expect(expiredEvent?.type === 'expired' && expiredEvent.error.code).toBe('transport_outbox_expired');
    expect(expiredEvent?.type === 'expired' && expiredEvent.error.details).toEqual({ id, reason: 'attempts', attempts: 3, lastCode: 'transport_failed' });
    expect(await delivery.flush()).toEqual({ delivered: [], pending: [], rejected: [], expired: [] });
    expect(sink.received).toHaveLength(0);
    expect((await delivery.listExpired()).map((record) => record.id)).toEqual([id]);
    expect((await outbox.read(id))?.bytes).toEqual(sealed(20));

    const retried = await delivery.retry(id);
    expect(retried.delivered).toBe(true);
    expect(sink.received.map((item) => item.bytes)).toEqual([sealed(20)]);
    expect(await outbox.list()).toEqual([]);

    sink.outcomes = ['offline', 'offline', 'offline'];
    const other = await delivery.submit(sealed(21));
    await delivery.flush();
    await delivery.flush();
    expect((await delivery.listExpired()).map((record) => record.id)).toEqual([other.id]);
    await delivery.discard(other.id);
    expect(await outbox.list()).toEqual([]);
  });

  it('an entry older than the age cap is expired without another send', async () => {
    const outbox = await EvidenceOutbox.open(freshName());
    const sink = new ScriptedSink();
    sink.outcomes = ['offline'];
    let now = new Date('2025-03-01T10:00:00Z');
    const delivery = new EvidenceDelivery({ outbox, sink, limits: { maxAgeMs: 60_000 }, now: () => now });
    const events = collect(delivery);
    const { id } = await delivery.submit(sealed(22));
    now = new Date('2025-03-01T10:01:01Z');
    expect(await delivery.flush()).toEqual({ delivered: [], pending: [], rejected: [], expired: [id] });
    expect(sink.received).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: 'expired', id, reason: 'age' });
    expect((await outbox.get(id))?.state).toBe('expired');
  });

  it('opens a version-1 outbox (bytes inside entries) and keeps its entries', async () => {
    const name = freshName();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore('entries', { keyPath: 'id' });
        store.createIndex('createdAt', 'createdAt');
        store.put({ id: 'a'.repeat(64), bytes: sealed(30), createdAt: '2025-03-01T10:00:00.000Z', state: 'pending', attempts: 2, lastError: null });
      };
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    const outbox = await EvidenceOutbox.open(name);
    expect(await outbox.read('a'.repeat(64))).toMatchObject({ bytes: sealed(30), attempts: 2, byteLength: 1_000, queuedAt: '2025-03-01T10:00:00.000Z', state: 'pending' });
  });
});

function collect(delivery: EvidenceDelivery): DeliveryEventDetail[] {
  const events: DeliveryEventDetail[] = [];
  for (const type of ['delivered', 'retry_later', 'rejected', 'expired', 'outbox_unavailable']) {
    delivery.addEventListener(type, (event) => events.push((event as DeliveryEvent).detail));
  }
  return events;
}
