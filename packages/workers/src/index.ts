export { WorkerHost, transfer, type WorkerHostOptions } from './host/worker-host.ts';
export type { PipelineConfig } from './host/types.ts';
export { assetUrl, fetchModel, fetchRuntimeFile, runtimeFileUrl } from './assets/fetch-asset.ts';
export { modelManifest, runtimeManifest } from './assets/manifests.ts';
export { chooseBackend, chooseThreadCount } from './runtime/choose-backend.ts';
export type { Backend, BackendPreference, BackendDecision, Capabilities, WebGpuProbe } from './runtime/choose-backend.ts';
export type { RuntimeReport, RuntimeFallback } from './runtime/runtime.ts';
export { createModelProbe } from './pipelines/model-probe-client.ts';
export type { ModelProbeApi, ProbeRun, ProbeOutput, LoadedModel } from './pipelines/model-probe.ts';
