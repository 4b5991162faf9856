import { EkycError, findAsset, type ModelAsset, type PreprocessingSpec, type TensorSpec } from '@ekyc/core';
import { fetchModel } from '../../assets/fetch-asset.ts';
import { modelManifest } from '../../assets/manifests.ts';
import { createSession, ort, runtimeReport, selectRuntime, type ModelSession, type RuntimeReport } from '../../runtime/runtime.ts';
import type { PipelineConfig } from '../../host/types.ts';

/**
 * A pipeline that loads any ONNX model of the manifest and runs it on a deterministic input.
 * It proves every model runs on every backend (tests), measures them (benchmarks) and shows
 * what the runtime chose (demo).
 */

export interface LoadedModel {
  id: string;
  backend: string;
  fetchMs: number;
  createMs: number;
}

export interface ProbeOutput {
  name: string;
  dims: number[];
  data: Float32Array;
}

export interface ProbeRun {
  id: string;
  backend: string;
  runMs: number;
  outputs: ProbeOutput[];
}

let config: PipelineConfig | undefined;
const sessions = new Map<string, ModelSession>();

function requireConfig(): PipelineConfig {
  if (!config) throw new EkycError('invalid_argument', 'The model pipeline was not initialised');
  return config;
}

/** A concrete shape for a manifest input: dynamic dimensions take the test shape. */
export function concreteShape(spec: TensorSpec): number[] {
  const shape = spec.testShape ?? spec.shape;
  if (shape.some((d) => d < 1)) throw new EkycError('invalid_argument', `Input "${spec.name}" has dynamic dimensions and no testShape`);
  return [...shape];
}

/**
 * A deterministic image-like NCHW input: smooth seeded gradients, rows of dark glyph-like
 * strokes (so text detectors have something to find) and a little noise, in 0..255,
 * normalised with the model's own mean/std, so activations stay in the range the model was
 * trained for (white noise drives some nets into regimes no real frame reaches).
 */
export function syntheticInput(shape: readonly number[], seed: number, preprocessing?: PreprocessingSpec): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  const [, channels = 1, height = 1, width = size] = shape.length === 4 ? shape : [1, 1, 1, size];
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const fx = 1 + random() * 4, fy = 1 + random() * 4, phase = random() * Math.PI * 2;
  for (let c = 0; c < channels; c++) {
    const mean = preprocessing?.mean[c] ?? preprocessing?.mean[0] ?? 127.5;
    const std = preprocessing?.std[c] ?? preprocessing?.std[0] ?? 127.5;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const smooth = Math.sin((x / width) * fx * Math.PI + phase + c) * Math.cos((y / height) * fy * Math.PI);
        const glyph = y % 16 >= 5 && y % 16 < 11 && x % 12 < 7 && x % 96 < 80 ? -90 : 0;
        const pixel = Math.min(255, Math.max(0, 150 + 70 * smooth + glyph + (random() - 0.5) * 24));
        data[(c * height + y) * width + x] = (pixel - mean) / std;
      }
    }
  }
  return data;
}

function onnxAsset(id: string): ModelAsset & { io: NonNullable<ModelAsset['io']> } {
  const asset = findAsset(modelManifest, id);
  if (asset.format !== 'onnx' || !asset.io) {
    throw new EkycError('invalid_argument', `Asset "${id}" is not an ONNX model with an io spec`, { details: { id, format: asset.format } });
  }
  return asset as ModelAsset & { io: NonNullable<ModelAsset['io']> };
}

export const modelProbe = {
  async init(pipelineConfig: PipelineConfig): Promise<RuntimeReport> {
    config = pipelineConfig;
    return selectRuntime(pipelineConfig);
  },

  async runtime(): Promise<RuntimeReport | undefined> {
    return runtimeReport();
  },

  /** Ids of the ONNX models this pipeline can load. */
  async onnxModelIds(): Promise<string[]> {
    return modelManifest.assets.filter((a) => a.format === 'onnx').map((a) => a.id);
  },

  async load(id: string): Promise<LoadedModel> {
    onnxAsset(id);
    const t0 = performance.now();
    const bytes = await fetchModel(id, requireConfig().assetBaseUrl);
    const t1 = performance.now();
    const session = await createSession(id, bytes);
    const t2 = performance.now();
    await sessions.get(id)?.release();
    sessions.set(id, session);
    return { id, backend: session.backend, fetchMs: t1 - t0, createMs: t2 - t1 };
  },

  async run(id: string, seed = 1): Promise<ProbeRun> {
    const asset = onnxAsset(id);
    const session = sessions.get(id) ?? (await modelProbe.load(id), sessions.get(id));
    if (!session) throw new EkycError('model_load_failed', `Model "${id}" is not loaded`, { details: { id } });
    const feeds: Record<string, ort.Tensor> = {};
    asset.io.inputs.forEach((spec, index) => {
      const shape = concreteShape(spec);
      feeds[spec.name] = new ort.Tensor('float32', syntheticInput(shape, seed + index, asset.io.preprocessing), shape);
    });
    const t0 = performance.now();
    const results = await session.run(feeds);
    const runMs = performance.now() - t0;
    const outputs = session.outputNames.map((name) => {
      const tensor = results[name];
      if (!tensor) throw new EkycError('inference_failed', `Model "${id}" returned no "${name}"`, { details: { id } });
      return { name, dims: [...tensor.dims], data: Float32Array.from(tensor.data as Float32Array) };
    });
    return { id, backend: session.backend, runMs, outputs };
  },

  async release(id: string): Promise<void> {
    await sessions.get(id)?.release();
    sessions.delete(id);
  },
};

export type ModelProbeApi = typeof modelProbe;
