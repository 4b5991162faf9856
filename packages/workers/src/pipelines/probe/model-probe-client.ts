import { WorkerHost } from '../../host/worker-host.ts';
import type { PipelineConfig } from '../../host/types.ts';
import type { ModelProbeApi } from './model-probe.ts';

export function createModelProbe(config: PipelineConfig, timeoutMs = 120_000): WorkerHost<ModelProbeApi> {
  return new WorkerHost<ModelProbeApi>({
    name: 'model-probe',
    create: () => new Worker(new URL('./model-probe.worker.ts', import.meta.url), { type: 'module', name: 'ekyc-model-probe' }),
    config,
    timeoutMs,
  });
}
