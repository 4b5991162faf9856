import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_SIDE } from '@ekyc/core';
import { isImageBitmap, validateBitmap } from './frame.ts';

// RGBA pixel validation is @ekyc/core's validateRgbaImage, tested in packages/core/src/image/rgba.test.ts.

describe('validateBitmap', () => {
  it('accepts a bitmap with pixels', () => {
    const bitmap = { width: 1280, height: 720 };
    expect(validateBitmap(bitmap)).toBe(bitmap);
  });

  it('refuses a closed or transferred-away bitmap (0 x 0) and oversized ones with invalid_frame', () => {
    for (const size of [{ width: 0, height: 0 }, { width: 1280, height: 0 }, { width: MAX_IMAGE_SIDE + 1, height: 10 }]) {
      expect(() => validateBitmap(size)).toThrow(expect.objectContaining({ code: 'invalid_frame' }));
    }
  });

  it('does not take an RGBA frame for a bitmap', () => {
    expect(isImageBitmap({ width: 1, height: 1, data: new Uint8ClampedArray(4) })).toBe(false);
  });
});
