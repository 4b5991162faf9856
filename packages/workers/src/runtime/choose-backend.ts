import { EkycError } from '@ekyc/core';

export type BackendPreference = 'auto' | 'webgpu' | 'wasm';
export type Backend = 'webgpu' | 'wasm';

export interface WebGpuProbe {
  available: boolean;
  /** A software adapter (SwiftShader and the like): correct but tens of times slower than WASM. */
  fallbackAdapter: boolean;
  vendor?: string;
  architecture?: string;
  /** Why WebGPU is not available, when it is not. */
  reason?: string;
}

export interface Capabilities {
  webAssembly: boolean;
  simd: boolean;
  /** SharedArrayBuffer-backed WASM threads: needs cross-origin isolation. */
  threads: boolean;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  webgpu: WebGpuProbe;
}

export interface BackendDecision {
  backend: Backend;
  wasmThreads: number;
  reason: string;
}

/**
 * The single decision of which execution backend runs the models. Pure, so every branch is
 * tested in Node; `runtime.ts` feeds it what the browser reports.
 */
export function chooseBackend(preference: BackendPreference, caps: Capabilities): BackendDecision {
  if (!caps.webAssembly || !caps.simd) {
    throw new EkycError('runtime_unavailable', 'WebAssembly with SIMD is required', {
      details: { webAssembly: caps.webAssembly, simd: caps.simd },
    });
  }
  const wasmThreads = chooseThreadCount(caps);
  const threadNote = wasmThreads > 1 ? `${wasmThreads} threads` : caps.threads ? '1 thread (too few cores to gain from more)' : '1 thread (page is not cross-origin isolated)';

  if (preference === 'wasm') return { backend: 'wasm', wasmThreads, reason: `forced by configuration; WASM SIMD, ${threadNote}` };
  if (preference === 'webgpu') {
    if (!caps.webgpu.available) {
      throw new EkycError('backend_forced_unavailable', 'WebGPU was forced but is not available', {
        details: { reason: caps.webgpu.reason ?? 'unknown' },
      });
    }
    const adapterNote = caps.webgpu.fallbackAdapter ? 'software fallback adapter' : describeAdapter(caps.webgpu);
    return { backend: 'webgpu', wasmThreads, reason: `forced by configuration; WebGPU on ${adapterNote}` };
  }
  if (caps.webgpu.available && !caps.webgpu.fallbackAdapter) {
    return { backend: 'webgpu', wasmThreads, reason: `WebGPU hardware adapter found (${describeAdapter(caps.webgpu)})` };
  }
  const gpuNote = caps.webgpu.available ? 'WebGPU adapter is a software fallback, slower than WASM' : `no WebGPU (${caps.webgpu.reason ?? 'unknown'})`;
  return { backend: 'wasm', wasmThreads, reason: `${gpuNote}; WASM SIMD, ${threadNote}` };
}

/**
 * On small models extra threads rarely pay for their synchronisation; measured on 2 cores,
 * 2 threads were slower than 1 for a 112x112 embedding. Use half the cores, at most 4.
 */
export function chooseThreadCount(caps: Pick<Capabilities, 'threads' | 'crossOriginIsolated' | 'hardwareConcurrency'>): number {
  if (!caps.threads || !caps.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, Math.floor(caps.hardwareConcurrency / 2)));
}

function describeAdapter(probe: WebGpuProbe): string {
  return [probe.vendor, probe.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
}
