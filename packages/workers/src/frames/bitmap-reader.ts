import { EkycError, type RgbaImage } from '@ekyc/core';
import { validateBitmap } from './frame.ts';

/** Sizes kept at once: a camera plus an occasional still is the common case. */
const MAX_SIZES = 2;

/**
 * Reads `ImageBitmap`s back as RGBA pixels, in a worker, with one 2D canvas per frame size reused
 * across frames. Each bitmap is closed once read (or once found unreadable): its pixels live in
 * the returned frame from then on.
 */
export class BitmapReader {
  private readonly contexts = new Map<string, OffscreenCanvasRenderingContext2D>();

  read(bitmap: ImageBitmap): RgbaImage<Uint8ClampedArray> {
    try {
      const { width, height } = validateBitmap(bitmap);
      const context = this.contextFor(width, height);
      context.drawImage(bitmap, 0, 0);
      return { width, height, data: context.getImageData(0, 0, width, height).data };
    } catch (error) {
      if (error instanceof EkycError) throw error;
      // drawImage throws InvalidStateError on a bitmap closed between the check and the draw.
      throw new EkycError('invalid_frame', 'The bitmap could not be read', { details: { cause: error instanceof Error ? error.name : typeof error } });
    } finally {
      bitmap.close();
    }
  }

  private contextFor(width: number, height: number): OffscreenCanvasRenderingContext2D {
    const key = `${width}x${height}`;
    let context = this.contexts.get(key);
    if (!context) {
      if (this.contexts.size >= MAX_SIZES) this.contexts.delete(this.contexts.keys().next().value!);
      // willReadFrequently: a CPU-backed canvas, so getImageData is a copy rather than a GPU readback.
      const created = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true, alpha: false });
      if (!created) throw new EkycError('runtime_unavailable', 'OffscreenCanvas 2D is not available in this worker');
      // 'copy' replaces every pixel, so a bitmap with transparency never shows the previous frame.
      created.globalCompositeOperation = 'copy';
      context = created;
      this.contexts.set(key, context);
    }
    return context;
  }
}
