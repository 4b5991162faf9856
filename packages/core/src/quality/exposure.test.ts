import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.ts';
import { judgeExposure, lightPrintShare } from './exposure.ts';
import type { GrayImage } from './refine-corners.ts';
import { regionStats } from './region-stats.ts';
import { DEFAULT_QUALITY_THRESHOLDS } from './thresholds.ts';

const t = DEFAULT_QUALITY_THRESHOLDS;

/**
 * A light card at the reference scale (640 x 400) after a gain: stock at `stock`, wavy guilloche lines
 * 2 px wide at `line` every 27 px, a block of dark text (30) and a dark header band (70), plus the
 * generator's sensor noise (uniform +-3, after clipping). The gain is applied to the printed levels
 * and clipped at 255, as a camera's exposure does.
 */
function card(gain: number, stock = 250, line = 205, seed = 1): GrayImage {
  const width = 640;
  const height = 400;
  const random = mulberry32(seed);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let printed = stock;
      const wave = (y + 9 * Math.sin(x / 60)) % 27;
      if (wave < 2) printed = line;
      if (y < 50) printed = 70;
      if (x >= 220 && x < 520 && y >= 90 && y < 230 && (x % 14 < 4 || y % 20 < 3)) printed = 30;
      const exposed = Math.min(255, printed * gain);
      data[y * width + x] = Math.max(0, Math.min(255, Math.round(exposed + (random() - 0.5) * 6)));
    }
  }
  return { data, width, height };
}

const measure = (image: GrayImage) => {
  const stats = regionStats(image, t.glareLevel, { blockSize: 16, rowStep: 2 });
  return { ...stats, glareFraction: 0, lightPrintShare: lightPrintShare(stats.blocks!, image) };
};

describe('lightPrintShare', () => {
  it('sees the guilloche on an evenly lit white card whose stock clips, and none once the gain has washed it out', () => {
    const evenlyLit = measure(card(1.03));
    const overExposed = measure(card(1.7));
    expect(evenlyLit.clippedFraction).toBeGreaterThan(0.5);
    expect(overExposed.clippedFraction).toBeGreaterThan(0.5);
    expect(evenlyLit.lightPrintShare).toBeGreaterThan(0.4);
    expect(overExposed.lightPrintShare).toBeLessThan(0.05);
  });

  it('leaves out blocks holding dark print and blocks whose stock is not clipped', () => {
    // Unclipped light stock (gray 220): nothing clipped, nothing to judge.
    expect(measure(card(1, 220)).lightPrintShare).toBeUndefined();
    // Only the text and header blocks would be "textured"; on a card with no light print at all the share is 0, not theirs.
    expect(measure(card(1.03, 250, 250)).lightPrintShare).toBeLessThan(0.05);
  });

  it('counts a block as blank only when none of its pixels, on the rows the grid read, is dark', () => {
    // Clipped stock with faint texture everywhere (every block "printed"), and one dark pixel in block 0.
    const width = 160;
    const height = 160;
    const data = new Uint8Array(width * height).map((_, i) => (i % width) % 5 === 0 ? 238 : 255);
    const image = { data, width, height };
    data[5 * width + 5] = 20;
    const grid = () => regionStats(image, t.glareLevel, { blockSize: 16, rowStep: 2 }).blocks!;
    // Row 5 is read (1, 3, 5, ...): block 0 is not blank; the other 99 are, all printed.
    expect(lightPrintShare(grid(), image)).toBe(1);
    data.fill(255);
    for (let b = 0; b < 100; b++) data[(Math.floor(b / 10) * 16 + 5) * width + (b % 10) * 16 + 5] = 20;
    // A dark pixel on a read row of every block: none is blank, nothing to judge.
    expect(lightPrintShare(grid(), image)).toBeUndefined();
    // On row 6 (not read), the same pixels leave every block blank and flat.
    data.fill(255);
    for (let b = 0; b < 100; b++) data[(Math.floor(b / 10) * 16 + 6) * width + (b % 10) * 16 + 5] = 20;
    expect(lightPrintShare(grid(), image)).toBe(0);
  });
});

describe('judgeExposure', () => {
  it('keeps an evenly lit white card, refuses the same card over-exposed although its text stays dark', () => {
    const evenlyLit = measure(card(1.03));
    const overExposed = measure(card(1.7));
    // What the rules before this one read: both bright, clipped, with dark print well below the median.
    for (const m of [evenlyLit, overExposed]) {
      expect(m.brightness).toBeGreaterThan(t.maxBrightness);
      expect(m.darkLevel).toBeLessThan(t.maxDarkLevel);
      expect(m.medianLevel - m.darkLevel).toBeGreaterThan(t.minPrintContrast);
    }
    expect(judgeExposure(evenlyLit, t)).toBe('ok');
    expect(judgeExposure(overExposed, t)).toBe('too_bright');
    // With the rule switched off (threshold 0) the over-exposed card passes, as it did before.
    expect(judgeExposure(overExposed, { ...t, minLightPrintShare: 0 })).toBe('ok');
  });

  it('does not judge light print on a document that is not bright and clipped, out of focus, or when it was not measured', () => {
    const base = { brightness: 230, contrast: 40, clippedFraction: 0.7, darkLevel: 100, medianLevel: 254, glareFraction: 0, sharpness: 400 };
    expect(judgeExposure({ ...base, lightPrintShare: 0 }, t)).toBe('too_bright');
    expect(judgeExposure(base, t)).toBe('ok');
    expect(judgeExposure({ ...base, clippedFraction: 0.2, lightPrintShare: 0 }, t)).toBe('ok');
    expect(judgeExposure({ ...base, brightness: 190, lightPrintShare: 0 }, t)).toBe('ok');
    // Out of focus: blur wipes thin lines out as well, so their absence says nothing about exposure.
    expect(judgeExposure({ ...base, sharpness: t.minSharpness - 1, lightPrintShare: 0 }, t)).toBe('ok');
  });
});
