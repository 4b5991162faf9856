/**
 * Stress conditions of real documents that the mild/strong degradations do not draw, opt-in and seeded
 * apart from them (the same seed renders the same document and the same camera degradation with or
 * without a stress): an inked entry stamp partly over the MRZ, a laminated hologram (OVD) over it,
 * uneven light (a gradient and a cast shadow across the page), a document small in an uploaded photo,
 * a photo of a document as people take them (small, turned, under perspective, on a textured
 * table), specular glare as a camera records it (clipped white, not washed-out ink), a passport
 * photographed open (`booklet`) and a thumb holding the document (`thumb`). Plain pixel
 * code (runs in Node), except the photo's background painter (OffscreenCanvas); `small` and `photo`
 * are placements and `glare` hotspots, applied by `degradeDocument`.
 */
import type { RgbaImage, quality } from '@ekyc/core';
import { projectCard } from './camera.ts';
import type { Hotspot } from './degrade.ts';
import { createRandom, type Random } from './random.ts';
import { paintFabric, paintWood } from './textures.ts';

export type MrzStress = 'stamp' | 'hologram' | 'shadow' | 'small' | 'photo' | 'glare' | 'booklet' | 'thumb';
export const MRZ_STRESSES: readonly MrzStress[] = ['stamp', 'hologram', 'shadow', 'small', 'photo', 'glare', 'booklet', 'thumb'];

/** The MRZ band on a rendered page, in its pixels (see `mrzBand` in mrz-document.ts). */
export interface Band { top: number; bottom: number; left: number; right: number }

/** Where a document sits in a larger frame, in frame pixels (`degradeDocument`'s placement). */
export interface Placement {
  frameWidth: number;
  frameHeight: number;
  /** The document's axis-aligned box (with `corners`: a box of its scaled size around the quad's centre, where glare is drawn). */
  left: number;
  top: number;
  /** The document's corners (TL, TR, BR, BL of the page) when it is not axis-aligned; the level's perspective jitter is added. */
  corners?: quality.Quad;
  /** Paints what the document lies on (default: a dark table). Browser only. */
  paintBackground?: (ctx: OffscreenCanvasRenderingContext2D, width: number, height: number) => void;
  /** A thumb over the document (the `thumb` condition), in the document's pixels: painted after it is placed, before blur. */
  thumb?: Thumb;
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Distance from (px, py) to the segment a-b. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = clamp01(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Coverage mask of one anti-aliased stroke (a capsule of half-width `half`), max-combined into `mask`. */
function strokeSegment(mask: Float32Array, width: number, height: number, ax: number, ay: number, bx: number, by: number, half: number): void {
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - half - 1));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + half + 1));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - half - 1));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + half + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const c = clamp01(half + 0.5 - segmentDistance(x + 0.5, y + 0.5, ax, ay, bx, by));
      const i = y * width + x;
      if (c > mask[i]!) mask[i] = c;
    }
  }
}

/** A ring of radius r and half-width `half` (drawn as short segments). */
function strokeCircle(mask: Float32Array, width: number, height: number, cx: number, cy: number, r: number, half: number): void {
  const n = Math.max(24, Math.ceil(r / 2));
  for (let k = 0; k < n; k++) {
    const a = (2 * Math.PI * k) / n;
    const b = (2 * Math.PI * (k + 1)) / n;
    strokeSegment(mask, width, height, cx + r * Math.cos(a), cy + r * Math.sin(a), cx + r * Math.cos(b), cy + r * Math.sin(b), half);
  }
}

/**
 * A letter-like glyph of 2-4 strokes in a cell `w` x `h` centred on (cx, cy), turned by `angle`: stamp
 * lettering (a town, a date) is what a stamp puts over the MRZ that looks most like characters.
 */
function strokeGlyph(mask: Float32Array, width: number, height: number, cx: number, cy: number, w: number, h: number, angle: number, half: number, random: Random): void {
  const ca = Math.cos(angle);
  const sa = Math.sin(angle);
  const at = (u: number, v: number): [number, number] => [cx + (u - 0.5) * w * ca - (v - 0.5) * h * sa, cy + (u - 0.5) * w * sa + (v - 0.5) * h * ca];
  const corners: Array<[number, number]> = [[0, 0], [1, 0], [0, 1], [1, 1], [0, 0.5], [1, 0.5], [0.5, 0], [0.5, 1]];
  const strokes = random.int(2, 4);
  for (let s = 0; s < strokes; s++) {
    const [u0, v0] = random.pick(corners);
    const [u1, v1] = random.pick(corners);
    const [ax, ay] = at(u0, v0);
    const [bx, by] = at(u1 === u0 && v1 === v0 ? 1 - u1 : u1, v1);
    strokeSegment(mask, width, height, ax, ay, bx, by, half);
  }
}

/** Stamp inks: blue, violet, red, green (the colours entry and visa stamps use). */
const STAMP_INKS: ReadonlyArray<readonly [number, number, number]> = [[40, 70, 170], [110, 50, 150], [190, 40, 50], [40, 130, 70]];

/**
 * Multiplies `mask` x `opacity` of ink into the page (subtractive: ink absorbs what its colour does not
 * reflect), with a blotchy coverage: stamps print unevenly (more ink at one side, dry speckles).
 */
function inkInto(page: RgbaImage<Uint8ClampedArray>, mask: Float32Array, ink: readonly [number, number, number], opacity: number, random: Random): void {
  const gx = random.range(-1, 1);
  const gy = random.range(-1, 1);
  const { width, height, data } = page;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const m = mask[y * width + x]!;
      if (m === 0) continue;
      const slope = 0.75 + 0.25 * ((gx * x) / width + (gy * y) / height);
      const speckle = random.chance(0.08) ? 0.3 : 1;
      const a = clamp01(m * opacity * slope * speckle);
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[i + c] = data[i + c]! * (1 - a * (1 - ink[c]! / 255));
    }
  }
}

/**
 * An inked stamp, round (two rings, lettering around and across) or rectangular (double border, two
 * lines of lettering), 22-34 mm, its centre placed so it covers part of the MRZ band. Returns its ink
 * colour (for tests).
 */
export function addStamp(page: RgbaImage<Uint8ClampedArray>, band: Band, pxPerMm: number, random: Random): readonly [number, number, number] {
  const { width, height } = page;
  const mask = new Float32Array(width * height);
  const mm = pxPerMm;
  const half = random.range(0.16, 0.24) * mm;
  const cx = random.range(band.left + 0.1 * (band.right - band.left), band.right - 0.1 * (band.right - band.left));
  const round = random.chance(0.5);
  if (round) {
    const r = random.range(11, 17) * mm;
    // Centre within one radius of the band's middle: the stamp crosses part of the MRZ.
    const cy = (band.top + band.bottom) / 2 + random.range(-0.6, 0.3) * r;
    strokeCircle(mask, width, height, cx, cy, r, half);
    strokeCircle(mask, width, height, cx, cy, r * 0.72, half * 0.8);
    const glyphs = random.int(14, 22);
    for (let k = 0; k < glyphs; k++) {
      const a = random.range(0, 0.15) + (2 * Math.PI * k) / glyphs;
      strokeGlyph(mask, width, height, cx + r * 0.86 * Math.cos(a), cy + r * 0.86 * Math.sin(a), 1.8 * mm, 2.4 * mm, a + Math.PI / 2, half * 0.8, random);
    }
    // A date across the middle.
    const n = random.int(6, 9);
    for (let k = 0; k < n; k++) strokeGlyph(mask, width, height, cx + (k - (n - 1) / 2) * 2.3 * mm, cy, 1.9 * mm, 2.8 * mm, 0, half, random);
  } else {
    const w = random.range(30, 40) * mm;
    const h = random.range(16, 22) * mm;
    const cy = (band.top + band.bottom) / 2 + random.range(-0.6, 0.3) * h;
    const tilt = random.range(-0.12, 0.12);
    const ca = Math.cos(tilt);
    const sa = Math.sin(tilt);
    const at = (u: number, v: number): [number, number] => [cx + u * ca - v * sa, cy + u * sa + v * ca];
    for (const inset of [0, 1.2 * mm]) {
      const corners = [at(-w / 2 + inset, -h / 2 + inset), at(w / 2 - inset, -h / 2 + inset), at(w / 2 - inset, h / 2 - inset), at(-w / 2 + inset, h / 2 - inset)];
      for (let k = 0; k < 4; k++) strokeSegment(mask, width, height, ...corners[k]!, ...corners[(k + 1) % 4]!, half);
    }
    for (const v of [-h / 5, h / 5]) {
      const n = Math.floor((w - 5 * mm) / (2.4 * mm));
      for (let k = 0; k < n; k++) {
        const [gx, gy] = at((k - (n - 1) / 2) * 2.4 * mm, v);
        strokeGlyph(mask, width, height, gx, gy, 1.9 * mm, 2.8 * mm, tilt, half, random);
      }
    }
  }
  const ink = random.pick(STAMP_INKS);
  inkInto(page, mask, ink, random.range(0.55, 0.9), random);
  return ink;
}

/** Hue (0..1) to an RGB rainbow colour, bright as a diffraction foil. */
function rainbow(hue: number): [number, number, number] {
  const h = ((hue % 1) + 1) % 1;
  const f = (n: number): number => {
    const k = (n + h * 6) % 6;
    return 255 * (1 - 0.55 * Math.max(0, Math.min(k, 4 - k, 1)));
  };
  return [f(5), f(3), f(1)];
}

/**
 * A laminated hologram over part of the MRZ: a transparent film whose diffraction colours change with
 * position (the viewing angle), brighter along its engraved guilloche lines, with a specular streak
 * where it catches the light. Blended over the page (a film reflects; it does not absorb the ink).
 */
export function addHologram(page: RgbaImage<Uint8ClampedArray>, band: Band, pxPerMm: number, random: Random): void {
  const { width, height, data } = page;
  const mm = pxPerMm;
  const bandW = band.right - band.left;
  const x0 = band.left + random.range(0, 0.55) * bandW;
  const x1 = Math.min(width, x0 + random.range(0.3, 0.5) * bandW);
  const y0 = Math.max(0, band.top - random.range(2, 10) * mm);
  const y1 = Math.min(height, band.bottom + random.range(0, 3) * mm);
  const film = random.range(0.08, 0.16);
  const lines = random.range(0.2, 0.35);
  const period = random.range(1.5, 3) * mm;
  const hueScale = random.range(0.6, 1.6) / (20 * mm);
  const hue0 = random.next();
  const streakX = random.range(x0, x1);
  const streakW = random.range(2, 5) * mm;
  const streak = random.range(0.25, 0.5);
  for (let y = Math.floor(y0); y < y1; y++) {
    for (let x = Math.floor(x0); x < x1; x++) {
      // Guilloche: two crossing families of sine curves.
      const u = Math.sin((2 * Math.PI * (y + 0.6 * mm * Math.sin(x / (3 * mm)))) / period);
      const v = Math.sin((2 * Math.PI * (x + 0.8 * mm * Math.sin(y / (2.5 * mm)))) / (1.3 * period));
      const line = Math.max(0, Math.abs(u) - 0.8) * 5 + Math.max(0, Math.abs(v) - 0.85) * 6.7;
      const s = Math.exp(-(((x - streakX) + 0.4 * (y - y0)) ** 2) / (2 * streakW * streakW));
      const a = clamp01(film + lines * Math.min(1, line) + streak * s);
      const [r, g, b] = rainbow(hue0 + (x + 0.7 * y) * hueScale);
      const i = (y * width + x) * 4;
      data[i] = data[i]! * (1 - a) + r * a;
      data[i + 1] = data[i + 1]! * (1 - a) + g * a;
      data[i + 2] = data[i + 2]! * (1 - a) + b * a;
    }
  }
}

/**
 * Uneven light: a gradient across the page (light falling off from one side, to 30-55%) times a cast
 * shadow (a hand or a phone: a half-plane whose soft edge crosses the MRZ, down to 35-60%).
 */
export function addShadow(page: RgbaImage<Uint8ClampedArray>, band: Band, pxPerMm: number, random: Random): { darkest: number } {
  const { width, height, data } = page;
  const angle = random.range(0, 2 * Math.PI);
  const gx = Math.cos(angle);
  const gy = Math.sin(angle);
  const low = random.range(0.3, 0.55);
  const span = Math.abs(gx) * width + Math.abs(gy) * height;
  const offset = Math.min(0, gx * width) + Math.min(0, gy * height);
  // The edge's normal within 57 degrees of the MRZ's direction: the edge crosses the lines.
  const edgeAngle = random.range(-1, 1);
  const ex = Math.cos(edgeAngle);
  const ey = Math.sin(edgeAngle);
  // The shadow's edge passes through a point of the MRZ band.
  const px = random.range(band.left, band.right);
  const py = (band.top + band.bottom) / 2;
  const soft = random.range(1.5, 6) * pxPerMm;
  const shade = random.range(0.35, 0.6);
  const side = random.chance(0.5) ? 1 : -1;
  let darkest = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (gx * x + gy * y - offset) / span;
      const gradient = 1 - (1 - low) * t;
      const d = side * ((x - px) * ex + (y - py) * ey) / soft;
      const shadow = 1 - (1 - shade) / (1 + Math.exp(-d));
      const l = gradient * shadow;
      if (l < darkest) darkest = l;
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[i + c] = data[i + c]! * l;
    }
  }
  return { darkest };
}

/**
 * A document of `docWidth` x `docHeight` (frame pixels) filling 25-40% of a 4:3 photo's area, somewhere
 * off-centre: an uploaded photo with no tight crop.
 */
export function smallPlacement(docWidth: number, docHeight: number, random: Random): Placement {
  const fill = random.range(0.25, 0.4);
  let frameWidth = Math.sqrt(((docWidth * docHeight) / fill) * (4 / 3));
  let frameHeight = (frameWidth * 3) / 4;
  const grow = Math.max(1, docWidth / (0.9 * frameWidth), docHeight / (0.9 * frameHeight));
  frameWidth = Math.round(frameWidth * grow);
  frameHeight = Math.round(frameHeight * grow);
  const left = random.range(0.03, 0.97) * (frameWidth - docWidth);
  const top = random.range(0.03, 0.97) * (frameHeight - docHeight);
  return { frameWidth, frameHeight, left, top };
}

/** Tilt (angle to the image plane) of the `photo` condition's page: up to 20 degrees. */
export const PHOTO_MAX_TILT_DEG = 20;
/** In-plane rotation of the `photo` page: up to 30 degrees either way, and on PHOTO_TURNED_SHARE of photos a quarter turn more. */
export const PHOTO_MAX_ROLL_DEG = 30;
const PHOTO_TURNED_SHARE = 0.15;
/** Share of the photo's area the page's quad fills, before the photo is grown to hold a turned page. */
export const PHOTO_FILL: readonly [number, number] = [0.2, 0.45];
/** Least margin between the page and the photo's border, as a fraction of the photo's shorter side. */
const PHOTO_MARGIN = 0.03;

export type PhotoBackground = 'wood' | 'fabric' | 'desk';

/** A plain desk or sheet under a soft light fall-off, lighter or darker than the page. */
function paintDesk(ctx: OffscreenCanvasRenderingContext2D, random: Random, width: number, height: number): void {
  const hue = random.int(0, 359);
  const saturation = random.int(0, 25);
  const lightness = random.chance(0.5) ? random.int(15, 40) : random.int(55, 80);
  ctx.fillStyle = `hsl(${hue} ${saturation}% ${lightness}%)`;
  ctx.fillRect(0, 0, width, height);
  const light = ctx.createRadialGradient(random.range(0, width), random.range(0, height), 0, width / 2, height / 2, Math.max(width, height));
  light.addColorStop(0, 'rgba(255,255,255,0.18)');
  light.addColorStop(1, 'rgba(0,0,0,0.18)');
  ctx.fillStyle = light;
  ctx.fillRect(0, 0, width, height);
}

/**
 * A photo of a page of `docWidth` x `docHeight` (pixels at the scale it is drawn): a 4:3 photo the
 * page's quad fills 20-45% of, off-centre, seen through a pinhole camera (focal 0.7-1.2 of the
 * photo's longer side) tilted up to 20 degrees in any direction and turned in-plane up to +-30 degrees
 * (on 15% of photos a quarter turn more: a page photographed sideways), on wood, fabric or a plain
 * desk. The photo is grown where a turned page would not fit with a 3% margin (then it fills less).
 * The background is drawn from its own seed, taken here, so the draws made here fix the whole placement.
 */
export function photoPlacement(docWidth: number, docHeight: number, random: Random): Placement & { corners: quality.Quad; background: PhotoBackground; rollDeg: number; tiltDeg: number } {
  const fill = random.range(...PHOTO_FILL);
  const tilt = random.range(0, PHOTO_MAX_TILT_DEG);
  const direction = random.range(0, 2 * Math.PI);
  const turned = random.chance(PHOTO_TURNED_SHARE) ? (random.chance(0.5) ? 90 : -90) : 0;
  const rollDeg = turned + random.range(-PHOTO_MAX_ROLL_DEG, PHOTO_MAX_ROLL_DEG);
  const focalFraction = random.range(0.7, 1.2);
  const background = random.pick(['wood', 'fabric', 'desk'] as const);
  const backgroundSeed = random.int(1, 2 ** 30);
  const placeX = random.range(0.03, 0.97);
  const placeY = random.range(0.03, 0.97);
  // A first projection at a nominal photo size gives the quad's area; the photo is then sized to the fill.
  const project = (frameWidth: number, frameHeight: number): { corners: quality.Quad; tiltDeg: number } => {
    const focalPx = focalFraction * Math.max(frameWidth, frameHeight);
    // At z = focal length the page's centre is drawn at its own pixel scale.
    return projectCard(docWidth, docHeight, { pitchDeg: tilt * Math.cos(direction), yawDeg: tilt * Math.sin(direction), rollDeg, x: 0, y: 0, z: focalPx }, focalPx, frameWidth, frameHeight);
  };
  let frameWidth = Math.sqrt(((docWidth * docHeight) / fill) * (4 / 3));
  let frameHeight = (frameWidth * 3) / 4;
  const area = quadArea(project(frameWidth, frameHeight).corners);
  frameWidth = Math.sqrt((area / fill) * (4 / 3));
  frameHeight = (frameWidth * 3) / 4;
  let { corners, tiltDeg } = project(frameWidth, frameHeight);
  for (let step = 0; step < 40; step++) {
    const margin = PHOTO_MARGIN * Math.min(frameWidth, frameHeight);
    const spanX = Math.max(...corners.map((p) => p.x)) - Math.min(...corners.map((p) => p.x));
    const spanY = Math.max(...corners.map((p) => p.y)) - Math.min(...corners.map((p) => p.y));
    if (spanX <= frameWidth - 2 * margin && spanY <= frameHeight - 2 * margin) break;
    frameWidth *= 1.05;
    frameHeight *= 1.05;
    ({ corners, tiltDeg } = project(frameWidth, frameHeight));
  }
  frameWidth = Math.round(frameWidth);
  frameHeight = Math.round(frameHeight);
  // Moved as a whole (a projective image of the page still) to somewhere off-centre, inside the margin.
  const margin = PHOTO_MARGIN * Math.min(frameWidth, frameHeight);
  const minX = Math.min(...corners.map((p) => p.x));
  const minY = Math.min(...corners.map((p) => p.y));
  const spanX = Math.max(...corners.map((p) => p.x)) - minX;
  const spanY = Math.max(...corners.map((p) => p.y)) - minY;
  const dx = margin + placeX * (frameWidth - 2 * margin - spanX) - minX;
  const dy = margin + placeY * (frameHeight - 2 * margin - spanY) - minY;
  const moved = corners.map((p) => ({ x: p.x + dx, y: p.y + dy })) as unknown as quality.Quad;
  const cx = moved.reduce((s, p) => s + p.x, 0) / 4;
  const cy = moved.reduce((s, p) => s + p.y, 0) / 4;
  const paintBackground = (ctx: OffscreenCanvasRenderingContext2D, width: number, height: number): void => {
    const own = createRandom(backgroundSeed);
    if (background === 'wood') paintWood(ctx, own, width, height);
    else if (background === 'fabric') paintFabric(ctx, own, width, height);
    else paintDesk(ctx, own, width, height);
  };
  return { frameWidth, frameHeight, left: cx - docWidth / 2, top: cy - docHeight / 2, corners: moved, paintBackground, background, rollDeg, tiltDeg };
}

/** Shoelace area of a quad. */
function quadArea(q: quality.Quad): number {
  let s = 0;
  for (let k = 0; k < 4; k++) s += q[k]!.x * q[(k + 1) % 4]!.y - q[(k + 1) % 4]!.x * q[k]!.y;
  return Math.abs(s) / 2;
}

/** Size (Gaussian sigma, mm on the page) and brightness (linear light at the centre; 1 exposes white at gain 1) of a `glare` hotspot. */
export const GLARE_SIGMA_MM: readonly [number, number] = [1.2, 2.5];
export const GLARE_PEAK: readonly [number, number] = [16, 40];

/**
 * The `glare` condition: one or two specular hotspots (a lamp or a window reflected by the laminate),
 * the first over the MRZ lines on about half of the pages, each anywhere on the page otherwise. A
 * reflected light source is far brighter than paper (GLARE_PEAK): the core clips at white at every
 * level's gain, with a shoulder of washed-out print around it. In the page's pixels;
 * `degradeDocument` adds them to the scene before the exposure gain.
 */
export function glareHotspots(page: { width: number; height: number }, band: Band, pxPerMm: number, random: Random): Hotspot[] {
  const count = random.chance(0.5) ? 2 : 1;
  const spots: Hotspot[] = [];
  for (let k = 0; k < count; k++) {
    const overMrz = k === 0 && random.chance(0.5);
    const x = overMrz ? random.range(band.left, band.right) : random.range(0.1, 0.9) * page.width;
    const y = overMrz ? random.range(band.top, band.bottom) : random.range(0.1, 0.9) * page.height;
    spots.push({ x, y, sigma: random.range(...GLARE_SIGMA_MM) * pxPerMm, peak: random.range(...GLARE_PEAK) });
  }
  return spots;
}

/**
 * Camera-path glare (opt-in, `eval:mrz --streams N --stream-stress glare`): one hotspot over the MRZ
 * lines in every frame (a lamp reflected by the laminate where the hand holds the document), drawn
 * anew per frame from the frame's own draws, so it moves between frames while the document stays.
 * Sized and bright as the `glare` condition's (GLARE_SIGMA_MM, GLARE_PEAK): its core clips to white.
 */
export function cameraGlareHotspot(band: Band, pxPerMm: number, random: Random): Hotspot[] {
  const x = random.range(band.left, band.right);
  const y = random.range(band.top, band.bottom);
  return [{ x, y, sigma: random.range(...GLARE_SIGMA_MM) * pxPerMm, peak: random.range(...GLARE_PEAK) }];
}

/**
 * The `booklet` condition: a passport photographed open. A TD3 data page is the lower half of a spread
 * whose upper half is the facing page (same width, joined at the fold): a pastel visa page or inner cover
 * with a guilloche print, on half the spreads an inked stamp, and the fold's shading across the join.
 * Other formats (cards, visa stickers) lie on a booklet page of at least a TD3 page's size (4-10 mm of
 * page around them), with the facing page above it as for TD3. Returns the spread and where the
 * document lies in it (its top-left corner, in the spread's pixels). Draws only from `random`.
 */
export function bookletSpread(doc: RgbaImage, isDataPage: boolean, pxPerMm: number, random: Random): { spread: RgbaImage<Uint8ClampedArray>; left: number; top: number } {
  const mm = pxPerMm;
  const pageW = isDataPage ? doc.width : Math.max(Math.round(125 * mm), doc.width + Math.round(2 * random.range(4, 10) * mm));
  const pageH = isDataPage ? doc.height : Math.max(Math.round(88 * mm), doc.height + Math.round(2 * random.range(4, 10) * mm));
  const left = isDataPage ? 0 : Math.round(random.range(0.2, 0.8) * (pageW - doc.width));
  const docTop = isDataPage ? 0 : Math.round(random.range(0.2, 0.8) * (pageH - doc.height));
  const width = pageW;
  const height = 2 * pageH;
  const data = new Uint8ClampedArray(width * height * 4);
  // Booklet paper: a pale tint, the same on both pages (the lower one shows where the document leaves it).
  const tint: readonly [number, number, number] = [random.int(222, 245), random.int(222, 245), random.int(215, 240)];
  const ink: readonly [number, number, number] = [random.int(90, 170), random.int(90, 170), random.int(90, 170)];
  const period = random.range(1.2, 2.5) * mm;
  const wave = random.range(4, 9) * mm;
  const phase = random.range(0, 2 * Math.PI);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Guilloche: thin crossing sine lines at a low contrast.
      const u = Math.sin((2 * Math.PI * (y + 0.8 * mm * Math.sin(x / wave + phase))) / period);
      const v = Math.sin((2 * Math.PI * (x + 0.8 * mm * Math.sin(y / (1.3 * wave)))) / (1.4 * period));
      const line = 0.35 * clamp01((Math.abs(u) - 0.85) * 6.7) + 0.25 * clamp01((Math.abs(v) - 0.9) * 10);
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[i + c] = tint[c]! * (1 - line) + ink[c]! * line;
      data[i + 3] = 255;
    }
  }
  // The document on the lower page.
  for (let y = 0; y < doc.height; y++) {
    const from = y * doc.width * 4;
    data.set(doc.data.subarray(from, from + doc.width * 4), ((pageH + docTop + y) * width + left) * 4);
  }
  const spread: RgbaImage<Uint8ClampedArray> = { width, height, data };
  if (random.chance(0.5)) {
    // A stamp on the facing page (its "band" a strip of that page, so it stays off the document).
    const top = random.range(0.25, 0.6) * pageH;
    addStamp(spread, { top, bottom: top + 8 * mm, left: 0.1 * width, right: 0.9 * width }, mm, random);
  }
  // The fold: the pages curve away from the light towards the join (to 70-85%), a darker line at it.
  const foldDepth = random.range(0.7, 0.85);
  const foldReach = random.range(3, 8) * mm;
  for (let y = 0; y < height; y++) {
    const d = Math.abs(y + 0.5 - pageH);
    const l = 1 - (1 - foldDepth) * Math.exp(-d / foldReach) - (d < 0.4 * mm ? 0.15 : 0);
    if (l > 0.995) continue;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[i + c] = data[i + c]! * l;
    }
  }
  return { spread, left, top: pageH + docTop };
}

/**
 * A thumb over the document (the `thumb` condition), in the document's pixels: a capsule from `base`
 * (off the document, towards the hand) to `tip` (on it), `radius` its half-width. `tone` is the skin's
 * colour in full light; `degradeDocument` paints it over the frame where the document lies, before blur.
 */
export interface Thumb { tip: { x: number; y: number }; base: { x: number; y: number }; radius: number; tone: readonly [number, number, number] }

/** Skin tones, light to dark (sRGB, in full light). */
const SKIN_TONES: ReadonlyArray<readonly [number, number, number]> = [[236, 200, 178], [224, 172, 140], [198, 142, 105], [160, 108, 76], [112, 74, 52]];

/**
 * The `thumb` condition: a thumb holding the document, over one corner (top left or top right) or one
 * edge (top, left or right) and reaching 5-16 mm onto it, 16-22 mm wide, its axis within 30 degrees of
 * the edge's normal (a corner's diagonal), entering from off the document. It never comes within 1.5 mm
 * of the MRZ band (every MRZ is printed at the page's foot; `band`), so a thumb from the left or right
 * edge is placed above it. Draws only from `random`.
 */
export function thumbOver(page: { width: number; height: number }, band: Band, pxPerMm: number, random: Random): Thumb {
  const mm = pxPerMm;
  const radius = random.range(8, 11) * mm;
  const depth = random.range(5, 16) * mm;
  const tone = random.pick(SKIN_TONES);
  const where = random.pick(['top-left', 'top-right', 'top', 'left', 'right'] as const);
  const lowest = band.top - 1.5 * mm - radius;
  let angle: number;
  let tip: { x: number; y: number };
  if (where === 'top-left' || where === 'top-right') {
    // Outward along the corner's diagonal, +-20 degrees; the tip `depth` in along it.
    const outward = (where === 'top-left' ? -3 : -1) * (Math.PI / 4) + random.range(-0.35, 0.35);
    angle = outward;
    const cx = where === 'top-left' ? 0 : page.width;
    tip = { x: cx - depth * Math.cos(outward), y: -depth * Math.sin(outward) };
  } else if (where === 'top') {
    angle = -Math.PI / 2 + random.range(-0.5, 0.5);
    tip = { x: random.range(0.15, 0.85) * page.width, y: depth };
  } else {
    // From the side and a little above (never from below, where the MRZ is).
    const outward = where === 'left' ? Math.PI + random.range(0, 0.5) : random.range(-0.5, 0);
    angle = outward;
    tip = { x: where === 'left' ? depth : page.width - depth, y: random.range(0.1 * page.height, Math.max(0.1 * page.height, lowest)) };
  }
  const reach = 60 * mm;
  const base = { x: tip.x + reach * Math.cos(angle), y: tip.y + reach * Math.sin(angle) };
  // Off the band: the capsule's lowest point stays above it.
  const drop = Math.max(tip.y, base.y) + radius - (band.top - 1.5 * mm);
  if (drop > 0) {
    tip.y -= drop;
    base.y -= drop;
  }
  return { tip, base, radius, tone };
}

/**
 * Paints a thumb (frame pixels) over `frame`: a rounded finger shaded as a cylinder lit from the front
 * (its rim 60% of its middle), anti-aliased, with a soft shadow 2-3 mm wide cast around it (to 75%).
 */
export function paintThumb(frame: RgbaImage<Uint8ClampedArray>, thumb: Thumb): void {
  const { width, height, data } = frame;
  const { tip, base, radius: r, tone } = thumb;
  const shadow = 0.25 * r;
  const x0 = Math.max(0, Math.floor(Math.min(tip.x, base.x) - r - shadow));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(tip.x, base.x) + r + shadow));
  const y0 = Math.max(0, Math.floor(Math.min(tip.y, base.y) - r - shadow));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(tip.y, base.y) + r + shadow));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = segmentDistance(x + 0.5, y + 0.5, tip.x, tip.y, base.x, base.y);
      if (d > r + shadow) continue;
      const i = (y * width + x) * 4;
      const cover = clamp01(r + 0.5 - d);
      const dark = d > r ? 1 - 0.25 * (1 - (d - r) / shadow) : 0.75;
      const shade = 0.6 + 0.4 * Math.sqrt(clamp01(1 - (d / r) ** 2));
      for (let c = 0; c < 3; c++) data[i + c] = data[i + c]! * dark * (1 - cover) + tone[c]! * shade * cover;
    }
  }
}

/** Applies a page stress (stamp, hologram, shadow) to the rendered page in place; `small`, `photo` and `glare` draw nothing here. */
export function applyPageStress(page: RgbaImage<Uint8ClampedArray>, stress: MrzStress, band: Band, pxPerMm: number, random: Random): void {
  if (stress === 'stamp') addStamp(page, band, pxPerMm, random);
  else if (stress === 'hologram') addHologram(page, band, pxPerMm, random);
  else if (stress === 'shadow') addShadow(page, band, pxPerMm, random);
}
