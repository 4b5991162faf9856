import { createModelProbe, fetchModel, type BackendPreference, type ProbeRun, type RuntimeReport, type WorkerHost, type ModelProbeApi } from '@ekyc/workers';

export interface OutputAgreement {
  name: string;
  dims: number[];
  cosine: number;
  maxAbsDiff: number;
  maxAbs: number;
  std: number;
  finite: boolean;
}

export interface ModelAgreement {
  id: string;
  backends: [string, string];
  runMs: [number, number];
  /** Every fallback the WebGPU worker made so far, with its reason. */
  fallbacks: string[];
  outputs: OutputAgreement[];
}

const probes = new Map<BackendPreference, WorkerHost<ModelProbeApi>>();

function probe(backend: BackendPreference): WorkerHost<ModelProbeApi> {
  let host = probes.get(backend);
  if (!host) {
    host = createModelProbe({ assetBaseUrl: '/ekyc/', backend }, 170_000);
    probes.set(backend, host);
  }
  return host;
}

function compare(a: Float32Array, b: Float32Array): Omit<OutputAgreement, 'name' | 'dims'> {
  let dot = 0, na = 0, nb = 0, maxAbsDiff = 0, maxAbs = 0, sum = 0, sumSq = 0, finite = true;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) finite = false;
    dot += x * y; na += x * x; nb += y * y;
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x - y));
    maxAbs = Math.max(maxAbs, Math.abs(x));
    sum += x; sumSq += x * x;
  }
  const mean = sum / a.length;
  const cosine = na === 0 && nb === 0 ? 1 : dot / Math.sqrt(na * nb);
  return { cosine, maxAbsDiff, maxAbs, std: Math.sqrt(Math.max(0, sumSq / a.length - mean * mean)), finite };
}

const api = {
  async runtime(backend: BackendPreference): Promise<RuntimeReport> {
    return (await probe(backend).ready()) as RuntimeReport;
  },
  async modelIds(): Promise<string[]> {
    return probe('wasm').call('onnxModelIds');
  },
  async agreement(id: string, seed: number): Promise<ModelAgreement> {
    const wasm: ProbeRun = await probe('wasm').call('run', id, seed);
    const gpu: ProbeRun = await probe('webgpu').call('run', id, seed);
    await Promise.all([probe('wasm').call('release', id), probe('webgpu').call('release', id)]);
    const report = await probe('webgpu').call('runtime');
    const fallbacks = (report?.fallbacks ?? []).map((f) => `${f.modelId ?? 'runtime'}: ${f.reason}`);
    return {
      id,
      backends: [wasm.backend, gpu.backend],
      runMs: [wasm.runMs, gpu.runMs],
      fallbacks,
      outputs: wasm.outputs.map((output, index) => {
        const other = gpu.outputs[index]!;
        return { name: output.name, dims: output.dims, ...compare(output.data, other.data) };
      }),
    };
  },
  async hashMismatch(): Promise<{ code: string; recoverable: boolean } | 'no error'> {
    try {
      // The spec tampers with this file in flight; the loader must notice.
      await fetchModel('fr-eye', '/ekyc/');
      return 'no error';
    } catch (error) {
      const { code, recoverable } = error as { code: string; recoverable: boolean };
      return { code, recoverable };
    }
  },
};

declare global {
  interface Window {
    modelTest: typeof api;
  }
}
window.modelTest = api;
document.body.dataset['ready'] = 'true';
