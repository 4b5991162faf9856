import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '@ekyc/core';
import { rgbaToI420, y4mHeader } from './y4m.ts';

const solid = (width: number, height: number, [r, g, b]: readonly [number, number, number]): RgbaImage => {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([r, g, b, 255], i);
  return { width, height, data };
};

/** BT.601 limited range back to RGB, as a decoder does. */
function toRgb(y: number, u: number, v: number): [number, number, number] {
  const c = (y - 16) * 1.164;
  return [c + 1.596 * (v - 128), c - 0.392 * (u - 128) - 0.813 * (v - 128), c + 2.017 * (u - 128)];
}

describe('y4m', () => {
  it('writes the header Chromium parses, and refuses odd sizes', () => {
    expect(y4mHeader(1280, 720, 30)).toBe('YUV4MPEG2 W1280 H720 F30:1 Ip A1:1 C420jpeg\n');
    expect(() => y4mHeader(3, 2, 30)).toThrow(RangeError);
    expect(() => rgbaToI420(solid(3, 2, [0, 0, 0]))).toThrow(RangeError);
  });

  it('maps black, white and grey to TV-range luma with neutral chroma', () => {
    for (const [value, luma] of [[0, 16], [255, 235], [128, 126]] as const) {
      const planes = rgbaToI420(solid(4, 2, [value, value, value]));
      expect(planes.length).toBe(4 * 2 * 1.5);
      expect([...planes.subarray(0, 8)]).toEqual(Array(8).fill(luma));
      expect([...planes.subarray(8)]).toEqual([128, 128, 128, 128]);
    }
  });

  it('round-trips colours within a few levels and averages chroma over 2x2 blocks', () => {
    for (const colour of [[200, 40, 30], [20, 160, 90], [60, 70, 220]] as const) {
      const planes = rgbaToI420(solid(2, 2, colour));
      const back = toRgb(planes[0]!, planes[4]!, planes[5]!);
      back.forEach((channel, i) => expect(Math.abs(channel - colour[i]!)).toBeLessThan(3));
    }
    // Left column red, right column blue: one chroma sample, the mean of both.
    const image = solid(2, 2, [255, 0, 0]);
    image.data.set([0, 0, 255, 255], 4);
    image.data.set([0, 0, 255, 255], 12);
    const mixed = rgbaToI420(image);
    const mean = rgbaToI420(solid(2, 2, [127.5, 0, 127.5]));
    expect(Math.abs(mixed[4]! - mean[4]!)).toBeLessThanOrEqual(1);
    expect(Math.abs(mixed[5]! - mean[5]!)).toBeLessThanOrEqual(1);
  });
});
