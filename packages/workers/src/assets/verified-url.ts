import { findAsset, type RuntimeManifest } from '@ekyc/core';
import { fetchRuntimeFile } from './fetch-asset.ts';
import { runtimeManifest } from './manifests.ts';

/**
 * Runtime code is run from the bytes that passed the hash check, never fetched again by URL: a
 * server (or anything between it and the page) could answer a second request differently.
 * JavaScript goes through a `blob:` URL made from the verified bytes (an `import()` or a worker
 * script reads it without a network request); wasm binaries go to their loader as bytes.
 * A blob URL needs `blob:` in the page's `script-src` (and `worker-src` where the loader starts
 * workers from it): see docs/runtime.md, "Content Security Policy".
 */

/** The media type a blob URL of a runtime file is created with, from its file name. */
export function runtimeMediaType(file: string): string {
  const name = file.toLowerCase();
  if (name.endsWith('.wasm')) return 'application/wasm';
  if (name.endsWith('.mjs') || name.endsWith('.js')) return 'text/javascript';
  return 'application/octet-stream';
}

/** A private copy of verified bytes as a plain ArrayBuffer, the form Emscripten's `wasmBinary` takes. */
export function exactArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

export interface VerifiedRuntimeUrl {
  /** `blob:` URL of the verified bytes; stays valid until `revoke()`. */
  readonly url: string;
  /**
   * The same URL with `#<file name>` appended, for loaders that decide by how a URL ends (tesseract.js
   * takes a `corePath` that does not end in `js` for a folder). A fragment does not change what a
   * `blob:` URL resolves to.
   */
  readonly namedUrl: string;
  /** The verified bytes the URL serves. */
  readonly bytes: Uint8Array;
  revoke(): void;
}

/** `url` with the last path segment of `file` as its fragment (see `VerifiedRuntimeUrl.namedUrl`). */
export function namedObjectUrl(url: string, file: string): string {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return `${url.split('#')[0]}#${encodeURIComponent(name)}`;
}

/**
 * Fetches a runtime file once, checks its sha256 against the manifest and returns a `blob:` URL
 * of exactly those bytes. The Blob copies the bytes, so later changes to `bytes` do not reach it.
 * Revoke it once the loader no longer needs it (after its `import()` settled, or when the workers
 * started from it are gone).
 */
export async function fetchRuntimeObjectUrl(id: string, baseUrl: string, manifest: RuntimeManifest = runtimeManifest): Promise<VerifiedRuntimeUrl> {
  const bytes = await fetchRuntimeFile(id, baseUrl, manifest);
  return objectUrlOfVerified(bytes, findAsset(manifest, id).file);
}

/**
 * A `blob:` URL of bytes the caller already verified (`fetchModel`, `fetchRuntimeFile`), named after
 * `file`. Used for data a loader insists on fetching itself, such as tesseract.js traineddata
 * (`langPath: url + '#'`: tesseract appends `/<lang>.traineddata.gz`, which lands in the fragment).
 */
export function objectUrlOfVerified(bytes: Uint8Array, file: string): VerifiedRuntimeUrl {
  const url = URL.createObjectURL(new Blob([exactArrayBuffer(bytes)], { type: runtimeMediaType(file) }));
  return { url, namedUrl: namedObjectUrl(url, file), bytes, revoke: () => URL.revokeObjectURL(url) };
}

/**
 * Imports an ES module from verified bytes (a `blob:` URL, revoked once the import settled: the
 * module map keeps the evaluated module).
 */
export async function importVerifiedModule<T>(id: string, baseUrl: string, manifest: RuntimeManifest = runtimeManifest): Promise<T> {
  const verified = await fetchRuntimeObjectUrl(id, baseUrl, manifest);
  try {
    return (await import(/* @vite-ignore */ verified.url)) as T;
  } finally {
    verified.revoke();
  }
}
