import { validateRgbaImage, type RgbaImage } from '../image/rgba.ts';

/** ITU-R BT.601 luma, the weighting OpenCV's RGB2GRAY uses. */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/** Grayscale copy of an RGBA image as floats 0..255. */
export function toGray(image: RgbaImage): Float32Array {
  validateRgbaImage(image);
  const { data } = image;
  const gray = new Float32Array(image.width * image.height);
  for (let i = 0, p = 0; i < gray.length; i++, p += 4) gray[i] = luma(data[p]!, data[p + 1]!, data[p + 2]!);
  return gray;
}
