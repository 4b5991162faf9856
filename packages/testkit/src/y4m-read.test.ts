import { describe, expect, it } from 'vitest';
import { parseY4mHeader, y4mFrames } from './y4m-read.ts';
import { rgbaToI420, y4mHeader, Y4M_FRAME_MARKER } from './y4m.ts';

describe('y4m reading', () => {
  it('reads back what rgbaToI420 wrote, within the 4:2:0 and rounding loss', () => {
    const width = 8;
    const height = 6;
    const frames = [0, 1, 2].map((k) => {
      const data = new Uint8ClampedArray(width * height * 4);
      for (let i = 0; i < width * height; i++) data.set([40 + k * 60, 120, 200 - k * 50, 255], i * 4);
      return { width, height, data };
    });
    const parts: Uint8Array[] = [new TextEncoder().encode(y4mHeader(width, height, 20))];
    for (const f of frames) parts.push(new TextEncoder().encode(Y4M_FRAME_MARKER), rgbaToI420(f));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { bytes.set(p, at); at += p.length; }
    const info = parseY4mHeader(bytes);
    expect(info).toMatchObject({ width, height, fps: 20, frames: 3 });
    const back = [...y4mFrames(bytes)];
    expect(back).toHaveLength(3);
    back.forEach((f, k) => {
      for (let i = 0; i < f.data.length; i++) expect(Math.abs(f.data[i]! - frames[k]!.data[i]!)).toBeLessThanOrEqual(2);
    });
    expect(() => parseY4mHeader(new TextEncoder().encode('P6 not a y4m\n'))).toThrow(RangeError);
  });
});
