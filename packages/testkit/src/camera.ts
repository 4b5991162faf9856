import type { quality } from '@ekyc/core';

export interface CardPose {
  /** Rotation about the frame's horizontal axis, degrees. */
  pitchDeg: number;
  /** Rotation about the vertical axis, degrees. */
  yawDeg: number;
  /** In-plane rotation, degrees. */
  rollDeg: number;
  /** Card centre in camera space (same unit as the card size), z > 0 in front of the camera. */
  x: number;
  y: number;
  z: number;
}

/**
 * Projects a card of `width` x `height` through a pinhole camera (focal `focalPx`, centred) and
 * returns its corners (TL, TR, BR, BL) and its exact out-of-plane angle. These are the labels.
 */
export function projectCard(width: number, height: number, pose: CardPose, focalPx: number, frameWidth: number, frameHeight: number): { corners: quality.Quad; tiltDeg: number } {
  const rad = Math.PI / 180;
  const [cr, sr] = [Math.cos(pose.rollDeg * rad), Math.sin(pose.rollDeg * rad)];
  const [cp, sp] = [Math.cos(pose.pitchDeg * rad), Math.sin(pose.pitchDeg * rad)];
  const [cyw, syw] = [Math.cos(pose.yawDeg * rad), Math.sin(pose.yawDeg * rad)];
  const local = [[-width / 2, -height / 2], [width / 2, -height / 2], [width / 2, height / 2], [-width / 2, height / 2]] as const;
  const corners = local.map(([u, v]) => {
    const x0 = u * cr - v * sr;
    const y0 = u * sr + v * cr;
    const y1 = y0 * cp;
    const z1 = y0 * sp;
    const x2 = x0 * cyw + z1 * syw;
    const z2 = -x0 * syw + z1 * cyw;
    const z = z2 + pose.z;
    return { x: frameWidth / 2 + (focalPx * (x2 + pose.x)) / z, y: frameHeight / 2 + (focalPx * (y1 + pose.y)) / z };
  });
  // The plane normal after pitch then yaw is R·(0,0,1); its angle to the optical axis is the tilt.
  const tiltDeg = Math.acos(Math.min(1, Math.abs(cp * cyw))) / rad;
  return { corners: [corners[0]!, corners[1]!, corners[2]!, corners[3]!], tiltDeg };
}
