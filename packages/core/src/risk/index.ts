export * from './weights.ts';
export * from './decide.ts';
