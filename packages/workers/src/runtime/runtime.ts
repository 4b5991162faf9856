// The `webgpu` entry is the build with ORT's native WebGPU execution provider (plus WASM);
// the older JSEP build failed or disagreed with WASM on three of our models (e2e/models.spec.ts).
import * as ort from 'onnxruntime-web/webgpu';
import { EkycError, type EkycErrorCode } from '@ekyc/core';
import { compileRuntimeWasm, runtimeFileUrl } from '../assets/fetch-asset.ts';
import { fetchRuntimeObjectUrl } from '../assets/verified-url.ts';
import { detectCapabilities, probeWebGpu } from './capabilities.ts';
import { chooseBackend, type Backend, type BackendPreference, type Capabilities } from './choose-backend.ts';
import { deviceLossError } from './device-loss.ts';

/**
 * The one place that decides where ONNX models run (WebGPU, else WASM SIMD, threaded when
 * cross-origin isolated), configures onnxruntime-web for self-hosted binaries, and falls back
 * to WASM when WebGPU fails or its device is lost. Nothing else in the SDK branches on backends.
 * Runs inside a worker: each worker holds its own runtime.
 */

export { ort };
export type { Backend, BackendPreference };

export interface RuntimeOptions {
  /** Base URL the SDK's `models/` and `wasm/` folders are served from. */
  assetBaseUrl: string;
  backend?: BackendPreference;
}

export interface RuntimeFallback {
  from: Backend;
  to: Backend;
  reason: string;
  modelId?: string;
  /** The error code of the cause, where it has one: `gpu_device_lost` for a lost WebGPU device. */
  code?: EkycErrorCode;
}

export interface RuntimeReport {
  requested: BackendPreference;
  backend: Backend;
  reason: string;
  wasmThreads: number;
  capabilities: Capabilities;
  fallbacks: RuntimeFallback[];
}

interface RuntimeState {
  report: RuntimeReport;
  options: RuntimeOptions;
}

let state: RuntimeState | undefined;
let pending: Promise<RuntimeReport> | undefined;
/** onnxruntime-web initialises its WASM module once; concurrent session creation must queue. */
let creationQueue: Promise<unknown> = Promise.resolve();

export function selectRuntime(options: RuntimeOptions): Promise<RuntimeReport> {
  if (state) {
    const requested = options.backend ?? 'auto';
    if (requested !== state.report.requested || options.assetBaseUrl !== state.options.assetBaseUrl) {
      throw new EkycError('invalid_argument', 'The runtime of this worker is already configured differently', {
        details: { configured: state.report.requested, requested },
      });
    }
    return Promise.resolve(state.report);
  }
  pending ??= configure(options).finally(() => {
    pending = undefined;
  });
  return pending;
}

export function runtimeReport(): RuntimeReport | undefined {
  return state?.report;
}

async function configure(options: RuntimeOptions): Promise<RuntimeReport> {
  const requested = options.backend ?? 'auto';
  const gpu = await probeWebGpu();
  const capabilities = await detectCapabilities(gpu.probe);
  const decision = chooseBackend(requested, capabilities);

  // The WebGPU build's Asyncify instrumentation slows CPU kernels several-fold (fr-feature 26 ms
  // plain vs over 200 ms Asyncify, same V8): on WASM this worker loads the plain CPU build, which
  // the same `onnxruntime-web/webgpu` API drives. A later WebGPU-to-WASM fallback keeps the build
  // already loaded (slower, still correct).
  const [binaryId, glueId] = decision.backend === 'webgpu' ? ['ort-wasm', 'ort-wasm-glue'] : ['ort-wasm-cpu', 'ort-wasm-cpu-glue'];
  // Both files run from the bytes that passed the hash check, never from a second request. The
  // binary is compiled from its own `application/wasm` response while it is verified
  // (compileRuntimeWasm), which lets Chromium reuse the compiled code on a warm start: handed over
  // as `wasmBinary` bytes it was compiled afresh, lazily, function by function, in every worker
  // (measured at load 15-16 on the 2-core VM, warm: runtime start 1.3-1.6 s -> 0.45-0.9 s, PP-OCRv4
  // session 2.3-2.9 s -> 0.6-1.0 s, its first inference 2.9-3.6 s -> 1.1-1.2 s). The glue is derived
  // (models/derive/ort-compiled-wasm.mjs) to take that module: imported here from a blob: URL of its
  // verified bytes and given the module, then imported by onnxruntime-web from the same URL, which
  // is the same module instance. The URL lives as long as this worker: with threads, Emscripten
  // starts its pthread workers from the glue's `import.meta.url`, i.e. from this URL. `wasm` names
  // the binary's URL for onnxruntime-web's bookkeeping only; nothing fetches it again.
  const [compiled, glue] = await Promise.all([
    compileRuntimeWasm(binaryId, options.assetBaseUrl),
    fetchRuntimeObjectUrl(glueId, options.assetBaseUrl),
  ]);
  const glueModule = (await import(/* @vite-ignore */ glue.url)) as { provideCompiledWasm?: (module: WebAssembly.Module) => void };
  if (typeof glueModule.provideCompiledWasm !== 'function') {
    throw new EkycError('model_load_failed', 'The onnxruntime-web glue cannot take a compiled module', { details: { id: glueId } });
  }
  glueModule.provideCompiledWasm(compiled);
  ort.env.wasm.wasmPaths = { mjs: glue.url, wasm: runtimeFileUrl(binaryId, options.assetBaseUrl) };
  ort.env.wasm.numThreads = decision.wasmThreads;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  if (decision.backend === 'webgpu' && gpu.adapter) ort.env.webgpu.adapter = gpu.adapter;

  state = {
    options,
    report: { requested, backend: decision.backend, reason: decision.reason, wasmThreads: decision.wasmThreads, capabilities, fallbacks: [] },
  };
  return state.report;
}

function requireState(): RuntimeState {
  if (!state) throw new EkycError('invalid_argument', 'selectRuntime() must run before models are loaded');
  return state;
}

function recordFallback(fallback: RuntimeFallback): void {
  const current = requireState();
  current.report.fallbacks.push(fallback);
  current.report.backend = 'wasm';
  current.report.reason = `fell back to WASM: ${fallback.reason}`;
}

let watchedDevice: GPUDevice | undefined;
async function watchDeviceLoss(): Promise<void> {
  const device = await ort.env.webgpu.device;
  if (device === watchedDevice) return;
  watchedDevice = device;
  void device.lost.then((info) => {
    if (watchedDevice === device) watchedDevice = undefined;
    const lost = state ? deviceLossError(info, state.report.backend) : null;
    if (lost) recordFallback({ from: 'webgpu', to: 'wasm', reason: lost.message, code: lost.code });
  });
}

type Feeds = Record<string, ort.Tensor>;

/**
 * An inference session that knows which backend it runs on and moves itself to WASM when
 * WebGPU fails, so pipelines call `run` and never see the difference.
 */
export class ModelSession {
  private constructor(
    readonly modelId: string,
    private session: ort.InferenceSession,
    private currentBackend: Backend,
    /** Kept only while on WebGPU, to rebuild the session on WASM after a failure. */
    private bytes: Uint8Array | undefined,
  ) {}

  static async create(modelId: string, bytes: Uint8Array): Promise<ModelSession> {
    const run = async (): Promise<ModelSession> => {
      const backend = requireState().report.backend;
      if (backend === 'webgpu') {
        try {
          const session = await ort.InferenceSession.create(bytes, { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' });
          await watchDeviceLoss();
          return new ModelSession(modelId, session, 'webgpu', bytes);
        } catch (cause) {
          recordFallback({ from: 'webgpu', to: 'wasm', reason: `session creation failed on WebGPU: ${String(cause)}`, modelId });
        }
      }
      return new ModelSession(modelId, await createWasmSession(modelId, bytes), 'wasm', undefined);
    };
    const result = creationQueue.then(run, run);
    creationQueue = result.catch(() => undefined);
    return result;
  }

  get backend(): Backend {
    return this.currentBackend;
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: Feeds): Promise<Record<string, ort.Tensor>> {
    if (this.currentBackend === 'webgpu' && requireState().report.backend !== 'webgpu') await this.moveToWasm();
    try {
      return await this.session.run(feeds);
    } catch (cause) {
      if (this.currentBackend !== 'webgpu') {
        throw new EkycError('inference_failed', `Running model "${this.modelId}" failed`, { cause, details: { modelId: this.modelId } });
      }
      recordFallback({ from: 'webgpu', to: 'wasm', reason: `inference failed on WebGPU: ${String(cause)}`, modelId: this.modelId });
      await this.moveToWasm();
      return this.run(feeds);
    }
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  private async moveToWasm(): Promise<void> {
    if (!this.bytes) return;
    const old = this.session;
    this.session = await createWasmSession(this.modelId, this.bytes);
    this.currentBackend = 'wasm';
    this.bytes = undefined;
    await old.release().catch(() => undefined);
  }
}

async function createWasmSession(modelId: string, bytes: Uint8Array): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  } catch (cause) {
    throw new EkycError('model_load_failed', `Could not create a session for model "${modelId}"`, { cause, details: { modelId } });
  }
}

/** Creates a session for verified model bytes on the backend this worker chose. */
export function createSession(modelId: string, bytes: Uint8Array): Promise<ModelSession> {
  return ModelSession.create(modelId, bytes);
}
