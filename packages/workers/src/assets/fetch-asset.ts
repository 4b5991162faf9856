import { EkycError, findAsset, sha256Hex, type ModelManifest, type RuntimeManifest } from '@ekyc/core';
import { modelManifest, runtimeManifest } from './manifests.ts';

/**
 * Every byte the SDK runs comes through here: fetched from the integrator's own origin
 * (`assetBaseUrl`), then checked against the manifest's sha256 before anything uses it.
 */

export type AssetGroup = 'models' | 'wasm';

export function assetUrl(baseUrl: string, group: AssetGroup, file: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL(`${group}/${file}`, new URL(base, globalThis.location?.href)).href;
}

async function fetchVerified(url: string, id: string, expectedSha256: string): Promise<Uint8Array> {
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
  const bytes = new Uint8Array(await response.arrayBuffer());
  const actual = await sha256Hex(bytes);
  if (actual !== expectedSha256) {
    throw new EkycError('asset_hash_mismatch', `Asset "${id}" does not match its manifest sha256`, {
      details: { id, url, expected: expectedSha256, actual, bytes: bytes.byteLength },
    });
  }
  return bytes;
}

export async function fetchModel(id: string, baseUrl: string, manifest: ModelManifest = modelManifest): Promise<Uint8Array> {
  const asset = findAsset(manifest, id);
  return fetchVerified(assetUrl(baseUrl, 'models', asset.file), id, asset.sha256);
}

export async function fetchRuntimeFile(id: string, baseUrl: string, manifest: RuntimeManifest = runtimeManifest): Promise<Uint8Array> {
  const asset = findAsset(manifest, id);
  return fetchVerified(assetUrl(baseUrl, 'wasm', asset.file), id, asset.sha256);
}

/**
 * Where a runtime file is served. Only for messages and diagnostics: handing this URL to a loader
 * makes it fetch the file again, unverified. Run runtime code from `fetchRuntimeObjectUrl` or the
 * bytes of `fetchRuntimeFile` (verified-url.ts).
 */
export function runtimeFileUrl(id: string, baseUrl: string, manifest: RuntimeManifest = runtimeManifest): string {
  return assetUrl(baseUrl, 'wasm', findAsset(manifest, id).file);
}
