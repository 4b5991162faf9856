import 'fake-indexeddb/auto';
import { EkycError, sealedEvidenceId } from '@ekyc/core';
import { describe, expect, it } from 'vitest';
import { EvidenceDelivery } from './delivery.ts';
import { EvidenceOutbox } from './outbox.ts';
import type { EvidenceSink, SealedEvidence, SinkReceipt } from './sink.ts';

/** A scripted sink standing in for the network (the I/O boundary). */
class ScriptedSink implements EvidenceSink {
  readonly received: SealedEvidence[] = [];
  outcomes: Array<'ok' | 'offline' | 'rejected'> = [];

  async send(evidence: SealedEvidence): Promise<SinkReceipt> {
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
    expect(pending.map((entry) => entry.bytes)).toEqual([sealed(2), sealed(3)]);
    expect(pending.every((entry) => entry.attempts === 1 && entry.lastError?.code === 'transport_failed')).toBe(true);

    const report = await new EvidenceDelivery({ outbox: after, sink }).flush();
    expect(report).toEqual({ delivered: [first.id, second.id], pending: [], rejected: [] });
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
    expect((await outbox.list('rejected')).map((entry) => entry.bytes)).toEqual([sealed(5)]);
    expect(await delivery.flush()).toEqual({ delivered: [], pending: [], rejected: [] });
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
});
