import { describe, expect, it } from 'vitest';
import { EkycError } from '../errors.ts';
import { ChunkAssembler, MemoryChunkStore } from './chunk-assembler.ts';
import {
  evidenceAck, evidencePartial, missingRanges, parseChunkHeader, parseEvidenceAck, parseEvidencePartial, planChunks,
  readUploadRequest, sealedEvidenceId,
} from './upload-protocol.ts';

const payload = Uint8Array.from({ length: 10_000 }, (_, index) => (index * 7) & 0xff);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EkycError);
  return (error as EkycError).code;
}

async function pendingCount(store: MemoryChunkStore): Promise<number> {
  return (await store.totals()).uploads;
}

describe('upload protocol', () => {
  it('plans chunks that cover every byte once', () => {
    expect(planChunks(10_000, 4_000)).toEqual([
      { index: 0, start: 0, end: 4_000 }, { index: 1, start: 4_000, end: 8_000 }, { index: 2, start: 8_000, end: 10_000 },
    ]);
    expect(planChunks(0, 4_000)).toEqual([{ index: 0, start: 0, end: 0 }]);
  });

  it('parses only well-formed chunk headers', () => {
    expect(parseChunkHeader('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['3/3', '0/0', '-1/2', '1/2/3', 'a/b', '']) expect(parseChunkHeader(bad)).toBeNull();
  });

  it('reads upload headers and refuses malformed ones with evidence_upload_invalid', async () => {
    const key = await sealedEvidenceId(payload);
    const headers = (values: Record<string, string>) => (name: string) => values[name];
    expect(readUploadRequest(headers({ 'Idempotency-Key': key }))).toEqual({ kind: 'whole', key });
    expect(readUploadRequest(headers({ 'Idempotency-Key': key, 'Evidence-Chunk': '1/3', 'Evidence-Total-Bytes': '10000' })))
      .toEqual({ kind: 'chunk', key, index: 1, count: 3, totalBytes: 10_000 });
    const malformed: Record<string, string>[] = [{}, { 'Idempotency-Key': key.toUpperCase() }, { 'Idempotency-Key': key, 'Evidence-Chunk': '1/3' }, { 'Idempotency-Key': key, 'Evidence-Chunk': '1/3', 'Evidence-Total-Bytes': 'NaN' }];
    for (const bad of malformed) {
      expect(() => readUploadRequest(headers(bad))).toThrow(expect.objectContaining({ code: 'evidence_upload_invalid' }));
    }
  });

  it('an acknowledgement counts only when it echoes the key', async () => {
    const key = await sealedEvidenceId(payload);
    const other = await sealedEvidenceId(payload.subarray(1));
    const ack = evidenceAck(key, { receivedAt: new Date('2025-03-01T10:00:00Z'), sessionId: 's-1' });
    expect(ack).toEqual({ type: 'ekyc.evidence.ack', version: 1, idempotencyKey: key, receivedAt: '2025-03-01T10:00:00.000Z', sessionId: 's-1' });
    expect(parseEvidenceAck(JSON.parse(JSON.stringify(ack)), key)).toEqual(ack);
    expect(parseEvidenceAck({ ...ack, extra: true }, key)).not.toBeNull();
    expect(parseEvidenceAck(ack, other)).toBeNull();
    for (const bad of [null, '<html>Welcome to the hotel Wi-Fi</html>', { status: 'complete' }, { ...ack, version: 2 }, { ...ack, type: 'ekyc.evidence.partial' }, { ...ack, receivedAt: 'yesterday' }]) {
      expect(parseEvidenceAck(bad, key)).toBeNull();
    }
  });

  it('missing chunks are answered as sorted half-open ranges, and checked on reading', async () => {
    const key = await sealedEvidenceId(payload);
    expect(missingRanges(10, [0, 1, 4, 9])).toEqual([[2, 4], [5, 9]]);
    expect(missingRanges(3, [0, 1, 2])).toEqual([]);
    expect(missingRanges(999_999, [])).toEqual([[0, 999_999]]);
    expect(parseEvidencePartial(evidencePartial(key, [[2, 4], [5, 9]]), key, 10)).toEqual([[2, 4], [5, 9]]);
    for (const ranges of [[[5, 9], [2, 4]], [[2, 4], [3, 5]], [[2, 2]], [[8, 11]]]) {
      expect(parseEvidencePartial({ type: 'ekyc.evidence.partial', version: 1, idempotencyKey: key, missing: ranges }, key, 10)).toBeNull();
    }
    expect(parseEvidencePartial({ status: 'partial', missing: [1] }, key, 10)).toBeNull();
  });

  it('reassembles chunks arriving out of order and repeated', async () => {
    const key = await sealedEvidenceId(payload);
    const store = new MemoryChunkStore();
    const assembler = new ChunkAssembler({ maxTotalBytes: 1 << 20, store });
    const spans = planChunks(payload.byteLength, 4_000);
    const send = (index: number) => {
      const span = spans[index]!;
      return assembler.accept({ key, index, count: spans.length, totalBytes: payload.byteLength, bytes: payload.subarray(span.start, span.end) });
    };
    expect(await send(2)).toEqual({ status: 'partial', missing: [[0, 2]] });
    expect(await send(2)).toEqual({ status: 'partial', missing: [[0, 2]] });
    expect(await send(0)).toEqual({ status: 'partial', missing: [[1, 2]] });
    const done = await send(1);
    expect(done.status === 'complete' && done.sealed).toEqual(payload);
    expect(await store.totals()).toEqual({ uploads: 0, bytes: 0 });
  });

  it('refuses oversize uploads, a hash that differs from the key, and inconsistent chunks', async () => {
    const key = await sealedEvidenceId(payload);
    const small = new ChunkAssembler({ maxTotalBytes: 5_000 });
    expect(await codeOf(small.accept({ key, index: 0, count: 1, totalBytes: payload.byteLength, bytes: payload }))).toBe('evidence_too_large');

    const assembler = new ChunkAssembler({ maxTotalBytes: 1 << 20 });
    const tampered = payload.slice();
    tampered[5] = 0xff - tampered[5]!;
    expect(await codeOf(assembler.accept({ key, index: 0, count: 1, totalBytes: payload.byteLength, bytes: tampered }))).toBe('evidence_hash_mismatch');

    await assembler.accept({ key, index: 0, count: 2, totalBytes: payload.byteLength, bytes: payload.subarray(0, 5_000) });
    expect(await codeOf(assembler.accept({ key, index: 1, count: 3, totalBytes: payload.byteLength, bytes: payload.subarray(5_000) }))).toBe('evidence_upload_invalid');
    expect(await codeOf(assembler.accept({ key, index: 1, count: 2, totalBytes: payload.byteLength, bytes: payload.subarray(4_000) }))).toBe('evidence_upload_invalid');
    expect(await codeOf(assembler.accept({ key: 'not-a-hash', index: 0, count: 1, totalBytes: 1, bytes: payload.subarray(0, 1) }))).toBe('evidence_upload_invalid');
  });

  // Found by attack: one 0-byte chunk announcing 999999 chunks made a 6.9 MB answer and, with
  // the default cap, blocked every later upload until restart.
  it('a 0-byte chunk announcing 999999 chunks is refused before any state is created', async () => {
    const key = await sealedEvidenceId(payload);
    const store = new MemoryChunkStore();
    const assembler = new ChunkAssembler({ maxTotalBytes: 32 << 20, store });
    expect(await codeOf(assembler.accept({ key, index: 0, count: 999_999, totalBytes: 32 << 20, bytes: new Uint8Array(0) }))).toBe('evidence_upload_invalid');
    expect(await codeOf(assembler.accept({ key, index: 0, count: 999_999, totalBytes: 999_999, bytes: new Uint8Array(1) }))).toBe('evidence_upload_invalid');
    expect(await pendingCount(store)).toBe(0);
  });

  it('a NaN total, a bad first chunk or an oversize chunk leaves nothing behind', async () => {
    const key = await sealedEvidenceId(payload);
    const store = new MemoryChunkStore();
    const assembler = new ChunkAssembler({ maxTotalBytes: 1 << 20, maxChunkBytes: 4_096, store });
    const cases = [
      { key, index: 0, count: 3, totalBytes: Number.NaN, bytes: payload.subarray(0, 4_000) },
      { key, index: 5, count: 3, totalBytes: 10_000, bytes: payload.subarray(0, 4_000) },
      { key, index: 0, count: 2, totalBytes: 10_000, bytes: payload.subarray(0, 5_000) },
      { key, index: 0, count: 3, totalBytes: 10_000, bytes: payload.subarray(0, 0) },
      { key, index: 0, count: 3, totalBytes: 2, bytes: payload.subarray(0, 1) },
      { key, index: 0, count: 3, totalBytes: 10_000, bytes: payload.subarray(0, 5_000) },
    ];
    for (const chunk of cases) expect(await codeOf(assembler.accept(chunk))).toBe('evidence_upload_invalid');
    expect(await pendingCount(store)).toBe(0);
  });

  it('bounds pending uploads by count and by bytes, answering evidence_upload_busy', async () => {
    const keys = await Promise.all([1, 2, 3].map((n) => sealedEvidenceId(payload.subarray(n))));
    const byCount = new ChunkAssembler({ maxTotalBytes: 1 << 20, maxPendingUploads: 2 });
    await byCount.accept({ key: keys[0]!, index: 0, count: 2, totalBytes: 8_000, bytes: payload.subarray(0, 4_000) });
    await byCount.accept({ key: keys[1]!, index: 0, count: 2, totalBytes: 8_000, bytes: payload.subarray(0, 4_000) });
    expect(await codeOf(byCount.accept({ key: keys[2]!, index: 0, count: 2, totalBytes: 8_000, bytes: payload.subarray(0, 4_000) }))).toBe('evidence_upload_busy');

    const store = new MemoryChunkStore();
    const byBytes = new ChunkAssembler({ maxTotalBytes: 1 << 20, maxPendingBytes: 6_000, store });
    await byBytes.accept({ key: keys[0]!, index: 0, count: 2, totalBytes: 8_000, bytes: payload.subarray(0, 4_000) });
    expect(await codeOf(byBytes.accept({ key: keys[1]!, index: 0, count: 2, totalBytes: 8_000, bytes: payload.subarray(0, 4_000) }))).toBe('evidence_upload_busy');
    expect(await store.totals()).toEqual({ uploads: 1, bytes: 4_000 });
  });

  it('expires idle uploads (injectable clock), freeing room for new ones', async () => {
    const [a, b] = await Promise.all([1, 2].map((n) => sealedEvidenceId(payload.subarray(n))));
    let now = 0;
    const store = new MemoryChunkStore();
    const assembler = new ChunkAssembler({ maxTotalBytes: 1 << 20, maxPendingUploads: 1, idleTimeoutMs: 60_000, store, now: () => now });
    await assembler.accept({ key: a!, index: 0, count: 2, totalBytes: 8_000, bytes: payload.subarray(0, 4_000) });
    now = 59_000;
    expect(await codeOf(assembler.accept({ key: b!, index: 0, count: 2, totalBytes: 8_000, bytes: payload.subarray(0, 4_000) }))).toBe('evidence_upload_busy');
    now = 121_000;
    expect(await assembler.accept({ key: b!, index: 0, count: 2, totalBytes: 8_000, bytes: payload.subarray(0, 4_000) })).toEqual({ status: 'partial', missing: [[1, 2]] });
    expect(await store.get(a!)).toBeUndefined();
    expect(await store.totals()).toEqual({ uploads: 1, bytes: 4_000 });
  });

  it('chunks of a new upload arriving at once share one upload and leave the byte count exact', async () => {
    const key = await sealedEvidenceId(payload);
    const store = new MemoryChunkStore();
    const assembler = new ChunkAssembler({ maxTotalBytes: 1 << 20, store });
    const spans = planChunks(payload.byteLength, 4_000);
    const results = await Promise.all(spans.map((span) => assembler.accept({ key, index: span.index, count: spans.length, totalBytes: payload.byteLength, bytes: payload.subarray(span.start, span.end) })));
    expect(results.filter((result) => result.status === 'complete')).toHaveLength(1);
    expect(await store.totals()).toEqual({ uploads: 0, bytes: 0 });
  });
});
