import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '@ekyc/core';
import { addHologram, addShadow, addStamp, applyPageStress, bookletSpread, cameraGlareHotspot, GLARE_PEAK, paintThumb, thumbOver, GLARE_SIGMA_MM, glareHotspots, photoPlacement, PHOTO_FILL, PHOTO_MAX_ROLL_DEG, PHOTO_MAX_TILT_DEG, smallPlacement, type Band } from './mrz-stress.ts';
import { createRandom } from './random.ts';

const PX_PER_MM = 4;
// A TD3-sized page (125 x 88 mm) of light paper, its MRZ band where mrzBand puts it.
const page = (): RgbaImage<Uint8ClampedArray> => ({ width: 500, height: 352, data: new Uint8ClampedArray(500 * 352 * 4).fill(230) });
const BAND: Band = { top: 71.2 * PX_PER_MM, bottom: 84.1 * PX_PER_MM, left: 6.6 * PX_PER_MM, right: 118.4 * PX_PER_MM };

/** Pixels changed by more than 8 levels, inside and outside the band (rows only). */
function changed(before: RgbaImage, after: RgbaImage, band: Band): { inBand: number; outside: number } {
  let inBand = 0;
  let outside = 0;
  for (let y = 0; y < after.height; y++) {
    for (let x = 0; x < after.width; x++) {
      const i = (y * after.width + x) * 4;
      if (Math.abs(after.data[i]! - before.data[i]!) + Math.abs(after.data[i + 1]! - before.data[i + 1]!) + Math.abs(after.data[i + 2]! - before.data[i + 2]!) <= 8) continue;
      if (y >= band.top && y <= band.bottom) inBand++;
      else outside++;
    }
  }
  return { inBand, outside };
}

describe('mrz stress conditions', () => {
  it('a stamp inks part of the MRZ band in a colour bright in at least one channel', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const before = page();
      const after = page();
      const ink = addStamp(after, BAND, PX_PER_MM, createRandom(seed));
      const { inBand } = changed(before, after, BAND);
      expect(inBand).toBeGreaterThan(200);
      // Part of the band, not all of it.
      expect(inBand).toBeLessThan(0.5 * (BAND.bottom - BAND.top) * (BAND.right - BAND.left));
      expect(Math.max(...ink)).toBeGreaterThanOrEqual(130);
      expect(Math.max(...ink) - Math.min(...ink)).toBeGreaterThan(80);
    }
  });

  it('a hologram tints a stretch of the band in changing colours and leaves the rest of the line alone', () => {
    const before = page();
    const after = page();
    addHologram(after, BAND, PX_PER_MM, createRandom(3));
    const { inBand } = changed(before, after, BAND);
    expect(inBand).toBeGreaterThan(0.1 * (BAND.bottom - BAND.top) * (BAND.right - BAND.left));
    expect(inBand).toBeLessThan(0.7 * (BAND.bottom - BAND.top) * (BAND.right - BAND.left));
    const hues = new Set<string>();
    const y = Math.round((BAND.top + BAND.bottom) / 2);
    for (let x = 0; x < after.width; x += 4) {
      const i = (y * after.width + x) * 4;
      const [r, g, b] = [after.data[i]!, after.data[i + 1]!, after.data[i + 2]!];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 10) hues.add([r, g, b].indexOf(Math.max(r, g, b)).toString());
    }
    expect(hues.size).toBeGreaterThanOrEqual(2);
  });

  it('a shadow darkens the page unevenly: somewhere to under 60%, and along the MRZ band by a quarter or more', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const after = page();
      const { darkest } = addShadow(after, BAND, PX_PER_MM, createRandom(seed));
      expect(darkest).toBeLessThan(0.6);
      const y = Math.round((BAND.top + BAND.bottom) / 2);
      const row = Array.from({ length: Math.round(BAND.right - BAND.left) }, (_, k) => after.data[(y * after.width + Math.round(BAND.left) + k) * 4]! / 230);
      expect(Math.max(...row) / Math.min(...row)).toBeGreaterThan(1.25);
    }
  });

  it('a small placement fills 25-40% of a 4:3 photo and keeps the whole document in it', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const p = smallPlacement(1500, 1056, createRandom(seed));
      const fill = (1500 * 1056) / (p.frameWidth * p.frameHeight);
      expect(fill).toBeGreaterThanOrEqual(0.24);
      expect(fill).toBeLessThanOrEqual(0.41);
      expect(p.left).toBeGreaterThanOrEqual(0);
      expect(p.top).toBeGreaterThanOrEqual(0);
      expect(p.left + 1500).toBeLessThanOrEqual(p.frameWidth);
      expect(p.top + 1056).toBeLessThanOrEqual(p.frameHeight);
    }
  });

  it('a photo placement turns, tilts and places the page off-centre, inside a 4:3 photo it fills 20-45% of (less when turned to fit)', () => {
    const rolls: number[] = [];
    const fills: number[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      const p = photoPlacement(1500, 1056, createRandom(seed));
      expect(p.frameWidth / p.frameHeight).toBeCloseTo(4 / 3, 2);
      const xs = p.corners.map((c) => c.x);
      const ys = p.corners.map((c) => c.y);
      const margin = 0.03 * p.frameHeight - 1;
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(margin);
      expect(Math.min(...ys)).toBeGreaterThanOrEqual(margin);
      expect(Math.max(...xs)).toBeLessThanOrEqual(p.frameWidth - margin);
      expect(Math.max(...ys)).toBeLessThanOrEqual(p.frameHeight - margin);
      expect(p.tiltDeg).toBeLessThanOrEqual(PHOTO_MAX_TILT_DEG + 1e-9);
      let area = 0;
      for (let k = 0; k < 4; k++) area += p.corners[k]!.x * p.corners[(k + 1) % 4]!.y - p.corners[(k + 1) % 4]!.x * p.corners[k]!.y;
      const fill = Math.abs(area) / 2 / (p.frameWidth * p.frameHeight);
      expect(fill).toBeLessThanOrEqual(PHOTO_FILL[1] + 0.01);
      fills.push(fill);
      // The page's top edge (TL -> TR) is turned by about the drawn roll (perspective bends it a little).
      const edge = (Math.atan2(p.corners[1].y - p.corners[0].y, p.corners[1].x - p.corners[0].x) * 180) / Math.PI;
      const diff = ((edge - p.rollDeg + 540) % 360) - 180;
      expect(Math.abs(diff)).toBeLessThan(12);
      rolls.push(p.rollDeg);
    }
    // Upright pages fill 20-45% exactly; turned ones only shrink it.
    expect(fills.filter((f) => f >= PHOTO_FILL[0] - 0.01).length).toBeGreaterThan(40);
    expect(Math.min(...fills)).toBeGreaterThan(0.1);
    expect(rolls.some((r) => r > 15 && r <= PHOTO_MAX_ROLL_DEG)).toBe(true);
    expect(rolls.some((r) => r < -15 && r >= -PHOTO_MAX_ROLL_DEG)).toBe(true);
    expect(rolls.some((r) => Math.abs(r) > 60)).toBe(true);
  });

  it('a photo placement is the same for the same seed', () => {
    const a = photoPlacement(1500, 1056, createRandom(7));
    const b = photoPlacement(1500, 1056, createRandom(7));
    expect(a.corners).toEqual(b.corners);
    expect([a.frameWidth, a.frameHeight, a.background]).toEqual([b.frameWidth, b.frameHeight, b.background]);
  });

  it('draws from its own seed only: the same seed gives the same stamp', () => {
    const a = page();
    const b = page();
    addStamp(a, BAND, PX_PER_MM, createRandom(9));
    addStamp(b, BAND, PX_PER_MM, createRandom(9));
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });
  it('glare: one or two hotspots on the page, the first over the MRZ lines on about half of the pages, sized and bright as drawn', () => {
    const counts = new Set<number>();
    let overMrz = 0;
    const pages = 60;
    for (let seed = 1; seed <= pages; seed++) {
      const spots = glareHotspots({ width: 500, height: 352 }, BAND, PX_PER_MM, createRandom(seed));
      counts.add(spots.length);
      for (const s of spots) {
        expect(s.x).toBeGreaterThanOrEqual(0);
        expect(s.x).toBeLessThanOrEqual(500);
        expect(s.y).toBeGreaterThanOrEqual(0);
        expect(s.y).toBeLessThanOrEqual(352);
        expect(s.sigma / PX_PER_MM).toBeGreaterThanOrEqual(GLARE_SIGMA_MM[0]);
        expect(s.sigma / PX_PER_MM).toBeLessThanOrEqual(GLARE_SIGMA_MM[1]);
        expect(s.peak).toBeGreaterThanOrEqual(GLARE_PEAK[0]);
        expect(s.peak).toBeLessThanOrEqual(GLARE_PEAK[1]);
      }
      const first = spots[0]!;
      if (first.y >= BAND.top && first.y <= BAND.bottom && first.x >= BAND.left && first.x <= BAND.right) overMrz++;
    }
    expect([...counts].sort()).toEqual([1, 2]);
    expect(overMrz).toBeGreaterThan(0.3 * pages);
    expect(overMrz).toBeLessThan(0.8 * pages);
  });

  it('camera glare: one hotspot over the MRZ lines in every frame, moved by each frame\'s own draws', () => {
    const random = createRandom(7);
    const spots = Array.from({ length: 20 }, () => cameraGlareHotspot(BAND, PX_PER_MM, random));
    for (const [s] of spots) {
      expect(s!.x).toBeGreaterThanOrEqual(BAND.left);
      expect(s!.x).toBeLessThanOrEqual(BAND.right);
      expect(s!.y).toBeGreaterThanOrEqual(BAND.top);
      expect(s!.y).toBeLessThanOrEqual(BAND.bottom);
      expect(s!.sigma / PX_PER_MM).toBeGreaterThanOrEqual(GLARE_SIGMA_MM[0]);
      expect(s!.peak).toBeGreaterThanOrEqual(GLARE_PEAK[0]);
    }
    expect(spots.every((s) => s.length === 1)).toBe(true);
    expect(new Set(spots.map(([s]) => Math.round(s!.x))).size).toBeGreaterThan(15);
  });

  it('glare draws nothing on the page itself (degradeDocument adds it in camera order)', () => {
    const before = page();
    const after = page();
    applyPageStress(after, 'glare', BAND, PX_PER_MM, createRandom(3));
    expect(Buffer.from(after.data).equals(Buffer.from(before.data))).toBe(true);
  });
});

describe('booklet and thumb conditions', () => {
  it('booklet: a TD3 data page is the lower half of a spread of its width, the facing page printed above, darker at the fold', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const doc = page();
      const { spread, left, top } = bookletSpread(doc, true, PX_PER_MM, createRandom(seed));
      expect([spread.width, spread.height, left, top]).toEqual([doc.width, 2 * doc.height, 0, doc.height]);
      // The data page unchanged in the lower half, away from the fold.
      const y = doc.height + 100;
      const i = (y * spread.width + 250) * 4;
      expect(spread.data[i]).toBe(230);
      // The facing page is not blank paper: its print varies along a row.
      const row = Array.from({ length: spread.width }, (_, x) => spread.data[(60 * spread.width + x) * 4 + 1]!);
      expect(Math.max(...row) - Math.min(...row)).toBeGreaterThan(12);
      // The fold darkens the join.
      expect(spread.data[(doc.height * spread.width + 250) * 4]!).toBeLessThan(0.9 * 230);
    }
  });

  it('booklet: another format lies whole on a booklet page of at least a TD3 page, the facing page above it', () => {
    const card: RgbaImage<Uint8ClampedArray> = { width: 342, height: 216, data: new Uint8ClampedArray(342 * 216 * 4).fill(200) };
    const { spread, left, top } = bookletSpread(card, false, PX_PER_MM, createRandom(5));
    expect(spread.width).toBeGreaterThanOrEqual(125 * PX_PER_MM);
    expect(spread.height).toBeGreaterThanOrEqual(2 * 88 * PX_PER_MM);
    expect(left).toBeGreaterThan(0);
    expect(left + card.width).toBeLessThan(spread.width);
    expect(top).toBeGreaterThan(spread.height / 2);
    expect(top + card.height).toBeLessThan(spread.height);
    expect(spread.data[((top + 100) * spread.width + left + 100) * 4]).toBe(200);
  });

  it('thumb: enters from off the page over a corner or edge, reaches onto it, and stays off the MRZ band', () => {
    const wheres = new Set<string>();
    for (let seed = 1; seed <= 200; seed++) {
      const size = { width: 500, height: 352 };
      const t = thumbOver(size, BAND, PX_PER_MM, createRandom(seed));
      expect(t.radius).toBeGreaterThanOrEqual(8 * PX_PER_MM);
      expect(t.radius).toBeLessThanOrEqual(11 * PX_PER_MM);
      const inside = (p: { x: number; y: number }): boolean => p.x >= 0 && p.x <= size.width && p.y >= 0 && p.y <= size.height;
      expect(inside(t.tip)).toBe(true);
      expect(inside(t.base)).toBe(false);
      // The capsule's lowest point is above the band.
      expect(Math.max(t.tip.y, t.base.y) + t.radius).toBeLessThanOrEqual(BAND.top - 1.5 * PX_PER_MM + 1e-6);
      wheres.add(t.tip.y < 0.1 * size.height + 16 * PX_PER_MM && (t.tip.x < 0.2 * size.width || t.tip.x > 0.8 * size.width) ? 'corner-ish' : t.tip.x < 0.2 * size.width || t.tip.x > 0.8 * size.width ? 'side' : 'top');
      expect(Math.max(...t.tone) - Math.min(...t.tone)).toBeGreaterThan(30);
    }
    expect(wheres.size).toBe(3);
  });

  it('thumb: painted skin-toned, darker at its rim than its middle, with a shadow around it, the rest of the frame untouched', () => {
    const frame = page();
    const before = page();
    const thumb = { tip: { x: 100, y: 60 }, base: { x: 100, y: -200 }, radius: 36, tone: [224, 172, 140] as const };
    paintThumb(frame, thumb);
    const at = (x: number, y: number): number[] => Array.from(frame.data.subarray((y * frame.width + x) * 4, (y * frame.width + x) * 4 + 3));
    const middle = at(100, 30);
    const rim = at(133, 30);
    expect(middle[0]! - middle[2]!).toBeGreaterThan(50);
    expect(rim[0]!).toBeLessThan(middle[0]!);
    expect(at(140, 30)[0]!).toBeLessThan(230);
    const { inBand } = changed(before, frame, BAND);
    expect(inBand).toBe(0);
    expect(at(300, 30)).toEqual([230, 230, 230]);
  });
});
