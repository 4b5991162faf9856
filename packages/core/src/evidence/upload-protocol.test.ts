import { describe, expect, it } from 'vitest';
import { EkycError } from '../errors.ts';
import { ChunkAssembler, parseChunkHeader, planChunks, sealedEvidenceId } from './upload-protocol.ts';

const payload = Uint8Array.from({ length: 10_000 }, (_, index) => (index * 7) & 0xff);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EkycError);
  return (error as EkycError).code;
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

  it('reassembles chunks arriving out of order and repeated', async () => {
    const key = await sealedEvidenceId(payload);
    const assembler = new ChunkAssembler({ maxTotalBytes: 1 << 20 });
    const spans = planChunks(payload.byteLength, 4_000);
    const send = (index: number) => {
      const span = spans[index]!;
      return assembler.accept({ key, index, count: spans.length, totalBytes: payload.byteLength, bytes: payload.subarray(span.start, span.end) });
    };
    expect(await send(2)).toEqual({ status: 'partial', missing: [0, 1] });
    expect(await send(2)).toEqual({ status: 'partial', missing: [0, 1] });
    expect(await send(0)).toEqual({ status: 'partial', missing: [1] });
    const done = await send(1);
    expect(done.status === 'complete' && done.sealed).toEqual(payload);
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
    expect(await codeOf(assembler.accept({ key, index: 1, count: 3, totalBytes: payload.byteLength, bytes: payload.subarray(5_000) }))).toBe('invalid_argument');
    expect(await codeOf(assembler.accept({ key, index: 1, count: 2, totalBytes: payload.byteLength, bytes: payload.subarray(4_000) }))).toBe('invalid_argument');
    expect(await codeOf(assembler.accept({ key: 'not-a-hash', index: 0, count: 1, totalBytes: 1, bytes: payload.subarray(0, 1) }))).toBe('invalid_argument');
  });
});
