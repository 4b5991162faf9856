import type { face } from '@ekyc/core';

/**
 * Simulated recaptures for the anti-spoof experiment: what a camera sees when the "face" is a
 * photo shown on a screen (subpixel grid beating against the sensor: moire, cold backlight,
 * lifted blacks) or printed on paper (halftone dots, ink gamut, warm paper). Deterministic.
 */

function map(image: face.RgbaImage, f: (x: number, y: number, rgb: [number, number, number]) => [number, number, number]): face.RgbaImage {
  const out = new Uint8ClampedArray(image.data.length);
  for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) {
    const p = (y * image.width + x) * 4;
    const [r, g, b] = f(x, y, [image.data[p]!, image.data[p + 1]!, image.data[p + 2]!]);
    out[p] = r; out[p + 1] = g; out[p + 2] = b; out[p + 3] = 255;
  }
  return { width: image.width, height: image.height, data: out };
}

export function screenRecapture(image: face.RgbaImage): face.RgbaImage {
  const angle = (7 * Math.PI) / 180;
  return map(image, (x, y, [r, g, b]) => {
    const u = x * Math.cos(angle) + y * Math.sin(angle);
    const v = -x * Math.sin(angle) + y * Math.cos(angle);
    const moire = 0.78 + 0.22 * Math.cos((2 * Math.PI * u) / 3.4) * Math.cos((2 * Math.PI * v) / 3.9);
    const sub = x % 3;
    const lift = (c: number, k: number) => 28 + 0.8 * c * moire * k;
    return [lift(r, sub === 0 ? 1.08 : 0.92), lift(g, sub === 1 ? 1.08 : 0.92), lift(b, sub === 2 ? 1.12 : 0.96) + 10];
  });
}

export function printRecapture(image: face.RgbaImage): face.RgbaImage {
  const angle = Math.PI / 4;
  let seed = 12345;
  const noise = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 12;
  return map(image, (x, y, [r, g, b]) => {
    const gray = 0.299 * r + 0.587 * g + 0.114 * b;
    const desat = (c: number) => gray + 0.65 * (c - gray);
    const u = x * Math.cos(angle) + y * Math.sin(angle);
    const v = -x * Math.sin(angle) + y * Math.cos(angle);
    const dots = 0.88 + 0.12 * Math.cos((2 * Math.PI * u) / 4) * Math.cos((2 * Math.PI * v) / 4);
    const ink = (c: number, paper: number) => 30 + (paper - 30) * (desat(c) / 255) * dots + noise();
    return [ink(r, 238), ink(g, 230), ink(b, 205)];
  });
}
