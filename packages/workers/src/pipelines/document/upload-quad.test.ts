import { beforeAll, describe, expect, it } from 'vitest';
import { quality, type RgbaImage } from '@ekyc/core';
import type { OpenCv } from '../quality/opencv-frame.ts';
import { findUploadQuad, isPageAspect, linesSitLow, paintOver, reduceForSearch } from './upload-quad.ts';
import { loadOpenCvForTests } from '../../../test/opencv-node.ts';

// Photos drawn in plain pixels: a light page with dark print rows on a dark, grainy table, turned and
// tilted, as an uploaded photo of a document is taken.

let cv: OpenCv;

beforeAll(async () => {
  ({ cv } = await loadOpenCvForTests());
});

/** Deterministic noise in [0, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Corners (TL, TR, BR, BL) of a `w` x `h` page centred at (cx, cy), turned in-plane by `rollDeg`, then
 * turned `yawDeg` about its vertical axis, seen by a pinhole camera of focal `focal` from the distance
 * at which its centre is drawn at its own size.
 */
function pageCorners(cx: number, cy: number, w: number, h: number, rollDeg: number, yawDeg = 0, focal = 1200): quality.Quad {
  const r = (rollDeg * Math.PI) / 180;
  const t = (yawDeg * Math.PI) / 180;
  const local = [[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]] as const;
  const [tl, tr, br, bl] = local.map(([u, v]) => {
    const x0 = u * Math.cos(r) - v * Math.sin(r);
    const y0 = u * Math.sin(r) + v * Math.cos(r);
    const z = focal - x0 * Math.sin(t);
    return { x: cx + (focal * x0 * Math.cos(t)) / z, y: cy + (focal * y0) / z };
  });
  return [tl!, tr!, br!, bl!];
}

/** A `width` x `height` photo of a page `aspect` : 1 (long : short) at `corners`, with print rows on it, on a grainy table. */
function photo(width: number, height: number, corners: quality.Quad, aspect: number): RgbaImage<Uint8ClampedArray> {
  const random = noise(width * 31 + height);
  const data = new Uint8ClampedArray(width * height * 4);
  const toPage = quality.homographyFromPoints(corners, [{ x: 0, y: 0 }, { x: aspect, y: 0 }, { x: aspect, y: 1 }, { x: 0, y: 1 }])!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const p = quality.applyHomography(toPage, { x: x + 0.5, y: y + 0.5 });
      let rgb: [number, number, number];
      if (p.x >= 0 && p.y >= 0 && p.x <= aspect && p.y <= 1) {
        // Three rows of print in the lower part (MRZ-like: characters 2/3 of the pitch, rows 2/5 of theirs) and a darker photo box on the left.
        const row = p.y > 0.7 && p.y < 0.88 && ((p.y - 0.7) * 16.7) % 1 < 0.4 && p.x > 0.06 && p.x < aspect - 0.06 && (p.x * 40) % 1 < 0.66;
        const portrait = p.x > 0.06 && p.x < 0.42 && p.y > 0.12 && p.y < 0.62;
        const v = row ? 40 : portrait ? 120 : 222;
        rgb = [v, v - 6, v - 12];
      } else {
        // Wood-like grain: wavy streaks running diagonally (parallel to no side of these pages), per-pixel noise.
        const grain = 60 + 25 * Math.sin((x - y) / 10 + Math.sin((x + y) / 120) * 3) + 20 * random();
        rgb = [grain + 25, grain + 10, grain];
      }
      data[i] = rgb[0];
      data[i + 1] = rgb[1];
      data[i + 2] = rgb[2];
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/**
 * A `width` x `height` photo of a pale page (222) `aspect` : 1 at `corners` on a desk nearly as pale
 * (205-213, grainy), with rows of print and a large dark portrait box (40) over 56% x 58% of its upper left:
 * the box's edges are far stronger than the page's.
 */
function paleDeskPhoto(width: number, height: number, corners: quality.Quad, aspect: number): RgbaImage<Uint8ClampedArray> {
  const random = noise(7);
  const data = new Uint8ClampedArray(width * height * 4);
  const toPage = quality.homographyFromPoints(corners, [{ x: 0, y: 0 }, { x: aspect, y: 0 }, { x: aspect, y: 1 }, { x: 0, y: 1 }])!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = quality.applyHomography(toPage, { x: x + 0.5, y: y + 0.5 });
      let v: number;
      if (p.x >= 0 && p.y >= 0 && p.x <= aspect && p.y <= 1) {
        const row = p.y > 0.7 && p.y < 0.88 && ((p.y - 0.7) * 16.7) % 1 < 0.4 && p.x > 0.06 && p.x < aspect - 0.06 && (p.x * 40) % 1 < 0.66;
        const portrait = p.x > 0.06 && p.x < 0.62 && p.y > 0.08 && p.y < 0.66;
        v = row || portrait ? 40 : 222;
      } else {
        v = 205 + 8 * random();
      }
      data.set([v, v, v + 4, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** Largest distance from a true corner to the nearest found one (the order of a turned quad is the finder's). */
function cornerError(found: quality.Quad, truth: quality.Quad): number {
  return Math.max(...truth.map((t) => Math.min(...found.map((f) => Math.hypot(f.x - t.x, f.y - t.y)))));
}

describe('findUploadQuad', () => {
  it('finds a passport page turned 25 degrees under perspective in a photo larger than the search size, in image pixels', () => {
    const truth = pageCorners(900, 800, 880, 880 / 1.42, 25, 18, 2000);
    const r = findUploadQuad(cv, photo(2000, 1500, truth, 1.42));
    expect(r.quad).not.toBeNull();
    expect(cornerError(r.quad!, truth)).toBeLessThan(0.02 * 880);
    expect(r.aspect).toBeGreaterThan(1.3);
    expect(r.aspect).toBeLessThan(1.55);
    expect(r.areaFraction).toBeGreaterThan(0.12);
    expect(r.areaFraction).toBeLessThan(0.2);
    expect(r.ms).toBeGreaterThan(0);
  });

  it('finds a page turned sideways (a quarter turn and 10 degrees): an upright quad, its long side vertical', () => {
    const truth = pageCorners(640, 480, 620, 620 / 1.42, 100);
    const r = findUploadQuad(cv, photo(1280, 960, truth, 1.42));
    expect(r.quad).not.toBeNull();
    expect(cornerError(r.quad!, truth)).toBeLessThan(0.02 * 620);
    const [tl, tr, , bl] = r.quad!;
    expect(quality.distance(tl, bl)).toBeGreaterThan(quality.distance(tl, tr));
    expect(r.sizeClass).toBe('ID3');
  });

  it('gives no quad for a square board (no page has its aspect): the caller reads the whole image', () => {
    const truth = pageCorners(640, 480, 500, 500, 12);
    const r = findUploadQuad(cv, photo(1280, 960, truth, 1));
    expect(r.quad).toBeNull();
    expect(r.rejected).toBe('aspect');
    expect(r.aspect).toBeLessThan(1.15);
  });

  it('a portrait box printed on a pale page on a pale desk is found first (no page\'s shape); searched again with it painted over, the page is found', () => {
    const truth = pageCorners(640, 480, 880, 880 / 1.42, 14);
    const image = paleDeskPhoto(1280, 960, truth, 1.42);
    const first = findUploadQuad(cv, image);
    expect(first.quad).toBeNull();
    expect(first.rejected).toBe('aspect');
    // What was found is the box: inside the page, a fraction of it.
    expect(first.found).toBeDefined();
    expect(first.areaFraction).toBeLessThan(0.15);
    const again = findUploadQuad(cv, image, [first.found!]);
    expect(again.quad).not.toBeNull();
    expect(cornerError(again.quad!, truth)).toBeLessThan(0.02 * 880);
    expect(again.sizeClass).toBe('ID3');
  });

  it('paints a quad (and a couple of pixels past it) over with the median colour just around it, and nothing else', () => {
    const width = 200;
    const height = 100;
    const data = new Uint8ClampedArray(width * height * 4);
    // A mid-grey ground with a dark 60 x 40 box at (70, 30), and a bright dot far from it.
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(x >= 70 && x < 130 && y >= 30 && y < 70 ? [20, 30, 40, 255] : [150, 140, 130, 255], (y * width + x) * 4);
    data.set([255, 255, 255, 255], (5 * width + 5) * 4);
    const box: quality.Quad = [{ x: 70, y: 30 }, { x: 130, y: 30 }, { x: 130, y: 70 }, { x: 70, y: 70 }];
    const painted = paintOver({ width, height, data }, [box]);
    for (const [x, y] of [[70, 30], [100, 50], [129, 69]] as const) expect([...painted.data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)]).toEqual([150, 140, 130, 255]);
    expect([...painted.data.subarray((5 * width + 5) * 4, (5 * width + 5) * 4 + 3)]).toEqual([255, 255, 255]);
    // The input is left as it was.
    expect(data[(50 * width + 100) * 4]).toBe(20);
  });

  it('reduces a photo larger than the search size by a whole factor, each pixel the mean of its block', () => {
    const width = 2600;
    const height = 7;
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) data.set([i % 3 === 0 ? 30 : 90, 200, (i * 7) % 256, 255], i * 4);
    const { pixels, factor } = reduceForSearch({ width, height, data });
    expect(factor).toBe(3);
    expect([pixels.width, pixels.height]).toEqual([866, 2]);
    // Block (x 3..5, y 3..5): red is 30 in one column of three on each row (i % 3, rows 2600 long: 2600 % 3 = 2 shifts it).
    let red = 0;
    let blue = 0;
    for (let y = 3; y < 6; y++) for (let x = 3; x < 6; x++) { red += data[(y * width + x) * 4]!; blue += data[(y * width + x) * 4 + 2]!; }
    expect(pixels.data[(1 * 866 + 1) * 4]).toBe(Math.round(red / 9));
    expect(pixels.data[(1 * 866 + 1) * 4 + 1]).toBe(200);
    expect(pixels.data[(1 * 866 + 1) * 4 + 2]).toBe(Math.round(blue / 9));
    const small = { width: 1280, height: 960, data: new Uint8ClampedArray(1280 * 960 * 4) };
    expect(reduceForSearch(small)).toEqual({ pixels: small, factor: 1 });
  });

  it('MRZ lines sit in the lower half of a page the right way up, in the upper half upside down', () => {
    // A TD1 back 1012 x 638 px (300 DPI): three lines over its lower 40%.
    const lines = [0, 1, 2].map((k) => ({ x: 40, y: 420 + k * 50, width: 930, height: 36 }));
    expect(linesSitLow(lines, 638)).toBe(true);
    expect(linesSitLow(lines.map((l) => ({ ...l, y: 638 - l.y - l.height })), 638)).toBe(false);
    expect(linesSitLow([], 638)).toBe(false);
  });

  it('page aspects run from ID-3 (1.42) to ID-1 (1.586) with a margin for the pose estimate, wider above (a TD1 seen steeply: 12% over), either way up', () => {
    for (const a of [1.42, 1.5, 1.586, 1 / 1.42, 1.35, 1.7, 1.586 * 1.12, 1 / (1.586 * 1.12)]) expect(isPageAspect(a)).toBe(true);
    for (const a of [1, 1.2, 1.25, 1.85, 6, 1 / 1.2]) expect(isPageAspect(a)).toBe(false);
  });
});
