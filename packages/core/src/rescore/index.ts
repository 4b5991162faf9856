export * from './content.ts';
export * from './document.ts';
export * from './compare.ts';
export * from './rescore.ts';
export * from './licence.ts';
export * from './routing.ts';
