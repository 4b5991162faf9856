import { face as core } from '@ekyc/core';
import { transfer, WorkerHost } from '../../host/worker-host.ts';
import type { LoadHooks } from '../../assets/asset-progress.ts';
import type { AnalyzeOptions, FaceAnalysis, FaceConfig, FacePipelineApi } from './face.ts';

export type { AnalyzeOptions, FaceAnalysis, FaceConfig, FaceFrame, FaceModelIds } from './face.ts';

/** Host-side handle of the face worker. Frames are transferred, not copied: don't reuse their buffers. */
export class FaceClient {
  private readonly host: WorkerHost<FacePipelineApi>;

  /** `hooks.onAssetProgress` hears the bytes of each file the worker downloads while it loads. */
  constructor(config: FaceConfig, timeoutMs = 60_000, hooks: LoadHooks = {}) {
    this.host = new WorkerHost<FacePipelineApi>({
      name: 'face',
      create: () => new Worker(new URL('./face.worker.ts', import.meta.url), { type: 'module', name: 'ekyc-face' }),
      config,
      timeoutMs,
      ...hooks,
    });
  }

  detect(frame: core.RgbaImage): Promise<core.FaceDetection[]> {
    return this.host.call('detect', transfer(frame, [frame.data.buffer as ArrayBuffer]));
  }

  analyze(frame: core.RgbaImage, options: AnalyzeOptions = {}): Promise<FaceAnalysis> {
    return this.host.call('analyze', transfer(frame, [frame.data.buffer as ArrayBuffer]), options);
  }

  embedAll(frame: core.RgbaImage): Promise<Array<{ face: core.FaceDetection; embedding: Float32Array }>> {
    return this.host.call('embedAll', transfer(frame, [frame.data.buffer as ArrayBuffer]));
  }

  embedAligned(crop: core.RgbaImage): Promise<Float32Array> {
    return this.host.call('embedAligned', crop);
  }

  antiSpoof(frame: core.RgbaImage, box: core.Box): Promise<core.AntiSpoofSignal> {
    return this.host.call('antiSpoof', frame, box);
  }

  /** Cosine and band of two embeddings (host side, no worker round trip). */
  match(a: ArrayLike<number>, b: ArrayLike<number>, thresholds?: core.MatchThresholds): core.FaceMatchResult {
    return core.matchEmbeddings(a, b, thresholds);
  }

  terminate(): void {
    this.host.terminate();
  }
}
