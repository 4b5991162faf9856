import type { RgbaImage } from '@ekyc/core';
import { createRandom } from './random.ts';

/**
 * A frame as a camera would see it shown on a screen: the screen's RGB-stripe subpixels and black
 * matrix, laid over the picture at `pitch` camera pixels per screen pixel and turned by `angleDeg`,
 * integrated over each camera pixel (3x3 samples: the sensor's pixel aperture), blurred by the lens
 * (Gaussian), plus sensor noise. A simplified physical model for testing the moiré cue, not a
 * validated screen: no gamma, demosaicing, refresh or glare. Deterministic for a seed.
 */
export interface ScreenReplayOptions {
  /** Camera pixels per screen pixel (a phone screen filmed by a webcam: about 0.5-2). */
  readonly pitch: number;
  readonly angleDeg: number;
  /** Lit fraction of each subpixel's width and of a pixel's height (the rest is black matrix). Default 0.8. */
  readonly fill?: number;
  /** Gaussian sensor noise, in 8-bit levels. Default 2. */
  readonly noise?: number;
  /** Lens blur, Gaussian sigma in camera pixels (0: none). Default 0.6. */
  readonly blur?: number;
  readonly seed?: number;
}

export function simulateScreenReplay(frame: RgbaImage, options: ScreenReplayOptions): RgbaImage {
  const { width, height } = frame;
  const fill = options.fill ?? 0.8;
  const random = createRandom(options.seed ?? 1);
  const gauss = (): number => Math.sqrt(-2 * Math.log(Math.max(1e-12, random.next()))) * Math.cos(2 * Math.PI * random.next());
  const a = (options.angleDeg * Math.PI) / 180;
  const [ca, sa] = [Math.cos(a), Math.sin(a)];
  const out = new Uint8ClampedArray(width * height * 4);
  const light = new Float32Array(width * height * 3);
  const S = 3;
  // A channel's light at screen coordinates: its stripe lit, the row's black matrix dark; x3 / fill^2 keeps the mean.
  const lit = (sx: number, sy: number, c: number): number => {
    const fx = sx - Math.floor(sx);
    const fy = sy - Math.floor(sy);
    const stripe = fx * 3 - c;
    return stripe >= 0 && stripe < fill && fy < fill ? 3 / (fill * fill) : 0;
  };
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const o = (v * width + u) * 4;
      const gain = [0, 0, 0];
      for (let j = 0; j < S; j++) {
        for (let i = 0; i < S; i++) {
          const x = u + (i + 0.5) / S;
          const y = v + (j + 0.5) / S;
          const sx = (x * ca + y * sa) / options.pitch;
          const sy = (-x * sa + y * ca) / options.pitch;
          for (let c = 0; c < 3; c++) gain[c]! += lit(sx, sy, c) / (S * S);
        }
      }
      for (let c = 0; c < 3; c++) light[(v * width + u) * 3 + c] = frame.data[o + c]! * gain[c]!;
    }
  }
  const blurred = gaussianBlur(light, width, height, options.blur ?? 0.6);
  for (let i = 0; i < width * height; i++) {
    const n = (options.noise ?? 2) * gauss();
    for (let c = 0; c < 3; c++) out[i * 4 + c] = blurred[i * 3 + c]! + n;
    out[i * 4 + 3] = 255;
  }
  return { width, height, data: out };
}

/** Separable Gaussian blur of an interleaved 3-channel float image (edges clamped). */
function gaussianBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (!(sigma > 0)) return src;
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const sum = kernel.reduce((a, b) => a + b, 0);
  const weights = kernel.map((w) => w / sum);
  const pass = (input: Float32Array, dx: number, dy: number): Float32Array => {
    const output = new Float32Array(input.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < 3; c++) {
          let acc = 0;
          for (let k = -radius; k <= radius; k++) {
            const xx = Math.min(width - 1, Math.max(0, x + k * dx));
            const yy = Math.min(height - 1, Math.max(0, y + k * dy));
            acc += weights[k + radius]! * input[(yy * width + xx) * 3 + c]!;
          }
          output[(y * width + x) * 3 + c] = acc;
        }
      }
    }
    return output;
  };
  return pass(pass(src, 1, 0), 0, 1);
}
