import { EkycError } from '../errors.ts';
import { softmax } from './vector.ts';

export interface HeadPose {
  /** Degrees; signs follow the model (docs/face.md). */
  readonly yaw: number;
  readonly pitch: number;
  readonly roll: number;
}

/** Hopenet-style binned angle: softmax expectation over 66 bins of 3 degrees starting at -99. */
export function angleFromBins(logits: ArrayLike<number>): number {
  if (logits.length !== 66) throw new EkycError('inference_failed', 'Pose output must have 66 bins', { details: { bins: logits.length } });
  const p = softmax(logits);
  let expectation = 0;
  for (let i = 0; i < p.length; i++) expectation += p[i]! * i;
  return expectation * 3 - 99;
}

export function headPoseFromBins(yaw: ArrayLike<number>, pitch: ArrayLike<number>, roll: ArrayLike<number>): HeadPose {
  return { yaw: angleFromBins(yaw), pitch: angleFromBins(pitch), roll: angleFromBins(roll) };
}
