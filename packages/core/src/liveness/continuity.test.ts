import { describe, expect, it } from 'vitest';
import { PoseMatchedContinuity } from './continuity.ts';

/** A person's embedding drifting with yaw: far-apart poses match less (as fr-feature does on turned faces). */
function face(person: number, yaw: number): Float32Array {
  const v = new Float32Array(8);
  v[person] = Math.cos((yaw * Math.PI) / 180 * 1.6);
  v[7] = Math.sin((yaw * Math.PI) / 180 * 1.6);
  return v;
}

describe('PoseMatchedContinuity', () => {
  it('selects keyframes always and other frames only a step of yaw away from every chosen one', () => {
    const c = new PoseMatchedContinuity({ stepDeg: 10 });
    expect(c.select(0, 15, false)).toBe(false); // no reference yet
    expect(c.select(1, 15, true)).toBe(true);
    expect(c.select(2, 20, false)).toBe(false);
    expect(c.select(3, 25, false)).toBe(true); // pending counts: the same pose is not chosen twice
    expect(c.select(4, 26, false)).toBe(false);
    c.cancel(3); // no face found in that frame
    expect(c.select(5, 26, false)).toBe(true);
  });

  it('compares each face with the earlier one nearest in yaw, so a 45-degree turn is bridged', () => {
    // Against the frontal reference alone the 45-degree face is under the threshold ...
    const frontal = face(0, 0);
    const turned = face(0, 45);
    const direct = frontal.reduce((s, v, i) => s + v * turned[i]!, 0);
    expect(direct).toBeLessThan(0.4);
    // ... through a bridge at 22 degrees every link stays above it.
    const c = new PoseMatchedContinuity();
    expect(c.add(0, 0, frontal)).toBeNull();
    c.add(1, 22, face(0, 22));
    const link = c.add(2, 45, turned);
    expect(link).toMatchObject({ againstT: 1, againstYaw: 22 });
    expect(c.ok).toBe(true);
    expect(c.minimum!).toBeGreaterThan(0.4);
  });

  it('a face swapped at any point is one weak link', () => {
    const c = new PoseMatchedContinuity();
    c.add(0, 0, face(0, 0));
    c.add(1, 12, face(0, 12));
    c.add(2, 24, face(1, 24)); // another person from here on
    c.add(3, 2, face(1, 2));
    expect(c.ok).toBe(false);
    expect(c.links.map((l) => l.similarity < 0.4)).toEqual([false, true, true]);
  });

  it('refuses a threshold or step outside its range', () => {
    expect(() => new PoseMatchedContinuity({ threshold: 2 })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => new PoseMatchedContinuity({ stepDeg: 0 })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
