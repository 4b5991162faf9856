import { beforeAll, describe, expect, it } from 'vitest';
import { FrameBuffers, halved, sobelStrongestChannel, type OpenCv } from './opencv-frame.ts';
import { loadOpenCvForTests } from '../../../test/opencv-node.ts';

// The JS replacements of OpenCV calls on the per-frame path must give the same bytes as the calls
// they replace: the judgements downstream are compared bit for bit (npm run eval:quality --dump).

let cv: OpenCv;

beforeAll(async () => {
  ({ cv } = await loadOpenCvForTests());
});

function noise(length: number, seed: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

describe('FrameBuffers.reduce', () => {
  it('gives the bytes of two OpenCV halvings (1280x720 -> 320x180) in one JS pass', () => {
    const width = 1280;
    const height = 720;
    const pixels = noise(width * height * 4, 11);
    // Smooth ramps as well as noise: every rounding case of (a + b + c + d + 2) >> 2 appears.
    for (let i = 0; i < pixels.length / 2; i++) pixels[i] = (i >> 6) & 255;
    const reference = new cv.Mat(height, width, cv.CV_8UC4);
    const half = new cv.Mat();
    const quarter = new cv.Mat();
    const buffers = new FrameBuffers(cv, width, height);
    try {
      reference.data.set(pixels);
      cv.resize(reference, half, new cv.Size(640, 360), 0, 0, cv.INTER_LINEAR);
      cv.resize(half, quarter, new cv.Size(320, 180), 0, 0, cv.INTER_LINEAR);
      buffers.reduce(pixels);
      expect(buffers.smallRgba.cols).toBe(320);
      expect(buffers.smallRgba.rows).toBe(180);
      const expected = new Uint8Array(quarter.data);
      const actual = new Uint8Array(buffers.smallRgba.data);
      let differing = 0;
      for (let i = 0; i < expected.length; i++) if (expected[i] !== actual[i]) differing++;
      expect(differing).toBe(0);
    } finally {
      reference.delete();
      half.delete();
      quarter.delete();
      buffers.delete();
    }
  });

  it('falls back to OpenCV for a size that does not divide by 4, with the same result as before', () => {
    const width = 1282;
    const height = 722;
    const pixels = noise(width * height * 4, 5);
    const buffers = new FrameBuffers(cv, width, height);
    try {
      buffers.reduce(pixels);
      expect(buffers.smallRgba.cols).toBe(buffers.smallSize.width);
      expect(buffers.smallRgba.rows).toBe(buffers.smallSize.height);
      // The full-size Mat was filled for OpenCV.
      expect(Array.from(buffers.rgba.data.subarray(0, 8))).toEqual(Array.from(pixels.subarray(0, 8)));
    } finally {
      buffers.delete();
    }
  });
});

describe('halved', () => {
  it('gives the bytes of OpenCV\'s halving (2x2 means, rounded), an odd last row and column left out', () => {
    const width = 37;
    const height = 23;
    const data = new Uint8ClampedArray(width * height * 4).map((_, i) => (i * 7919 + (i >> 7)) & 255);
    const source = new cv.Mat(height, width, cv.CV_8UC4);
    const part = source.roi(new cv.Rect(0, 0, 36, 22));
    const even = new cv.Mat();
    const half = new cv.Mat();
    try {
      source.data.set(data);
      // OpenCV on the even part (36x22), where its halving is the 2x2 box.
      part.copyTo(even);
      cv.resize(even, half, new cv.Size(18, 11), 0, 0, cv.INTER_LINEAR);
      const ours = halved({ width, height, data });
      expect([ours.width, ours.height]).toEqual([18, 11]);
      expect(Array.from(ours.data)).toEqual(Array.from(half.data));
    } finally {
      part.delete();
      source.delete();
      even.delete();
      half.delete();
    }
  });
});

describe('sobelStrongestChannel', () => {
  it.each([
    [37, 23],
    [320, 180],
    [2, 2],
    // Widths where the sliding window over the inner columns is empty or one column wide, and one row.
    [1, 5],
    [3, 4],
    [4, 3],
    [9, 1],
  ])('equals cv.Sobel (CV_16S, 3x3, reflect-101 border) per channel and the strongest channel, on %ix%i', (width, height) => {
    const image = new cv.Mat(height, width, cv.CV_8UC3);
    const dx3 = new cv.Mat();
    const dy3 = new cv.Mat();
    try {
      image.data.set(noise(width * height * 3, width * 31 + height));
      cv.Sobel(image, dx3, cv.CV_16S, 1, 0, 3);
      cv.Sobel(image, dy3, cv.CV_16S, 0, 1, 3);
      const dx = new Int16Array(width * height);
      const dy = new Int16Array(width * height);
      sobelStrongestChannel(new Uint8Array(image.data), width, height, dx, dy);
      const a = dx3.data16S;
      const b = dy3.data16S;
      let differing = 0;
      for (let i = 0, j = 0; i < dx.length; i++, j += 3) {
        let best = j;
        for (let c = 1; c < 3; c++) if (Math.abs(a[j + c]!) + Math.abs(b[j + c]!) > Math.abs(a[best]!) + Math.abs(b[best]!)) best = j + c;
        if (dx[i] !== a[best] || dy[i] !== b[best]) differing++;
      }
      expect(differing).toBe(0);
    } finally {
      image.delete();
      dx3.delete();
      dy3.delete();
    }
  });
});
