export * from './rgba.ts';
export * from './point.ts';
