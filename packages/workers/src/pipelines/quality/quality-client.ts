import { validateRgbaImage, type quality } from '@ekyc/core';
import { WorkerHost, transfer } from '../../host/worker-host.ts';
import type { LoadHooks } from '../../assets/asset-progress.ts';
import type { PipelineConfig } from '../../host/types.ts';
import type { FrameInput, QualityApi, TimedAssessment } from './quality.ts';
import { isImageBitmap, validateBitmap } from '../../frames/frame.ts';

/**
 * Host side of the quality pipeline. Frames are transferred, not copied: an RGBA frame's buffer and
 * an `ImageBitmap` are unusable by the caller afterwards (the worker closes the bitmap once read).
 */
export class QualityClient {
  readonly host: WorkerHost<QualityApi>;

  /** `hooks.onAssetProgress` hears the bytes of each file the worker downloads while it loads. */
  constructor(config: PipelineConfig, timeoutMs = 10_000, hooks: LoadHooks = {}) {
    this.host = new WorkerHost<QualityApi>({
      name: 'quality',
      create: () => new Worker(new URL('./quality.worker.ts', import.meta.url), { type: 'module', name: 'ekyc-quality' }),
      config,
      timeoutMs,
      ...hooks,
    });
  }

  configure(thresholds: Partial<quality.QualityThresholds>): Promise<quality.QualityThresholds> {
    return this.host.call('configure', thresholds);
  }

  reset(): Promise<void> {
    return this.host.call('reset');
  }

  /** A camera frame; `frame` on the result holds the exact pixels when `capture` is true. */
  analyzeFrame(input: FrameInput): Promise<TimedAssessment> {
    return this.send('analyzeFrame', input);
  }

  /** An uploaded still; `frame` on the result holds its pixels when it is good. */
  analyzeStill(input: FrameInput): Promise<TimedAssessment> {
    return this.send('analyzeStill', input);
  }

  terminate(): void {
    this.host.terminate();
  }

  private async send(method: 'analyzeFrame' | 'analyzeStill', input: FrameInput): Promise<TimedAssessment> {
    const message = transferable(input);
    try {
      return await this.host.call(method, message);
    } finally {
      // A no-op once transferred; frees the pixels when the call failed before posting (e.g. init failed).
      if (isImageBitmap(input)) input.close();
    }
  }
}

/** Checked here too: a detached buffer cannot even be posted, and a bad frame need not cost a round trip. */
function transferable(input: FrameInput): FrameInput {
  if (isImageBitmap(input)) return transfer(validateBitmap(input), [input]);
  const valid = validateRgbaImage(input, 'frame');
  const buffer = valid.data.buffer;
  return buffer instanceof ArrayBuffer ? transfer(valid, [buffer]) : valid;
}
