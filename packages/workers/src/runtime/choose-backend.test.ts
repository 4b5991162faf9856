import { describe, expect, it } from 'vitest';
import { EkycError } from '@ekyc/core';
import { chooseBackend, chooseThreadCount, type Capabilities } from './choose-backend.ts';

const base: Capabilities = {
  webAssembly: true,
  simd: true,
  threads: true,
  crossOriginIsolated: true,
  hardwareConcurrency: 8,
  webgpu: { available: true, fallbackAdapter: false, vendor: 'nvidia', architecture: 'hopper' },
};

describe('chooseBackend', () => {
  it('prefers a hardware WebGPU adapter on auto', () => {
    const decision = chooseBackend('auto', base);
    expect(decision.backend).toBe('webgpu');
    expect(decision.reason).toContain('nvidia hopper');
  });

  it('falls back to WASM on a software adapter', () => {
    const decision = chooseBackend('auto', { ...base, webgpu: { available: true, fallbackAdapter: true } });
    expect(decision.backend).toBe('wasm');
    expect(decision.reason).toContain('software fallback');
  });

  it('uses WASM without WebGPU and says why', () => {
    const decision = chooseBackend('auto', { ...base, webgpu: { available: false, fallbackAdapter: false, reason: 'navigator.gpu missing' } });
    expect(decision).toMatchObject({ backend: 'wasm' });
    expect(decision.reason).toContain('navigator.gpu missing');
  });

  it('honours a forced backend, even a software adapter', () => {
    expect(chooseBackend('wasm', base).backend).toBe('wasm');
    expect(chooseBackend('webgpu', { ...base, webgpu: { available: true, fallbackAdapter: true } }).backend).toBe('webgpu');
  });

  it('refuses a forced WebGPU that is not there with a typed error', () => {
    const noGpu = { ...base, webgpu: { available: false, fallbackAdapter: false, reason: 'no adapter' } };
    expect(() => chooseBackend('webgpu', noGpu)).toThrowError(EkycError);
    try {
      chooseBackend('webgpu', noGpu);
    } catch (error) {
      expect((error as EkycError).code).toBe('backend_forced_unavailable');
    }
  });

  it('refuses an environment without WASM SIMD', () => {
    expect(() => chooseBackend('auto', { ...base, simd: false })).toThrowError(/SIMD/);
  });
});

describe('chooseThreadCount', () => {
  it('is 1 without cross-origin isolation', () => {
    expect(chooseThreadCount({ threads: true, crossOriginIsolated: false, hardwareConcurrency: 16 })).toBe(1);
  });
  it('uses half the cores, capped at 4', () => {
    expect(chooseThreadCount({ threads: true, crossOriginIsolated: true, hardwareConcurrency: 2 })).toBe(1);
    expect(chooseThreadCount({ threads: true, crossOriginIsolated: true, hardwareConcurrency: 6 })).toBe(3);
    expect(chooseThreadCount({ threads: true, crossOriginIsolated: true, hardwareConcurrency: 32 })).toBe(4);
  });
});
