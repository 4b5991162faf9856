import { EkycError, MAX_IMAGE_SIDE } from '@ekyc/core';

// RGBA pixels are @ekyc/core's `RgbaImage`, checked by its `validateRgbaImage`; what is left here is
// what only a browser has: `ImageBitmap`.

/** True for an `ImageBitmap` where the type exists (browsers and workers, not Node). */
export function isImageBitmap(value: unknown): value is ImageBitmap {
  return typeof ImageBitmap === 'function' && value instanceof ImageBitmap;
}

/**
 * Accepts only a bitmap with pixels to read. A closed bitmap, and one already transferred away,
 * reads as 0 x 0, so the size check catches both (and posting either would throw DataCloneError).
 * The size limit is the one RGBA images have, since the bitmap is read back as one.
 */
export function validateBitmap<T extends { readonly width: number; readonly height: number }>(bitmap: T): T {
  const { width, height } = bitmap;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new EkycError('invalid_frame', 'The bitmap is closed, transferred away, empty or too large', { details: { width, height } });
  }
  return bitmap;
}
