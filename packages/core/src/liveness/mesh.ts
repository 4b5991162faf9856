/**
 * Geometry of the face-mesh landmark model, as MediaPipe's face mesh graph does it, in pure code:
 * the rotated square crop the model sees (from a detection, or tracked from the last frame's
 * landmarks), and the 478 points assembled from the model's outputs in frame pixels.
 *
 * The attention model's outputs: the 468-point mesh (x, y, z), then refined lips (80 x, y), eyes
 * (71 x, y each) and irises (5 x, y each), all in crop pixels. Only the refined points the liveness
 * signals read are written back into the mesh (each eye's 16-point contour, the mouth corners and
 * lip centres); the irises become points 468-477 with the eye contour's mean depth, as MediaPipe does.
 */
import { EkycError } from '../errors.ts';
import type { Affine } from '../face/geometry.ts';

/** Side of the square crop the landmark model takes. */
export const MESH_INPUT_SIZE = 192;
/** MediaPipe enlarges the face box (or the landmarks' box) by this much for the crop. */
export const MESH_ROI_SCALE = 1.5;

/** A square crop of the frame: centre and side in frame pixels, rotated by `angle` radians. */
export interface FaceRoi {
  readonly cx: number;
  readonly cy: number;
  readonly size: number;
  readonly angle: number;
}

/** Crop pixel -> frame pixel is `centre + size / 192 * R(angle) * (u - 96, v - 96)`; this is its inverse (frame -> crop). */
export function roiToCropAffine(roi: FaceRoi, cropSize = MESH_INPUT_SIZE): Affine {
  const s = roi.size / cropSize;
  const c = Math.cos(roi.angle) / s;
  const n = Math.sin(roi.angle) / s;
  const h = cropSize / 2;
  return [c, n, h - (c * roi.cx + n * roi.cy), -n, c, h - (-n * roi.cx + c * roi.cy)];
}

export function cropToFrame(roi: FaceRoi, u: number, v: number, cropSize = MESH_INPUT_SIZE): { x: number; y: number } {
  const s = roi.size / cropSize;
  const du = (u - cropSize / 2) * s;
  const dv = (v - cropSize / 2) * s;
  const c = Math.cos(roi.angle);
  const n = Math.sin(roi.angle);
  return { x: roi.cx + c * du - n * dv, y: roi.cy + n * du + c * dv };
}

/**
 * The crop for a detected face: box centre, 1.5x its longer side, turned so the eye line
 * (image-left eye to image-right eye) is horizontal in the crop.
 */
export function roiFromDetection(box: { x: number; y: number; width: number; height: number }, imageLeftEye: { x: number; y: number }, imageRightEye: { x: number; y: number }): FaceRoi {
  const angle = Math.atan2(imageRightEye.y - imageLeftEye.y, imageRightEye.x - imageLeftEye.x);
  return { cx: box.x + box.width / 2, cy: box.y + box.height / 2, size: Math.max(box.width, box.height) * MESH_ROI_SCALE, angle };
}

/** The crop for the next frame from this frame's landmarks (468+ points, frame pixels). */
export function roiFromLandmarks(points: ArrayLike<number>): FaceRoi {
  if (points.length < 468 * 3) throw new EkycError('invalid_argument', 'Tracking needs the 468 mesh points', { details: { length: points.length } });
  const angle = Math.atan2(points[263 * 3 + 1]! - points[33 * 3 + 1]!, points[263 * 3]! - points[33 * 3]!);
  const c = Math.cos(angle);
  const n = Math.sin(angle);
  let minU = Infinity;
  let maxU = -Infinity;
  let minV = Infinity;
  let maxV = -Infinity;
  for (let i = 0; i < 468; i++) {
    const x = points[i * 3]!;
    const y = points[i * 3 + 1]!;
    const u = c * x + n * y;
    const v = -n * x + c * y;
    if (u < minU) minU = u;
    if (u > maxU) maxU = u;
    if (v < minV) minV = v;
    if (v > maxV) maxV = v;
  }
  const mu = (minU + maxU) / 2;
  const mv = (minV + maxV) / 2;
  return { cx: c * mu - n * mv, cy: n * mu + c * mv, size: Math.max(maxU - minU, maxV - minV) * MESH_ROI_SCALE, angle };
}

/** Mesh index of each refined eye-contour point, in the eye head's output order (lower lid corner to corner, then upper). */
const RIGHT_EYE_CONTOUR = [33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173];
const LEFT_EYE_CONTOUR = [263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398];
/** Lip head positions of the points the smile reads: corners (outer ring) and inner lip centres. */
const LIP_POINTS: ReadonlyArray<readonly [position: number, mesh: number]> = [[0, 61], [10, 291], [25, 14], [35, 13]];

export interface MeshOutputs {
  /** 1404 floats: 468 x, y, z in crop pixels. */
  readonly mesh: ArrayLike<number>;
  /** Refinement heads of the attention model (absent for the plain model). */
  readonly lips?: ArrayLike<number>;
  readonly rightEye?: ArrayLike<number>;
  readonly leftEye?: ArrayLike<number>;
  readonly rightIris?: ArrayLike<number>;
  readonly leftIris?: ArrayLike<number>;
}

/** 478 (or 468) x, y, z in frame pixels; z scaled like x. */
export function assembleMesh(outputs: MeshOutputs, roi: FaceRoi, cropSize = MESH_INPUT_SIZE): Float32Array {
  if (outputs.mesh.length !== 468 * 3) throw new EkycError('inference_failed', 'The face mesh output has the wrong size', { details: { length: outputs.mesh.length } });
  const refined = outputs.lips && outputs.rightEye && outputs.leftEye && outputs.rightIris && outputs.leftIris;
  const crop = new Float32Array((refined ? 478 : 468) * 3);
  crop.set(Array.from(outputs.mesh));
  if (refined) {
    const setXY = (mesh: number, head: ArrayLike<number>, position: number): void => {
      crop[mesh * 3] = head[position * 2]!;
      crop[mesh * 3 + 1] = head[position * 2 + 1]!;
    };
    for (const [position, mesh] of LIP_POINTS) setXY(mesh, outputs.lips!, position);
    const eyes = [
      { contour: RIGHT_EYE_CONTOUR, eye: outputs.rightEye!, iris: outputs.rightIris!, first: 468 },
      { contour: LEFT_EYE_CONTOUR, eye: outputs.leftEye!, iris: outputs.leftIris!, first: 473 },
    ];
    for (const { contour, eye, iris, first } of eyes) {
      if (eye.length !== 142 || iris.length !== 10) throw new EkycError('inference_failed', 'A refined eye output has the wrong size', { details: { eye: eye.length, iris: iris.length } });
      contour.forEach((mesh, position) => setXY(mesh, eye, position));
      const depth = contour.reduce((sum, mesh) => sum + crop[mesh * 3 + 2]!, 0) / contour.length;
      for (let k = 0; k < 5; k++) {
        crop[(first + k) * 3] = iris[k * 2]!;
        crop[(first + k) * 3 + 1] = iris[k * 2 + 1]!;
        crop[(first + k) * 3 + 2] = depth;
      }
    }
  }
  const scale = roi.size / cropSize;
  const out = new Float32Array(crop.length);
  for (let i = 0; i < crop.length; i += 3) {
    const p = cropToFrame(roi, crop[i]!, crop[i + 1]!, cropSize);
    out[i] = p.x;
    out[i + 1] = p.y;
    out[i + 2] = crop[i + 2]! * scale;
  }
  return out;
}
