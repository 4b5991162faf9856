import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '@ekyc/core';
import { addGlare } from './compose.ts';
import { exposeFrame, specularLight, type DegradationSpec, type Hotspot } from './degrade.ts';
import { GLARE_PEAK, GLARE_SIGMA_MM } from './mrz-stress.ts';
import { createRandom } from './random.ts';

const PX_PER_MM = 4;
const INK = 30;
const PAPER = 230;
// The strong level at its hardest: the darkest gain, the most moiré and noise it draws (drawDegradation).
const STRONG: DegradationSpec = { perspective: 0, blurPx: 0, light: 0.4, glare: 0, moire: 16, noise: 12, jpeg: 1 };
const MILD: DegradationSpec = { perspective: 0, blurPx: 0, light: 0.8, glare: 0, moire: 6, noise: 5, jpeg: 1 };

/** A 240 x 120 frame: ink on the left half, paper on the right. */
function frame(): RgbaImage<Uint8ClampedArray> {
  const width = 240;
  const height = 120;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) data.fill(p % width < width / 2 ? INK : PAPER, p * 4, p * 4 + 3).fill(255, p * 4 + 3, p * 4 + 4);
  return { width, height, data };
}

/** The weakest, smallest hotspots the `glare` condition draws: one on the ink, one on the paper. */
const SPOTS: Hotspot[] = [
  { x: 60, y: 60, sigma: GLARE_SIGMA_MM[0] * PX_PER_MM, peak: GLARE_PEAK[0] },
  { x: 180, y: 60, sigma: GLARE_SIGMA_MM[0] * PX_PER_MM, peak: GLARE_PEAK[0] },
];

/** The lowest channel value of the pixels within `radius` of (cx, cy). */
function darkestWithin(image: RgbaImage, cx: number, cy: number, radius: number): number {
  let darkest = 255;
  for (let y = Math.floor(cy - radius); y <= cy + radius; y++) {
    for (let x = Math.floor(cx - radius); x <= cx + radius; x++) {
      if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) > radius) continue;
      for (let c = 0; c < 3; c++) darkest = Math.min(darkest, image.data[(y * image.width + x) * 4 + c]!);
    }
  }
  return darkest;
}

describe('camera-order glare (exposeFrame with specular light)', () => {
  it('clips a hotspot\'s core at 255 after the gain, moiré and noise, on ink and on paper, at either level', () => {
    for (const spec of [STRONG, MILD]) {
      for (let seed = 1; seed <= 5; seed++) {
        const image = frame();
        exposeFrame(image, spec, createRandom(seed), specularLight(image.width, image.height, SPOTS));
        for (const s of SPOTS) expect(darkestWithin(image, s.x, s.y, 0.5 * s.sigma)).toBe(255);
      }
    }
  });

  it('around the core, print is lifted but not clipped: a washed-out shoulder', () => {
    const lit = frame();
    const plain = frame();
    exposeFrame(lit, { ...MILD, moire: 0, noise: 0 }, createRandom(1), specularLight(lit.width, lit.height, SPOTS));
    exposeFrame(plain, { ...MILD, moire: 0, noise: 0 }, createRandom(1));
    const ink = SPOTS[0]!;
    const i = (60 * lit.width + Math.round(ink.x + 3 * ink.sigma)) * 4;
    expect(lit.data[i]!).toBeGreaterThan(plain.data[i]! + 20);
    expect(lit.data[i]!).toBeLessThan(255);
  });

  it('glare whitened before the gain (the levels\' own glare, addGlare) only washes out: its core ends near the gain\'s share of white', () => {
    const image = frame();
    addGlare(image, 180, 60, 6 * PX_PER_MM);
    exposeFrame(image, { ...STRONG, moire: 0 }, createRandom(1));
    expect(darkestWithin(image, 180, 60, 2)).toBeLessThan(140);
  });

  it('adds light only where a hotspot reaches and draws nothing from the seed: every other pixel is as without it', () => {
    const lit = frame();
    const plain = frame();
    const specular = specularLight(lit.width, lit.height, SPOTS);
    exposeFrame(lit, STRONG, createRandom(9), specular);
    exposeFrame(plain, STRONG, createRandom(9));
    let reached = 0;
    let changedOutside = 0;
    let darkerInside = 0;
    for (let p = 0; p < lit.width * lit.height; p++) {
      if (specular[p]! > 0) reached++;
      for (let c = 0; c < 3; c++) {
        if (specular[p] === 0 && lit.data[p * 4 + c] !== plain.data[p * 4 + c]) changedOutside++;
        if (specular[p]! > 0 && lit.data[p * 4 + c]! < plain.data[p * 4 + c]!) darkerInside++;
      }
    }
    expect(changedOutside).toBe(0);
    expect(darkerInside).toBe(0);
    // Each spot reaches 4 sigma: about pi * (4 sigma)^2 pixels.
    expect(reached).toBeGreaterThan(2 * 0.9 * Math.PI * (4 * SPOTS[0]!.sigma) ** 2);
    expect(reached).toBeLessThan(2 * 1.1 * Math.PI * (4 * SPOTS[0]!.sigma) ** 2);
  });
});
