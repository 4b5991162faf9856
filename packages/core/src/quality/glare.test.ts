import { describe, expect, it } from 'vitest';
import { DEFAULT_HOTSPOT_OPTIONS, highlights, hotspotFraction } from './glare.ts';
import { applyHomography, homographyFromPoints } from './geometry.ts';
import { regionStats } from './region-stats.ts';
import type { GrayImage } from './refine-corners.ts';
import type { Point } from './types.ts';

// A card at the reference scale (640 px long), as the measuring pass sees it: the region measured is
// the card less a 4% inset, the glare is a share of the whole card.
const W = 640;
const H = 404;
const DOCUMENT: Point[] = [{ x: 0, y: 0 }, { x: W, y: 0 }, { x: W, y: H }, { x: 0, y: H }];
const INSET: Point[] = DOCUMENT.map((p) => ({ x: W / 2 + (p.x - W / 2) * 0.92, y: H / 2 + (p.y - H / 2) * 0.92 }));

interface Light {
  x: number;
  y: number;
  r: number;
}

/** A printed card: stock, rows of text-like bars and a guilloche-like wave over it, sensor noise (±3); optionally a highlight as the generator draws it (flat core of 0.6 r, linear falloff to r). */
function card(stock: number, ink: number, light?: Light, paint?: (x: number, y: number, v: number) => number): GrayImage {
  let s = 7;
  const noise = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 6;
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const text = x > 200 && x < 600 && y > 80 && y < 330 && y % 24 < 9 && x % 13 < 8;
      const wave = Math.abs(y - 60 - 20 * Math.sin(x / 30)) < 1.5;
      let v = text ? ink : wave ? (stock + ink) / 2 : stock;
      if (paint) v = paint(x, y, v);
      if (light) {
        const d = Math.hypot(x - light.x, y - light.y) / light.r;
        if (d < 1) v += (255 - v) * Math.min(1, (1 - d) / 0.4);
      }
      data[y * W + x] = Math.max(0, Math.min(255, Math.round(v + noise())));
    }
  }
  return { data, width: W, height: H };
}

/** The label's share: pixels of the card in the highlight's flat core (d <= 0.6), over the card. */
function coreShare(light: Light): number {
  let n = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (Math.hypot(x - light.x, y - light.y) <= 0.6 * light.r) n++;
  return n / (W * H);
}

const grid = (image: GrayImage) => regionStats(image, 250, { polygon: INSET, blockSize: 16, rowStep: 2 }).blocks!;
const glareOf = (image: GrayImage) => hotspotFraction(grid(image), image, INSET, DOCUMENT);
const clippedShare = (image: GrayImage) => regionStats(image, 250, { polygon: INSET }).clippedFraction;

/** A 3x3 box blur, `passes` times (about a Gaussian of sigma 0.8 sqrt(passes)). */
function blur(image: GrayImage, passes: number): GrayImage {
  let src = image.data;
  for (let p = 0; p < passes; p++) {
    const out = new Uint8Array(src);
    for (let y = 1; y < H - 1; y++) {
      for (let x = 1; x < W - 1; x++) {
        let sum = 0;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += src[(y + dy) * W + x + dx]!;
        out[y * W + x] = Math.round(sum / 9);
      }
    }
    src = out;
  }
  return { ...image, data: src };
}

describe('hotspotFraction', () => {
  it('reads no glare on an evenly lit card, white (stock clipped) or tinted', () => {
    const white = card(253, 40);
    expect(clippedShare(white)).toBeGreaterThan(0.5);
    expect(glareOf(white)).toBe(0);
    expect(glareOf(card(170, 40))).toBe(0);
  });

  it('reads a highlight on a tinted card as the share of the card under its flat core', () => {
    const light = { x: 380, y: 200, r: 110 };
    const expected = coreShare(light); // 6.7%
    expect(glareOf(card(170, 40, light))).toBeGreaterThan(0.9 * expected);
    expect(glareOf(card(170, 40, light))).toBeLessThan(1.1 * expected);
  });

  it('reads a highlight on light stock by its core, not by the larger blob the stock clips in (the falloff slope)', () => {
    const light = { x: 380, y: 200, r: 110 };
    const image = card(232, 60, light);
    const [blob] = highlights(grid(image), image, INSET, DOCUMENT).filter((h) => h.isHighlight);
    expect(blob).toBeDefined();
    // The stock clips out to d = 0.6 + 0.4 (1 - 18/23) = 0.69 r: the blob is a third larger than the core.
    expect(blob!.radius).toBeGreaterThan(1.1 * blob!.coreRadius);
    expect(blob!.coreRadius).toBeLessThan(0.64 * light.r);
    expect(blob!.coreRadius).toBeGreaterThan(0.56 * light.r);
    expect(glareOf(image)).toBeGreaterThan(0.9 * coreShare(light));
    expect(glareOf(image)).toBeLessThan(1.12 * coreShare(light));
  });

  it('reads the core from where the stock crosses the clipping level, not from the clipped cells: fine print lowers their means', () => {
    // A fine print (a line every 7 px, 40 levels under a light stock) in every other cell: on the ramp
    // (0.5 levels/px) a line still lowers its cell's mean by ~2 levels where the stock clips, so those
    // cells fall out of the clipped blob ~4 px inside the stock's clipping contour, and a core read
    // from the blob's boundary came out ~12% short (read/expected 0.88).
    const light = { x: 380, y: 200, r: 110 };
    const lines = (x: number, _y: number, v: number): number => (x % 7 === 0 ? v - 40 : v);
    const image = card(232, 60, light, lines);
    expect(glareOf(image)).toBeGreaterThan(0.94 * coreShare(light));
    expect(glareOf(image)).toBeLessThan(1.08 * coreShare(light));
  });

  it('reads a highlight on a dark (under-exposed) card as on a bright one: no weighting by the print around it', () => {
    const light = { x: 380, y: 200, r: 110 };
    expect(glareOf(card(70, 15, light))).toBeGreaterThan(0.9 * coreShare(light));
    expect(glareOf(card(70, 15, light))).toBeLessThan(1.1 * coreShare(light));
  });

  it('reads a blurred highlight by its core (the falloff is extrapolated, not the blurred clipping edge)', () => {
    const light = { x: 380, y: 200, r: 110 };
    const image = blur(card(170, 40, light), 9); // sigma about 2.4 px
    expect(glareOf(image)).toBeGreaterThan(0.88 * coreShare(light));
    expect(glareOf(image)).toBeLessThan(1.1 * coreShare(light));
  });

  it('measures a core running over the card\'s edge on the whole card, its part in the inset margin included', () => {
    const light = { x: 40, y: 200, r: 120 };
    const expected = coreShare(light); // the core's part on the card: 4.7%
    const measured = glareOf(card(170, 40, light));
    expect(measured).toBeGreaterThan(0.88 * expected);
    expect(measured).toBeLessThan(1.12 * expected);
  });

  it('does not take a photo backdrop clipped by the exposure for glare: a rectangle, with the face surviving inside it', () => {
    const backdrop = (x: number, y: number, v: number): number => {
      if (x < 40 || x > 190 || y < 100 || y > 300) return v;
      const face = ((x - 115) / 45) ** 2 + ((y - 200) / 65) ** 2 < 1;
      return face ? 150 : 254;
    };
    const image = card(170, 40, undefined, backdrop);
    expect(clippedShare(image)).toBeGreaterThan(0.05);
    expect(highlights(grid(image), image, INSET, DOCUMENT).length).toBeGreaterThan(0);
    expect(glareOf(image)).toBe(0);
  });

  it('needs a round blob with no print left inside it: each of the two refuses a lit backdrop with a face in it', () => {
    // A portrait's backdrop clipped by the exposure, with a light falloff around it (as a lamp lights one
    // part of the card): only the shape (a rectangle) and the face surviving inside it tell it from a highlight.
    const litBackdrop = (x: number, y: number, v: number): number => {
      const inBox = x >= 40 && x <= 220 && y >= 90 && y <= 310;
      if (inBox) return ((x - 130) / 50) ** 2 + ((y - 200) / 70) ** 2 < 1 ? 150 : 254;
      const d = Math.hypot(Math.max(40 - x, 0, x - 220), Math.max(90 - y, 0, y - 310));
      return v + (255 - v) * 0.9 * Math.max(0, 1 - d / 60);
    };
    const image = card(170, 40, undefined, litBackdrop);
    const read = (options: Partial<typeof DEFAULT_HOTSPOT_OPTIONS>) => hotspotFraction(grid(image), image, INSET, DOCUMENT, { ...DEFAULT_HOTSPOT_OPTIONS, ...options });
    expect(read({ maxRoundnessError: Infinity, maxHoles: Infinity })).toBeGreaterThan(0.02);
    expect(read({ maxHoles: Infinity })).toBe(0);
    expect(read({ maxRoundnessError: Infinity })).toBe(0);
    expect(glareOf(image)).toBe(0);
  });

  it('reads a highlight merged with a backdrop the exposure clipped by its round part: the rest of the blob is no part of its falloff', () => {
    // The highlight's clipped blob (69 px) runs into a portrait backdrop (with a face in it) clipped by
    // the exposure: one blob, not round, was refused whole. The disc inscribed in it is the highlight's,
    // lined by its own edge over most of its circumference; the backdrop's part of the blob is left out.
    const light = { x: 330, y: 200, r: 110 };
    const backdrop = (x: number, y: number, v: number): number => {
      if (x < 100 || x > 268 || y < 110 || y > 300) return v;
      return ((x - 170) / 35) ** 2 + ((y - 205) / 50) ** 2 < 1 ? 150 : 254;
    };
    const image = card(170, 40, light, backdrop);
    expect(glareOf(card(170, 40, undefined, backdrop))).toBe(0);
    expect(glareOf(image)).toBeGreaterThan(0.85 * coreShare(light));
    expect(glareOf(image)).toBeLessThan(1.15 * coreShare(light));
  });

  it('does not take a round printed white area clipped by the exposure for glare: it ends at a printed edge, with no falloff', () => {
    const disc = (x: number, y: number, v: number): number => (Math.hypot(x - 300, y - 200) < 70 ? 254 : v);
    const image = card(170, 40, undefined, disc);
    const [blob] = highlights(grid(image), image, INSET, DOCUMENT);
    expect(blob).toBeDefined();
    expect(blob!.holes).toBeLessThan(DEFAULT_HOTSPOT_OPTIONS.maxHoles);
    expect(glareOf(image)).toBe(0);
    // The same disc with a highlight's falloff around it is glare.
    expect(glareOf(card(170, 40, { x: 300, y: 200, r: 70 / 0.6 }))).toBeGreaterThan(0.05);
  });

  it('does not take a clipped MRZ band, cut by its text, for glare; a highlight above it is still found', () => {
    const band = (x: number, y: number, v: number): number => {
      if (y < 300 || y > 372) return v;
      const text = x > 30 && x < 560 && (y - 300) % 24 > 6 && (y - 300) % 24 < 19 && x % 13 < 8;
      return text ? 30 : 254;
    };
    expect(clippedShare(card(170, 40, undefined, band))).toBeGreaterThan(0.06);
    expect(glareOf(card(170, 40, undefined, band))).toBe(0);
    const light = { x: 380, y: 150, r: 110 };
    expect(glareOf(card(170, 40, light, band))).toBeGreaterThan(0.85 * coreShare(light));
  });

  it('reads the falloff and the stock beyond a highlight on its own and unclipped cells: clipped bands there are neither', () => {
    // Two bands clipped by the exposure (text surviving in them) above and below the highlight. At 100 px
    // from its centre they lie outside its falloff (which ends at 95 px on this stock) but over a third
    // of the ring where the stock beyond it is read (1.6-2 radii of the clipped blob): read there as the
    // stock, they put it at the clipping level and no falloff was found. At 85 px they reach into the
    // outer rings of the falloff, whose level they lifted: the falloff read flatter and the core smaller.
    const light = { x: 400, y: 200, r: 110 };
    for (const distance of [100, 85]) {
      const bands = (x: number, y: number, v: number): number => (Math.abs(y - light.y) > distance ? (y % 20 < 6 && x % 11 < 6 ? 40 : 254) : v);
      const image = card(170, 40, light, bands);
      expect(glareOf(card(170, 40, undefined, bands))).toBe(0);
      expect(glareOf(image)).toBeGreaterThan(0.9 * coreShare(light));
      expect(glareOf(image)).toBeLessThan(1.1 * coreShare(light));
    }
  });

  it('reads the stock around a highlight no higher than the lowest level its falloff reaches: light stock beyond it (unclipped) is other light', () => {
    // Bright, unclipped stock (246: another clipped region's bright edge, a lighter panel) all around
    // a square just beyond the falloff (which ends at 1.6 radii of the clipped blob, 106 px), over most
    // of the ring 1.6-2 radii out where the stock is read. Read there, the stock was 246 and the
    // falloff (250 -> 170) lay under its floor: no highlight found.
    const light = { x: 400, y: 200, r: 110 };
    const bands = (x: number, y: number, v: number): number => (Math.max(Math.abs(x - light.x), Math.abs(y - light.y)) > 104 ? 246 : v);
    expect(glareOf(card(170, 40, undefined, bands))).toBe(0);
    const image = card(170, 40, light, bands);
    expect(glareOf(image)).toBeGreaterThan(0.9 * coreShare(light));
    expect(glareOf(image)).toBeLessThan(1.1 * coreShare(light));
  });
});

describe('hotspotFraction on a document seen in perspective', () => {
  // The card (W x H, as `card` draws it) turned about its vertical axis by 20 deg, in front of a pinhole camera
  // (focal length 700 px, 900 px away): its left side nearer the camera (358 px tall in the image), its right
  // side farther (280 px). The frame around it is a dark table.
  const TURNED: Point[] = [{ x: 53.7, y: 23.1 }, { x: 528.5, y: 61.9 }, { x: 528.5, y: 342.1 }, { x: 53.7, y: 380.9 }];
  // The same card turned by 35 deg.
  const STEEP: Point[] = [{ x: 63.9, y: 4.6 }, { x: 489.3, y: 71.5 }, { x: 489.3, y: 332.5 }, { x: 63.9, y: 399.4 }];
  /** The flat card drawn into the outline (nearest pixel of the card). */
  const seen = (flat: GrayImage, outline: Point[]): GrayImage => {
    const toCard = homographyFromPoints(outline, DOCUMENT)!;
    const data = new Uint8Array(W * H).fill(60);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const p = applyHomography(toCard, { x: x + 0.5, y: y + 0.5 });
        if (p.x >= 0 && p.y >= 0 && p.x < W && p.y < H) data[y * W + x] = flat.data[Math.floor(p.y) * W + Math.floor(p.x)]!;
      }
    }
    return { data, width: W, height: H };
  };
  /** Glare as the worker measures it: the outline inset by 4%, the document's aspect `aspect` (W / H unless told; none when null). */
  const glareSeen = (image: GrayImage, outline: Point[], aspect: number | null = W / H): number => {
    const mid = { x: outline.reduce((a, p) => a + p.x, 0) / 4, y: outline.reduce((a, p) => a + p.y, 0) / 4 };
    const inset = outline.map((p) => ({ x: mid.x + (p.x - mid.x) * 0.92, y: mid.y + (p.y - mid.y) * 0.92 }));
    return hotspotFraction(regionStats(image, 250, { polygon: inset, blockSize: 16, rowStep: 2 }).blocks!, image, inset, outline, undefined, aspect === null ? undefined : () => aspect);
  };

  it('reads a highlight on the near side as the share of the card under its core, not of the card\'s image (which the nearness magnifies: 21% more)', () => {
    const light = { x: 150, y: 200, r: 100 };
    const measured = glareSeen(seen(card(170, 40, light), TURNED), TURNED);
    expect(measured).toBeGreaterThan(0.9 * coreShare(light));
    expect(measured).toBeLessThan(1.1 * coreShare(light));
  });

  it('reads one on the far side likewise (its image the smaller: 15% less)', () => {
    const light = { x: 500, y: 200, r: 100 };
    const measured = glareSeen(seen(card(170, 40, light), TURNED), TURNED);
    expect(measured).toBeGreaterThan(0.9 * coreShare(light));
    expect(measured).toBeLessThan(1.1 * coreShare(light));
  });

  it('reads a highlight on a card at a steep slant by the ellipse its core shows as, not the disc of its radius', () => {
    const light = { x: 320, y: 200, r: 100 };
    const image = seen(card(170, 40, light), STEEP);
    // Without the aspect the surface is not metric: the core read as a disc comes out 16% large.
    expect(glareSeen(image, STEEP, null)).toBeGreaterThan(1.1 * coreShare(light));
    expect(glareSeen(image, STEEP)).toBeGreaterThan(0.9 * coreShare(light));
    expect(glareSeen(image, STEEP)).toBeLessThan(1.1 * coreShare(light));
  });
});
