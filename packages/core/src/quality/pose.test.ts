import { describe, expect, it } from 'vitest';
import { estimateTiltDeg } from './geometry.ts';
import { DOCUMENT_ASPECTS, estimatePose } from './pose.ts';
import type { Quad } from './types.ts';

/** A card projected through a pinhole camera (pitch about x, then yaw about y), as @ekyc/testkit's camera does. */
function project(widthMm: number, heightMm: number, pitchDeg: number, yawDeg: number, rollDeg: number, focalPx: number, widthFraction = 0.6): { quad: Quad; tiltDeg: number } {
  const rad = Math.PI / 180;
  const [cr, sr, cp, sp, cy, sy] = [Math.cos(rollDeg * rad), Math.sin(rollDeg * rad), Math.cos(pitchDeg * rad), Math.sin(pitchDeg * rad), Math.cos(yawDeg * rad), Math.sin(yawDeg * rad)];
  const z = (focalPx * widthMm) / (widthFraction * 1280);
  const quad = ([[-1, -1], [1, -1], [1, 1], [-1, 1]] as const).map(([su, sv]) => {
    const u = (su * widthMm) / 2;
    const v = (sv * heightMm) / 2;
    const x0 = u * cr - v * sr;
    const y0 = u * sr + v * cr;
    const y1 = y0 * cp;
    const z1 = y0 * sp;
    const x2 = x0 * cy + z1 * sy;
    const z2 = -x0 * sy + z1 * cy;
    return { x: 640 + (focalPx * x2) / (z2 + z), y: 360 + (focalPx * y1) / (z2 + z) };
  }) as unknown as Quad;
  return { quad, tiltDeg: Math.acos(Math.abs(cp * cy)) / rad };
}

describe('estimatePose', () => {
  it('knows the ICAO 9303 aspect ratios', () => {
    expect(DOCUMENT_ASPECTS.id1).toBeCloseTo(1.586, 3);
    expect(DOCUMENT_ASPECTS.id2).toBeCloseTo(1.419, 3);
    expect(DOCUMENT_ASPECTS.id3).toBeCloseTo(1.42, 3);
  });

  it('recovers the tilt across fields of view, where a fixed focal length reads half of it', () => {
    const errors: number[] = [];
    let fixedWorst = 0;
    for (const focalFraction of [0.55, 0.8, 1.2, 1.6]) {
      for (const [pitch, yaw, roll] of [[15, 0, 0], [0, 18, 5], [12, -12, -8], [-20, 5, 10], [6, 4, 0]] as const) {
        for (const [w, h] of [[85.6, 53.98], [125, 88]] as const) {
          const { quad, tiltDeg } = project(w, h, pitch, yaw, roll, focalFraction * 1280);
          const estimate = estimatePose(quad, 1280, 720);
          errors.push(Math.abs(estimate.tiltDeg - tiltDeg));
          fixedWorst = Math.max(fixedWorst, Math.abs(estimateTiltDeg(quad, 1280, 720, 0.8 * 1280) - tiltDeg));
        }
      }
    }
    // The old fixed-focal estimate is off by several degrees at the ends of the range.
    expect(fixedWorst).toBeGreaterThan(5);
    errors.sort((a, b) => a - b);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(0.5);
    expect(errors[errors.length - 1]).toBeLessThan(3);
  });

  it('flags a 20 degree tilt seen through a long lens', () => {
    const { quad } = project(85.6, 53.98, 20, 0, 0, 1.6 * 1280);
    expect(estimatePose(quad, 1280, 720).tiltDeg).toBeGreaterThan(15);
    expect(estimateTiltDeg(quad, 1280, 720, 0.8 * 1280)).toBeLessThan(15);
  });

  it('reads a frontal document as untilted whatever the focal length', () => {
    const { quad } = project(85.6, 53.98, 0, 0, 7, 1000);
    expect(estimatePose(quad, 1280, 720).tiltDeg).toBeLessThan(1);
  });
});
