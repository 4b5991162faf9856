import type { RgbaImage } from '@ekyc/core';

/**
 * Decodes an encoded image (JPEG, PNG) to straight-alpha RGBA pixels in the page, with no colour
 * management, so the same file gives the same bytes as a decoder on the server side.
 */
export async function decodeImageBlob(blob: Blob): Promise<RgbaImage<Uint8ClampedArray>> {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { width, height, data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { width, height, data };
}
