import type { PreprocessingSpec } from '../assets/manifest.ts';
import { EkycError } from '../errors.ts';
import { validateRgbaImage, type RgbaImage } from '../image/rgba.ts';
import { luma } from './image.ts';

/**
 * Turns an image already at the model's input size into the float tensor the manifest's
 * preprocessing spec describes (channel order, layout, per-channel (v - mean) / std).
 * The verifier calls the same function, so browser and server feed identical numbers.
 */
export function imageToTensor(image: RgbaImage, spec: PreprocessingSpec): Float32Array {
  validateRgbaImage(image);
  if (spec.width !== undefined && spec.width !== image.width) throw sizeError(image, spec);
  if (spec.height !== undefined && spec.height !== image.height) throw sizeError(image, spec);
  const channels = spec.channels === 'GRAY' ? 1 : 3;
  if (spec.mean.length !== channels && spec.mean.length !== 1) throw specError('mean', spec);
  if (spec.std.length !== channels && spec.std.length !== 1) throw specError('std', spec);
  const mean = Array.from({ length: channels }, (_, c) => spec.mean[spec.mean.length === 1 ? 0 : c]!);
  const std = Array.from({ length: channels }, (_, c) => spec.std[spec.std.length === 1 ? 0 : c]!);
  if (std.some((s) => !(s !== 0 && Number.isFinite(s)))) throw specError('std', spec);

  const plane = image.width * image.height;
  const out = new Float32Array(plane * channels);
  const { data } = image;
  if (channels === 1) {
    for (let i = 0, p = 0; i < plane; i++, p += 4) out[i] = (luma(data[p]!, data[p + 1]!, data[p + 2]!) - mean[0]!) / std[0]!;
    return out;
  }
  // One pass per output channel with its constants hoisted: same (v - mean) / std per value.
  const order = spec.channels === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const nchw = spec.layout === 'NCHW';
  for (let c = 0; c < 3; c++) {
    const m = mean[c]!;
    const s = std[c]!;
    const step = nchw ? 1 : 3;
    for (let i = 0, p = order[c]!, o = nchw ? c * plane : c; i < plane; i++, p += 4, o += step) out[o] = (data[p]! - m) / s;
  }
  return out;
}

function sizeError(image: RgbaImage, spec: PreprocessingSpec): EkycError {
  return new EkycError('invalid_frame', 'The image is not at the model input size', {
    details: { width: image.width, height: image.height, expectedWidth: spec.width, expectedHeight: spec.height },
  });
}

function specError(field: string, spec: PreprocessingSpec): EkycError {
  return new EkycError('invalid_argument', `The preprocessing spec has an invalid ${field}`, { details: { channels: spec.channels } });
}
