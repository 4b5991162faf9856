/**
 * Real face images for re-scoring tests, from packages already installed: @vladmandic/human's
 * selfie (one man) and @vladmandic/face-api's group photo (other people). The document portrait
 * is cut from the selfie around the detected face and re-encoded, as a document's printed
 * portrait is a different capture of the same face.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import jpeg from 'jpeg-js';
import type { ServerFaceEngine } from '../face/engine.ts';
import { decodeArtifact, type Pixels } from '../rescore/images.ts';

// Some packages do not export package.json; find them by walking node_modules from here.
const packageFile = (pkg: string, file: string): string => {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', pkg, file);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${pkg}/${file} is not installed`);
  }
};

export const SELFIE_JPEG = (): Uint8Array => new Uint8Array(readFileSync(packageFile('@vladmandic/human', 'assets/screenshot-faceid.jpg')));
export const GROUP_JPEG = (): Uint8Array => new Uint8Array(readFileSync(packageFile('@vladmandic/face-api', 'demo/sample1.jpg')));

export function decodeJpeg(bytes: Uint8Array): Pixels {
  const pixels = decodeArtifact({ mediaType: 'image/jpeg' } as never, bytes);
  if (pixels === null) throw new Error('fixture JPEG did not decode');
  return pixels;
}

export function crop(image: Pixels, box: { x: number; y: number; width: number; height: number }, scale: number): Pixels {
  const side = Math.round(Math.max(box.width, box.height) * scale);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const x0 = Math.max(0, Math.round(cx - side / 2));
  const y0 = Math.max(0, Math.round(cy - side / 2));
  const width = Math.min(side, image.width - x0);
  const height = Math.min(side, image.height - y0);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y += 1) data.set(image.data.subarray(((y0 + y) * image.width + x0) * 4, ((y0 + y) * image.width + x0 + width) * 4), y * width * 4);
  return { width, height, data };
}

export function encodeJpeg(image: Pixels, quality = 80): Uint8Array {
  return new Uint8Array(jpeg.encode({ width: image.width, height: image.height, data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength) }, quality).data);
}

/** The selfie's face cut out at `scale` times its box and re-encoded. */
export async function portraitFrom(engine: ServerFaceEngine, jpegBytes: Uint8Array, scale = 2.2, quality = 70): Promise<{ jpeg: Uint8Array; width: number; height: number }> {
  const image = decodeJpeg(jpegBytes);
  const [best] = await engine.detect(image);
  if (best === undefined) throw new Error('no face in fixture');
  const portrait = crop(image, best.box, scale);
  return { jpeg: encodeJpeg(portrait, quality), width: portrait.width, height: portrait.height };
}
