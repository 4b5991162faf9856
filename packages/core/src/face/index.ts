export * from './image.ts';
/** The SDK's one image type and validator, also here for code that uses the face namespace alone. */
export { validateRgbaImage, type RgbaImage } from '../image/rgba.ts';
export * from './geometry.ts';
export * from './warp.ts';
export * from './detection.ts';
export * from './alignment.ts';
export * from './tensor.ts';
export * from './vector.ts';
export * from './match.ts';
export * from './quality.ts';
export * from './blur.ts';
export * from './pose.ts';
export * from './continuity.ts';
export * from './antispoof.ts';
export * from './engine.ts';
