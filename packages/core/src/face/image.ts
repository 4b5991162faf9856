import { EkycError } from '../errors.ts';

/** A decoded image as plain RGBA bytes, row-major, 4 bytes per pixel: the one image type of the face engine. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** Throws `invalid_frame` unless the buffer holds exactly width x height RGBA pixels. */
export function assertRgbaImage(image: RgbaImage, what = 'image'): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new EkycError('invalid_frame', `The ${what} has an invalid size`, { details: { width, height } });
  }
  if (!data || data.length !== width * height * 4) {
    throw new EkycError('invalid_frame', `The ${what} buffer does not hold width x height RGBA pixels`, {
      details: { width, height, bytes: data?.length ?? 0 },
    });
  }
}

/** ITU-R BT.601 luma, the weighting OpenCV's RGB2GRAY uses. */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/** Grayscale copy of an RGBA image as floats 0..255. */
export function toGray(image: RgbaImage): Float32Array {
  assertRgbaImage(image);
  const { data } = image;
  const gray = new Float32Array(image.width * image.height);
  for (let i = 0, p = 0; i < gray.length; i++, p += 4) gray[i] = luma(data[p]!, data[p + 1]!, data[p + 2]!);
  return gray;
}
