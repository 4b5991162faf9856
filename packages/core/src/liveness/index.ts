export * from './challenges.ts';
export * from './sequence.ts';
export * from './config.ts';
export * from './frame.ts';
export * from './guidance.ts';
export * from './engine.ts';
export * from './transcript-schema.ts';
export * from './transcript.ts';
export * from './signals.ts';
export * from './replay.ts';
export * from './mesh.ts';
/** Synthetic signal streams and meshes, for tests and evaluation. */
export * from './testing.ts';
