import { EkycError } from '../errors.ts';
import type { Affine, Point } from './geometry.ts';
import type { FaceKeypoints } from './detection.ts';
import type { RgbaImage } from '../image/rgba.ts';
import { warpAffine } from './warp.ts';

/**
 * The standard ArcFace 112x112 five-point template (insightface): left eye, right eye, nose tip,
 * left and right mouth corner, as seen in the image (subject's right eye is the image's left).
 */
export const ARCFACE_TEMPLATE_112: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

/**
 * Least-squares similarity transform (rotation, uniform scale, translation) taking `src` onto
 * `dst`: Umeyama's estimator. In 2D, with reflections excluded, it has the closed form below
 * (a complex-number linear regression), which needs no SVD or trigonometry and so gives the same
 * bits on every JavaScript engine.
 */
export function umeyamaSimilarity(src: readonly Point[], dst: readonly Point[]): Affine {
  if (src.length !== dst.length || src.length < 2) {
    throw new EkycError('invalid_argument', 'Similarity estimation needs at least two point pairs of equal count', {
      details: { src: src.length, dst: dst.length },
    });
  }
  const n = src.length;
  let msx = 0, msy = 0, mdx = 0, mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[i]!.x; msy += src[i]!.y; mdx += dst[i]!.x; mdy += dst[i]!.y;
  }
  msx /= n; msy /= n; mdx /= n; mdy /= n;
  let variance = 0, dot = 0, cross = 0;
  for (let i = 0; i < n; i++) {
    const xs = src[i]!.x - msx, ys = src[i]!.y - msy;
    const xd = dst[i]!.x - mdx, yd = dst[i]!.y - mdy;
    variance += xs * xs + ys * ys;
    dot += xs * xd + ys * yd;
    cross += xs * yd - ys * xd;
  }
  if (!Number.isFinite(variance) || variance < 1e-9) {
    throw new EkycError('invalid_argument', 'The source points are degenerate (all in one place or not finite)');
  }
  const a = dot / variance; // scale * cos(rotation)
  const b = cross / variance; // scale * sin(rotation)
  return [a, -b, mdx - (a * msx - b * msy), b, a, mdy - (b * msx + a * msy)];
}

/** Which template points a detector's keypoints correspond to. */
export function templateFor(keypoints: FaceKeypoints, template: readonly Point[] = ARCFACE_TEMPLATE_112): Point[] {
  if (keypoints.mouthLeft && keypoints.mouthRight) return template.slice(0, 5);
  // Detectors with a single mouth point (BlazeFace) align it onto the middle of the template's mouth.
  const mouth = { x: (template[3]!.x + template[4]!.x) / 2, y: (template[3]!.y + template[4]!.y) / 2 };
  return [template[0]!, template[1]!, template[2]!, mouth];
}

export function keypointList(keypoints: FaceKeypoints): Point[] {
  const { leftEye, rightEye, nose, mouthLeft, mouthRight, mouthCenter } = keypoints;
  if (mouthLeft && mouthRight) return [leftEye, rightEye, nose, mouthLeft, mouthRight];
  if (mouthCenter) return [leftEye, rightEye, nose, mouthCenter];
  throw new EkycError('invalid_argument', 'Keypoints need mouth corners or a mouth centre');
}

export interface AlignedFace {
  /** The aligned crop, `size` x `size` RGBA. */
  readonly image: RgbaImage;
  /** The source-to-crop transform used. */
  readonly transform: Affine;
}

/** Warps the face onto the ArcFace template (scaled to `size`, 112 by default). */
export function alignFace(image: RgbaImage, keypoints: FaceKeypoints, size = 112): AlignedFace {
  const scale = size / 112;
  const template = templateFor(keypoints).map((p) => ({ x: p.x * scale, y: p.y * scale }));
  const transform = umeyamaSimilarity(keypointList(keypoints), template);
  return { image: warpAffine(image, transform, size, size), transform };
}
