import { ImageEmbedder, type Embedding } from '@mediapipe/tasks-vision';
import { EkycError, liveness, type ModelAsset, type RgbaImage } from '@ekyc/core';
import { fetchRuntimeFile } from '../../assets/fetch-asset.ts';
import { exactArrayBuffer, fetchRuntimeObjectUrl } from '../../assets/verified-url.ts';

/**
 * The face-mesh landmark model (a .tflite from models/manifest.json) on MediaPipe tasks-vision's
 * ImageEmbedder: with `l2Normalize: false, quantize: false` it hands back every output tensor raw,
 * one "embedding" per head, which is all the landmark model needs (no FaceLandmarker .task exists
 * offline; docs/liveness.md). The crop is made in JS (core's warpAffine), so MediaPipe sees exactly
 * the 192x192 input and does no resizing of its own.
 */

const LOADER_ID = 'mediapipe-vision-wasm-module-internal-js';
const BINARY_ID = 'mediapipe-vision-wasm-module-internal-wasm';
const NO_REFETCH_WASM_PATH = 'ekyc-verified-bytes-only:vision_wasm_module_internal.wasm';

interface MediaPipeGlobals {
  Module?: { wasmBinary?: ArrayBuffer };
}

/**
 * The attention model's output heads in their tensor order, with the length each must have.
 * MediaPipe returns no head names for this model (its metadata has no output entries), so the
 * order is the contract (checked by length). MediaPipe's "left" eye is the image-left one, i.e.
 * the subject's right.
 */
const HEADS: ReadonlyArray<readonly [keyof liveness.MeshOutputs | 'presence', number]> = [
  ['mesh', 1404],
  ['lips', 160],
  ['rightEye', 142],
  ['leftEye', 142],
  ['rightIris', 10],
  ['leftIris', 10],
  ['presence', 1],
];

export interface MeshRun extends liveness.MeshOutputs {
  /** Face presence probability in the crop (sigmoid of the face flag). */
  readonly presence: number;
}

export class MeshEmbedder {
  private constructor(private readonly embedder: ImageEmbedder) {}

  /** `modelBytes` must already be verified against `asset.sha256` (fetchModel does). Create one MediaPipe task at a time per worker. */
  static async create(asset: ModelAsset, modelBytes: Uint8Array, assetBaseUrl: string): Promise<MeshEmbedder> {
    const [loader, binary] = await Promise.all([fetchRuntimeObjectUrl(LOADER_ID, assetBaseUrl), fetchRuntimeFile(BINARY_ID, assetBaseUrl)]);
    const globals = self as unknown as MediaPipeGlobals;
    globals.Module = { wasmBinary: exactArrayBuffer(binary) };
    try {
      const embedder = await ImageEmbedder.createFromOptions(
        { wasmLoaderPath: loader.url, wasmBinaryPath: NO_REFETCH_WASM_PATH },
        { baseOptions: { modelAssetBuffer: modelBytes, delegate: 'CPU' }, runningMode: 'IMAGE', l2Normalize: false, quantize: false },
      );
      return new MeshEmbedder(embedder);
    } catch (cause) {
      throw new EkycError('model_load_failed', `Could not create the face mesh model "${asset.id}"`, { cause, details: { id: asset.id } });
    } finally {
      delete globals.Module;
      loader.revoke();
    }
  }

  run(crop: RgbaImage): MeshRun {
    const { buffer, byteOffset, byteLength } = crop.data;
    const pixels = buffer instanceof ArrayBuffer ? new Uint8ClampedArray(buffer, byteOffset, byteLength) : new Uint8ClampedArray(crop.data);
    let embeddings: Embedding[];
    try {
      embeddings = this.embedder.embed(new ImageData(pixels, crop.width, crop.height)).embeddings;
    } catch (cause) {
      throw new EkycError('inference_failed', 'The face mesh model failed', { cause });
    }
    const heads: Partial<Record<keyof liveness.MeshOutputs | 'presence', Float32Array>> = {};
    for (const e of embeddings) {
      const head = HEADS[e.headIndex];
      if (head && e.floatEmbedding?.length === head[1]) heads[head[0]] = Float32Array.from(e.floatEmbedding);
    }
    if (!heads.mesh) {
      throw new EkycError('inference_failed', 'The face mesh model returned no mesh output', { details: { heads: embeddings.map((e) => `${e.headIndex}:${e.floatEmbedding?.length ?? 0}`).join(',') } });
    }
    const flag = heads.presence?.[0];
    const presence = flag === undefined ? 1 : 1 / (1 + Math.exp(-flag));
    const { presence: _flag, ...outputs } = heads;
    return { ...(outputs as liveness.MeshOutputs), presence };
  }

  close(): void {
    this.embedder.close();
  }
}
