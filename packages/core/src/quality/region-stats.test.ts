import { describe, expect, it } from 'vitest';
import { regionStats } from './region-stats.ts';
import type { GrayImage } from './refine-corners.ts';

function image(width: number, height: number, pixel: (x: number, y: number) => number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = pixel(x, y);
  return { data, width, height };
}

/** The same statistics the slow, obvious way: every interior pixel, tested against the polygon one by one. */
function reference(img: GrayImage, glareLevel: number, inside: (x: number, y: number) => boolean) {
  const values: number[] = [];
  const laps: number[] = [];
  for (let y = 1; y < img.height - 1; y++) {
    for (let x = 1; x < img.width - 1; x++) {
      if (!inside(x + 0.5, y + 0.5)) continue;
      const at = (dx: number, dy: number) => img.data[(y + dy) * img.width + x + dx]!;
      values.push(at(0, 0));
      laps.push(at(-1, 0) + at(1, 0) + at(0, -1) + at(0, 1) - 4 * at(0, 0));
    }
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const variance = (a: number[]) => mean(a.map((v) => (v - mean(a)) ** 2));
  return { sharpness: variance(laps), brightness: mean(values), contrast: Math.sqrt(variance(values)), clippedFraction: values.filter((v) => v >= glareLevel).length / values.length, pixels: values.length, sorted: [...values].sort((a, b) => a - b) };
}

describe('regionStats', () => {
  it('matches a pixel-by-pixel computation inside a tilted quad', () => {
    let s = 12345;
    const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const img = image(120, 90, (x, y) => (x > 60 && y < 30 ? 255 : Math.floor(random() * 200)));
    const quad = [{ x: 10.3, y: 8.7 }, { x: 105.2, y: 15.1 }, { x: 98.9, y: 80.4 }, { x: 14.6, y: 72.2 }];
    const inside = (x: number, y: number) => quad.every((a, i) => {
      const b = quad[(i + 1) % 4]!;
      return (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) >= 0;
    });
    const fast = regionStats(img, 250, { polygon: quad, blockSize: 16 });
    const slow = reference(img, 250, inside);
    expect(fast.pixels).toBe(slow.pixels);
    expect(fast.sharpness).toBeCloseTo(slow.sharpness, 6);
    expect(fast.brightness).toBeCloseTo(slow.brightness, 9);
    expect(fast.contrast).toBeCloseTo(slow.contrast, 9);
    expect(fast.clippedFraction).toBeCloseTo(slow.clippedFraction, 12);
    expect(fast.clippedFraction).toBeGreaterThan(0.1);
    expect(fast.darkLevel).toBe(slow.sorted[Math.floor(0.05 * slow.pixels)]);
    expect(fast.medianLevel).toBe(slow.sorted[Math.floor(0.5 * slow.pixels)]);
    // The blocks hold the same pixels, split up.
    const blocks = fast.blocks!;
    expect(blocks.count.reduce((a, b) => a + b, 0)).toBe(slow.pixels);
    expect(blocks.sum.reduce((a, b) => a + b, 0) / slow.pixels).toBeCloseTo(slow.brightness, 9);
    expect(blocks.clipped.reduce((a, b) => a + b, 0) / slow.pixels).toBeCloseTo(slow.clippedFraction, 12);
  });

  it('reads the mean over the document\'s own outline when given one, the rest over the inset polygon', () => {
    // A dark edge band (a header, a frame line) lies mostly in the inset's margin: the inset alone
    // reads the document brighter than it is (the label's brightness is the whole card's mean).
    let s = 99;
    const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const img = image(120, 90, (x, y) => (y < 16 ? 20 : 100 + Math.floor(random() * 60)));
    const outline = [{ x: 6.4, y: 5.2 }, { x: 112.7, y: 9.9 }, { x: 109.1, y: 84.3 }, { x: 3.8, y: 80.6 }];
    const cx = outline.reduce((a, p) => a + p.x, 0) / 4;
    const cy = outline.reduce((a, p) => a + p.y, 0) / 4;
    const inset = outline.map((p) => ({ x: cx + (p.x - cx) * 0.8, y: cy + (p.y - cy) * 0.8 }));
    const within = (quad: { x: number; y: number }[]) => (x: number, y: number) => quad.every((a, i) => {
      const b = quad[(i + 1) % 4]!;
      return (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) >= 0;
    });
    for (const rowStep of [1, 2]) {
      const both = regionStats(img, 250, { polygon: inset, meanPolygon: outline, rowStep, blockSize: 16 });
      const insetOnly = regionStats(img, 250, { polygon: inset, rowStep, blockSize: 16 });
      const whole = regionStats(img, 250, { polygon: outline, rowStep });
      expect(both.brightness).toBeCloseTo(whole.brightness, 9);
      expect(insetOnly.brightness - both.brightness).toBeGreaterThan(5);
      // Every other statistic stays the inset's.
      expect({ ...both, brightness: 0 }).toEqual({ ...insetOnly, brightness: 0 });
    }
    const slow = reference(img, 250, within(outline));
    expect(regionStats(img, 250, { polygon: inset, meanPolygon: outline }).brightness).toBeCloseTo(slow.brightness, 9);
  });

  it('puts every pixel into its own block, on every row read', () => {
    let s = 777;
    const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const img = image(101, 77, () => Math.floor(random() * 256));
    const quad = [{ x: 7.4, y: 3.2 }, { x: 96.1, y: 9.8 }, { x: 90.7, y: 70.3 }, { x: 3.9, y: 66.6 }];
    const inside = (x: number, y: number) => quad.every((a, i) => {
      const b = quad[(i + 1) % 4]!;
      return (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) >= 0;
    });
    for (const [rowStep, clipLevel] of [[1, 240], [2, 240], [2, 239.5]] as const) {
      const blocks = regionStats(img, clipLevel, { polygon: quad, blockSize: 16, rowStep }).blocks!;
      const n = blocks.columns * blocks.rows;
      const count = new Array<number>(n).fill(0);
      const sum = new Array<number>(n).fill(0);
      const laplacian = new Array<number>(n).fill(0);
      const clipped = new Array<number>(n).fill(0);
      const max = new Array<number>(n).fill(0);
      const min = new Array<number>(n).fill(255);
      for (let y = 1; y < img.height - 1; y += rowStep) {
        for (let x = 1; x < img.width - 1; x++) {
          if (!inside(x + 0.5, y + 0.5)) continue;
          const b = Math.floor(y / 16) * blocks.columns + Math.floor(x / 16);
          const at = (dx: number, dy: number) => img.data[(y + dy) * img.width + x + dx]!;
          const v = at(0, 0);
          count[b]!++;
          sum[b]! += v;
          laplacian[b]! += (at(-1, 0) + at(1, 0) + at(0, -1) + at(0, 1) - 4 * v) ** 2;
          if (v >= clipLevel) clipped[b]!++;
          max[b] = Math.max(max[b]!, v);
          min[b] = Math.min(min[b]!, v);
        }
      }
      expect(Array.from(blocks.count)).toEqual(count);
      expect(Array.from(blocks.sum)).toEqual(sum);
      expect(Array.from(blocks.laplacianSquares)).toEqual(laplacian);
      expect(Array.from(blocks.clipped)).toEqual(clipped);
      expect(Array.from(blocks.max)).toEqual(max);
      expect(Array.from(blocks.min)).toEqual(min);
    }
  });

  it('estimates the same statistics from every other row', () => {
    let s = 99;
    const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const img = image(300, 200, (x, y) => Math.floor(100 + 60 * Math.sin(x / 5) * Math.cos(y / 7) + random() * 30));
    const all = regionStats(img, 250);
    const half = regionStats(img, 250, { rowStep: 2 });
    expect(half.pixels).toBeLessThan(0.51 * all.pixels);
    expect(half.sharpness / all.sharpness).toBeCloseTo(1, 1);
    expect(half.brightness).toBeCloseTo(all.brightness, 0);
    expect(half.contrast / all.contrast).toBeCloseTo(1, 1);
  });

  it('records each block\'s darkest and brightest pixel on the rows it reads', () => {
    const img = image(48, 32, (x, y) => (x === 20 && y === 5 ? 12 : x === 40 && y === 21 ? 250 : 100 + ((x + y) % 7)));
    const blocks = regionStats(img, 250, { blockSize: 16 }).blocks!;
    expect(blocks.min[1]).toBe(12);
    expect(blocks.max[5]).toBe(250);
    expect(blocks.min[0]).toBe(100);
    // Only the rows read count: 1, 3, 5... include the dark pixel's row 5; 1, 4, 7... do not.
    expect(regionStats(img, 250, { blockSize: 16, rowStep: 2 }).blocks!.min[1]).toBe(12);
    expect(regionStats(img, 250, { blockSize: 16, rowStep: 3 }).blocks!.min[1]).toBe(100);
  });

  it('reads the whole image (less its border) without a polygon', () => {
    const img = image(40, 30, (x, y) => ((x + y) % 2 ? 200 : 100));
    const stats = regionStats(img, 250);
    expect(stats.pixels).toBe(38 * 28);
    expect(stats.brightness).toBeCloseTo(150, 0);
    // A checkerboard's Laplacian is +-400 everywhere: variance 400^2.
    expect(stats.sharpness).toBeCloseTo(160_000, -2);
    expect(stats.clippedFraction).toBe(0);
  });

  it('is zero everywhere on a flat image and on a polygon outside the image', () => {
    expect(regionStats(image(20, 20, () => 90), 250).sharpness).toBe(0);
    expect(regionStats(image(20, 20, () => 90), 250, { polygon: [{ x: 30, y: 30 }, { x: 40, y: 30 }, { x: 40, y: 40 }] }).pixels).toBe(0);
  });
});
