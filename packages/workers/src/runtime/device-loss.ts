import { EkycError } from '@ekyc/core';
import type { Backend } from './choose-backend.ts';

/**
 * What a lost WebGPU device means for a worker whose runtime is on `backend`: `null` when nothing
 * changes, else the `gpu_device_lost` error that moves its work to WASM. The error is recoverable
 * and not thrown: runtime.ts records it in `report.fallbacks`, and each session rebuilds itself on
 * WASM at its next run, so pipelines never see it.
 */
export function deviceLossError(info: { readonly reason: string; readonly message: string }, backend: Backend): EkycError | null {
  // onnxruntime-web destroys its device itself when the last session is released; the next
  // session gets a new one. Only a loss the runtime did not ask for moves work to WASM.
  if (info.reason === 'destroyed' || backend !== 'webgpu') return null;
  return new EkycError('gpu_device_lost', `WebGPU device lost (${info.reason}: ${info.message})`, { details: { reason: info.reason } });
}
