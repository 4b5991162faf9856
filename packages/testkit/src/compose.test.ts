import { describe, expect, it } from 'vitest';
import type { quality, RgbaImage } from '@ekyc/core';
import { addGlare, applyGain, clippedByGain, clippedPrintByGain, lostSecurityPrintByGain, outlineShownFraction, regionStats, stockGray, warpCardInto } from './compose.ts';

const solid = (width: number, height: number, value: number): RgbaImage<Uint8ClampedArray> => ({ width, height, data: new Uint8ClampedArray(width * height * 4).fill(value) });
/** Pixels [from, to) of `image` set to gray `level`. */
const paint = (image: RgbaImage<Uint8ClampedArray>, from: number, to: number, level: number): void => {
  for (let i = from * 4; i < to * 4; i += 4) image.data[i] = image.data[i + 1] = image.data[i + 2] = level;
};

describe('compose', () => {
  it('tells how much of a card outline the frame shows: all of it on a darker table, none once the exposure clips both to white', () => {
    const corners: quality.Quad = [{ x: 20, y: 20 }, { x: 120, y: 20 }, { x: 120, y: 83 }, { x: 20, y: 83 }];
    const shifted = (dx: number): quality.Quad => {
      const move = (p: quality.Point): quality.Point => ({ x: p.x + dx, y: p.y });
      return [move(corners[0]), move(corners[1]), move(corners[2]), move(corners[3])];
    };
    const scene = (table: number, stock: number, gain: number): RgbaImage<Uint8ClampedArray> => {
      const frame = solid(140, 100, table);
      warpCardInto(frame, solid(100, 63, stock), corners, 0);
      applyGain(frame, gain);
      return frame;
    };
    expect(outlineShownFraction(scene(120, 230, 1), corners)).toBe(1);
    // A white card on a light table: 20 levels apart, until a gain of 1.6 clips both.
    expect(outlineShownFraction(scene(210, 230, 1), corners)).toBe(1);
    expect(outlineShownFraction(scene(210, 230, 1.6), corners)).toBe(0);
    // Half the card off the frame's right border: only its part in view is sampled.
    const off = shifted(70);
    const frame = solid(140, 100, 120);
    warpCardInto(frame, solid(100, 63, 230), off, 0);
    expect(outlineShownFraction(frame, off)).toBe(1);
    expect(outlineShownFraction(frame, shifted(400))).toBeNull();
  });

  it('covers exactly the card quad and leaves the background elsewhere', () => {
    const frame = solid(100, 80, 20);
    const card = solid(50, 30, 200);
    const coverage = warpCardInto(frame, card, [{ x: 10, y: 10 }, { x: 60, y: 10 }, { x: 60, y: 40 }, { x: 10, y: 40 }], 0);
    const covered = coverage.reduce((a, b) => a + b, 0);
    expect(covered).toBeCloseTo(50 * 30, 5);
    expect(frame.data[(20 * 100 + 30) * 4]).toBe(200);
    expect(frame.data[(70 * 100 + 90) * 4]).toBe(20);
  });

  it('glare saturates a blob and gain scales brightness', () => {
    const card = solid(100, 100, 150);
    addGlare(card, 50, 50, 20);
    const all = new Float32Array(100 * 100).fill(1);
    const stats = regionStats(card, all, 250);
    expect(stats.glareFraction).toBeGreaterThan(0.02);
    expect(stats.glareFraction).toBeLessThan(Math.PI * 0.04);
    const dark = solid(10, 10, 200);
    applyGain(dark, 0.5);
    expect(regionStats(dark, new Float32Array(100).fill(1), 250).brightness).toBeCloseTo(100, 0);
  });

  it('glare reports the pixels it saturates: its flat core, 60% of the radius', () => {
    const card = solid(100, 100, 150);
    const saturated = addGlare(card, 50, 50, 20);
    expect(saturated).toBeGreaterThan(Math.PI * 11.5 * 11.5);
    expect(saturated).toBeLessThan(Math.PI * 12.5 * 12.5);
    // On stock that is saturated already, the same blob hides nothing.
    expect(addGlare(solid(100, 100, 252), 50, 50, 20)).toBe(0);
  });

  it('over-exposure clips printed content, not stock that is white already', () => {
    const image = solid(10, 10, 235);
    paint(image, 0, 50, 190);
    expect(clippedByGain(image, 1)).toBe(0);
    expect(clippedByGain(image, 1.2)).toBe(0);
    expect(clippedByGain(image, 1.35)).toBeCloseTo(0.5, 5);
  });

  it('over-exposed print leaves out the stock: a clipped tinted stock is pixel for pixel a white card', () => {
    // Pastel stock at 190 (70% of the card), light print at 160 (20%), ink at 40 (10%).
    const card = solid(10, 10, 190);
    paint(card, 0, 20, 160);
    paint(card, 20, 30, 40);
    expect(stockGray(card)).toBe(190);
    // At 1.35 the stock clips (with it counted, 70% + 20% of the card was "lost"); the print does not.
    expect(clippedByGain(card, 1.35)).toBeCloseTo(0.7, 5);
    expect(clippedPrintByGain(card, 1.35)).toBe(0);
    // At 1.6 the light print clips too: that is a loss the image shows.
    expect(clippedPrintByGain(card, 1.6)).toBeCloseTo(0.2, 5);
    // The same card on a stock at 205 (over 200) gives the same answer: the definition does not straddle a stock level.
    const lighter = solid(10, 10, 205);
    paint(lighter, 0, 20, 160);
    paint(lighter, 20, 30, 40);
    expect(clippedPrintByGain(lighter, 1.35)).toBe(0);
    // The old definition: 70% lost on the 190 stock, nothing on the 205 one, for the same white image.
    expect(clippedByGain(lighter, 1.35)).toBe(0);
  });

  it('security print is lost when the clipped stock is within 16 levels of it, whatever its gray', () => {
    // White stock at 250 (80%), security lines at 215 (10%, the mask), text at 30 (10%).
    const card = solid(10, 10, 250);
    paint(card, 0, 10, 215);
    paint(card, 10, 20, 30);
    const mask = new Uint8Array(100).fill(1, 0, 10);
    expect(lostSecurityPrintByGain(card, mask, 1)).toBe(0);
    // 1.1: stock 255, lines 236.5: still 18.5 levels of print.
    expect(lostSecurityPrintByGain(card, mask, 1.1)).toBe(0);
    // 1.12: lines at 240.8, within 16 of the clipped stock: gone, though not clipped themselves.
    expect(lostSecurityPrintByGain(card, mask, 1.12)).toBe(1);
    // The 5% print rule never sees it: the lines are 10% of this card but over 200 as printed.
    expect(clippedPrintByGain(card, 1.5)).toBe(0);
  });

  it('security print that was within 16 levels of the stock before the gain is not lost by it', () => {
    // Pastel stock at 165; the mask's lines at 150 (15 levels: on the step, as a faint line is) and 140 (25).
    const card = solid(10, 10, 165);
    paint(card, 0, 10, 150);
    paint(card, 10, 20, 140);
    const mask = new Uint8Array(100).fill(1, 0, 20);
    // 1.01 clips nothing: the faint lines do not count, the others keep 25 levels.
    expect(lostSecurityPrintByGain(card, mask, 1.01)).toBe(0);
    // 1.8: stock and both lines clipped; of the lines that were print, all are lost.
    expect(lostSecurityPrintByGain(card, mask, 1.8)).toBe(1);
  });
});
