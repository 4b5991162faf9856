export * from './types.ts';
export * from './thresholds.ts';
export * from './geometry.ts';
export * from './lines.ts';
export * from './refine-corners.ts';
export * from './assess.ts';
export * from './auto-capture.ts';
export * from './edge-support.ts';
