import { EkycError } from '@ekyc/core';

/** One RGBA frame (8 bits per channel, row-major, no padding), e.g. `ImageData` or a transferred buffer. */
export interface RgbaFrame {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

const MAX_SIDE = 8192;

function isDetached(buffer: ArrayBufferLike): boolean {
  // `detached` is standard (ES2024) but missing from older engines; a detached buffer also reads as 0 bytes.
  return (buffer as { detached?: boolean }).detached === true || buffer.byteLength === 0;
}

/** Accepts only a well-formed RGBA frame; anything else is `invalid_frame` (never a crash inside OpenCV). */
export function validateFrame(frame: unknown): RgbaFrame {
  if (typeof frame !== 'object' || frame === null) throw new EkycError('invalid_frame', 'The frame is not an object');
  const { width, height, data } = frame as Partial<RgbaFrame>;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width! < 1 || height! < 1 || width! > MAX_SIDE || height! > MAX_SIDE) {
    throw new EkycError('invalid_frame', 'The frame size is zero, negative, fractional or too large', { details: { width, height } });
  }
  if (!(data instanceof Uint8ClampedArray) && !(data instanceof Uint8Array)) {
    throw new EkycError('invalid_frame', 'The frame data is not an 8-bit RGBA array', { details: { type: Object.prototype.toString.call(data) } });
  }
  if (isDetached(data.buffer)) throw new EkycError('invalid_frame', 'The frame buffer is detached (already transferred)');
  const expected = width! * height! * 4;
  if (data.length !== expected) {
    throw new EkycError('invalid_frame', 'The frame data length does not match width x height x 4', { details: { width, height, length: data.length, expected } });
  }
  return { width: width!, height: height!, data };
}

/** True for an `ImageBitmap` where the type exists (browsers and workers, not Node). */
export function isImageBitmap(value: unknown): value is ImageBitmap {
  return typeof ImageBitmap === 'function' && value instanceof ImageBitmap;
}

/**
 * Accepts only a bitmap with pixels to read. A closed bitmap, and one already transferred away,
 * reads as 0 x 0, so the size check catches both (and posting either would throw DataCloneError).
 */
export function validateBitmap<T extends { readonly width: number; readonly height: number }>(bitmap: T): T {
  const { width, height } = bitmap;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    throw new EkycError('invalid_frame', 'The bitmap is closed, transferred away, empty or too large', { details: { width, height } });
  }
  return bitmap;
}
