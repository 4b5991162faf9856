import { EkycError } from '../errors.ts';

/** Where an asset comes from: a file inside a pinned npm package. */
export interface AssetSource {
  package: string;
  version: string;
  path: string;
  /** sha256 of the source file when the served file is derived from it. */
  sha256?: string;
}

export interface TensorSpec {
  name: string;
  dtype: 'float32' | 'int64' | 'int32' | 'uint8';
  /** -1 marks a dynamic dimension. */
  shape: readonly number[];
  /** A concrete shape for dynamic inputs, used by smoke tests and benchmarks. */
  testShape?: readonly number[];
  meaning?: string;
}

export interface PreprocessingSpec {
  width?: number;
  height?: number;
  channels: 'RGB' | 'BGR' | 'GRAY';
  layout: 'NCHW' | 'NHWC';
  /** Per channel: value = (pixel - mean) / std, pixel in 0..255. */
  mean: readonly number[];
  std: readonly number[];
  alignment?: string;
  crop?: string;
  multipleOf?: number;
}

export interface ModelIo {
  inputs: readonly TensorSpec[];
  outputs: readonly TensorSpec[];
  preprocessing?: PreprocessingSpec;
}

export interface DeriveStep {
  kind: string;
  params?: Readonly<Record<string, unknown>>;
}

export interface ModelAsset {
  id: string;
  task: string;
  format: 'onnx' | 'tflite' | 'traineddata' | 'text';
  /** Path under `<assetBaseUrl>/models/`. */
  file: string;
  source: AssetSource;
  /** sha256 (hex) of the served file, checked before use. */
  sha256: string;
  bytes: number;
  license: string;
  provenance: string;
  io?: ModelIo;
  derive?: readonly DeriveStep[];
}

export interface RuntimeAsset {
  id: string;
  runtime: 'onnxruntime-web' | 'mediapipe' | 'opencv' | 'tesseract';
  /** Path under `<assetBaseUrl>/wasm/`. */
  file: string;
  source: AssetSource;
  sha256: string;
  bytes: number;
  note?: string;
}

export interface AssetManifest<T> {
  version: number;
  assets: readonly T[];
}

export type ModelManifest = AssetManifest<ModelAsset>;
export type RuntimeManifest = AssetManifest<RuntimeAsset>;

export function findAsset<T extends { id: string }>(manifest: AssetManifest<T>, id: string): T {
  const asset = manifest.assets.find((candidate) => candidate.id === id);
  if (!asset) throw new EkycError('asset_unknown', `No asset with id "${id}" in the manifest`, { details: { id } });
  return asset;
}
