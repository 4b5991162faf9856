import { simd, threads } from 'wasm-feature-detect';
import type { Capabilities, WebGpuProbe } from './choose-backend.ts';

export interface WebGpuHandle {
  probe: WebGpuProbe;
  adapter?: GPUAdapter;
}

/** Asks for an adapter the way a page would; a software adapter is reported as such, not hidden. */
export async function probeWebGpu(): Promise<WebGpuHandle> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { probe: { available: false, fallbackAdapter: false, reason: 'navigator.gpu is not exposed' } };
  try {
    const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' })) ?? (await gpu.requestAdapter({ forceFallbackAdapter: true }));
    if (!adapter) return { probe: { available: false, fallbackAdapter: false, reason: 'no WebGPU adapter' } };
    const info = adapter.info;
    // `isFallbackAdapter` moved from the adapter to its info; read whichever this browser has.
    const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
    const fallbackAdapter = Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? legacy.isFallbackAdapter)
      || /swiftshader/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
    return {
      adapter,
      probe: { available: true, fallbackAdapter, vendor: info.vendor || undefined, architecture: info.architecture || undefined },
    };
  } catch (error) {
    return { probe: { available: false, fallbackAdapter: false, reason: `requestAdapter failed: ${String(error)}` } };
  }
}

export async function detectCapabilities(webgpu: WebGpuProbe): Promise<Capabilities> {
  const webAssembly = typeof WebAssembly === 'object';
  const isolated = Boolean(globalThis.crossOriginIsolated);
  return {
    webAssembly,
    simd: webAssembly && (await simd()),
    threads: webAssembly && isolated && (await threads()),
    crossOriginIsolated: isolated,
    hardwareConcurrency: globalThis.navigator?.hardwareConcurrency ?? 1,
    webgpu,
  };
}
