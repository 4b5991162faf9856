import { describe, expect, it } from 'vitest';
import { maxCornerError } from './geometry.ts';
import { refineQuad, type GrayImage } from './refine-corners.ts';
import type { Quad } from './types.ts';

function insideQuad(quad: Quad, x: number, y: number): boolean {
  for (let i = 0; i < 4; i++) {
    const a = quad[i]!;
    const b = quad[(i + 1) % 4]!;
    if ((b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) < 0) return false;
  }
  return true;
}

/** A bright quad on a dark background, anti-aliased by 4x4 supersampling: exact sub-pixel edges. */
function renderQuad(quad: Quad, width: number, height: number, inside = 200, outside = 60): GrayImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (insideQuad(quad, x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) hits++;
      data[y * width + x] = Math.round(outside + ((inside - outside) * hits) / 16);
    }
  }
  return { data, width, height };
}

// Pixel centres sit at +0.5, so a value sampled at integer coordinates x reads the pixel covering [x, x+1).
const toPixelGrid = (quad: Quad): Quad => quad.map((p) => ({ x: p.x - 0.5, y: p.y - 0.5 })) as unknown as Quad;

describe('refineQuad', () => {
  const truth: Quad = [{ x: 40.3, y: 30.7 }, { x: 260.2, y: 42.1 }, { x: 250.6, y: 170.4 }, { x: 35.1, y: 160.9 }];
  const image = renderQuad(truth, 300, 200);

  it('moves a coarse quad (3 px off) onto the true edges within a fraction of a pixel', () => {
    const coarse: Quad = [{ x: 42, y: 33 }, { x: 257, y: 40 }, { x: 253, y: 168 }, { x: 33, y: 163 }];
    const refined = refineQuad(image, coarse, { searchRadius: 6 });
    expect(maxCornerError(coarse, toPixelGrid(truth))).toBeGreaterThan(2);
    expect(maxCornerError(refined, toPixelGrid(truth))).toBeLessThan(0.35);
  });

  it('reads a colour image as luma: same corners as on its gray version', () => {
    const rgba = new Uint8Array(image.width * image.height * 4);
    image.data.forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
    const coarse: Quad = [{ x: 42, y: 33 }, { x: 257, y: 40 }, { x: 253, y: 168 }, { x: 33, y: 163 }];
    const fromGray = refineQuad(image, coarse, { searchRadius: 6 });
    const fromColour = refineQuad({ data: rgba, width: image.width, height: image.height, channels: 4 }, coarse, { searchRadius: 6 });
    expect(maxCornerError(fromGray, fromColour)).toBeLessThan(1e-6);
  });

  it('keeps the coarse quad on a flat image with no edges', () => {
    const flat: GrayImage = { data: new Uint8Array(300 * 200).fill(128), width: 300, height: 200 };
    const coarse: Quad = [{ x: 42, y: 33 }, { x: 257, y: 40 }, { x: 253, y: 168 }, { x: 33, y: 163 }];
    expect(maxCornerError(refineQuad(flat, coarse, { searchRadius: 6 }), coarse)).toBeLessThan(1e-9);
  });

  it('hands a quad with a side shorter than a pixel back as it is (the same object, as for a lost side), not NaN corners', () => {
    const collapsed: Quad = [{ x: 42, y: 33 }, { x: 42, y: 33 }, { x: 253, y: 168 }, { x: 33, y: 163 }];
    expect(refineQuad(image, collapsed, { searchRadius: 6 })).toBe(collapsed);
  });
});
