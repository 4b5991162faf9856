import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@ekyc/core';
import { assetProgressOf } from './asset-progress.ts';
import { readVerifiedBody, type AssetLoadProgress, type ExpectedAsset } from './read-verified.ts';

/** Seeded bytes (xorshift32): a stand-in for a model file. */
function fileBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let x = 0x2545f491;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/**
 * A real ReadableStream fed `bytes` in chunks of `chunk` bytes, one per pull; `clock.t` moves
 * `msPerChunk` with each chunk, so the throttle sees the body arrive over time.
 */
function chunked(bytes: Uint8Array, chunk: number, clock: { t: number }, msPerChunk: number, options: { breakAfter?: number } = {}): ReadableStream<Uint8Array> {
  let offset = 0;
  let pulls = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (options.breakAfter !== undefined && pulls++ === options.breakAfter) {
        controller.error(new TypeError('network error'));
        return;
      }
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      clock.t += msPerChunk;
      // A copy per chunk, as the network stack hands out fresh buffers.
      controller.enqueue(bytes.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

async function expected(bytes: Uint8Array<ArrayBuffer>, id = 'model'): Promise<ExpectedAsset> {
  return { id, url: `http://127.0.0.1:5173/ekyc/models/${id}.onnx`, sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
}

describe('readVerifiedBody', () => {
  const file = fileBytes(1_000_000);

  it('returns the verified bytes and reports monotone progress, throttled to 10 a second, ending at the total', async () => {
    const clock = { t: 0 };
    const events: AssetLoadProgress[] = [];
    // 1 MB in 16 KiB chunks (62 chunks), 20 ms apart: 1.24 s of download.
    const body = chunked(file, 16_384, clock, 20);
    const bytes = await readVerifiedBody(body, await expected(file), { onProgress: (p) => events.push(p), now: () => clock.t });
    expect(Buffer.from(bytes.buffer).equals(file)).toBe(true);
    expect(bytes.buffer.byteLength).toBe(file.byteLength);
    expect(events.every((e) => e.id === 'model' && e.total === 1_000_000)).toBe(true);
    const loaded = events.map((e) => e.loaded);
    for (let i = 1; i < loaded.length; i++) expect(loaded[i]!).toBeGreaterThan(loaded[i - 1]!);
    expect(loaded.at(-1)).toBe(1_000_000);
    expect(loaded.filter((l) => l > 0 && l < 1_000_000).length).toBeGreaterThanOrEqual(5);
    // 62 chunks over 1.24 s: at most one per 100 ms (13), plus the last; never one per chunk.
    expect(events.length).toBeLessThanOrEqual(14);
  });

  it('reports at the first chunk and at the end when the body arrives faster than the throttle', async () => {
    const clock = { t: 0 };
    const events: AssetLoadProgress[] = [];
    await readVerifiedBody(chunked(file, 65_536, clock, 0), await expected(file), { onProgress: (p) => events.push(p), now: () => clock.t });
    expect(events.map((e) => e.loaded)).toEqual([65_536, 1_000_000]);
  });

  it('rejects bytes whose sha256 differs, after reading them, as asset_hash_mismatch', async () => {
    const tampered = file.slice();
    tampered[500_000] = tampered[500_000]! ^ 0x01;
    const clock = { t: 0 };
    const error = await readVerifiedBody(chunked(tampered, 16_384, clock, 1), await expected(file)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'asset_hash_mismatch', recoverable: false, details: { id: 'model', expected: await sha256Hex(file), actual: await sha256Hex(tampered) } });
  });

  it('rejects a body that ends before the manifest size as asset_truncated, with what came', async () => {
    const clock = { t: 0 };
    const events: AssetLoadProgress[] = [];
    const short = file.slice(0, 600_000);
    const error = await readVerifiedBody(chunked(short, 16_384, clock, 20), await expected(file), { onProgress: (p) => events.push(p), now: () => clock.t }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'asset_truncated', recoverable: true, details: { id: 'model', expectedBytes: 1_000_000, receivedBytes: 600_000 } });
    expect(events.at(-1)!.loaded).toBeLessThan(1_000_000);
  });

  it('rejects a body whose connection breaks mid-way as asset_truncated', async () => {
    const clock = { t: 0 };
    const error = await readVerifiedBody(chunked(file, 16_384, clock, 1, { breakAfter: 10 }), await expected(file)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'asset_truncated', recoverable: true, details: { id: 'model' } });
  });

  it('stops reading a body longer than the manifest size and rejects it as asset_hash_mismatch', async () => {
    const clock = { t: 0 };
    let pulled = 0;
    const longer = new Uint8Array(2_000_000);
    longer.set(file);
    const source = chunked(longer, 100_000, clock, 1);
    const counting = source.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform(chunk, controller) { pulled += chunk.byteLength; controller.enqueue(chunk); } }));
    const error = await readVerifiedBody(counting, await expected(file)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'asset_hash_mismatch', details: { expectedBytes: 1_000_000, bytesAtLeast: 1_100_000 } });
    // Cancelled after the chunk that overflowed: far from all 2 MB were pulled.
    expect(pulled).toBeLessThan(1_500_000);
  });

  it('reads a body with no manifest size and reports its length as the total at the end', async () => {
    const clock = { t: 0 };
    const events: AssetLoadProgress[] = [];
    const asset = { ...(await expected(file)), bytes: Number.NaN };
    const bytes = await readVerifiedBody(chunked(file, 16_384, clock, 20), asset, { onProgress: (p) => events.push(p), now: () => clock.t });
    expect(Buffer.from(bytes.buffer).equals(file)).toBe(true);
    expect(events.slice(0, -1).every((e) => e.total === null)).toBe(true);
    expect(events.at(-1)).toEqual({ id: 'model', loaded: 1_000_000, total: 1_000_000 });
  });

  it('reads an empty asset from a missing body', async () => {
    const empty = new Uint8Array(0);
    expect(await readVerifiedBody(null, await expected(empty))).toEqual(empty);
    await expect(readVerifiedBody(null, await expected(file))).rejects.toMatchObject({ code: 'asset_truncated' });
  });
});

describe('assetProgressOf', () => {
  it('reads the progress messages a worker posts and ignores comlink and other messages', () => {
    expect(assetProgressOf({ ekycAssetProgress: { id: 'ppocr-rec', loaded: 10, total: 20 } })).toEqual({ id: 'ppocr-rec', loaded: 10, total: 20 });
    expect(assetProgressOf({ id: 'f3a9', type: 'RETURN', value: 1 })).toBeNull();
    expect(assetProgressOf({ ekycAssetProgress: { id: 'x', loaded: '10', total: 20 } })).toBeNull();
    expect(assetProgressOf(null)).toBeNull();
  });
});
