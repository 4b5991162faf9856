import { EkycError, type EkycErrorCode } from '../errors.ts';
import type { FaceDetection } from './detection.ts';
import type { HeadPose } from './pose.ts';

/** Limits of the face quality gate. Every limit is configurable; defaults suit a selfie at 640x480 or more. */
export interface FaceQualityThresholds {
  /** Minimum face box width in source pixels. */
  readonly minFaceWidthPx: number;
  /** Maximum absolute yaw / pitch / roll in degrees. */
  readonly maxYaw: number;
  readonly maxPitch: number;
  readonly maxRoll: number;
  /** Minimum Laplacian variance of the 112x112 aligned crop. */
  readonly minSharpness: number;
  /** Minimum "eye open" probability of the less open eye. */
  readonly minEyesOpen: number;
}

export const DEFAULT_FACE_QUALITY: FaceQualityThresholds = {
  minFaceWidthPx: 64,
  maxYaw: 25,
  maxPitch: 25,
  maxRoll: 20,
  minSharpness: 40,
  minEyesOpen: 0.5,
};

/** What was measured on a frame; measurements that were not taken are left out and not judged. */
export interface FaceQualityMeasurements {
  readonly faces: readonly FaceDetection[];
  readonly pose?: HeadPose;
  readonly sharpness?: number;
  readonly eyesOpen?: number;
}

export interface FaceQualityFailure {
  readonly code: EkycErrorCode;
  readonly measured: number;
  readonly limit: number;
}

export interface FaceQualityDecision {
  readonly ok: boolean;
  /** In order of what the user should fix first. */
  readonly failures: readonly FaceQualityFailure[];
}

/** Roll in degrees from the eye line, for detectors that give keypoints but no pose model. */
export function rollFromKeypoints(face: FaceDetection): number | undefined {
  const k = face.keypoints;
  if (!k) return undefined;
  return (Math.atan2(k.rightEye.y - k.leftEye.y, k.rightEye.x - k.leftEye.x) * 180) / Math.PI;
}

export function judgeFaceQuality(m: FaceQualityMeasurements, limits: FaceQualityThresholds = DEFAULT_FACE_QUALITY): FaceQualityDecision {
  const failures: FaceQualityFailure[] = [];
  if (m.faces.length === 0) return { ok: false, failures: [{ code: 'face_not_found', measured: 0, limit: 1 }] };
  if (m.faces.length > 1) return { ok: false, failures: [{ code: 'face_multiple', measured: m.faces.length, limit: 1 }] };
  const face = m.faces[0]!;
  if (face.box.width < limits.minFaceWidthPx) failures.push({ code: 'face_too_small', measured: face.box.width, limit: limits.minFaceWidthPx });
  const roll = m.pose?.roll ?? rollFromKeypoints(face);
  const poseChecks: Array<[number | undefined, number]> = [[m.pose?.yaw, limits.maxYaw], [m.pose?.pitch, limits.maxPitch], [roll, limits.maxRoll]];
  for (const [angle, limit] of poseChecks) {
    if (angle !== undefined && Math.abs(angle) > limit) {
      failures.push({ code: 'face_bad_pose', measured: angle, limit });
      break;
    }
  }
  if (m.sharpness !== undefined && m.sharpness < limits.minSharpness) failures.push({ code: 'face_blurry', measured: m.sharpness, limit: limits.minSharpness });
  if (m.eyesOpen !== undefined && m.eyesOpen < limits.minEyesOpen) failures.push({ code: 'face_eyes_not_visible', measured: m.eyesOpen, limit: limits.minEyesOpen });
  return { ok: failures.length === 0, failures };
}

/** Throws the first failure as an EkycError (its code tells the UI what to ask the user). */
export function assertFaceQuality(decision: FaceQualityDecision): void {
  const first = decision.failures[0];
  if (!first) return;
  throw new EkycError(first.code, `Face quality check failed: ${first.code}`, {
    details: { measured: first.measured, limit: first.limit, failures: decision.failures.map((f) => f.code) },
  });
}
