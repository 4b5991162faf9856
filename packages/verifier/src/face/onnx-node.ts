import { readFile } from 'node:fs/promises';
import { EkycError, face as core, sha256Hex, type ModelAsset } from '@ekyc/core';
import * as ort from 'onnxruntime-node';

/**
 * Loads a manifest model for onnxruntime-node, from a file or from bytes already read, refusing
 * bytes that differ from its sha256.
 */
export async function loadNodeModel(asset: ModelAsset, source: string | Uint8Array<ArrayBuffer>): Promise<{ model: core.TensorModel; release(): Promise<void> }> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = typeof source === 'string' ? new Uint8Array(await readFile(source)) : source;
  } catch (cause) {
    throw new EkycError('asset_fetch_failed', `Model "${asset.id}" could not be read`, { cause, details: { id: asset.id } });
  }
  const actual = await sha256Hex(bytes);
  if (actual !== asset.sha256) {
    throw new EkycError('asset_hash_mismatch', `Model "${asset.id}" does not match its manifest sha256`, { details: { id: asset.id, expected: asset.sha256, actual } });
  }
  let session: ort.InferenceSession;
  try {
    // One thread and no graph rewrites beyond the basic ones keep results stable across machines.
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, graphOptimizationLevel: 'basic' });
  } catch (cause) {
    throw new EkycError('model_load_failed', `Could not create a session for model "${asset.id}"`, { cause, details: { id: asset.id } });
  }
  const inputName = asset.io?.inputs[0]?.name ?? session.inputNames[0]!;
  return {
    model: {
      async run(input, dims) {
        try {
          const outputs = await session.run({ [inputName]: new ort.Tensor('float32', input, [...dims]) });
          const result: Record<string, Float32Array> = {};
          for (const [name, tensor] of Object.entries(outputs)) result[name] = tensor.data as Float32Array;
          return result;
        } catch (cause) {
          throw new EkycError('inference_failed', `Running model "${asset.id}" failed`, { cause, details: { id: asset.id } });
        }
      },
    },
    release: () => session.release(),
  };
}
