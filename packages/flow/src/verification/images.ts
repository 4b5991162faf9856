/** Pixels in and out of the flow: uploads decoded to RGBA, and RGBA encoded for the evidence. */
import { EkycError, type RgbaImage } from '@ekyc/core';

export interface ImageCodec {
  /** An uploaded file to RGBA (`image_decode_failed` when it is not an image). */
  decode(blob: Blob): Promise<RgbaImage<Uint8ClampedArray>>;
  /** RGBA to JPEG bytes for the evidence. */
  encodeJpeg(image: RgbaImage): Promise<Uint8Array>;
}

/** JPEG quality of evidence images: the verifier re-detects and re-embeds faces on them. */
const JPEG_QUALITY = 0.9;

export async function encodeJpeg(image: RgbaImage): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  if (!context) throw new EkycError('image_decode_failed', 'No 2D context to encode an evidence image', { details: { width: image.width, height: image.height } });
  const pixels = new Uint8ClampedArray(image.data.buffer as ArrayBuffer, image.data.byteOffset, image.data.byteLength);
  context.putImageData(new ImageData(pixels, image.width, image.height), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
  return new Uint8Array(await blob.arrayBuffer());
}

export function copyImage(image: RgbaImage): RgbaImage<Uint8ClampedArray> {
  return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
}

/** Downscales so the longer side is at most `maxSide` (nearest sample: only for evidence size, never for analysis). */
export function limitSide(image: RgbaImage<Uint8ClampedArray>, maxSide: number): RgbaImage<Uint8ClampedArray> {
  const scale = maxSide / Math.max(image.width, image.height);
  if (scale >= 1) return image;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor(y / scale));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.floor(x / scale));
      const from = (sy * image.width + sx) * 4;
      data.set(image.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}
