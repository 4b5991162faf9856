/**
 * Capture degradations for synthetic documents, at two levels: the document placed in a frame under
 * perspective (its true quad returned), then blur, low light, glare, screen-recapture moiré, sensor
 * noise and JPEG compression, in the order a camera applies them.
 */
import { quality, type RgbaImage } from '@ekyc/core';
import { addGlare, warpCardInto } from './compose.ts';
import { paintThumb, type Placement, type Thumb } from './mrz-stress.ts';
import type { Random } from './random.ts';

export type DegradationLevel = 'clean' | 'mild' | 'strong';

export interface DegradationSpec {
  /** Corner jitter as a fraction of the document width (perspective). */
  perspective: number;
  /** Gaussian blur sigma, px of the frame. */
  blurPx: number;
  /** Brightness gain (1 = as rendered). */
  light: number;
  /** Glare spot radius as a fraction of the document width (0 = none). */
  glare: number;
  /** Moiré amplitude (gray levels, 0 = none). */
  moire: number;
  /** Noise sigma (gray levels). */
  noise: number;
  /** JPEG quality 0..1 (1 = no compression). */
  jpeg: number;
}

/** Each level draws its values per document from these ranges (seeded). */
export function drawDegradation(level: DegradationLevel, random: Random): DegradationSpec {
  if (level === 'clean') return { perspective: 0, blurPx: 0, light: 1, glare: 0, moire: 0, noise: 0, jpeg: 1 };
  if (level === 'mild') {
    return {
      perspective: random.range(0, 0.03),
      blurPx: random.range(0.3, 0.8),
      light: random.range(0.8, 1),
      glare: random.chance(0.3) ? random.range(0.05, 0.1) : 0,
      moire: random.chance(0.2) ? random.range(3, 6) : 0,
      noise: random.range(2, 5),
      jpeg: random.range(0.8, 0.92),
    };
  }
  return {
    perspective: random.range(0.03, 0.08),
    blurPx: random.range(0.9, 1.5),
    light: random.range(0.4, 0.7),
    glare: random.chance(0.6) ? random.range(0.1, 0.18) : 0,
    moire: random.chance(0.4) ? random.range(8, 16) : 0,
    noise: random.range(6, 12),
    jpeg: random.range(0.45, 0.65),
  };
}

export interface DegradedFrame {
  image: RgbaImage<Uint8ClampedArray>;
  /** Document corners in the frame (TL, TR, BR, BL). */
  quad: quality.Quad;
  spec: DegradationSpec;
  /** The `glare` condition's hotspots, in frame pixels. */
  hotspots?: Hotspot[];
}

function gaussianNoise(random: Random): number {
  const u = Math.max(1e-9, random.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/**
 * A specular reflection (a lamp or a window on the laminate) as the camera sees it: centred at (x, y),
 * a Gaussian of `sigma` px, adding `peak` at its centre in linear light, where 1 is the light that
 * exposes to white at gain 1 (paper reflects about 0.8 of it).
 */
export interface Hotspot { x: number; y: number; sigma: number; peak: number }

/** Hotspots given in the document's pixels, placed where the document lies in the frame (`quad`) at `scale`. */
function hotspotsInFrame(spots: readonly Hotspot[], doc: RgbaImage, quad: quality.Quad, scale: number): Hotspot[] {
  const toFrame = quality.homographyFromPoints([{ x: 0, y: 0 }, { x: doc.width, y: 0 }, { x: doc.width, y: doc.height }, { x: 0, y: doc.height }], quad)!;
  return spots.map((s) => ({ ...quality.applyHomography(toFrame, s), sigma: s.sigma * scale, peak: s.peak }));
}

/** A thumb given in the document's pixels, where the document lies in the frame (`quad`) at `scale`. */
function thumbInFrame(thumb: Thumb, doc: RgbaImage, quad: quality.Quad, scale: number): Thumb {
  const toFrame = quality.homographyFromPoints([{ x: 0, y: 0 }, { x: doc.width, y: 0 }, { x: doc.width, y: doc.height }, { x: 0, y: doc.height }], quad)!;
  return { ...thumb, tip: quality.applyHomography(toFrame, thumb.tip), base: quality.applyHomography(toFrame, thumb.base), radius: thumb.radius * scale };
}

/** Per pixel of a `width` x `height` frame, the linear light `spots` add (each cut off beyond 4 sigma). */
export function specularLight(width: number, height: number, spots: readonly Hotspot[]): Float32Array {
  const light = new Float32Array(width * height);
  for (const s of spots) {
    const reach = 4 * s.sigma;
    for (let y = Math.max(0, Math.floor(s.y - reach)); y < Math.min(height, Math.ceil(s.y + reach)); y++) {
      for (let x = Math.max(0, Math.floor(s.x - reach)); x < Math.min(width, Math.ceil(s.x + reach)); x++) {
        const d2 = (x + 0.5 - s.x) ** 2 + (y + 0.5 - s.y) ** 2;
        if (d2 < reach * reach) light[y * width + x]! += s.peak * Math.exp(-d2 / (2 * s.sigma * s.sigma));
      }
    }
  }
  return light;
}

/** An 8-bit level (gamma 2.2, about sRGB) with `added` linear light on top, not clipped: above 255 where the scene is brighter than white. */
export function withSpecular(level: number, added: number): number {
  return 255 * ((level / 255) ** 2.2 + added) ** (1 / 2.2);
}

/**
 * Exposure and sensor, in place: each channel times the light gain, plus moiré and noise, then stored
 * in 8 bits (the clamped array clips at 0 and 255). `specular` (linear light per pixel, see
 * `specularLight`) is added to the scene before the gain, as a camera adds a reflection to what its
 * sensor collects: where it saturates the sensor the pixel clips at 255 after the gain and the noise,
 * instead of washing out to a gray the gain scales down. Without `specular` the arithmetic is as it
 * always was.
 */
export function exposeFrame(frame: RgbaImage<Uint8ClampedArray>, spec: DegradationSpec, random: Random, specular?: Float32Array): void {
  const { width, height, data } = frame;
  const period = random.range(3.2, 5.5);
  const angle = random.range(0, Math.PI);
  const ca = Math.cos(angle) / period;
  const sa = Math.sin(angle) / period;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const m = spec.moire > 0 ? spec.moire * Math.sin(2 * Math.PI * (x * ca + y * sa)) : 0;
      const n = spec.noise > 0 ? spec.noise * gaussianNoise(random) : 0;
      const s = specular ? specular[y * width + x]! : 0;
      for (let c = 0; c < 3; c++) data[i + c] = (s > 0 ? withSpecular(data[i + c]!, s) : data[i + c]!) * spec.light + m + n;
    }
  }
}

/**
 * Places `doc` (rendered at its own resolution) in a frame `margin` of its width larger on every side,
 * at scale `scale`, then applies `spec`. JPEG makes it async (OffscreenCanvas.convertToBlob).
 * `placement` (a stress condition, mrz-stress.ts) puts it instead at a given place in a frame of a given
 * size (a document small in a photo), with its own corners and background when it gives them (a
 * photo); without it the frame and the draws are as they always were. `hotspots` (the `glare` stress
 * condition, in the document's pixels) add specular light in camera order: see `exposeFrame`. A
 * placement's `thumb` is painted over the placed document and its background, before blur.
 */
export async function degradeDocument(doc: RgbaImage, spec: DegradationSpec, random: Random, scale = 1, margin = 0.08, placement?: Placement, hotspots?: readonly Hotspot[]): Promise<DegradedFrame> {
  const dw = doc.width * scale;
  const dh = doc.height * scale;
  const pad = dw * margin;
  const width = placement?.frameWidth ?? Math.round(dw + 2 * pad);
  const height = placement?.frameHeight ?? Math.round(dh + 2 * pad);
  const padX = placement?.left ?? pad;
  const padY = placement?.top ?? pad;
  const frame: RgbaImage<Uint8ClampedArray> = { width, height, data: new Uint8ClampedArray(width * height * 4) };
  if (placement?.paintBackground) {
    const ground = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true })!;
    placement.paintBackground(ground, width, height);
    frame.data.set(ground.getImageData(0, 0, width, height).data);
  } else {
    // Dark table with a little texture.
    for (let i = 0; i < width * height; i++) {
      const v = 40 + random.int(0, 18);
      frame.data.set([v, v + 4, v + 8, 255], i * 4);
    }
  }
  const j = (): number => random.range(-1, 1) * spec.perspective * dw;
  const at = placement?.corners ?? [{ x: padX, y: padY }, { x: padX + dw, y: padY }, { x: padX + dw, y: padY + dh }, { x: padX, y: padY + dh }];
  const quad: quality.Quad = [
    { x: at[0].x + j(), y: at[0].y + j() },
    { x: at[1].x + j(), y: at[1].y + j() },
    { x: at[2].x + j(), y: at[2].y + j() },
    { x: at[3].x + j(), y: at[3].y + j() },
  ];
  warpCardInto(frame, doc, quad, 0.03);
  if (placement?.thumb) paintThumb(frame, thumbInFrame(placement.thumb, doc, quad, dw / doc.width));
  if (spec.glare > 0) addGlare(frame, random.range(padX + dw * 0.2, padX + dw * 0.8), random.range(padY + dh * 0.2, padY + dh * 0.8), spec.glare * dw);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.putImageData(new ImageData(new Uint8ClampedArray(frame.data), width, height), 0, 0);
  if (spec.blurPx > 0) {
    const blurred = new OffscreenCanvas(width, height);
    const bctx = blurred.getContext('2d', { willReadFrequently: true })!;
    bctx.filter = `blur(${spec.blurPx.toFixed(2)}px)`;
    bctx.drawImage(canvas, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(blurred, 0, 0);
  }
  const data = ctx.getImageData(0, 0, width, height).data;
  const spots = hotspots?.length ? hotspotsInFrame(hotspots, doc, quad, dw / doc.width) : undefined;
  const specular = spots ? specularLight(width, height, spots) : undefined;
  exposeFrame({ width, height, data }, spec, random, specular);
  ctx.putImageData(new ImageData(new Uint8ClampedArray(data), width, height), 0, 0);
  if (spec.jpeg < 1) {
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: spec.jpeg });
    const bitmap = await createImageBitmap(blob);
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
  }
  return { image: { width, height, data: ctx.getImageData(0, 0, width, height).data }, quad, spec, ...(spots ? { hotspots: spots } : {}) };
}
