import { describe, expect, it } from 'vitest';
import { EkycError } from '@ekyc/core';
import { isImageBitmap, validateBitmap, validateFrame } from './frame.ts';

function codeOf(input: unknown): string | undefined {
  try {
    validateFrame(input);
    return undefined;
  } catch (error) {
    return error instanceof EkycError ? error.code : 'not-ekyc';
  }
}

describe('validateFrame', () => {
  it('accepts a well-formed RGBA frame', () => {
    const frame = { width: 4, height: 2, data: new Uint8ClampedArray(32) };
    expect(validateFrame(frame)).toEqual(frame);
  });

  it('refuses zero size, wrong format, wrong length and detached buffers with invalid_frame', () => {
    const detached = new Uint8ClampedArray(32);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    const cases: unknown[] = [
      null,
      'frame',
      { width: 0, height: 0, data: new Uint8ClampedArray(0) },
      { width: 4.5, height: 2, data: new Uint8ClampedArray(36) },
      { width: 4, height: 2, data: new Float32Array(32) },
      { width: 4, height: 2, data: [1, 2, 3] },
      { width: 4, height: 2, data: new Uint8ClampedArray(24) },
      { width: 4, height: 2, data: detached },
      { width: 100_000, height: 2, data: new Uint8ClampedArray(8) },
    ];
    for (const input of cases) expect(codeOf(input)).toBe('invalid_frame');
  });
});

describe('validateBitmap', () => {
  it('accepts a bitmap with pixels', () => {
    const bitmap = { width: 1280, height: 720 };
    expect(validateBitmap(bitmap)).toBe(bitmap);
  });

  it('refuses a closed or transferred-away bitmap (0 x 0) and oversized ones with invalid_frame', () => {
    for (const size of [{ width: 0, height: 0 }, { width: 1280, height: 0 }, { width: 9000, height: 10 }]) {
      expect(() => validateBitmap(size)).toThrow(expect.objectContaining({ code: 'invalid_frame' }));
    }
  });

  it('does not take an RGBA frame for a bitmap', () => {
    expect(isImageBitmap({ width: 1, height: 1, data: new Uint8ClampedArray(4) })).toBe(false);
  });
});
