export * from './errors.ts';
export * as face from './face/index.ts';
