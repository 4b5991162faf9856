/**
 * The workers a run needs, created lazily the first time a step asks for one, with `progress`
 * events while each loads. A worker fetches and verifies its files itself (inside the worker): a load
 * is announced with the byte sizes from the manifests (`loading`, 0 of N bytes), followed by the bytes
 * the worker reports as they arrive (`loading`, at most 10 events a second per file), and closed when
 * the worker answers (`ready`, N of N).
 */
import { findAsset } from '@ekyc/core';
import {
  DocumentClient, FaceClient, LivenessClient, QualityClient, modelManifest, runtimeManifest,
  type BackendPreference, type LoadHooks,
} from '@ekyc/workers';
import type { AssetProgress, ProgressDetail, StepId, WorkerName } from './types.ts';

/** What each worker fetches on WASM (the backend the flow runs on without a hardware GPU adapter). */
export const WORKER_ASSETS: Readonly<Record<WorkerName, readonly { id: string; group: 'models' | 'wasm' }[]>> = {
  quality: [{ id: 'opencv-wasm', group: 'wasm' }, { id: 'opencv-loader', group: 'wasm' }],
  document: [
    { id: 'opencv-wasm', group: 'wasm' }, { id: 'opencv-loader', group: 'wasm' }, { id: 'ort-wasm-cpu', group: 'wasm' }, { id: 'ort-wasm-cpu-glue', group: 'wasm' },
    { id: 'ppocr-rec', group: 'models' }, { id: 'ppocr-keys', group: 'models' },
    { id: 'tesseract-worker', group: 'wasm' }, { id: 'tesseract-core-simd-lstm', group: 'wasm' }, { id: 'tesseract-eng', group: 'models' },
  ],
  face: [
    { id: 'ort-wasm-cpu', group: 'wasm' }, { id: 'ort-wasm-cpu-glue', group: 'wasm' },
    { id: 'fr-detect', group: 'models' }, { id: 'fr-landmark68', group: 'models' }, { id: 'fr-feature', group: 'models' },
  ],
  liveness: [
    { id: 'mediapipe-vision-wasm-module-internal-js', group: 'wasm' }, { id: 'mediapipe-vision-wasm-module-internal-wasm', group: 'wasm' },
    { id: 'blazeface-short-range', group: 'models' }, { id: 'face-mesh-attention', group: 'models' },
  ],
};

export function assetsOf(worker: WorkerName): AssetProgress[] {
  return WORKER_ASSETS[worker].map(({ id, group }) => {
    const bytes = group === 'models' ? findAsset(modelManifest, id).bytes : findAsset(runtimeManifest, id).bytes;
    return { id, bytesTotal: typeof bytes === 'number' ? bytes : 0, bytesLoaded: 0 };
  });
}

/** The calls the flow makes on each worker; the real clients satisfy them, tests pass fakes. */
export interface FlowWorkers {
  quality: Pick<QualityClient, 'analyzeFrame' | 'analyzeStill' | 'configure' | 'reset' | 'terminate'> & { ready(): Promise<unknown> };
  document: Pick<DocumentClient, 'read' | 'completeFromOtherSide' | 'terminate'> & { ready(): Promise<unknown> };
  face: Pick<FaceClient, 'detect' | 'analyze' | 'embedAll' | 'terminate'> & { ready(): Promise<unknown> };
  liveness: Pick<LivenessClient, 'track' | 'reset' | 'terminate'> & { ready(): Promise<unknown> };
}

/** `hooks.onAssetProgress`, when a factory passes it to its client, feeds the bytes of the `loading` events. */
export type WorkerFactory = { [K in WorkerName]: (hooks?: LoadHooks) => FlowWorkers[K] };

/** The real workers, with the flow's asset base URL and backend. Face match runs without the experimental models. */
export function defaultWorkerFactory(assetBaseUrl: string, backend: BackendPreference = 'auto'): WorkerFactory {
  const config = { assetBaseUrl, backend };
  // A generous timeout: the first call of a worker includes its init on a loaded 2-core machine.
  return {
    quality: (hooks) => withReady(new QualityClient(config, 30_000, hooks), (c) => c.host.ready()),
    document: (hooks) => withReady(new DocumentClient(config, 180_000, hooks), hostReady),
    face: (hooks) => withReady(new FaceClient({ ...config, models: { antiSpoof: undefined, eye: undefined } }, 180_000, hooks), hostReady),
    liveness: (hooks) => withReady(new LivenessClient(config, 180_000, hooks), warmTracker),
  };
}

/**
 * Only QualityClient exposes its WorkerHost; the other clients keep it private (a TypeScript
 * `private`, a plain field at run time). Their `ready()` is what the flow needs to load a worker
 * before its first call, so it is reached here, in one place, until the clients expose it.
 */
function hostReady(client: object): Promise<unknown> {
  const host = (client as { host?: { ready?: () => Promise<unknown> } }).host;
  if (typeof host?.ready !== 'function') return Promise.resolve();
  return host.ready();
}

/**
 * Ready once the tracker has run one frame: its first inference sets up the MediaPipe graph and
 * was the slow one (e2e/pages/liveness-capture.ts warms it the same way), and a camera must not wait
 * on it while its user is being judged. The tracker is reset afterwards, so nothing carries over.
 */
async function warmTracker(client: LivenessClient): Promise<unknown> {
  const value = await hostReady(client);
  await client.track({ width: 640, height: 480, data: new Uint8ClampedArray(640 * 480 * 4).fill(128) });
  await client.reset();
  return value;
}

function withReady<T extends object>(client: T, ready: (client: T) => Promise<unknown>): T & { ready(): Promise<unknown> } {
  return Object.assign(client, { ready: () => ready(client) });
}

/** Holds at most one worker of each kind for the flow's life; `terminateAll` on dispose. */
export class WorkerPool {
  readonly #factory: WorkerFactory;
  readonly #emit: (detail: ProgressDetail) => void;
  readonly #live = new Map<WorkerName, { client: FlowWorkers[WorkerName]; ready: Promise<unknown> }>();

  constructor(factory: WorkerFactory, emit: (detail: ProgressDetail) => void) {
    this.#factory = factory;
    this.#emit = emit;
  }

  /** Starts loading a worker without waiting (e.g. the document reader while the user frames the card). */
  preload(worker: WorkerName, step: StepId): void {
    void this.get(worker, step).catch(() => undefined);
  }

  /** The worker, ready; the first call for a kind creates it and announces its load. */
  async get<K extends WorkerName>(worker: K, step: StepId): Promise<FlowWorkers[K]> {
    let entry = this.#live.get(worker);
    if (!entry) {
      const assets = assetsOf(worker);
      let settled = false;
      const loading = (): void => {
        const sum = (key: 'bytesLoaded' | 'bytesTotal'): number => assets.reduce((total, asset) => total + asset[key], 0);
        this.#emit({ kind: 'model', step, worker, state: 'loading', assets: assets.map((a) => ({ ...a })), bytesLoaded: sum('bytesLoaded'), bytesTotal: sum('bytesTotal') });
      };
      const client = this.#factory[worker]({
        onAssetProgress: ({ id, loaded, total }) => {
          // Files fetched later (e.g. a model loaded on first use) belong to no announced load.
          if (settled) return;
          let asset = assets.find((a) => a.id === id);
          // A file the plan does not list (the WebGPU build instead of the CPU one) joins the total.
          if (!asset && total !== null) assets.push(asset = { id, bytesTotal: total, bytesLoaded: 0 });
          if (!asset || loaded <= asset.bytesLoaded) return;
          asset.bytesLoaded = Math.min(loaded, asset.bytesTotal);
          loading();
        },
      });
      loading();
      const ready = client.ready().then((value) => {
        settled = true;
        const bytesTotal = assets.reduce((sum, asset) => sum + asset.bytesTotal, 0);
        this.#emit({ kind: 'model', step, worker, state: 'ready', assets: assets.map((a) => ({ ...a, bytesLoaded: a.bytesTotal })), bytesLoaded: bytesTotal, bytesTotal });
        return value;
      });
      // A worker whose init failed is dropped: the next `get` starts a fresh one (e.g. after a network error).
      ready.catch(() => {
        if (this.#live.get(worker)?.client === client) this.#live.delete(worker);
      });
      entry = { client, ready };
      this.#live.set(worker, entry);
    }
    await entry.ready;
    return entry.client as FlowWorkers[K];
  }

  /** What the worker's init answered (e.g. its runtime report); rejects when it is not loaded or failed. */
  readyValue(worker: WorkerName): Promise<unknown> {
    const entry = this.#live.get(worker);
    return entry ? entry.ready : Promise.reject(new Error('not loaded'));
  }

  loaded(): WorkerName[] {
    return [...this.#live.keys()];
  }

  terminateAll(): void {
    for (const { client } of this.#live.values()) client.terminate();
    this.#live.clear();
  }
}
