import type { AssetLoadProgress } from './read-verified.ts';

/**
 * Download progress crosses from a worker to its host as a plain message beside comlink's: comlink
 * answers only messages with the `id` of a call it made, so it ignores these, and the pipelines need
 * no callback threaded through every `fetchModel`.
 */

const KEY = 'ekycAssetProgress';

export interface LoadHooks {
  /** Bytes of each model or runtime file the worker downloads, as they arrive (at most 10 a second per file, and at the end). */
  onAssetProgress?: (progress: AssetLoadProgress) => void;
}

interface WorkerScope {
  postMessage(message: unknown): void;
}

/** Inside a dedicated worker, its scope; null on a page (where `postMessage` means another thing) or in Node. */
function workerScope(): WorkerScope | null {
  const scope = (globalThis as { WorkerGlobalScope?: abstract new () => unknown }).WorkerGlobalScope;
  return scope !== undefined && globalThis instanceof scope ? (globalThis as unknown as WorkerScope) : null;
}

/** The default progress sink of `fetchModel` and `fetchRuntimeFile`: tells the host, when running in a worker. */
export function postAssetProgress(progress: AssetLoadProgress): void {
  workerScope()?.postMessage({ [KEY]: progress });
}

/** The progress a worker message carries, or null for any other message. */
export function assetProgressOf(data: unknown): AssetLoadProgress | null {
  if (typeof data !== 'object' || data === null || !(KEY in data)) return null;
  const progress = (data as Record<typeof KEY, unknown>)[KEY];
  if (typeof progress !== 'object' || progress === null) return null;
  const { id, loaded, total } = progress as Record<string, unknown>;
  if (typeof id !== 'string' || typeof loaded !== 'number' || !(typeof total === 'number' || total === null)) return null;
  return { id, loaded, total };
}

/** Calls `listener` with each progress message `worker` posts. */
export function listenForAssetProgress(worker: Worker, listener: (progress: AssetLoadProgress) => void): void {
  worker.addEventListener('message', (event: MessageEvent) => {
    const progress = assetProgressOf(event.data);
    if (progress) listener(progress);
  });
}
