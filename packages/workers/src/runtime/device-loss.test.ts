import { describe, expect, it } from 'vitest';
import { EkycError } from '@ekyc/core';
import { deviceLossError } from './device-loss.ts';

describe('deviceLossError', () => {
  it('is gpu_device_lost (recoverable) when the device of a WebGPU runtime is lost unasked', () => {
    const error = deviceLossError({ reason: 'unknown', message: 'GPU process crashed' }, 'webgpu');
    expect(error).toBeInstanceOf(EkycError);
    expect(error).toMatchObject({ code: 'gpu_device_lost', recoverable: true, details: { reason: 'unknown' } });
    expect(error!.message).toBe('WebGPU device lost (unknown: GPU process crashed)');
  });

  it('is nothing when onnxruntime-web destroyed the device itself, or when work is already on WASM', () => {
    expect(deviceLossError({ reason: 'destroyed', message: '' }, 'webgpu')).toBeNull();
    expect(deviceLossError({ reason: 'unknown', message: 'lost' }, 'wasm')).toBeNull();
  });
});
