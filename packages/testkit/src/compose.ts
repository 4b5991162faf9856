import { quality, type RgbaImage } from '@ekyc/core';

// Images are @ekyc/core's RgbaImage, as plain data so compositing runs anywhere. Functions that write
// pixels take Uint8ClampedArray data (what ImageData holds): their sums and products must clamp, not wrap.

/** The gray level (BT.601 luma) of the RGBA pixel whose red byte is at `i`. */
function grayAt(data: ArrayLike<number>, i: number): number {
  return 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
}

/**
 * Adds a soft white specular blob (card coordinates) that saturates its centre. Returns how many
 * pixels its saturated core covers that were not saturated already (gray < 250): what it hides.
 */
export function addGlare(card: RgbaImage<Uint8ClampedArray>, cx: number, cy: number, radius: number): number {
  const { width, height, data } = card;
  let saturated = 0;
  for (let y = Math.max(0, Math.floor(cy - radius)); y < Math.min(height, Math.ceil(cy + radius)); y++) {
    for (let x = Math.max(0, Math.floor(cx - radius)); x < Math.min(width, Math.ceil(cx + radius)); x++) {
      const d = Math.hypot(x - cx, y - cy) / radius;
      if (d >= 1) continue;
      // Flat-topped falloff: the inner 60% clips at white, like a specular reflection.
      const strength = Math.min(1, (1 - d) / 0.4);
      const i = (y * width + x) * 4;
      if (strength >= 1 && grayAt(data, i) < 250) saturated++;
      for (let c = 0; c < 3; c++) data[i + c] = data[i + c]! + (255 - data[i + c]!) * strength;
    }
  }
  return saturated;
}

/**
 * Fraction of an image's pixels whose printed content (gray below 200: ink, portrait, tinted stock;
 * not white or near-white paper, whose clipping loses nothing) a gain pushes to 250 or more: what
 * over-exposure really loses.
 */
export function clippedByGain(image: RgbaImage, gain: number): number {
  let clipped = 0;
  const pixels = image.width * image.height;
  for (let i = 0; i < pixels * 4; i += 4) {
    const gray = grayAt(image.data, i);
    if (gray < 200 && gray * gain >= 250) clipped++;
  }
  return pixels ? clipped / pixels : 0;
}

/** Levels by which print must differ from its stock to count as content: the step the outline search calls an edge. */
const PRINT_STEP = 16;

/** The stock's gray level: the most common gray of a rendered (noise-free) card, whose flat fill covers most of it. */
export function stockGray(image: RgbaImage): number {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < image.width * image.height * 4; i += 4) {
    histogram[Math.round(grayAt(image.data, i))]!++;
  }
  let mode = 0;
  for (let g = 1; g < 256; g++) if (histogram[g]! > histogram[mode]!) mode = g;
  return mode;
}

/**
 * Fraction of a card's pixels whose print (gray below 200 and at least 16 levels away from the
 * stock: ink, portrait, security lines, bands; not the stock, whatever its tint) a gain pushes to 250
 * or more.
 * The stock is left out because once clipped a stock of any tint is pixel for pixel a white card
 * (white stock is drawn up to gray 252), so no image can show whether it was tinted; with the stock
 * counted (`clippedByGain`), a pastel stock just under gray 200 labelled a frame over-exposed and
 * one just over it did not, at the same gain and with the same pixels.
 */
export function clippedPrintByGain(image: RgbaImage, gain: number): number {
  const stock = stockGray(image);
  let clipped = 0;
  const pixels = image.width * image.height;
  for (let i = 0; i < pixels * 4; i += 4) {
    const gray = grayAt(image.data, i);
    if (gray < 200 && Math.abs(gray - stock) >= PRINT_STEP && gray * gain >= 250) clipped++;
  }
  return pixels ? clipped / pixels : 0;
}

/**
 * Share of a card's security print (`mask`: the guilloche lines and rosette where they show, from
 * `renderStyledDocument`) that a gain above 1 leaves within 16 levels of the stock once both are
 * clipped at 255: no longer print by the step that made it print (at least 16 levels from the stock).
 * A line pushed to 245 on a stock clipped to 255 is as gone as one pushed to 255. The lines cover
 * about 3% of a card, so losing all of them never reaches the 5% of the card that
 * `clippedPrintByGain` is scored against. 0 at a gain of 1 or less: nothing clips.
 * Only print at least 16 levels from the stock before the gain counts, measured against the same stock
 * as after it: a line drawn 16 levels from a pastel stock sits on the step, and read against the stock's
 * rounded level it was "lost" at a gain of 1.01, where nothing clips (quality seed 510076, clean: 85%).
 */
export function lostSecurityPrintByGain(image: RgbaImage, mask: Uint8Array, gain: number): number {
  if (gain <= 1) return 0;
  const before = stockGray(image);
  const stock = Math.min(255, before * gain);
  let print = 0;
  let lost = 0;
  for (let p = 0, i = 0; p < mask.length; p++, i += 4) {
    if (!mask[p]) continue;
    const level = grayAt(image.data, i);
    if (Math.abs(level - before) < PRINT_STEP) continue;
    print++;
    if (Math.abs(Math.min(255, level * gain) - stock) < PRINT_STEP) lost++;
  }
  return print ? lost / print : 0;
}

/**
 * Draws `card` onto `frame` through the perspective that puts its corners on `corners`
 * (inverse mapping, bilinear sampling, 2x2 supersampled edges, rounded corners of
 * `cornerRadius` as a fraction of the card width). Returns the exact coverage mask.
 */
export function warpCardInto(frame: RgbaImage<Uint8ClampedArray>, card: RgbaImage, corners: quality.Quad, cornerRadius: number): Float32Array {
  const coverage = new Float32Array(frame.width * frame.height);
  const toCard = quality.homographyFromPoints(corners, [
    { x: 0, y: 0 },
    { x: card.width, y: 0 },
    { x: card.width, y: card.height },
    { x: 0, y: card.height },
  ]);
  if (!toCard) return coverage;
  const r = cornerRadius * card.width;
  const insideCard = (u: number, v: number): boolean => {
    if (u < 0 || v < 0 || u > card.width || v > card.height) return false;
    const dx = u < r ? r - u : u > card.width - r ? u - (card.width - r) : 0;
    const dy = v < r ? r - v : v > card.height - r ? v - (card.height - r) : 0;
    return dx * dx + dy * dy <= r * r;
  };
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(frame.width, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(frame.height, Math.ceil(Math.max(...ys)));
  const sample = [0, 0, 0];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      let hits = 0;
      sample[0] = sample[1] = sample[2] = 0;
      for (let s = 0; s < 4; s++) {
        const p = quality.applyHomography(toCard, { x: x + 0.25 + (s % 2) * 0.5, y: y + 0.25 + (s >> 1) * 0.5 });
        if (!insideCard(p.x, p.y)) continue;
        hits++;
        const u = Math.min(card.width - 1, Math.max(0, p.x - 0.5));
        const v = Math.min(card.height - 1, Math.max(0, p.y - 0.5));
        const ui = Math.floor(u);
        const vi = Math.floor(v);
        const fu = u - ui;
        const fv = v - vi;
        const u2 = Math.min(card.width - 1, ui + 1);
        const v2 = Math.min(card.height - 1, vi + 1);
        for (let c = 0; c < 3; c++) {
          const a = card.data[(vi * card.width + ui) * 4 + c]!;
          const b = card.data[(vi * card.width + u2) * 4 + c]!;
          const d = card.data[(v2 * card.width + ui) * 4 + c]!;
          const e = card.data[(v2 * card.width + u2) * 4 + c]!;
          sample[c]! += (a * (1 - fu) + b * fu) * (1 - fv) + (d * (1 - fu) + e * fu) * fv;
        }
      }
      if (hits === 0) continue;
      const alpha = hits / 4;
      coverage[y * frame.width + x] = alpha;
      const i = (y * frame.width + x) * 4;
      for (let c = 0; c < 3; c++) frame.data[i + c] = frame.data[i + c]! * (1 - alpha) + sample[c]! / 4;
    }
  }
  return coverage;
}

/** Exposure: multiplies every colour channel (values clip at 255, as a sensor saturates). */
export function applyGain(image: RgbaImage<Uint8ClampedArray>, gain: number): void {
  for (let i = 0; i < image.data.length; i += 4) {
    image.data[i] = image.data[i]! * gain;
    image.data[i + 1] = image.data[i + 1]! * gain;
    image.data[i + 2] = image.data[i + 2]! * gain;
  }
}

/** Mean gray and the fraction of pixels at or above `glareLevel`, over the fully covered pixels of a mask. */
export function regionStats(image: RgbaImage, coverage: Float32Array, glareLevel: number): { brightness: number; glareFraction: number; pixels: number } {
  let sum = 0;
  let glare = 0;
  let pixels = 0;
  for (let p = 0; p < coverage.length; p++) {
    if (coverage[p]! < 1) continue;
    const i = p * 4;
    const gray = grayAt(image.data, i);
    sum += gray;
    if (gray >= glareLevel - 0.5) glare++;
    pixels++;
  }
  return { brightness: pixels ? sum / pixels : 0, glareFraction: pixels ? glare / pixels : 0, pixels };
}

/** Least step (8-bit levels, largest over the channels) across a card's side that shows it apart from what it lies on. */
const OUTLINE_SHOWS_STEP = 8;
/** How far (px) inside and outside a side `outlineShownFraction` compares the frame: past a blur's spread of a few px. */
const OUTLINE_PROBE_PX = 4;

/**
 * Share of a card's outline, where it is in view, that the frame shows: samples along the middle 80% of each
 * side (clear of the rounded corners), each comparing the pixels `OUTLINE_PROBE_PX` inside and outside it;
 * shown where a channel differs by `OUTLINE_SHOWS_STEP` or more. `null` when no sample is in view. An exposure
 * that clips a light card and a light background together leaves no outline at all (about 0): no search can
 * find that card, whatever the label says is there.
 */
export function outlineShownFraction(image: RgbaImage, corners: quality.Quad): number | null {
  const { width, height, data } = image;
  const cx = (corners[0].x + corners[1].x + corners[2].x + corners[3].x) / 4;
  const cy = (corners[0].y + corners[1].y + corners[2].y + corners[3].y) / 4;
  const at = (x: number, y: number): number => (Math.round(y) * width + Math.round(x)) * 4;
  const inside = (x: number, y: number): boolean => x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1;
  let samples = 0;
  let shown = 0;
  for (let side = 0; side < 4; side++) {
    const a = corners[side]!;
    const b = corners[(side + 1) % 4]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length < 1) continue;
    let nx = -(b.y - a.y) / length;
    let ny = (b.x - a.x) / length;
    // The normal pointing away from the card's centre.
    if ((cx - (a.x + b.x) / 2) * nx + (cy - (a.y + b.y) / 2) * ny > 0) [nx, ny] = [-nx, -ny];
    const count = Math.max(2, Math.round((0.8 * length) / 4));
    for (let k = 0; k < count; k++) {
      const t = 0.1 + (0.8 * (k + 0.5)) / count;
      const x = a.x + t * (b.x - a.x);
      const y = a.y + t * (b.y - a.y);
      const [ix, iy, ox, oy] = [x - OUTLINE_PROBE_PX * nx, y - OUTLINE_PROBE_PX * ny, x + OUTLINE_PROBE_PX * nx, y + OUTLINE_PROBE_PX * ny];
      if (!inside(ix, iy) || !inside(ox, oy)) continue;
      const p = at(ix, iy);
      const q = at(ox, oy);
      samples++;
      if (Math.max(Math.abs(data[p]! - data[q]!), Math.abs(data[p + 1]! - data[q + 1]!), Math.abs(data[p + 2]! - data[q + 2]!)) >= OUTLINE_SHOWS_STEP) shown++;
    }
  }
  return samples > 0 ? shown / samples : null;
}
