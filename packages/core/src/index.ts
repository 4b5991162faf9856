export * from './errors.ts';
export * from './hash.ts';
export * from './assets/manifest.ts';
export * from './image/index.ts';
export * as face from './face/index.ts';
export * from './evidence/index.ts';
export * as quality from './quality/index.ts';
export * as liveness from './liveness/index.ts';
export * from './mrz/index.ts';
