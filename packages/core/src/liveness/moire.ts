/**
 * Screen-replay cue from pixels: a face shown on a screen and filmed carries the screen's pixel grid
 * (subpixel stripes, the black matrix), which the camera's own grid aliases into moiré, a periodic
 * pattern. Skin, hair and a printed photo's halftone-free texture spread their high-frequency energy
 * broadly. The score is how far the strongest high-frequency component stands above the typical one,
 * in the luma spectrum of a window of the face at native resolution (no resampling: resampling would
 * blur the very pattern). Pure, deterministic: the verifier can recompute it from keyframe pixels.
 */
import type { RgbaImage } from '../image/rgba.ts';

/** In-place radix-2 complex FFT of length n (a power of two). */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
        [cr, ci] = [cr * wr - ci * wi, cr * wi + ci * wr];
      }
    }
  }
}

/** Magnitudes of the 2-D FFT of a size x size real window. */
function spectrum(window: Float64Array, size: number): Float64Array {
  const re = new Float64Array(size * size);
  const im = new Float64Array(size * size);
  re.set(window);
  const rowRe = new Float64Array(size);
  const rowIm = new Float64Array(size);
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < size; a++) {
      for (let b = 0; b < size; b++) {
        const i = pass === 0 ? a * size + b : b * size + a;
        rowRe[b] = re[i]!;
        rowIm[b] = im[i]!;
      }
      fft(rowRe, rowIm);
      for (let b = 0; b < size; b++) {
        const i = pass === 0 ? a * size + b : b * size + a;
        re[i] = rowRe[b]!;
        im[i] = rowIm[b]!;
      }
    }
  }
  const out = new Float64Array(size * size);
  for (let i = 0; i < out.length; i++) out[i] = Math.hypot(re[i]!, im[i]!);
  return out;
}

export interface MoireMeasure {
  /** log10 of (strongest / median) spectral magnitude in the high-frequency ring; null when the face is too small. */
  readonly value: number | null;
  /** Side of the analysed window in pixels (64 or 128), 0 when none. */
  readonly window: number;
  /** The strongest component's frequency, cycles per pixel (x, y), for the record. */
  readonly peak: { readonly fx: number; readonly fy: number } | null;
}

/** The ring of the spectrum analysed, in cycles per pixel: above most skin and hair detail, below Nyquist. */
const RING = { inner: 0.18, outer: 0.48 } as const;

/**
 * Moiré score of the face in `image`: the window is the largest power-of-two square (64 or 128 px)
 * centred on the face box (normalised 0..1) that fits in its central 70%. Luma, mean removed,
 * Hann-windowed.
 */
export function moireScore(image: RgbaImage, box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number }): MoireMeasure {
  const faceSide = 0.7 * Math.min(box.width * image.width, box.height * image.height);
  const size = faceSide >= 128 ? 128 : faceSide >= 64 ? 64 : 0;
  if (size === 0) return { value: null, window: 0, peak: null };
  const cx = Math.round((box.x + box.width / 2) * image.width);
  const cy = Math.round((box.y + box.height / 2) * image.height);
  const x0 = Math.min(Math.max(0, cx - size / 2), image.width - size);
  const y0 = Math.min(Math.max(0, cy - size / 2), image.height - size);
  if (x0 < 0 || y0 < 0) return { value: null, window: 0, peak: null };
  const luma = new Float64Array(size * size);
  let mean = 0;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const o = ((y0 + v) * image.width + x0 + u) * 4;
      const y = 0.299 * image.data[o]! + 0.587 * image.data[o + 1]! + 0.114 * image.data[o + 2]!;
      luma[v * size + u] = y;
      mean += y;
    }
  }
  mean /= size * size;
  const hann = new Float64Array(size);
  for (let i = 0; i < size; i++) hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1));
  for (let v = 0; v < size; v++) for (let u = 0; u < size; u++) luma[v * size + u] = (luma[v * size + u]! - mean) * hann[u]! * hann[v]!;
  const magnitude = spectrum(luma, size);
  const ring: number[] = [];
  let best = -1;
  let peak: { fx: number; fy: number } | null = null;
  // Half the plane (a real signal's spectrum is symmetric): fy >= 0.
  for (let ky = 0; ky <= size / 2; ky++) {
    for (let kx = -size / 2 + 1; kx <= size / 2; kx++) {
      if (ky === 0 && kx <= 0) continue;
      const fx = kx / size;
      const fy = ky / size;
      const r = Math.hypot(fx, fy);
      if (r < RING.inner || r > RING.outer) continue;
      const m = magnitude[ky * size + ((kx + size) % size)]!;
      ring.push(m);
      if (m > best) {
        best = m;
        peak = { fx, fy };
      }
    }
  }
  const sorted = ring.sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  if (!(median > 0)) return { value: null, window: size, peak: null };
  return { value: Math.round(Math.log10(best / median) * 1000) / 1000, window: size, peak };
}
