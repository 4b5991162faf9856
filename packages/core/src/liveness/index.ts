export * from './challenges.ts';
export * from './sequence.ts';
export * from './config.ts';
export * from './frame.ts';
export * from './guidance.ts';
export * from './engine.ts';
export * from './transcript-schema.ts';
export * from './transcript.ts';
