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

async function fetchVerified(url: string, asset: { id: string; sha256: string; bytes: number }, options: FetchAssetOptions): Promise<Uint8Array<ArrayBuffer>> {
  const { id } = asset;
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
  return readVerifiedBody(response.body, { id, url, sha256: asset.sha256, bytes: asset.bytes }, { onProgress: options.onProgress ?? postAssetProgress });
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
 * Where a runtime file is served. Only for messages and diagnostics: handing this URL to a loader
 * makes it fetch the file again, unverified. Run runtime code from `fetchRuntimeObjectUrl` or the
 * bytes of `fetchRuntimeFile` (verified-url.ts).
 */
export function runtimeFileUrl(id: string, baseUrl: string, manifest: RuntimeManifest = runtimeManifest): string {
  return assetUrl(baseUrl, 'wasm', findAsset(manifest, id).file);
}
