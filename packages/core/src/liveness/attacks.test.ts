/**
 * Attacks at the landmark level: synthetic meshes go through faceSignalsFromLandmarks and the
 * engine, as the worker's landmarks do. (The same attacks on rendered video, through the real
 * landmark model, are in scripts/eval-liveness.mjs.)
 */
import { describe, expect, it } from 'vitest';
import type { ChallengeKind } from './challenges.ts';
import { livenessConfig } from './config.ts';
import { LivenessEngine } from './engine.ts';
import { assessReplaySignals, frameTimingSignal, screenFlickerSignal, virtualCameraSignal } from './replay.ts';
import { faceSignalsFromLandmarks } from './signals.ts';
import { MOVEMENTS, seededRandom, syntheticMesh, type SyntheticPose } from './testing.ts';

const FRAME = { width: 640, height: 480 };
const config = livenessConfig({ maxRetries: 1 });

/** Drives the engine with meshes: `pose(t, asked, askedAt)` gives each frame's face. */
function run(engine: LivenessEngine, pose: (t: number, asked: ChallengeKind | null, askedAt: number) => SyntheticPose | SyntheticPose[] | null, limitMs = 30_000) {
  let asked: ChallengeKind | null = null;
  let askedAt = 0;
  let key = '';
  for (let t = 0; t < limitMs; t += 33) {
    const faces = pose(t, asked, askedAt);
    const list = faces === null ? [] : Array.isArray(faces) ? faces : [faces];
    const step = engine.push({
      t,
      faceCount: list.length,
      brightness: 0.45,
      ...(list.length === 1 ? { face: faceSignalsFromLandmarks(syntheticMesh(list[0]), FRAME) } : {}),
    });
    if (step.challenge && step.challenge.state === 'active' && `${step.challenge.index}/${step.challenge.attempt}` !== key) {
      key = `${step.challenge.index}/${step.challenge.attempt}`;
      asked = step.challenge.kind;
      askedAt = t;
    }
    if (step.state !== 'waiting' && step.state !== 'active') break;
  }
  return engine;
}

/** A live-looking face: breathing-scale jitter plus the asked movement. */
function genuine(seed: number) {
  const random = seededRandom(seed);
  return (t: number, asked: ChallengeKind | null, askedAt: number): SyntheticPose => {
    const j = () => random() * 2 - 1;
    const base: SyntheticPose = { scale: 1.6, cx: 320 + j(), cy: 220 + j(), yaw: j() * 0.8, pitch: j() * 0.8, eyeClosure: Math.abs(j()) * 0.03, smile: Math.abs(j()) * 0.03 };
    if (!asked) return base;
    const dt = t - askedAt - 450;
    const offsets = MOVEMENTS[asked].movement(dt) ?? {};
    if (asked === 'blink') return { ...base, eyeClosure: 1 - (offsets.eyeOpennessLeft ?? 0.32) / 0.32 };
    if (asked === 'smile') return { ...base, smile: ((offsets.smile ?? 0.62) - 0.62) / 0.14 };
    return { ...base, yaw: (offsets.yaw ?? 1) - 1 };
  };
}

describe('attacks on the landmark level', () => {
  it('a live-looking mesh passes every order (control)', async () => {
    for (let i = 0; i < 12; i++) {
      const engine = await LivenessEngine.fromNonce(`attack-control-nonce-${i}-xxxxxx`, livenessConfig({ challengeCount: 4 }));
      expect(run(engine, genuine(i)).current).toBe('passed');
    }
  });

  it('a static photo never passes and reads as a static image', async () => {
    for (let i = 0; i < 12; i++) {
      const engine = await LivenessEngine.fromNonce(`static-photo-nonce-${i}-xxxxxxx`, config);
      run(engine, () => ({ scale: 1.6, cx: 320, cy: 220 }));
      expect(engine.current).toBe('timed_out');
      const signals = assessReplaySignals({ series: engine.transcript().frames });
      expect(signals.find((s) => s.id === 'static_image')).toMatchObject({ value: 0, risk: 1, flagged: true, blocking: false });
    }
  });

  it('a photo slid, rotated and scaled in the image plane never passes blink or smile', () => {
    for (const order of [['blink'], ['smile'], ['blink', 'smile'], ['smile', 'blink']] as ChallengeKind[][]) {
      for (let seed = 0; seed < 4; seed++) {
        const random = seededRandom(seed);
        const engine = LivenessEngine.forEvaluation(order, config);
        // Whatever is asked, the photo is moved harder than a live face moves: +-80 px, +-25 degrees, 0.7-1.3x.
        run(engine, (t, asked) => {
          if (!asked) return { scale: 1.6, cx: 320 + random(), cy: 220 };
          const k = Math.sin(t / 300);
          return { scale: 1.6 * (1 + 0.3 * k), cx: 320 + 80 * k, cy: 220 + 30 * Math.cos(t / 300), roll: 25 * Math.sin(t / 500) };
        });
        expect(engine.current).not.toBe('passed');
        expect(engine.transcript().attempts.every((a) => a.onsetAt === null)).toBe(true);
      }
    }
  });

  it('two faces in the frame fail (or never start)', async () => {
    const engine = await LivenessEngine.fromNonce('two-faces-nonce-xxxxxxxxxxxx', config);
    run(engine, (t, asked, askedAt) => (asked && t > askedAt + 100 ? [{}, { cx: 100 }] : genuine(1)(t, asked, askedAt)));
    expect(engine.current).toBe('failed');
    expect(engine.result().reason).toBe('face_multiple');
    const never = run(LivenessEngine.forEvaluation(['blink', 'smile'], config), () => [{}, { cx: 100 }]);
    expect(never.current).toBe('timed_out');
  });
});

describe('replay and injection signals', () => {
  it('scores a live-looking stream low', () => {
    const engine = run(LivenessEngine.forEvaluation(['blink', 'smile', 'turn_left'], config), genuine(5));
    const byId = Object.fromEntries(assessReplaySignals({ series: engine.transcript().frames }).map((s) => [s.id, s]));
    expect(byId.static_image!.flagged).toBe(false);
    expect(byId.screen_flicker!.flagged).toBe(false);
    expect(Object.values(byId).every((s) => s.blocking === false)).toBe(true);
  });

  it('flags virtual cameras by label, not ordinary ones', () => {
    for (const label of ['OBS Virtual Camera', 'ManyCam Virtual Webcam', 'fake_device_0', 'Snap Camera', 'XSplit VCam', '/tmp/liveness-e2e-Ab12/clip.y4m', 'C:\\clips\\face.MJPEG']) expect(virtualCameraSignal(label).flagged).toBe(true);
    for (const label of ['FaceTime HD Camera (Built-in)', 'Integrated Webcam (0c45:6a08)', 'Logitech BRIO']) expect(virtualCameraSignal(label).flagged).toBe(false);
    expect(virtualCameraSignal(null).value).toBeNull();
  });

  it('flags exact and stalling frame timing, not camera jitter', () => {
    const random = seededRandom(9);
    const exact = Array.from({ length: 60 }, (_, i) => i * 33.333);
    const jitter = Array.from({ length: 60 }, (_, i) => i * 33.333 + random() * 6);
    const stalls = Array.from({ length: 60 }, (_, i) => i * 33 + (i % 10 === 0 ? i * 40 : 0));
    expect(frameTimingSignal(exact).flagged).toBe(true);
    expect(frameTimingSignal(jitter).flagged).toBe(false);
    expect(frameTimingSignal(stalls).flagged).toBe(true);
  });

  it('flags brightness alternating frame to frame (a filmed screen), not a slow change', () => {
    expect(screenFlickerSignal(Array.from({ length: 60 }, (_, i) => 0.5 + (i % 2 ? 0.01 : -0.01))).flagged).toBe(true);
    expect(screenFlickerSignal(Array.from({ length: 60 }, (_, i) => 0.4 + i * 0.003)).flagged).toBe(false);
  });
});
