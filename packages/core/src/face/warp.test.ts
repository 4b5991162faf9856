import { describe, expect, it } from 'vitest';
import { EkycError } from '../errors.ts';
import { cropResize, warpAffine } from './warp.ts';
import type { RgbaImage } from '../image/rgba.ts';

function gradient(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const p = (y * width + x) * 4;
    data[p] = (x * 7) % 256; data[p + 1] = (y * 5) % 256; data[p + 2] = (x * y) % 256; data[p + 3] = 255;
  }
  return { width, height, data };
}

describe('warpAffine', () => {
  it('reproduces the image under the identity transform', () => {
    const image = gradient(9, 7);
    expect(Array.from(warpAffine(image, [1, 0, 0, 0, 1, 0], 9, 7).data)).toEqual(Array.from(image.data));
  });

  it('shifts by whole pixels and fills the outside with black', () => {
    const image = gradient(6, 5);
    const out = warpAffine(image, [1, 0, 2, 0, 1, 1], 6, 5);
    for (let y = 0; y < 5; y++) for (let x = 0; x < 6; x++) {
      const p = (y * 6 + x) * 4;
      const sx = x - 2, sy = y - 1;
      const expected = sx >= 0 && sy >= 0 ? Array.from(image.data.subarray((sy * 6 + sx) * 4, (sy * 6 + sx) * 4 + 3)) : [0, 0, 0];
      expect(Array.from(out.data.subarray(p, p + 3))).toEqual(expected);
    }
  });

  it('interpolates half-way between two pixels', () => {
    const image: RgbaImage = { width: 2, height: 1, data: new Uint8ClampedArray([0, 100, 200, 255, 100, 201, 0, 255]) };
    const out = warpAffine(image, [1, 0, -0.5, 0, 1, 0], 1, 1);
    expect(Array.from(out.data)).toEqual([50, 151, 100, 255]);
  });

  it('rejects a singular matrix and a bad buffer with typed errors', () => {
    const image = gradient(4, 4);
    expect(() => warpAffine(image, [0, 0, 0, 0, 0, 0], 4, 4)).toThrow(EkycError);
    expect(() => warpAffine({ width: 4, height: 4, data: new Uint8Array(10) }, [1, 0, 0, 0, 1, 0], 4, 4)).toThrowError(
      expect.objectContaining({ code: 'invalid_frame' }),
    );
    expect(() => warpAffine(image, [1, 0, 0, 0, 1, 0], 0, 4)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });
});

describe('cropResize', () => {
  it('downscales a 2x2 block image to its block colours', () => {
    const data = new Uint8ClampedArray(4 * 4 * 4);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) data.set([x < 2 ? 10 : 200, y < 2 ? 20 : 220, 0, 255], (y * 4 + x) * 4);
    const out = cropResize({ width: 4, height: 4, data }, { x: 0, y: 0, width: 4, height: 4 }, 2, 2);
    expect(Array.from(out.data)).toEqual([10, 20, 0, 255, 200, 20, 0, 255, 10, 220, 0, 255, 200, 220, 0, 255]);
  });

  it('crops a sub-rectangle at 1:1', () => {
    const image = gradient(8, 8);
    const out = cropResize(image, { x: 3, y: 2, width: 4, height: 3 }, 4, 3);
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) {
      const s = ((y + 2) * 8 + x + 3) * 4;
      expect(Array.from(out.data.subarray((y * 4 + x) * 4, (y * 4 + x) * 4 + 4))).toEqual(Array.from(image.data.subarray(s, s + 4)));
    }
  });

  it('rejects an empty box', () => {
    expect(() => cropResize(gradient(4, 4), { x: 0, y: 0, width: 0, height: 3 }, 2, 2)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });
});

describe('cropResize fast path', () => {
  it('gives exactly the bytes of warpAffine with the same scaling, boxes past the border included', () => {
    const image = gradient(37, 23);
    for (const [box, w, h] of [
      [{ x: 0, y: 0, width: 37, height: 23 }, 16, 12],
      [{ x: -5.3, y: 3.7, width: 20.2, height: 30.1 }, 64, 64],
      [{ x: 30, y: -4, width: 11, height: 9 }, 7, 5],
      [{ x: 1.25, y: 2.5, width: 3, height: 2 }, 24, 16],
    ] as const) {
      const sx = w / box.width;
      const sy = h / box.height;
      const reference = warpAffine(image, [sx, 0, sx * (0.5 - box.x) - 0.5, 0, sy, sy * (0.5 - box.y) - 0.5], w, h);
      expect(Buffer.from(cropResize(image, box, w, h).data).equals(Buffer.from(reference.data))).toBe(true);
    }
  });
});
