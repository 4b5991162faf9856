import { describe, expect, it } from 'vitest';
import { imageToTensor } from './tensor.ts';

const image = { width: 2, height: 1, data: new Uint8ClampedArray([255, 127, 0, 255, 10, 20, 30, 255]) };

describe('imageToTensor', () => {
  it('writes RGB planes in NCHW with (v - mean) / std', () => {
    const t = imageToTensor(image, { width: 2, height: 1, channels: 'RGB', layout: 'NCHW', mean: [127, 127, 127], std: [128, 128, 128] });
    expect(Array.from(t)).toEqual([1, (10 - 127) / 128, 0, (20 - 127) / 128, -127 / 128, (30 - 127) / 128].map(Math.fround));
  });

  it('swaps to BGR and interleaves for NHWC', () => {
    const t = imageToTensor(image, { channels: 'BGR', layout: 'NHWC', mean: [0], std: [1] });
    expect(Array.from(t)).toEqual([0, 127, 255, 30, 20, 10]);
  });

  it('converts to BT.601 gray', () => {
    const t = imageToTensor(image, { channels: 'GRAY', layout: 'NCHW', mean: [0], std: [256] });
    expect(t[0]).toBeCloseTo((0.299 * 255 + 0.587 * 127) / 256, 5);
  });

  it('refuses an image at the wrong size and a zero std', () => {
    expect(() => imageToTensor(image, { width: 3, channels: 'RGB', layout: 'NCHW', mean: [0], std: [1] })).toThrowError(expect.objectContaining({ code: 'invalid_frame' }));
    expect(() => imageToTensor(image, { channels: 'RGB', layout: 'NCHW', mean: [0], std: [0] })).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
