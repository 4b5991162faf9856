import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '@ekyc/core';
import type { OpenCv } from '../quality/opencv-frame.ts';
import { findMrzLines, maxChannel } from './mrz-locate.ts';

// Pages drawn in plain pixels: MRZ-like lines (dark character blocks at the ICAO pitch: 2.54 mm per
// character, 4.23 mm per line, ~2.4 mm tall) on a tinted page, then the condition under test.

let cv: OpenCv;

beforeAll(async () => {
  cv = createRequire(import.meta.url)('@techstark/opencv-js') as OpenCv;
  await new Promise<void>((resolve) => {
    const poll = (): void => void ((cv as { Mat?: unknown }).Mat ? resolve() : setTimeout(poll, 20));
    poll();
  });
});

const PX_PER_MM = 6;

interface Page { image: RgbaImage<Uint8ClampedArray>; lineTops: number[] }

/** A page `widthMm` x `heightMm` with `lines` MRZ lines of `chars` characters starting at (leftMm, bottom - 16 mm). */
function mrzPage(widthMm: number, heightMm: number, lines: number, chars: number, leftMm: number, topMm = heightMm - 16): Page {
  const width = Math.round(widthMm * PX_PER_MM);
  const height = Math.round(heightMm * PX_PER_MM);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([226, 214, 220, 255], i * 4);
  const lineTops: number[] = [];
  for (let l = 0; l < lines; l++) {
    const top = Math.round((topMm + l * 4.23) * PX_PER_MM);
    lineTops.push(top);
    for (let c = 0; c < chars; c++) {
      const x0 = Math.round((leftMm + c * 2.54 + 0.4) * PX_PER_MM);
      // Characters of varied shape: a full block, or two bars (like `<` fillers and narrow letters).
      const block = (c * 7 + l * 3) % 3 !== 0;
      for (let y = top; y < top + 2.4 * PX_PER_MM; y++) {
        for (let x = x0; x < x0 + 1.6 * PX_PER_MM; x++) {
          const inBar = block || x < x0 + 0.4 * PX_PER_MM || y > top + 2 * PX_PER_MM;
          if (inBar) data.set([15, 15, 15], (y * width + x) * 4);
        }
      }
    }
  }
  return { image: { width, height, data }, lineTops };
}

/** Luma, as rectify's `gray` (OpenCV's RGBA2GRAY weights). */
function luma(image: RgbaImage): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(image.width * image.height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(0.299 * image.data[i * 4]! + 0.587 * image.data[i * 4 + 1]! + 0.114 * image.data[i * 4 + 2]!);
  return { width: image.width, height: image.height, data };
}

describe('findMrzLines', () => {
  it('finds the lines of a plain page (the drawing is an MRZ to the search)', () => {
    const page = mrzPage(125, 88, 2, 44, 6.6);
    const found = findMrzLines(cv, maxChannel(page.image), PX_PER_MM);
    expect(found.lines).toHaveLength(2);
    expect(Math.abs(found.lines[0]!.y - page.lineTops[0]!)).toBeLessThan(2 * PX_PER_MM);
  });

  it('finds the lines under a red stamp bridging them, on the brightest channel (in luma the stamp joins the lines)', () => {
    const page = mrzPage(125, 88, 2, 44, 6.6);
    const { width, data } = page.image;
    // Vertical and diagonal stamp strokes, 0.4 mm wide, from above the first line to below the second.
    const top = page.lineTops[0]! - 3 * PX_PER_MM;
    const bottom = page.lineTops[1]! + 6 * PX_PER_MM;
    for (let k = 0; k < 12; k++) {
      const x0 = (20 + k * 8) * PX_PER_MM;
      for (let y = top; y < bottom; y++) {
        const xc = x0 + (k % 2 ? 0.5 * (y - top) : 0);
        for (let x = Math.round(xc); x < xc + 0.4 * PX_PER_MM; x++) {
          const i = (y * width + x) * 4;
          // Ink (190, 40, 50) at 85%: multiplies each channel.
          data[i] = data[i]! * (1 - 0.85 * (1 - 190 / 255));
          data[i + 1] = data[i + 1]! * (1 - 0.85 * (1 - 40 / 255));
          data[i + 2] = data[i + 2]! * (1 - 0.85 * (1 - 50 / 255));
        }
      }
    }
    expect(findMrzLines(cv, luma(page.image), PX_PER_MM).lines).toHaveLength(0);
    expect(findMrzLines(cv, maxChannel(page.image), PX_PER_MM).lines).toHaveLength(2);
  });

  it('finds all three lines under a shadow that darkens half of them to 25% (ink measured against its own paper)', () => {
    const page = mrzPage(85.6, 54, 3, 30, 4.7, 54 - 14.5);
    const { width, height, data } = page.image;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // A soft-edged shadow over the left half, with a gradient inside it.
        const l = 1 - 0.75 / (1 + Math.exp((x - 0.45 * width) / (2 * PX_PER_MM))) * (1 - 0.2 * (x / width));
        const i = (y * width + x) * 4;
        for (let c = 0; c < 3; c++) data[i + c] = data[i + c]! * l;
      }
    }
    const found = findMrzLines(cv, maxChannel(page.image), PX_PER_MM);
    expect(found.lines).toHaveLength(3);
    // Each line spans the shadowed part too.
    for (const line of found.lines) expect(line.x).toBeLessThan(10 * PX_PER_MM);
  });

  it('finds the lines of a document filling a third of a photo (line width judged in millimetres, not against the image)', () => {
    // A 250 x 180 mm view: the passport page's MRZ (112 mm) is 45% of the image's width.
    const page = mrzPage(250, 180, 2, 44, 60, 110);
    const found = findMrzLines(cv, maxChannel(page.image), PX_PER_MM);
    expect(found.lines).toHaveLength(2);
  });

  it('still rejects a page with no MRZ: short text rows are no lines', () => {
    const page = mrzPage(250, 180, 2, 14, 60, 110);
    expect(findMrzLines(cv, maxChannel(page.image), PX_PER_MM).lines).toHaveLength(0);
  });
});

describe('maxChannel', () => {
  it('keeps black ink dark and lifts coloured ink to its brightest channel', () => {
    const image = { width: 3, height: 1, data: new Uint8ClampedArray([10, 12, 11, 255, 190, 40, 50, 255, 40, 70, 170, 255]) };
    expect([...maxChannel(image).data]).toEqual([12, 190, 170]);
  });
});
