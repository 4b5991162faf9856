export * from './transport/index.ts';
export * from './capture/index.ts';
