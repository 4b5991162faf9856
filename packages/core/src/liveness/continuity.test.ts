import { describe, expect, it } from 'vitest';
import { judgeKeyframeContinuity, PoseMatchedContinuity, RELIABLE_YAW_GAP_DEG } from './continuity.ts';

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

describe('judgeKeyframeContinuity (keyframes only, no bridges)', () => {
  it('a face swapped at the same pose is broken', () => {
    const judged = judgeKeyframeContinuity([
      { t: 0, yaw: 2, embedding: face(0, 2) },
      { t: 900, yaw: 3, embedding: face(1, 3) }, // blink keyframe of another person
    ]);
    expect(judged.verdict).toBe('broken');
    expect(judged.links).toEqual([expect.objectContaining({ t: 900, againstT: 0, verdict: 'broken' })]);
  });

  it('the same person across a large yaw gap with a low link is uncertain, never broken', () => {
    // 45 degrees from the neutral face: under the threshold although it is the same person.
    const judged = judgeKeyframeContinuity([
      { t: 0, yaw: 0, embedding: face(0, 0) },
      { t: 1500, yaw: 45, embedding: face(0, 45) },
    ]);
    expect(judged.links[0]!.similarity).toBeLessThan(0.4);
    expect(judged).toMatchObject({ verdict: 'uncertain', poseMatched: true });
  });

  it('a genuine session with small gaps is ok, each face against the earlier one nearest in yaw (time order)', () => {
    const judged = judgeKeyframeContinuity([
      { t: 2000, yaw: 20, embedding: face(0, 20) }, // given out of order
      { t: 0, yaw: 0, embedding: face(0, 0) },
      { t: 1000, yaw: 10, embedding: face(0, 10) },
      { t: 3000, yaw: 1, embedding: face(0, 1) },
    ]);
    expect(judged.verdict).toBe('ok');
    expect(judged.links.map((l) => [l.t, l.againstT])).toEqual([[1000, 0], [2000, 1000], [3000, 0]]);
  });

  it('a swap at a pose near an earlier keyframe is broken even when another keyframe is far in yaw', () => {
    const judged = judgeKeyframeContinuity([
      { t: 0, yaw: 0, embedding: face(0, 0) },
      { t: 1000, yaw: 45, embedding: face(0, 45) }, // genuine turn: uncertain alone
      { t: 2000, yaw: 4, embedding: face(1, 4) }, // another person near the neutral pose
    ]);
    expect(judged.links.map((l) => l.verdict)).toEqual(['uncertain', 'broken']);
    expect(judged.verdict).toBe('broken');
  });

  it('the gap limit is inclusive: a low link exactly RELIABLE_YAW_GAP_DEG apart is broken', () => {
    const judged = judgeKeyframeContinuity(
      [{ t: 0, yaw: 0, embedding: face(0, 0) }, { t: 1, yaw: RELIABLE_YAW_GAP_DEG, embedding: face(1, RELIABLE_YAW_GAP_DEG) }],
    );
    expect(judged.verdict).toBe('broken');
  });

  it('without a yaw for every face, each is compared with the first and a low link is broken', () => {
    const judged = judgeKeyframeContinuity([
      { t: 0, yaw: 0, embedding: face(0, 0) },
      { t: 1000, yaw: null, embedding: face(0, 45) },
    ]);
    expect(judged).toMatchObject({ verdict: 'broken', poseMatched: false });
    expect(judgeKeyframeContinuity([{ t: 0, yaw: null, embedding: face(0, 0) }])).toMatchObject({ verdict: 'ok', links: [] });
  });

  it('refuses a negative gap and embeddings of different lengths', () => {
    expect(() => judgeKeyframeContinuity([], { reliableYawGapDeg: -1 })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => judgeKeyframeContinuity([{ t: 0, yaw: 0, embedding: [1, 0] }, { t: 1, yaw: 0, embedding: [1, 0, 0] }])).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
