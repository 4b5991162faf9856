import { EkycError } from '../errors.ts';

/**
 * The bytes of an RGBA image. `Uint8ClampedArray` is what `ImageData` and canvases give;
 * `Uint8Array` is what decoders, Node buffers and model outputs give. Both are accepted everywhere an
 * image is read. Code that writes computed values into pixels should ask for `Uint8ClampedArray`
 * (`RgbaImage<Uint8ClampedArray>`): it rounds and clamps, where a `Uint8Array` wraps around.
 */
export type RgbaData = Uint8ClampedArray | Uint8Array;

/**
 * The one image type of the SDK: 8-bit RGBA, row-major, 4 bytes per pixel, no row padding
 * (what `ImageData` holds). Camera frames, uploaded stills, face crops and test fixtures are all this.
 */
export interface RgbaImage<Data extends RgbaData = RgbaData> {
  readonly width: number;
  readonly height: number;
  readonly data: Data;
}

/**
 * Largest width or height accepted: one 8192 x 8192 image is already 256 MiB of RGBA. Camera frames
 * and phone photos (up to 8000 x 6000 at 48 MP) fit; anything larger is refused before it is copied.
 */
export const MAX_IMAGE_SIDE = 8192;

function isDetached(buffer: ArrayBufferLike): boolean {
  // `detached` is standard (ES2024) but missing from older engines; a detached buffer also reads as 0 bytes.
  return (buffer as { detached?: boolean }).detached === true || buffer.byteLength === 0;
}

/**
 * Accepts only a well-formed RGBA image and returns its three fields; anything else is `invalid_frame`
 * (never a crash, or a silent misread, deeper in). The rules: width and height are integers from 1 to
 * `MAX_IMAGE_SIDE`; `data` is a `Uint8ClampedArray` or `Uint8Array` whose buffer is not detached
 * (already transferred to a worker) and whose length is exactly width x height x 4.
 * `what` names the image in the message (e.g. "frame", "source image").
 */
export function validateRgbaImage(value: unknown, what = 'image'): RgbaImage {
  if (typeof value !== 'object' || value === null) throw new EkycError('invalid_frame', `The ${what} is not an object`);
  const { width, height, data } = value as Partial<RgbaImage>;
  if (!isSide(width) || !isSide(height)) {
    throw new EkycError('invalid_frame', `The ${what} size is zero, negative, fractional or too large`, { details: { width, height, maxSide: MAX_IMAGE_SIDE } });
  }
  if (!(data instanceof Uint8ClampedArray) && !(data instanceof Uint8Array)) {
    throw new EkycError('invalid_frame', `The ${what} data is not an 8-bit RGBA array`, { details: { type: Object.prototype.toString.call(data) } });
  }
  if (isDetached(data.buffer)) throw new EkycError('invalid_frame', `The ${what} buffer is detached (already transferred)`);
  const expected = width * height * 4;
  if (data.length !== expected) {
    throw new EkycError('invalid_frame', `The ${what} data length does not match width x height x 4`, { details: { width, height, length: data.length, expected } });
  }
  return { width, height, data };
}

function isSide(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_IMAGE_SIDE;
}
