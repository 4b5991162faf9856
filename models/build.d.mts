/** A manifest entry, as far as building it goes (the full type is ModelAsset / RuntimeAsset in @ekyc/core). */
export interface BuildableAsset {
  id: string;
  sha256: string;
  source: { package: string; version: string; path: string; sha256?: string };
  derive?: ReadonlyArray<{ kind: string; params?: Record<string, unknown> }>;
}

/** The asset's bytes, copied or derived from its npm source; rejects when any sha256 differs. */
export function buildAssetBytes(asset: BuildableAsset): Promise<Uint8Array<ArrayBuffer>>;
export function findPackageDir(name: string): string;
export function sha256(bytes: Uint8Array): string;
