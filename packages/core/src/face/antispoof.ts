import { EkycError } from '../errors.ts';
import type { Box } from './geometry.ts';
import { softmax } from './vector.ts';

/**
 * Passive anti-spoof from a MiniFASNet-like 3-class model. EXPERIMENTAL: the model has no model
 * card, the class meanings below were found by experiment (docs/face.md), and the score must
 * never block a user on its own.
 */
export interface AntiSpoofSignal {
  readonly experimental: true;
  /** Probability of the class assumed live (unverified, see LIVE_CLASS_INDEX). */
  readonly liveScore: number;
  readonly probabilities: readonly number[];
}

/**
 * MiniFASNet's convention (class 1 = live). Our experiment (docs/face.md) could NOT confirm it:
 * no class separated genuine photos from simulated screen / print recaptures.
 */
export const LIVE_CLASS_INDEX = 1;

export function antiSpoofFromLogits(logits: ArrayLike<number>, liveClass = LIVE_CLASS_INDEX): AntiSpoofSignal {
  if (logits.length < 2 || liveClass < 0 || liveClass >= logits.length) {
    throw new EkycError('inference_failed', 'Anti-spoof output has an unexpected size', { details: { classes: logits.length, liveClass } });
  }
  const p = softmax(logits);
  return { experimental: true, liveScore: p[liveClass]!, probabilities: Array.from(p) };
}

/**
 * The context crop the model expects: the face box grown by `factor` (2.7 by default) around its
 * centre, the factor reduced when the image is too small, and the crop shifted to stay inside.
 */
export function antiSpoofCropBox(face: Box, imageWidth: number, imageHeight: number, factor = 2.7): Box {
  const scale = Math.min(factor, (imageWidth - 1) / face.width, (imageHeight - 1) / face.height);
  const width = face.width * scale;
  const height = face.height * scale;
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height / 2;
  const x = Math.min(Math.max(0, cx - width / 2), imageWidth - 1 - width);
  const y = Math.min(Math.max(0, cy - height / 2), imageHeight - 1 - height);
  return { x: Math.max(0, x), y: Math.max(0, y), width, height };
}
