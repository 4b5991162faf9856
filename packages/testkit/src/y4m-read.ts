import type { RgbaImage } from '@ekyc/core';

/**
 * Reading YUV4MPEG2 (.y4m) clips, 4:2:0 only (what Chromium's fake camera and y4m.ts write), back
 * to RGBA with the BT.601 limited-range inverse of rgbaToI420.
 */

export interface Y4mInfo {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Byte offset of the first frame marker. */
  readonly dataOffset: number;
  readonly frameBytes: number;
  readonly frames: number;
}

export function parseY4mHeader(bytes: Uint8Array): Y4mInfo {
  const end = bytes.indexOf(0x0a);
  const header = new TextDecoder().decode(bytes.subarray(0, end < 0 ? 0 : end));
  if (!header.startsWith('YUV4MPEG2 ')) throw new RangeError('not a y4m file');
  const fields = Object.fromEntries(header.split(' ').slice(1).map((f) => [f[0], f.slice(1)]));
  const width = Number(fields['W']);
  const height = Number(fields['H']);
  const [num, den] = (fields['F'] ?? '30:1').split(':').map(Number);
  const colour = fields['C'] ?? '420jpeg';
  if (!colour.startsWith('420')) throw new RangeError(`unsupported y4m colour space ${colour}`);
  if (!(width > 0 && height > 0 && num! > 0 && den! > 0)) throw new RangeError('bad y4m header');
  const frameBytes = width * height * 1.5;
  const dataOffset = end + 1;
  let frames = 0;
  for (let at = dataOffset; at < bytes.length; frames++) {
    const marker = bytes.indexOf(0x0a, at);
    if (marker < 0) break;
    at = marker + 1 + frameBytes;
    if (at > bytes.length) break;
  }
  return { width, height, fps: num! / den!, dataOffset, frameBytes, frames };
}

const clampByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** One I420 frame's planes (Y, then U and V at half size) as RGBA. */
export function i420ToRgba(planes: Uint8Array, width: number, height: number): RgbaImage {
  const y = planes.subarray(0, width * height);
  const u = planes.subarray(width * height, width * height * 1.25);
  const v = planes.subarray(width * height * 1.25, width * height * 1.5);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const c = (row >> 1) * (width >> 1) + (col >> 1);
      const yy = 1.164383 * (y[row * width + col]! - 16);
      const cb = u[c]! - 128;
      const cr = v[c]! - 128;
      const o = (row * width + col) * 4;
      out[o] = clampByte(yy + 1.596027 * cr);
      out[o + 1] = clampByte(yy - 0.391762 * cb - 0.812968 * cr);
      out[o + 2] = clampByte(yy + 2.017232 * cb);
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

/** Every frame in order (each is `FRAME[params]\n` + planes), read front to back once. */
export function* y4mFrames(bytes: Uint8Array, info: Y4mInfo = parseY4mHeader(bytes)): Generator<RgbaImage> {
  let at = info.dataOffset;
  for (let i = 0; i < info.frames; i++) {
    const start = bytes.indexOf(0x0a, at) + 1;
    yield i420ToRgba(bytes.subarray(start, start + info.frameBytes), info.width, info.height);
    at = start + info.frameBytes;
  }
}
