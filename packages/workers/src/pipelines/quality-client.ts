import type { quality } from '@ekyc/core';
import { WorkerHost, transfer } from '../host/worker-host.ts';
import type { PipelineConfig } from '../host/types.ts';
import type { QualityApi, TimedAssessment } from './quality.ts';
import { validateFrame, type RgbaFrame } from './quality-frame.ts';

/** Host side of the quality pipeline; frames' buffers are transferred, so the caller must not reuse them. */
export class QualityClient {
  readonly host: WorkerHost<QualityApi>;

  constructor(config: PipelineConfig, timeoutMs = 10_000) {
    this.host = new WorkerHost<QualityApi>({
      name: 'quality',
      create: () => new Worker(new URL('./quality.worker.ts', import.meta.url), { type: 'module', name: 'ekyc-quality' }),
      config,
      timeoutMs,
    });
  }

  configure(thresholds: Partial<quality.QualityThresholds>): Promise<quality.QualityThresholds> {
    return this.host.call('configure', thresholds);
  }

  reset(): Promise<void> {
    return this.host.call('reset');
  }

  analyzeFrame(frame: RgbaFrame): Promise<TimedAssessment> {
    return this.host.call('analyzeFrame', transferable(frame));
  }

  analyzeStill(frame: RgbaFrame): Promise<TimedAssessment> {
    return this.host.call('analyzeStill', transferable(frame));
  }

  terminate(): void {
    this.host.terminate();
  }
}

/** Checked here too: a detached buffer cannot even be posted, and a bad frame need not cost a round trip. */
function transferable(frame: RgbaFrame): RgbaFrame {
  const valid = validateFrame(frame);
  const buffer = valid.data.buffer;
  return buffer instanceof ArrayBuffer ? transfer(valid, [buffer]) : valid;
}
