import { describe, expect, it } from 'vitest';
import { EkycError } from '../errors.ts';
import { MAX_IMAGE_SIDE, validateRgbaImage } from './rgba.ts';

function codeOf(input: unknown): string | undefined {
  try {
    validateRgbaImage(input);
    return undefined;
  } catch (error) {
    return error instanceof EkycError ? error.code : 'not-ekyc';
  }
}

function detachedBytes(length: number): Uint8ClampedArray {
  const bytes = new Uint8ClampedArray(length);
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  return bytes;
}

describe('validateRgbaImage', () => {
  it('accepts ImageData-like (Uint8ClampedArray) and decoder-like (Uint8Array, Node Buffer) images, and returns just their three fields', () => {
    const clamped = { width: 4, height: 2, data: new Uint8ClampedArray(32) };
    expect(validateRgbaImage(clamped)).toEqual(clamped);
    const plain = { width: 1, height: 3, data: new Uint8Array(12), colorSpace: 'srgb' };
    expect(validateRgbaImage(plain)).toEqual({ width: 1, height: 3, data: plain.data });
    expect(validateRgbaImage(plain).data).toBe(plain.data);
    expect(codeOf({ width: 2, height: 2, data: Buffer.alloc(16) })).toBeUndefined();
    // A view into a larger buffer is fine: only its own length counts.
    expect(codeOf({ width: 1, height: 1, data: new Uint8Array(64).subarray(8, 12) })).toBeUndefined();
  });

  it('accepts sides up to MAX_IMAGE_SIDE and refuses one pixel more', () => {
    expect(codeOf({ width: MAX_IMAGE_SIDE, height: 1, data: new Uint8Array(MAX_IMAGE_SIDE * 4) })).toBeUndefined();
    expect(codeOf({ width: MAX_IMAGE_SIDE + 1, height: 1, data: new Uint8Array((MAX_IMAGE_SIDE + 1) * 4) })).toBe('invalid_frame');
    expect(codeOf({ width: 1, height: MAX_IMAGE_SIDE + 1, data: new Uint8Array((MAX_IMAGE_SIDE + 1) * 4) })).toBe('invalid_frame');
  });

  it('refuses non-objects, bad sizes, other arrays, wrong lengths and detached buffers with invalid_frame', () => {
    const cases: Record<string, unknown> = {
      null: null,
      string: 'frame',
      'zero size': { width: 0, height: 0, data: new Uint8ClampedArray(0) },
      'negative width': { width: -4, height: -2, data: new Uint8ClampedArray(32) },
      'fractional width': { width: 4.5, height: 2, data: new Uint8ClampedArray(36) },
      'NaN height': { width: 4, height: Number.NaN, data: new Uint8ClampedArray(32) },
      'size as strings': { width: '4', height: '2', data: new Uint8ClampedArray(32) },
      'missing data': { width: 4, height: 2 },
      'float pixels': { width: 4, height: 2, data: new Float32Array(32) },
      '16-bit pixels': { width: 4, height: 2, data: new Uint16Array(32) },
      'plain array': { width: 4, height: 2, data: new Array(32).fill(0) },
      'ArrayBuffer': { width: 4, height: 2, data: new ArrayBuffer(32) },
      'RGB length (3 per pixel)': { width: 4, height: 2, data: new Uint8ClampedArray(24) },
      'one byte too many': { width: 4, height: 2, data: new Uint8ClampedArray(33) },
      'detached buffer': { width: 4, height: 2, data: detachedBytes(32) },
      'huge width': { width: 100_000, height: 2, data: new Uint8ClampedArray(8) },
    };
    for (const [name, input] of Object.entries(cases)) expect(codeOf(input), name).toBe('invalid_frame');
  });

  it('names the image in the message and puts sizes, never pixels, in the details', () => {
    try {
      validateRgbaImage({ width: 4, height: 2, data: new Uint8Array(8) }, 'source image');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EkycError);
      expect((error as EkycError).message).toContain('source image');
      expect((error as EkycError).details).toEqual({ width: 4, height: 2, length: 8, expected: 32 });
      expect((error as EkycError).recoverable).toBe(true);
    }
  });
});
