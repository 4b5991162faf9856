import { EkycError, sha256Hex } from '@ekyc/core';

/** Bytes of one asset received so far. `total` is the manifest's size, null when the manifest gives none. */
export interface AssetLoadProgress {
  id: string;
  loaded: number;
  total: number | null;
}

/** What a body is read against: the manifest entry of the asset, and where it came from (for errors). */
export interface ExpectedAsset {
  id: string;
  url: string;
  sha256: string;
  /** The manifest's size: the reader allocates it once and fills it in place. */
  bytes: number;
}

export interface ReadVerifiedOptions {
  onProgress?: (progress: AssetLoadProgress) => void;
  /** At most one progress report per this many ms while bytes arrive (the first chunk and the end always report). Default 100: 10 a second. */
  minIntervalMs?: number;
  /** Clock for the throttle; default `performance.now`. */
  now?: () => number;
}

const DEFAULT_INTERVAL_MS = 100;

/**
 * Reads a response body chunk by chunk into one buffer, reports the bytes received (throttled),
 * then checks the sha256 before anything may use the bytes.
 *
 * The total is the manifest's size, not `Content-Length`: with `Content-Encoding: gzip` that header
 * counts compressed bytes while the stream yields decompressed ones. Knowing the size, the reader
 * fills one buffer of exactly that size, so a 10 MB model is held once, not once in chunks and once
 * joined. A body that ends early, or whose connection breaks, is `asset_truncated`; one longer than the manifest says cannot be
 * the asset and is `asset_hash_mismatch` without reading the rest.
 */
export async function readVerifiedBody(body: ReadableStream<Uint8Array> | null, asset: ExpectedAsset, options: ReadVerifiedOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const sized = Number.isSafeInteger(asset.bytes) && asset.bytes >= 0;
  const total = sized ? asset.bytes : null;
  const report = throttledReporter(asset.id, total, options);
  const bytes = sized ? await readSized(body, asset, report) : await readUnsized(body, asset, report);
  report(bytes.byteLength, true);
  const actual = await sha256Hex(bytes);
  if (actual !== asset.sha256) {
    throw new EkycError('asset_hash_mismatch', `Asset "${asset.id}" does not match its manifest sha256`, {
      details: { id: asset.id, url: asset.url, expected: asset.sha256, actual, bytes: bytes.byteLength },
    });
  }
  return bytes;
}

type Report = (loaded: number, final?: boolean) => void;

function throttledReporter(id: string, total: number | null, options: ReadVerifiedOptions): Report {
  const { onProgress } = options;
  if (!onProgress) return () => undefined;
  const interval = options.minIntervalMs ?? DEFAULT_INTERVAL_MS;
  const now = options.now ?? (() => performance.now());
  let last = Number.NEGATIVE_INFINITY;
  return (loaded, final = false) => {
    const t = now();
    if (!final && t - last < interval) return;
    last = t;
    onProgress({ id, loaded, total: total ?? (final ? loaded : null) });
  };
}

async function readSized(body: ReadableStream<Uint8Array> | null, asset: ExpectedAsset, report: Report): Promise<Uint8Array<ArrayBuffer>> {
  const target = new Uint8Array(asset.bytes);
  let loaded = 0;
  await eachChunk(body, asset, (chunk) => {
    if (loaded + chunk.byteLength > target.byteLength) {
      throw new EkycError('asset_hash_mismatch', `Asset "${asset.id}" is longer than its manifest size`, {
        details: { id: asset.id, url: asset.url, expectedBytes: asset.bytes, bytesAtLeast: loaded + chunk.byteLength },
      });
    }
    target.set(chunk, loaded);
    loaded += chunk.byteLength;
    report(loaded);
  });
  if (loaded < target.byteLength) {
    throw new EkycError('asset_truncated', `Asset "${asset.id}" ended after ${loaded} of ${target.byteLength} bytes`, {
      details: { id: asset.id, url: asset.url, expectedBytes: target.byteLength, receivedBytes: loaded },
    });
  }
  return target;
}

/** A manifest without a size (an integrator's own): chunks are kept and joined once at the end. */
async function readUnsized(body: ReadableStream<Uint8Array> | null, asset: ExpectedAsset, report: Report): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  await eachChunk(body, asset, (chunk) => {
    chunks.push(chunk);
    loaded += chunk.byteLength;
    report(loaded);
  });
  const joined = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks.splice(0)) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

async function eachChunk(body: ReadableStream<Uint8Array> | null, asset: ExpectedAsset, onChunk: (chunk: Uint8Array) => void): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (cause) {
      // The connection broke mid-body (Chromium: a "network error" when fewer bytes than Content-Length came).
      throw new EkycError('asset_truncated', `Reading asset "${asset.id}" broke off mid-body`, { cause, details: { id: asset.id, url: asset.url } });
    }
    if (next.done) return;
    try {
      onChunk(next.value);
    } catch (error) {
      // Stop the download: nothing more of this body can be used.
      await reader.cancel().catch(() => undefined);
      throw error;
    }
  }
}
