import { EkycError } from '../errors.ts';
import { invertAffine, type Affine, type Box } from './geometry.ts';
import { validateRgbaImage, type RgbaImage } from '../image/rgba.ts';

/**
 * Bilinear affine warp of an RGBA image, written with nothing but IEEE double arithmetic
 * (no canvas, no SIMD, no engine-specific Math) so Node and every browser produce the same
 * bytes for the same input: the verifier re-derives a crop bit for bit.
 *
 * `srcToDst` maps source pixel coordinates to output pixel coordinates (OpenCV warpAffine
 * convention: integer coordinates are pixel centres). Pixels that fall outside the source are
 * black with alpha 255.
 */
export function warpAffine(image: RgbaImage, srcToDst: Affine, width: number, height: number): RgbaImage {
  validateRgbaImage(image, 'source image');
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || width * height > 1 << 26) {
    throw new EkycError('invalid_argument', 'The warp output size is invalid', { details: { width, height } });
  }
  const inv = invertAffine(srcToDst);
  if (!inv || !srcToDst.every(Number.isFinite)) {
    throw new EkycError('invalid_argument', 'The warp matrix is singular or not finite');
  }
  const out = new Uint8ClampedArray(width * height * 4);
  const src = image.data;
  const sw = image.width;
  const sh = image.height;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const sx = inv[0] * u + inv[1] * v + inv[2];
      const sy = inv[3] * u + inv[4] * v + inv[5];
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const inX0 = x0 >= 0 && x0 < sw;
      const inX1 = x0 + 1 >= 0 && x0 + 1 < sw;
      const inY0 = y0 >= 0 && y0 < sh;
      const inY1 = y0 + 1 >= 0 && y0 + 1 < sh;
      const p00 = inX0 && inY0 ? (y0 * sw + x0) * 4 : -1;
      const p10 = inX1 && inY0 ? (y0 * sw + x0 + 1) * 4 : -1;
      const p01 = inX0 && inY1 ? ((y0 + 1) * sw + x0) * 4 : -1;
      const p11 = inX1 && inY1 ? ((y0 + 1) * sw + x0 + 1) * 4 : -1;
      const o = (v * width + u) * 4;
      for (let c = 0; c < 3; c++) {
        let value = 0;
        if (p00 >= 0) value += w00 * src[p00 + c]!;
        if (p10 >= 0) value += w10 * src[p10 + c]!;
        if (p01 >= 0) value += w01 * src[p01 + c]!;
        if (p11 >= 0) value += w11 * src[p11 + c]!;
        out[o + c] = Math.floor(value + 0.5);
      }
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

/**
 * Crops `box` out of the image and resizes it to width x height (bilinear, pixel-centre aligned
 * like OpenCV's resize). The box may extend past the image; the outside is black.
 *
 * Same arithmetic as `warpAffine` with the scaling matrix (so the same bytes), but the sample
 * positions and weights of each column and row are computed once: the detector input of a
 * camera frame costs about a millisecond instead of several.
 */
export function cropResize(image: RgbaImage, box: Box, width: number, height: number): RgbaImage {
  if (!(box.width > 0 && box.height > 0) || ![box.x, box.y, box.width, box.height].every(Number.isFinite)) {
    throw new EkycError('invalid_argument', 'The crop box is empty or not finite');
  }
  validateRgbaImage(image, 'source image');
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || width * height > 1 << 26) {
    throw new EkycError('invalid_argument', 'The crop output size is invalid', { details: { width, height } });
  }
  const sx = width / box.width;
  const sy = height / box.height;
  // dst + 0.5 = (src + 0.5 - box.x) * s  =>  dst = s*src + (0.5*s - 0.5 - s*box.x)
  const inv = invertAffine([sx, 0, sx * (0.5 - box.x) - 0.5, 0, sy, sy * (0.5 - box.y) - 0.5]);
  if (!inv || !inv.every(Number.isFinite)) throw new EkycError('invalid_argument', 'The crop box is empty or not finite');
  const cols = axisTaps(width, inv[0], inv[2], image.width, 4);
  const rows = axisTaps(height, inv[4], inv[5], image.height, image.width * 4);
  const out = new Uint8ClampedArray(width * height * 4);
  const src = image.data;
  for (let v = 0, o = 0; v < height; v++) {
    const fy = rows.frac[v]!;
    const r0 = rows.at0[v]!;
    const r1 = rows.at1[v]!;
    for (let u = 0; u < width; u++, o += 4) {
      const fx = cols.frac[u]!;
      const c0 = cols.at0[u]!;
      const c1 = cols.at1[u]!;
      // A tap outside the image reads pixel 0 with weight 0: adding +0 leaves the sum unchanged,
      // so this is warpAffine's "skip the tap" bit for bit, without a branch per channel.
      const w00 = r0 >= 0 && c0 >= 0 ? (1 - fx) * (1 - fy) : 0;
      const w10 = r0 >= 0 && c1 >= 0 ? fx * (1 - fy) : 0;
      const w01 = r1 >= 0 && c0 >= 0 ? (1 - fx) * fy : 0;
      const w11 = r1 >= 0 && c1 >= 0 ? fx * fy : 0;
      const p00 = w00 !== 0 ? r0 + c0 : 0;
      const p10 = w10 !== 0 ? r0 + c1 : 0;
      const p01 = w01 !== 0 ? r1 + c0 : 0;
      const p11 = w11 !== 0 ? r1 + c1 : 0;
      out[o] = Math.floor(w00 * src[p00]! + w10 * src[p10]! + w01 * src[p01]! + w11 * src[p11]! + 0.5);
      out[o + 1] = Math.floor(w00 * src[p00 + 1]! + w10 * src[p10 + 1]! + w01 * src[p01 + 1]! + w11 * src[p11 + 1]! + 0.5);
      out[o + 2] = Math.floor(w00 * src[p00 + 2]! + w10 * src[p10 + 2]! + w01 * src[p01 + 2]! + w11 * src[p11 + 2]! + 0.5);
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

interface AxisTaps {
  /** Fractional offset of the sample past its first tap. */
  frac: Float64Array;
  /** Byte offsets of the two taps along this axis, -1 when outside the image. */
  at0: Int32Array;
  at1: Int32Array;
}

/** Sample positions `scale * i + offset` (the inverse map of one axis) as taps and weights. */
function axisTaps(count: number, scale: number, offset: number, size: number, stride: number): AxisTaps {
  const taps: AxisTaps = { frac: new Float64Array(count), at0: new Int32Array(count), at1: new Int32Array(count) };
  for (let i = 0; i < count; i++) {
    // `scale * i + 0 * other + offset`, as warpAffine computes it (adding the zero term changes nothing).
    const s = scale * i + offset;
    const i0 = Math.floor(s);
    taps.frac[i] = s - i0;
    taps.at0[i] = i0 >= 0 && i0 < size ? i0 * stride : -1;
    taps.at1[i] = i0 + 1 >= 0 && i0 + 1 < size ? (i0 + 1) * stride : -1;
  }
  return taps;
}
