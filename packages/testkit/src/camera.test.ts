import { describe, expect, it } from 'vitest';
import { quality } from '@ekyc/core';
import { projectCard } from './camera.ts';
import { createRandom } from './random.ts';

describe('projectCard', () => {
  it('labels agree with the quality module geometry (tilt from the quad alone)', () => {
    const random = createRandom(3);
    for (let i = 0; i < 50; i++) {
      const pose = { pitchDeg: random.range(-30, 30), yawDeg: random.range(-30, 30), rollDeg: random.range(-15, 15), x: random.range(-10, 10), y: random.range(-10, 10), z: random.range(80, 200) };
      const { corners, tiltDeg } = projectCard(85.6, 53.98, pose, 1024, 1280, 720);
      expect(quality.estimateTiltDeg(corners, 1280, 720, 1024)).toBeCloseTo(tiltDeg, 6);
    }
  });

  it('is deterministic by seed', () => {
    expect(createRandom(42).next()).toBe(createRandom(42).next());
    expect(createRandom(42).next()).not.toBe(createRandom(43).next());
  });
});
