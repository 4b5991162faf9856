import type { liveness, RgbaImage } from '@ekyc/core';
import { transfer, WorkerHost } from '../../host/worker-host.ts';
import type { LoadHooks } from '../../assets/asset-progress.ts';
import type { LivenessPipelineApi, LivenessWorkerConfig, TrackResult } from './liveness.ts';

export type { LivenessModelIds, LivenessWorkerConfig, TrackResult } from './liveness.ts';

/**
 * Host-side handle of the liveness worker. Frames are transferred, not copied: don't reuse their
 * buffers. The challenge engine (core `liveness.LivenessEngine`) runs on the page: feed it
 * `toLivenessFrame(result, t)`.
 */
export class LivenessClient {
  private readonly host: WorkerHost<LivenessPipelineApi>;

  /** `hooks.onAssetProgress` hears the bytes of each file the worker downloads while it loads. */
  constructor(config: LivenessWorkerConfig, timeoutMs = 60_000, hooks: LoadHooks = {}) {
    this.host = new WorkerHost<LivenessPipelineApi>({
      name: 'liveness',
      create: () => new Worker(new URL('./liveness.worker.ts', import.meta.url), { type: 'module', name: 'ekyc-liveness' }),
      config,
      timeoutMs,
      ...hooks,
    });
  }

  track(frame: RgbaImage): Promise<TrackResult> {
    return this.host.call('track', transfer(frame, [frame.data.buffer as ArrayBuffer]));
  }

  reset(): Promise<void> {
    return this.host.call('reset');
  }

  terminate(): void {
    this.host.terminate();
  }
}

/** The engine's input for one tracked frame, `t` in ms on a monotonic clock. */
export function toLivenessFrame(result: TrackResult, t: number): liveness.LivenessFrame {
  return result.signals && result.faceCount === 1
    ? { t, faceCount: 1, brightness: result.brightness, face: result.signals }
    : { t, faceCount: result.faceCount, brightness: result.brightness };
}
