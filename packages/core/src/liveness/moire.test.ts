import { describe, expect, it } from 'vitest';
import { simulateScreenReplay } from '@ekyc/testkit/liveness-video';
import type { RgbaImage } from '../image/rgba.ts';
import { moireScore } from './moire.ts';
import { assessReplaySignals, screenMoireSignal } from './replay.ts';

/** A face-like frame: smooth shading plus broadband, seeded texture (no periodic component). */
function texturedFrame(seed: number): RgbaImage {
  const [width, height] = [320, 240];
  const data = new Uint8ClampedArray(width * height * 4);
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  // Value noise on three scales, bilinear: broadband like skin and hair.
  const grids = [8, 3, 1.5].map((cell) => ({ cell, w: Math.ceil(width / cell) + 2, v: Array.from({ length: (Math.ceil(width / cell) + 2) * (Math.ceil(height / cell) + 2) }, rand) }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let t = 0;
      for (const [k, g] of grids.entries()) {
        const gx = x / g.cell;
        const gy = y / g.cell;
        const [ix, iy] = [Math.floor(gx), Math.floor(gy)];
        const [fx, fy] = [gx - ix, gy - iy];
        const at = (a: number, b: number) => g.v[(iy + b) * g.w + ix + a]!;
        t += (30 / (k + 1)) * ((1 - fy) * ((1 - fx) * at(0, 0) + fx * at(1, 0)) + fy * ((1 - fx) * at(0, 1) + fx * at(1, 1)));
      }
      const shade = 150 - 0.15 * Math.hypot(x - 160, y - 110);
      const o = (y * width + x) * 4;
      data[o] = shade + t + 20;
      data[o + 1] = shade + t;
      data[o + 2] = shade + t - 15;
      data[o + 3] = 255;
    }
  }
  return { width, height, data };
}

const box = { x: 0.1, y: 0.05, width: 0.8, height: 0.9 };

describe('moireScore', () => {
  it('stands out for a face filmed off a screen and not for the face itself', () => {
    const direct: number[] = [];
    const screen: number[] = [];
    for (const seed of [1, 2, 3]) {
      const frame = texturedFrame(seed);
      direct.push(moireScore(frame, box).value!);
      for (const [pitch, angleDeg] of [[0.7, 0], [1.3, 4], [2.2, 9]] as const) screen.push(moireScore(simulateScreenReplay(frame, { pitch, angleDeg, seed }), box).value!);
    }
    console.log(JSON.stringify({ direct, screen }));
    expect(Math.max(...direct)).toBeLessThan(Math.min(...screen));
  });

  it('analyses a 128 or 64 px window of the face, none when the face is too small', () => {
    const frame = texturedFrame(4);
    expect(moireScore(frame, box).window).toBe(128);
    expect(moireScore(frame, { x: 0.4, y: 0.4, width: 0.3, height: 0.4 }).window).toBe(64);
    expect(moireScore(frame, { x: 0.4, y: 0.4, width: 0.1, height: 0.1 })).toEqual({ value: null, window: 0, peak: null });
  });

  it('is deterministic', () => {
    const frame = texturedFrame(5);
    expect(moireScore(frame, box)).toEqual(moireScore({ ...frame, data: new Uint8ClampedArray(frame.data) }, box));
  });
});

describe('screenMoireSignal', () => {
  it('is scored, never blocking, flagged from 1.6, and absent without a value', () => {
    expect(screenMoireSignal(1.2)).toMatchObject({ id: 'screen_moire', risk: 0, flagged: false, blocking: false, validated: false });
    expect(screenMoireSignal(1.6)).toMatchObject({ risk: 0.5, flagged: true, blocking: false });
    expect(screenMoireSignal(2.5).risk).toBe(1);
    expect(screenMoireSignal(null)).toMatchObject({ value: null, risk: 0, flagged: false });
    const series = { t: [], faceCount: [], brightness: [], signals: { eyeL: [], eyeR: [], smile: [], yaw: [], pitch: [], roll: [], boxX: [], boxY: [], boxW: [], boxH: [], distance: [] } };
    expect(assessReplaySignals({ series, moire: 2.1 }).find((s) => s.id === 'screen_moire')).toMatchObject({ value: 2.1, flagged: true });
  });
});
