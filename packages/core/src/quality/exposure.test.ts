import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random.ts';
import { DEFAULT_LIGHT_PRINT_OPTIONS, judgeExposure, lightPrint, lightPrintShare } from './exposure.ts';
import { inFocus } from './focus.ts';
import type { GrayImage } from './refine-corners.ts';
import { regionStats } from './region-stats.ts';
import { DEFAULT_QUALITY_THRESHOLDS } from './thresholds.ts';

const t = DEFAULT_QUALITY_THRESHOLDS;

/**
 * A light card at the reference scale (640 x 400) after a gain: stock at `stock`, wavy guilloche lines
 * 2 px wide at `line` every 27 px, a block of text (`text`, dark: 30) and a header band 40 levels lighter, plus the
 * generator's sensor noise (uniform +-3, after clipping). The gain is applied to the printed levels
 * and clipped at 255, as a camera's exposure does.
 */
function card(gain: number, stock = 250, line = 205, seed = 1, blur = 0, text = 30): GrayImage {
  const width = 640;
  const height = 400;
  const random = mulberry32(seed);
  const exposed = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let printed = stock;
      const wave = (y + 9 * Math.sin(x / 60)) % 27;
      if (wave < 2) printed = line;
      if (y < 50) printed = text + 40;
      if (x >= 220 && x < 520 && y >= 90 && y < 230 && (x % 14 < 4 || y % 20 < 3)) printed = text;
      exposed[y * width + x] = Math.min(255, printed * gain);
    }
  }
  // Blur after the clipping, as the generator does (a lens blurring a scene clipped before it would keep the plateau too).
  const blurred = blur > 0 ? gaussian(exposed, width, height, blur) : exposed;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(blurred[i]! + (random() - 0.5) * 6)));
  return { data, width, height };
}

/** Separable Gaussian blur, clamped at the border. */
function gaussian(src: Float64Array, width: number, height: number, sigma: number): Float64Array {
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const pass = (input: Float64Array, dx: number, dy: number): Float64Array => {
    const out = new Float64Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = -radius; k <= radius; k++) {
          const xx = Math.min(width - 1, Math.max(0, x + k * dx));
          const yy = Math.min(height - 1, Math.max(0, y + k * dy));
          acc += input[yy * width + xx]! * kernel[k + radius]!;
        }
        out[y * width + x] = acc / total;
      }
    }
    return out;
  };
  return pass(pass(src, 1, 0), 0, 1);
}

const measure = (image: GrayImage) => {
  const stats = regionStats(image, t.glareLevel, { blockSize: 16, rowStep: 2 });
  const light = lightPrint(stats.blocks!, image);
  return { ...stats, glareFraction: 0, lightPrintShare: light?.share, printDepthShare: light?.depthShare };
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

  it('reads the light print through blur: blur spreads the light a line takes off the stock but keeps it', () => {
    // Lines 2 px wide, 23 levels under the clipped stock (225 x 1.03), blurred by 2.5 px: their depth
    // at the centre falls to about 7 levels, within the noise's reach, so read as each block's deviation
    // (the measure before) the evenly lit card looked washed out. Read as light taken off the clipped
    // stock it still shows, and the over-exposed card stays flat.
    const evenlyLit = measure(card(1.03, 250, 225, 1, 2.5));
    const overExposed = measure(card(1.7, 250, 225, 1, 2.5));
    expect(evenlyLit.lightPrintShare).toBeGreaterThan(0.3);
    expect(overExposed.lightPrintShare).toBeLessThan(0.05);
    // The blocks' deviation (over its noise of about 1.7) is gone on the blurred evenly lit card.
    const grid = regionStats(card(1.03, 250, 225, 1, 2.5), t.glareLevel, { blockSize: 16, rowStep: 2 }).blocks!;
    let textured = 0;
    let blank = 0;
    for (let b = 0; b < grid.count.length; b++) {
      if (grid.min[b]! < 200 || grid.clipped[b]! < grid.count[b]! / 2) continue;
      blank++;
      const mean = grid.sum[b]! / grid.count[b]!;
      if (grid.sumSquares[b]! / grid.count[b]! - mean * mean > 9) textured++;
    }
    expect(textured / blank).toBeLessThan(0.2);
  });

  it('reads the print under the stock\'s own clipped level, not under 255: a stock at 252 with no light print is flat', () => {
    // White stock at 252 (noise +-3: most pixels count as clipped, at >= 250) with no guilloche: every
    // blank block is 1-3 levels under 255 but none under the stock's own level.
    const plain = measure(card(1, 252, 252));
    expect(plain.lightPrintShare).toBeLessThan(0.1);
    const lined = measure(card(1, 252, 225));
    expect(lined.lightPrintShare).toBeGreaterThan(0.3);
  });

  it('leaves out blocks beside dark print: blur carries a text stroke into its neighbours', () => {
    // Flat clipped stock, with one dark pixel in every third block's row: the block and its neighbours
    // are left out, and with them every block; nothing to judge.
    const width = 160;
    const height = 160;
    const data = new Uint8Array(width * height).fill(255);
    const image = { data, width, height };
    const grid = () => regionStats(image, t.glareLevel, { blockSize: 16, rowStep: 2 }).blocks!;
    expect(lightPrintShare(grid(), image)).toBe(0);
    for (let b = 0; b < 100; b += 3) data[(Math.floor(b / 10) * 16 + 5) * width + (b % 10) * 16 + 5] = 20;
    expect(lightPrintShare(grid(), image)).toBeUndefined();
    // Only the block itself (the rule before): most blocks are blank again.
    expect(lightPrintShare(grid(), image, { ...DEFAULT_LIGHT_PRINT_OPTIONS, blankNeighbours: false })).toBe(0);
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
    // With the light print rules switched off (thresholds 0) the over-exposed card passes, as it did before them.
    expect(judgeExposure(overExposed, { ...t, minLightPrintShare: 0, minPrintDepthShare: 0 })).toBe('ok');
  });

  it('does not judge light print on a document that is not bright and clipped, or when it was not measured', () => {
    const base = { brightness: 230, contrast: 40, clippedFraction: 0.7, darkLevel: 100, medianLevel: 254, glareFraction: 0 };
    expect(judgeExposure({ ...base, lightPrintShare: 0 }, t)).toBe('too_bright');
    expect(judgeExposure(base, t)).toBe('ok');
    expect(judgeExposure({ ...base, clippedFraction: 0.2, lightPrintShare: 0 }, t)).toBe('ok');
    expect(judgeExposure({ ...base, brightness: 190, lightPrintShare: 0 }, t)).toBe('ok');
  });

  it('refuses a blurred over-exposed card and keeps a blurred evenly lit one (light print read through blur)', () => {
    const evenlyLit = measure(card(1.03, 250, 225, 1, 2.5));
    const overExposed = measure(card(1.7, 250, 225, 1, 2.5));
    expect(overExposed.sharpness).toBeLessThan(t.minSharpness);
    expect(judgeExposure(evenlyLit, t)).toBe('ok');
    expect(judgeExposure(overExposed, t)).toBe('too_bright');
  });

  it('refuses, in focus, a card whose light print the gain left within 16 levels of the clipped stock, although it still lowers the blocks\' means', () => {
    // Guilloche at 215 on stock 250, gain 1.14: the stock clips, the lines sit at 245, 8-10 levels
    // under it (with the noise): no longer print by the 16-level step, yet they still take about a
    // level off the mean of the blocks they cross, so the share of blocks with light print stays high.
    const pushed = measure(card(1.14, 250, 215));
    const evenlyLit = measure(card(1.03, 250, 205));
    expect(pushed.sharpness).toBeGreaterThan(t.minSharpness);
    expect(pushed.lightPrintShare).toBeGreaterThan(t.minLightPrintShare);
    expect(pushed.printDepthShare).toBeLessThan(0.05);
    expect(evenlyLit.printDepthShare).toBeGreaterThan(0.3);
    expect(judgeExposure(evenlyLit, t)).toBe('ok');
    expect(judgeExposure(pushed, t)).toBe('too_bright');
    // With the depth rule switched off (threshold 0) it passes, as it did before.
    expect(judgeExposure(pushed, { ...t, minPrintDepthShare: 0 })).toBe('ok');
    // Out of focus the depth is not read: blur lowers a thin line's darkest pixel whatever the exposure.
    expect(judgeExposure({ ...pushed, sharpness: t.minSharpness - 1 }, t)).toBe('ok');
  });

  it('keeps a well-exposed white card whose darkest print is light (grey text, a coloured header): its light print, read on the clipped stock, decides', () => {
    const light = measure(card(1.03, 250, 205, 1, 0, 150));
    expect(light.darkLevel).toBeGreaterThan(t.maxDarkLevel);
    expect(light.medianLevel - light.darkLevel).toBeGreaterThan(t.minPrintContrast);
    expect(light.lightPrintShare).toBeGreaterThan(t.minLightPrintShare);
    expect(judgeExposure(light, t)).toBe('ok');
    // Over-exposed, the same card is refused by its light print.
    expect(judgeExposure(measure(card(1.7, 250, 205, 1, 0, 150)), t)).toBe('too_bright');
    // Without a light-print reading (too little clipped blank stock) the darkest level still decides.
    expect(judgeExposure({ ...light, lightPrintShare: undefined, printDepthShare: undefined }, t)).toBe('too_bright');
  });

  it('judges the depth on a document the focus check calls in focus: its print\'s edges decide where read, as they do for focus', () => {
    const pushed = measure(card(1.14, 250, 215));
    expect(pushed.sharpness).toBeGreaterThan(t.minSharpness);
    // Soft edges under a Laplacian variance over minSharpness (sensor noise, dense print): out of focus
    // for the focus check, so not judged on the darkest pixels the blur lowered.
    const softEdges = { ...pushed, edgeBlur: t.maxEdgeBlur + 0.2 };
    expect(inFocus(softEdges, t)).toBe(false);
    expect(judgeExposure(softEdges, t)).toBe('ok');
    // Sharp edges under a low variance (little print): in focus, judged on the depth.
    const sharpEdges = { ...pushed, sharpness: t.minSharpness - 1, edgeBlur: t.maxEdgeBlur - 0.3 };
    expect(inFocus(sharpEdges, t)).toBe(true);
    expect(judgeExposure(sharpEdges, t)).toBe('too_bright');
  });
});
