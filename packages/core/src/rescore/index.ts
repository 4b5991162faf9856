export * from './content.ts';
export * from './document.ts';
export * from './compare.ts';
export * from './rescore.ts';
