export * from './types.ts';
export { VerificationFlow, type VerificationFlowDeps } from './flow.ts';
export { WORKER_ASSETS, assetsOf, defaultWorkerFactory, type FlowWorkers, type WorkerFactory } from './workers.ts';
export { DEFAULT_SESSION_CONFIG } from './session.ts';
export { VerifierApi, type ClientSessionAnswer, type ExchangeAnswer, type StatusAnswer } from './verifier-api.ts';
export type { ImageCodec } from './images.ts';
