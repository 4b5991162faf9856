import type { RgbaImage } from '@ekyc/core';

/**
 * YUV4MPEG2 (.y4m) pieces for Chromium's fake camera (`--use-file-for-fake-video-capture`), which
 * reads planar I420 frames and loops the file. Colours are converted with BT.601 limited range
 * ("TV range", Y 16..235), what players and Chromium assume for untagged I420.
 */

/** The file header: `fps` frames per second, progressive, square pixels, 4:2:0 with centred chroma. */
export function y4mHeader(width: number, height: number, fps: number): string {
  if (width % 2 !== 0 || height % 2 !== 0) throw new RangeError('4:2:0 needs an even width and height');
  return `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`;
}

/** Precedes each frame's planes. */
export const Y4M_FRAME_MARKER = 'FRAME\n';

const clampByte = (value: number): number => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value));

/** One RGBA frame (alpha ignored) as I420 planes: Y (w x h), then U and V (w/2 x h/2, each the mean of a 2x2 block). */
export function rgbaToI420(image: RgbaImage): Uint8Array {
  const { width, height, data } = image;
  if (width % 2 !== 0 || height % 2 !== 0) throw new RangeError('4:2:0 needs an even width and height');
  const chromaWidth = width / 2;
  const out = new Uint8Array(width * height * 1.5);
  const uPlane = width * height;
  const vPlane = uPlane + chromaWidth * (height / 2);
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const p = ((y + dy) * width + x + dx) * 4;
        const pr = data[p]!;
        const pg = data[p + 1]!;
        const pb = data[p + 2]!;
        out[(y + dy) * width + x + dx] = clampByte(16 + (65.481 * pr + 128.553 * pg + 24.966 * pb) / 255);
        r += pr;
        g += pg;
        b += pb;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const c = (y / 2) * chromaWidth + x / 2;
      out[uPlane + c] = clampByte(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      out[vPlane + c] = clampByte(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  return out;
}
