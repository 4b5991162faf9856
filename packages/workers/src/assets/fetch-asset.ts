import { EkycError, findAsset, type ModelManifest, type RuntimeManifest } from '@ekyc/core';
import { postAssetProgress } from './asset-progress.ts';
import { modelManifest, runtimeManifest } from './manifests.ts';
import { readVerifiedBody, type AssetLoadProgress } from './read-verified.ts';

/**
 * Every byte the SDK runs comes through here: fetched from the integrator's own origin
 * (`assetBaseUrl`), streamed with progress, then checked against the manifest's sha256 before
 * anything uses it (read-verified.ts).
 */

export type AssetGroup = 'models' | 'wasm';

export function assetUrl(baseUrl: string, group: AssetGroup, file: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL(`${group}/${file}`, new URL(base, globalThis.location?.href)).href;
}

export interface FetchAssetOptions {
  /** Bytes received so far; default: posted to the worker's host (see asset-progress.ts), nothing on a page. */
  onProgress?: (progress: AssetLoadProgress) => void;
}

async function fetchOk(url: string, id: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (cause) {
    throw new EkycError('asset_fetch_failed', `Fetching asset "${id}" failed`, { cause, details: { id, url } });
  }
  if (!response.ok) {
    throw new EkycError('asset_fetch_failed', `Fetching asset "${id}" returned HTTP ${response.status}`, {
      details: { id, url, status: response.status },
    });
  }
  return response;
}

function readVerified(response: Response, url: string, asset: { id: string; sha256: string; bytes: number }, options: FetchAssetOptions): Promise<Uint8Array<ArrayBuffer>> {
  return readVerifiedBody(response.body, { id: asset.id, url, sha256: asset.sha256, bytes: asset.bytes }, { onProgress: options.onProgress ?? postAssetProgress });
}

async function fetchVerified(url: string, asset: { id: string; sha256: string; bytes: number }, options: FetchAssetOptions): Promise<Uint8Array<ArrayBuffer>> {
  return readVerified(await fetchOk(url, asset.id), url, asset, options);
}

export async function fetchModel(id: string, baseUrl: string, manifest: ModelManifest = modelManifest, options: FetchAssetOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const asset = findAsset(manifest, id);
  return fetchVerified(assetUrl(baseUrl, 'models', asset.file), asset, options);
}

export async function fetchRuntimeFile(id: string, baseUrl: string, manifest: RuntimeManifest = runtimeManifest, options: FetchAssetOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const asset = findAsset(manifest, id);
  return fetchVerified(assetUrl(baseUrl, 'wasm', asset.file), asset, options);
}

/**
 * A runtime's wasm binary, compiled (not instantiated) once its bytes passed the hash check.
 *
 * Served as `application/wasm`, it is compiled by `WebAssembly.compileStreaming` from a clone of the
 * one response while the original body is read and hashed: both branches carry the same bytes (one
 * request, no second answer to trust), compilation overlaps the download, and Chromium can keep the
 * compiled code beside the HTTP cache entry. The module is returned only after the hash matched;
 * the caller instantiates it. Any other media type (a misconfigured server), or a browser without
 * streaming compilation, compiles the verified bytes instead: slower, same result.
 */
export async function compileRuntimeWasm(id: string, baseUrl: string, manifest: RuntimeManifest = runtimeManifest, options: FetchAssetOptions = {}): Promise<WebAssembly.Module> {
  const asset = findAsset(manifest, id);
  const url = assetUrl(baseUrl, 'wasm', asset.file);
  const response = await fetchOk(url, id);
  const streamed = isWasmMediaType(response.headers.get('content-type')) && typeof WebAssembly.compileStreaming === 'function'
    ? WebAssembly.compileStreaming(response.clone())
    : undefined;
  // Not awaited until the hash passed; a body that fails the check leaves this to be dropped.
  streamed?.catch(() => undefined);
  const bytes = await readVerified(response, url, asset, options);
  if (streamed) {
    try {
      return await streamed;
    } catch {
      // compile the verified bytes below: the error they give is the one to report
    }
  }
  try {
    return await WebAssembly.compile(bytes);
  } catch (cause) {
    throw new EkycError('model_load_failed', `The wasm of runtime "${id}" did not compile`, { cause, details: { id, url } });
  }
}

/** `application/wasm`, with or without parameters: what `compileStreaming` accepts. */
export function isWasmMediaType(contentType: string | null): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/wasm';
}

/**
 * Where a runtime file is served. Only for messages and diagnostics: handing this URL to a loader
 * makes it fetch the file again, unverified. Run runtime code from `fetchRuntimeObjectUrl` or the
 * bytes of `fetchRuntimeFile` (verified-url.ts).
 */
export function runtimeFileUrl(id: string, baseUrl: string, manifest: RuntimeManifest = runtimeManifest): string {
  return assetUrl(baseUrl, 'wasm', findAsset(manifest, id).file);
}
