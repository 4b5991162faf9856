import { beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '@ekyc/core';
import type { OpenCv } from '../quality/opencv-frame.ts';
import { cropGray, findMrzLines, maxChannel, pitchRatio, samplingOf } from './mrz-locate.ts';
import { loadOpenCvForTests } from '../../../test/opencv-node.ts';

// Pages drawn in plain pixels: MRZ-like lines (dark character blocks at the ICAO pitch: 2.54 mm per
// character, 4.23 mm per line, ~2.4 mm tall) on a tinted page, then the condition under test.

let cv: OpenCv;

beforeAll(async () => {
  ({ cv } = await loadOpenCvForTests());
});

const PX_PER_MM = 6;

interface Page { image: RgbaImage<Uint8ClampedArray>; lineTops: number[] }

/** A page `widthMm` x `heightMm` with `lines` MRZ lines of `chars` characters starting at (leftMm, bottom - 16 mm). */
function mrzPage(widthMm: number, heightMm: number, lines: number, chars: number, leftMm: number, topMm = heightMm - 16, block = (c: number, l: number): boolean => (c * 7 + l * 3) % 3 !== 0): Page {
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
      const full = block(c, l);
      for (let y = top; y < top + 2.4 * PX_PER_MM; y++) {
        for (let x = x0; x < x0 + 1.6 * PX_PER_MM; x++) {
          const inBar = full || x < x0 + 0.4 * PX_PER_MM || y > top + 2 * PX_PER_MM;
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

/** The page turned by `deg` degrees about its centre (clockwise on screen), nearest pixel; outside it, its paper. */
function turned(image: RgbaImage<Uint8ClampedArray>, deg: number): RgbaImage<Uint8ClampedArray> {
  const { width, height } = image;
  const a = (deg * Math.PI) / 180;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - width / 2;
      const dy = y - height / 2;
      const sx = Math.round(width / 2 + dx * Math.cos(a) + dy * Math.sin(a));
      const sy = Math.round(height / 2 - dx * Math.sin(a) + dy * Math.cos(a));
      const inside = sx >= 0 && sy >= 0 && sx < width && sy < height;
      data.set(inside ? image.data.subarray((sy * width + sx) * 4, (sy * width + sx) * 4 + 4) : [226, 214, 220, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/**
 * The page seen in perspective about (its middle, `cy`): a point at x' from there is drawn at
 * x' / (1 - c x'), so the page is foreshortened on one side (c > 0: the right side drawn larger).
 */
function foreshortened(image: RgbaImage<Uint8ClampedArray>, c: number, cy: number): RgbaImage<Uint8ClampedArray> {
  const { width, height } = image;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - width / 2;
      const dy = y - cy;
      // Inverse of the drawing: the page point shown at (dx, dy).
      const k = 1 / (1 + c * dx);
      const sx = Math.round(width / 2 + dx * k);
      const sy = Math.round(cy + dy * k);
      const inside = sx >= 0 && sy >= 0 && sx < width && sy < height;
      data.set(inside ? image.data.subarray((sy * width + sx) * 4, (sy * width + sx) * 4 + 4) : [226, 214, 220, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** Rows of a crop holding ink (a row whose darkest pixel is under half the paper's level). */
function inkRows(crop: { width: number; height: number; data: Uint8Array }): number {
  let rows = 0;
  for (let y = 0; y < crop.height; y++) {
    let min = 255;
    for (let x = 0; x < crop.width; x++) min = Math.min(min, crop.data[y * crop.width + x]!);
    if (min < 110) rows++;
  }
  return rows;
}

describe('findMrzLines', () => {
  it('finds the lines of a plain page (the drawing is an MRZ to the search)', () => {
    const page = mrzPage(125, 88, 2, 44, 6.6);
    const found = findMrzLines(cv, maxChannel(page.image), PX_PER_MM);
    expect(found.lines).toHaveLength(2);
    expect(Math.abs(found.lines[0]!.y - page.lineTops[0]!)).toBeLessThan(2 * PX_PER_MM);
  });

  it('cuts every line of the zone as long as the longest, when the start of one was lost to the search', () => {
    // Mild MRV-B 33004 (tuning set 33000): both engines read line 2 from its 8th character on (its crop
    // began there). Here: line 2's 7th and 8th characters washed out (a gap the closing does not bridge)
    // and its first six joined to a dark stroke running down the page, so that piece is no text row.
    const page = mrzPage(125, 88, 2, 44, 6.6);
    const { width, data } = page.image;
    const top = page.lineTops[1]!;
    const at = (mm: number): number => Math.round((6.6 + mm) * PX_PER_MM);
    for (let y = top - 2; y < top + 2.4 * PX_PER_MM + 2; y++) for (let x = at(6 * 2.54); x < at(8 * 2.54); x++) data.set([226, 214, 220], (y * width + x) * 4);
    for (let y = top; y < page.image.height; y++) for (let x = at(0.4); x < at(0.4) + 0.6 * PX_PER_MM; x++) data.set([15, 15, 15], (y * width + x) * 4);
    const found = findMrzLines(cv, maxChannel(page.image), PX_PER_MM);
    expect(found.lines).toHaveLength(2);
    const [first, second] = found.lines;
    expect(second!.x).toBeLessThan(at(0.4));
    expect(Math.abs(second!.x - first!.x)).toBeLessThan(PX_PER_MM);
    expect(Math.abs(second!.x + second!.width - (first!.x + first!.width))).toBeLessThan(PX_PER_MM);
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

  it('finds the lines of a page turned by 3 degrees and cuts them level (their boxes rise by more than a line pitch)', () => {
    const page = mrzPage(125, 88, 2, 44, 6.6);
    const image = turned(page.image, 3);
    const gray = maxChannel(image);
    const found = findMrzLines(cv, gray, PX_PER_MM);
    expect(found.lines).toHaveLength(2);
    for (const line of found.lines) {
      // Sampled turned (a plain box's sampling is a shift only).
      expect(samplingOf(line)!.toImage[3]).toBeCloseTo(Math.sin((3 * Math.PI) / 180), 2);
      // Level: the ink fills the character height (2.4 mm) only, not the 5.9 mm its box rises.
      const crop = cropGray(gray, line);
      expect(inkRows(crop)).toBeLessThan(3 * PX_PER_MM);
      expect(crop.width).toBeGreaterThan(112 * PX_PER_MM);
    }
  });

  it('unfolds a line foreshortened by perspective to an even character pitch (its plain box grows 12% in pitch)', () => {
    // Mostly filler-like characters (a bar and a foot), whose columns repeat at the pitch as `<` runs do.
    const page = mrzPage(125, 88, 2, 44, 6.6, 88 - 16, (c) => c % 5 === 0);
    // About the middle of the band, so the lines stay level (their boxes hold one line each).
    const image = foreshortened(page.image, 0.00028, page.lineTops[0]! + 3.3 * PX_PER_MM);
    const gray = maxChannel(image);
    const found = findMrzLines(cv, gray, PX_PER_MM);
    expect(found.lines).toHaveLength(2);
    const thick = 2.4 * PX_PER_MM;
    for (const line of found.lines) {
      expect(pitchRatio(cropGray(gray, { x: line.x, y: line.y, width: line.width, height: line.height }), thick)).toBeGreaterThan(1.08);
      expect(Math.abs(pitchRatio(cropGray(gray, line), thick)! - 1)).toBeLessThan(0.02);
    }
  });

  it('keeps a level line a plain box (a rectified page is cut as before)', () => {
    const page = mrzPage(125, 88, 2, 44, 6.6);
    const found = findMrzLines(cv, maxChannel(page.image), PX_PER_MM);
    for (const line of found.lines) {
      expect(samplingOf(line)).toEqual({ width: line.width, height: line.height, toImage: [1, 0, line.x, 0, 1, line.y, 0, 0, 1] });
      // The box itself is plain data (it is reported and stored).
      expect(Object.keys(line).sort()).toEqual(['height', 'width', 'x', 'y']);
    }
  });

  it('reads a line against its local paper: a shadow over half of it leaves its paper white and its ink as dark as in the light', () => {
    const page = mrzPage(125, 88, 2, 44, 6.6);
    const { width, height, data } = page.image;
    for (let y = 0; y < height; y++) for (let x = 0; x < width / 2; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 4 + c] = data[(y * width + x) * 4 + c]! * 0.4;
    const gray = maxChannel(page.image);
    const line = findMrzLines(cv, gray, PX_PER_MM).lines[0]!;
    const crop = cropGray(gray, line);
    const range = (x0: number, x1: number): [number, number] => {
      let min = 255;
      let max = 0;
      for (let y = 0; y < crop.height; y++) for (let x = x0; x < x1; x++) { min = Math.min(min, crop.data[y * crop.width + x]!); max = Math.max(max, crop.data[y * crop.width + x]!); }
      return [min, max];
    };
    const shaded = range(20, Math.round(0.4 * crop.width));
    const lit = range(Math.round(0.6 * crop.width), crop.width - 20);
    expect(shaded[1]).toBeGreaterThan(250);
    expect(lit[1]).toBeGreaterThan(250);
    expect(Math.abs(shaded[0] - lit[0])).toBeLessThan(8);
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


