import type { FramingLimits } from './config.ts';
import type { LivenessFrame } from './frame.ts';

/** What the UI should ask for, most important first. Codes, never text: the UI translates them. */
export type GuidanceCode = 'face_not_found' | 'face_multiple' | 'too_dark' | 'move_closer' | 'move_farther' | 'center_face' | 'hold_still';

/**
 * Guidance for one frame. `previous` (the last frame) enables `hold_still`, which is only asked
 * for while the baseline is taken. The codes are a steady state of the frame, not a blinking
 * prompt: the UI shows the first code and keeps it while it holds.
 */
export function guidanceFor(frame: LivenessFrame, limits: FramingLimits, previous?: LivenessFrame): GuidanceCode[] {
  if (frame.faceCount > 1) return ['face_multiple'];
  if (frame.faceCount === 0 || !frame.face) return frame.brightness < limits.minBrightness ? ['face_not_found', 'too_dark'] : ['face_not_found'];
  const codes: GuidanceCode[] = [];
  const face = frame.face;
  if (frame.brightness < limits.minBrightness) codes.push('too_dark');
  if (face.distance < limits.minDistance) codes.push('move_closer');
  else if (face.distance > limits.maxDistance) codes.push('move_farther');
  const cx = face.box.x + face.box.width / 2;
  const cy = face.box.y + face.box.height / 2;
  const { oval } = limits;
  if (((cx - oval.cx) / oval.rx) ** 2 + ((cy - oval.cy) / oval.ry) ** 2 > 1) codes.push('center_face');
  const before = previous?.face;
  if (before && previous.faceCount === 1) {
    const moved = Math.hypot(cx - (before.box.x + before.box.width / 2), cy - (before.box.y + before.box.height / 2));
    if (moved > limits.maxMotion) codes.push('hold_still');
  }
  return codes;
}
