export * from './transport/index.ts';
export * from './capture/index.ts';
export * from './liveness/index.ts';
export * from './verification/index.ts';
export * from './handoff/index.ts';
