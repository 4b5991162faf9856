import { beforeAll, describe, expect, it } from 'vitest';
import { quality, type RgbaImage } from '@ekyc/core';
import { QualityAnalyzer, type OpenCv } from './quality-analyzer.ts';
import { loadOpenCvForTests } from '../../../test/opencv-node.ts';

// Small fake of a camera frame: a textured card with text-like bars on a noisy background,
// rendered with exact sub-pixel edges so the true corners are known.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function inside(quad: quality.Quad, x: number, y: number): boolean {
  for (let i = 0; i < 4; i++) {
    const a = quad[i]!;
    const b = quad[(i + 1) % 4]!;
    if ((b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) < 0) return false;
  }
  return true;
}

function renderFrame(quad: quality.Quad, options: { blurRadius?: number; glare?: boolean; gain?: number; plain?: boolean; fadedCorners?: number; grain?: number; width?: number; height?: number } = {}): RgbaImage {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const random = rng(7);
  const gray = new Float32Array(width * height);
  const toCard = quality.homographyFromPoints(quad, [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }])!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let s = 0; s < 4; s++) {
        const px = x + 0.25 + (s % 2) * 0.5;
        const py = y + 0.25 + Math.floor(s / 2) * 0.5;
        if (!inside(quad, px, py)) {
          // Dark grain lines 3 px wide every `grain` px, slanted, running up to the card.
          const grain = options.grain && (px * 0.6 + py * 0.8) % options.grain < 3;
          sum += grain ? 20 : 70 + 10 * Math.sin(px / 7) + random() * 12;
          continue;
        }
        if (options.plain) {
          // Faded corners: within `fadedCorners` px of a corner the card has the table's colour, and it
          // fades in over the next 10 px (no edge right at the corner).
          const fade = options.fadedCorners ? Math.min(1, Math.max(0, (Math.min(...quad.map((c) => Math.hypot(px - c.x, py - c.y))) - options.fadedCorners) / 10)) : 1;
          sum += 70 + 10 * Math.sin(px / 7) + (120 - 10 * Math.sin(px / 7)) * fade;
          continue;
        }
        const uv = quality.applyHomography(toCard, { x: px, y: py });
        const textRow = uv.y > 0.55 && uv.y < 0.9 && Math.floor(uv.y * 20) % 2 === 0 && uv.x > 0.05 && uv.x < 0.95;
        const glyph = textRow && Math.floor(uv.x * 60) % 3 !== 0;
        const photo = uv.x > 0.05 && uv.x < 0.3 && uv.y > 0.1 && uv.y < 0.5;
        sum += glyph ? 40 : photo ? 110 : 190;
      }
      gray[y * width + x] = sum / 4;
    }
  }
  let out = gray;
  const r = options.blurRadius ?? 0;
  for (let pass = 0; pass < (r > 0 ? 3 : 0); pass++) {
    const next = new Float32Array(out.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let s = 0;
        let n = 0;
        for (let d = -r; d <= r; d++) {
          const xx = pass % 2 === 0 ? Math.min(width - 1, Math.max(0, x + d)) : x;
          const yy = pass % 2 === 1 ? Math.min(height - 1, Math.max(0, y + d)) : y;
          s += out[yy * width + xx]!;
          n++;
        }
        next[y * width + x] = s / n;
      }
    }
    out = next;
  }
  const data = new Uint8ClampedArray(width * height * 4);
  const centre = quad[0];
  for (let i = 0; i < width * height; i++) {
    let v = out[i]! * (options.gain ?? 1);
    if (options.glare) {
      const x = i % width;
      const y = Math.floor(i / width);
      // A specular highlight: a saturated core (radius 45) fading out over 30 px.
      const d = Math.hypot(x - (centre.x + 150), y - (centre.y + 60));
      if (d < 75) v += (255 - v) * Math.min(1, (75 - d) / 30);
    }
    data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

const card: quality.Quad = [{ x: 130.4, y: 80.2 }, { x: 500.7, y: 95.5 }, { x: 492.3, y: 310.6 }, { x: 120.9, y: 300.1 }];
const thresholds = quality.resolveQualityThresholds({ focalLengthFraction: 1 });

/**
 * The card of the off-top tests ((100,-80) (700,-80) (560,300) (100,300) on 640x360): its corners in view
 * and its sides' lines, closed by the top border.
 */
function expectOffTopCardClosedByBorder([tl, tr, br, bl]: quality.Quad): void {
  expect(Math.hypot(br.x - 560, br.y - 300)).toBeLessThan(3);
  expect(Math.hypot(bl.x - 100, bl.y - 300)).toBeLessThan(3);
  expect(Math.abs(tl.y)).toBeLessThan(3);
  expect(Math.abs(tr.y)).toBeLessThan(3);
  expect(Math.abs(tr.x - (560 + (140 * 300) / 380))).toBeLessThan(6);
}
let analyzer: QualityAnalyzer;

beforeAll(async () => {
  const { cv } = await loadOpenCvForTests();
  analyzer = new QualityAnalyzer(cv);
});

describe('QualityAnalyzer', () => {
  it('finds a far card in a frame held upright, as in a landscape frame of its width', () => {
    // 0.36 of the width: 4.6% of a 360x640 frame's area, under the smallest outline (6%) of its whole area;
    // the same card in a 360x203 landscape frame covers 15%. Told to come closer, not that nothing is there.
    const far: quality.Quad = [{ x: 115.2, y: 290.4 }, { x: 245.6, y: 296.1 }, { x: 243.1, y: 377.8 }, { x: 112.7, y: 371.5 }];
    const metrics = analyzer.analyze(renderFrame(far, { width: 360, height: 640 }), thresholds);
    expect(metrics.document).not.toBeNull();
    expect(quality.maxCornerError(metrics.document!.corners, far)).toBeLessThan(2);
    expect(quality.assessStill(metrics, thresholds).guidance).toContain('move_closer');
  });

  it('finds the card and refines its corners to about a pixel', () => {
    const metrics = analyzer.analyze(renderFrame(card), thresholds);
    expect(metrics.document).not.toBeNull();
    expect(quality.maxCornerError(metrics.document!.corners, card)).toBeLessThan(1.5);
    expect(metrics.document!.widthFraction).toBeCloseTo(quality.widthFraction(card, 640), 2);
    expect(metrics.glareFraction).toBe(0);
    expect(metrics.brightness).toBeGreaterThan(120);
  });

  it('reports no document on a frame of background only', () => {
    const empty: quality.Quad = [{ x: -10, y: -10 }, { x: -5, y: -10 }, { x: -5, y: -5 }, { x: -10, y: -5 }];
    expect(analyzer.analyze(renderFrame(empty), thresholds).document).toBeNull();
  });

  it('sees blur, glare and darkness as lower sharpness, more glare and lower brightness', () => {
    const sharp = analyzer.analyze(renderFrame(card), thresholds);
    const blurred = analyzer.analyze(renderFrame(card, { blurRadius: 3 }), thresholds);
    const glared = analyzer.analyze(renderFrame(card, { glare: true }), thresholds);
    const dark = analyzer.analyze(renderFrame(card, { gain: 0.3 }), thresholds);
    expect(sharp.sharpness).toBeGreaterThan(thresholds.minSharpness);
    expect(blurred.sharpness).toBeLessThan(thresholds.minSharpness);
    expect(glared.glareFraction).toBeGreaterThan(thresholds.maxGlareFraction);
    expect(dark.brightness).toBeLessThan(thresholds.minBrightness);
    expect(quality.assessStill(sharp, thresholds).guidance).toEqual(['good']);
    expect(quality.assessStill(glared, thresholds).guidance).toContain('reduce_glare');
    expect(quality.assessStill(dark, thresholds).guidance[0]).toBe('too_dark');
  });

  it('gives the same metrics when its buffers are reused across frames and frame sizes', () => {
    const frame = renderFrame(card);
    const first = analyzer.analyze(frame, thresholds);
    const other = renderFrame(card, { gain: 0.5 });
    analyzer.analyze(other, thresholds);
    const small = { width: 320, height: 180, data: new Uint8ClampedArray(320 * 180 * 4).fill(90) };
    expect(analyzer.analyze(small, thresholds).document).toBeNull();
    expect(analyzer.analyze(frame, thresholds)).toEqual(first);
    analyzer.dispose();
    expect(analyzer.analyze(frame, thresholds)).toEqual(first);
  });

  it('reports a plain card running off the top of the frame whose right side leaves across the right border', () => {
    // Bottom corners in view, the top ones above the frame; the right side leaves the frame at y = 78,
    // short of the top border, so the part in view has five corners (one the frame's) and no contour
    // simplified to four corners gives it.
    const offFrame: quality.Quad = [{ x: 100, y: -80 }, { x: 700, y: -80 }, { x: 560, y: 300 }, { x: 100, y: 300 }];
    const metrics = analyzer.analyze(renderFrame(offFrame, { plain: true }), thresholds);
    expect(metrics.document).not.toBeNull();
    expectOffTopCardClosedByBorder(metrics.document!.corners);
    expect(metrics.document!.cornerMarginPx).toBeLessThan(0);
    expect(metrics.document!.widthFraction).toBeCloseTo(quality.widthFraction(metrics.document!.corners, 640), 6);
    expect(metrics.document!.widthFraction).toBeGreaterThan(0.75);
  });

  it('reports a plain card seen from one corner, its two sides in view closed by the frame corner between their exits', () => {
    // Only the top-left corner is in view: the top side leaves by the right border at y = 121.75, the
    // left side by the bottom border at x = 270.1.
    const offFrame: quality.Quad = [{ x: 300, y: 150 }, { x: 900, y: 100 }, { x: 950, y: 600 }, { x: 250, y: 500 }];
    const metrics = analyzer.analyze(renderFrame(offFrame, { plain: true }), thresholds);
    expect(metrics.document).not.toBeNull();
    const [corner, top, frameCorner, left] = metrics.document!.corners;
    // The corner in view and both sides' lines are the card's; the sides out of view lie on or past the borders.
    expect(Math.hypot(corner.x - 300, corner.y - 150)).toBeLessThan(2);
    expect(Math.abs(top.y - (150 - (50 * (top.x - 300)) / 600))).toBeLessThan(2);
    expect(Math.abs(left.x - (300 - (50 * (left.y - 150)) / 350))).toBeLessThan(2);
    expect(Math.min(top.x, frameCorner.x)).toBeGreaterThanOrEqual(638);
    expect(Math.min(frameCorner.y, left.y)).toBeGreaterThanOrEqual(358);
    expect(metrics.document!.cornerMarginPx).toBeLessThan(1);
  });

  it('reports a card held close, seen from one corner whose sides leave across opposite borders, as too close and cut off', () => {
    // Only the bottom-right corner is in view: the right side leaves by the top border at x = 576.5, the
    // bottom side by the bottom border at x = 368.2, so the part in view is a pentagon holding the two
    // left frame corners, and the quad closing it has a side inside the card.
    const close: quality.Quad = [{ x: -200, y: 20 }, { x: 570, y: -150 }, { x: 590, y: 310 }, { x: -180, y: 480 }];
    const metrics = analyzer.analyze(renderFrame(close, { plain: true }), thresholds);
    expect(metrics.document).not.toBeNull();
    const corners = metrics.document!.corners;
    const corner = corners.reduce((best, p) => (Math.hypot(p.x - 590, p.y - 310) < Math.hypot(best.x - 590, best.y - 310) ? p : best));
    expect(Math.hypot(corner.x - 590, corner.y - 310)).toBeLessThan(2);
    // The right side's exit is the card's; the other corners lie on the frame border.
    expect(corners.some((p) => p.y <= 1 && Math.abs(p.x - 576.5) < 3)).toBe(true);
    expect(corners.filter((p) => p !== corner).every((p) => p.x <= 1 || p.y <= 1 || p.y >= 358)).toBe(true);
    expect(metrics.document!.cornerMarginPx).toBeLessThan(1);
    expect(metrics.document!.widthFraction).toBeGreaterThan(thresholds.maxWidthFraction);
  });

  it('reports a card running off the top on a grained table, its corners faded, from the straight lines of the edge map', () => {
    // The grain runs up to the card's sides and its corners in view fade into the table: the contours'
    // straight pieces give no three of its sides, the edge map's straight lines do.
    const offFrame: quality.Quad = [{ x: 100, y: -80 }, { x: 700, y: -80 }, { x: 560, y: 300 }, { x: 100, y: 300 }];
    const metrics = analyzer.analyze(renderFrame(offFrame, { plain: true, fadedCorners: 24, grain: 20 }), thresholds);
    expect(metrics.document).not.toBeNull();
    expectOffTopCardClosedByBorder(metrics.document!.corners);
  });

  it('reports a card larger than the frame seen from its one corner in view, from the straight lines of the edge map', () => {
    // Three corners out of view (two sides leave by the top and bottom borders, two more cross the
    // frame near the right border): its faded corner and the grain leave no contour piece on a side.
    const large: quality.Quad = [{ x: 60, y: 44 }, { x: 602, y: -91 }, { x: 663, y: 300 }, { x: 165, y: 371 }];
    const metrics = analyzer.analyze(renderFrame(large, { plain: true, fadedCorners: 24, grain: 14 }), thresholds);
    expect(metrics.document).not.toBeNull();
    expect(quality.maxCornerError(metrics.document!.corners, large)).toBeLessThan(8);
    expect(metrics.document!.widthFraction).toBeCloseTo(quality.widthFraction(large, 640), 1);
  });

  it('follows a moved card from the previous outline, and detects afresh when that outline is wrong', () => {
    const moved = card.map((p) => ({ x: p.x + 4.5, y: p.y - 3 })) as unknown as quality.Quad;
    const tracked = analyzer.analyze(renderFrame(moved), thresholds, undefined, card);
    expect(quality.maxCornerError(tracked.document!.corners, moved)).toBeLessThan(1.5);
    // An outline far from any card (e.g. the document was swapped): detection finds the card anyway.
    const elsewhere: quality.Quad = [{ x: 20, y: 20 }, { x: 120, y: 20 }, { x: 120, y: 90 }, { x: 20, y: 90 }];
    const redetected = analyzer.analyze(renderFrame(moved), thresholds, undefined, elsewhere);
    expect(quality.maxCornerError(redetected.document!.corners, moved)).toBeLessThan(1.5);
    // About the same outline and measurements, tracked or detected.
    expect(quality.maxCornerError(tracked.document!.corners, redetected.document!.corners)).toBeLessThan(0.5);
    expect(tracked.sharpness / redetected.sharpness).toBeCloseTo(1, 1);
  });

  it('analyses a frame larger than 2560 px halved, its outline and margins in the frame\'s own pixels', () => {
    // The 640x360 frame enlarged 5 times by repeating pixels (3200x1800): analysed at 1600x900.
    const small = renderFrame(card);
    const k = 5;
    const large = { width: small.width * k, height: small.height * k, data: new Uint8ClampedArray(small.width * small.height * k * k * 4) };
    for (let y = 0; y < large.height; y++) {
      for (let x = 0; x < large.width; x++) {
        const from = (Math.floor(y / k) * small.width + Math.floor(x / k)) * 4;
        large.data.set(small.data.subarray(from, from + 4), (y * large.width + x) * 4);
      }
    }
    const metrics = analyzer.analyze(large, thresholds);
    const truth = card.map((p) => ({ x: p.x * k, y: p.y * k })) as unknown as quality.Quad;
    expect([metrics.frameWidth, metrics.frameHeight]).toEqual([3200, 1800]);
    expect(quality.maxCornerError(metrics.document!.corners, truth)).toBeLessThan(0.01 * 370 * k);
    expect(metrics.document!.widthFraction).toBeCloseTo(quality.widthFraction(card, 640), 2);
    expect(metrics.document!.cornerMarginPx).toBeCloseTo(quality.cornerMarginPx(metrics.document!.corners, 3200, 1800), 6);
    // Followed in a stream from an outline in the large frame's pixels.
    const tracked = analyzer.analyze(large, thresholds, undefined, metrics.document!.corners);
    expect(quality.maxCornerError(tracked.document!.corners, metrics.document!.corners)).toBeLessThan(2);
  });
});
