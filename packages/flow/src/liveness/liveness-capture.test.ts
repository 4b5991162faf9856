import { describe, expect, it } from 'vitest';
import { EkycError, liveness, livenessSchema, sha256Hex, type RgbaImage } from '@ekyc/core';
import type { TrackResult } from '@ekyc/workers';
import { livenessEvidenceOf } from './evidence.ts';
import { LivenessCapture, type ChallengePrompt, type FaceEmbedder, type LivenessCaptureOptions, type LivenessTracker } from './liveness-capture.ts';

// The I/O boundary is faked: a video whose frames the test presents by hand on a fake clock, the
// pixels read from it, and the worker's landmarks (a synthetic person who reacts to the prompts the
// capture dispatches). LivenessCapture and core's engine are real.
class FakeVideo {
  private callbacks = new Map<number, () => void>();
  private next = 1;
  requestVideoFrameCallback(callback: () => void): number {
    this.callbacks.set(this.next, callback);
    return this.next++;
  }
  cancelVideoFrameCallback(handle: number): void {
    this.callbacks.delete(handle);
  }
  get waiting(): number {
    return this.callbacks.size;
  }
  present(): void {
    const pending = [...this.callbacks.values()];
    this.callbacks.clear();
    for (const callback of pending) callback();
  }
}

const NEUTRAL: liveness.FaceSignals = {
  eyeOpennessLeft: 0.32, eyeOpennessRight: 0.31, smile: 0.62, yaw: 1, pitch: 3, roll: 0.5,
  box: { x: 0.36, y: 0.24, width: 0.28, height: 0.38 }, distance: 0.13,
};

function ramp(dt: number, rise: number, hold: number, fall: number): number {
  if (dt < 0) return 0;
  if (dt < rise) return dt / rise;
  if (dt < rise + hold) return 1;
  if (dt < rise + hold + fall) return 1 - (dt - rise - hold) / fall;
  return 0;
}

/** The face a person shows `dt` ms after starting to perform `kind`. */
function perform(kind: liveness.ChallengeKind, dt: number): liveness.FaceSignals {
  switch (kind) {
    case 'blink': {
      const k = ramp(dt, 80, 80, 120);
      return { ...NEUTRAL, eyeOpennessLeft: NEUTRAL.eyeOpennessLeft * (1 - 0.75 * k), eyeOpennessRight: NEUTRAL.eyeOpennessRight * (1 - 0.75 * k) };
    }
    case 'smile':
      return { ...NEUTRAL, smile: NEUTRAL.smile + 0.14 * ramp(dt, 250, 900, 400) };
    case 'turn_left':
      return { ...NEUTRAL, yaw: NEUTRAL.yaw + 28 * ramp(dt, 450, 500, 500) };
    case 'turn_right':
      return { ...NEUTRAL, yaw: NEUTRAL.yaw - 28 * ramp(dt, 450, 500, 500) };
  }
}

/** A synthetic person behind a fake worker: reacts 450 ms after each new prompt (or not at all). */
class FakePerson implements LivenessTracker {
  calls = 0;
  resets = 0;
  face: liveness.FaceSignals = NEUTRAL;
  faceCount = 1;
  fail: unknown = null;
  private prompt: { key: string; kind: liveness.ChallengeKind; at: number } | null = null;
  constructor(private readonly clock: { t: number }, private readonly responds = true) {}
  listen(capture: LivenessCapture): void {
    capture.addEventListener('challenge', (event) => {
      const p = event.prompt;
      const key = `${p.index}/${p.attempt}`;
      if (p.kind && p.state === 'active' && this.prompt?.key !== key) this.prompt = { key, kind: p.kind, at: this.clock.t };
    });
  }
  async reset(): Promise<void> {
    this.resets++;
  }
  async track(frame: RgbaImage): Promise<TrackResult> {
    this.calls++;
    if (this.fail) throw this.fail;
    const face = this.responds && this.prompt ? perform(this.prompt.kind, this.clock.t - this.prompt.at - 450) : this.face;
    return {
      faceCount: this.faceCount,
      ...(this.faceCount === 1 ? { signals: face, landmarks: new Float32Array(478 * 3).fill(frame.data[0]!) } : {}),
      brightness: 0.5, detected: false, timings: { detectMs: 0, landmarksMs: 0, totalMs: 0 },
    };
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(overrides: Partial<LivenessCaptureOptions> & { responds?: boolean } = {}) {
  const clock = { t: 1000 };
  const video = new FakeVideo();
  const person = new FakePerson(clock, overrides.responds ?? true);
  let frameNo = 0;
  const readFrame = (): RgbaImage => {
    frameNo++;
    // Each frame's pixels differ, so each keyframe has its own hash.
    return { width: 4, height: 4, data: new Uint8ClampedArray(64).fill(frameNo % 251) };
  };
  const config = overrides.config ?? liveness.livenessConfig({ challengeCount: 3 });
  const capture = new LivenessCapture({
    video: video as unknown as HTMLVideoElement, client: person, nonce: 'capture-test-nonce-0001', sessionId: 'session-1',
    config, readFrame, now: () => clock.t, cameraLabel: 'Integrated Camera', ...overrides,
  });
  person.listen(capture);
  const prompts: ChallengePrompt[] = [];
  capture.addEventListener('challenge', (event) => prompts.push(event.prompt));
  /**
   * Presents frames every `ms` (33: 30 fps) until the capture ends or `limitMs` passes, each processed before the
   * next: a fixed number of ticks was not enough for a keyframe's hash (WebCrypto, on libuv's threads) on a busy
   * machine, and the next frame was skipped as busy (a 462 ms gap under the unit suite at low priority).
   */
  const run = async (limitMs = 40_000, ms = 33) => {
    while (video.waiting === 0 && !capture.isStopped) await tick(); // the engine is made asynchronously (HMAC)
    for (const end = clock.t + limitMs; clock.t < end && !capture.isStopped; clock.t += ms) {
      const before = capture.stats.tracked + capture.stats.skippedBusy;
      video.present();
      for (let i = 0; i < 50 && capture.stats.tracked + capture.stats.skippedBusy === before; i++) await tick();
      while (capture.isProcessing) await tick();
    }
  };
  return { clock, video, person, capture, prompts, run, config };
}

describe('LivenessCapture', () => {
  it('passes a responsive person in the nonce order, and the verifier re-judges the transcript identically', async () => {
    const { capture, prompts, run, config, person } = setup();
    let completes = 0;
    capture.addEventListener('complete', () => completes++);
    await run();
    const outcome = await capture.result;
    const order = await liveness.challengeSequence('capture-test-nonce-0001', 3);
    expect(outcome.state).toBe('passed');
    expect(outcome.transcript.sequence).toEqual({ source: 'nonce', order });
    expect(outcome.passed).toEqual(order);
    expect(person.resets).toBe(1);
    expect(completes).toBe(1);
    // Neutral baseline first, then each challenge prompted in order and reported passed.
    expect(prompts[0]).toMatchObject({ kind: null, state: 'waiting', changed: true });
    const changes = prompts.filter((p) => p.changed && p.kind).map((p) => `${p.kind}:${p.state}`);
    expect(changes).toEqual(order.flatMap((kind) => [`${kind}:active`, `${kind}:passed`]));
    expect(prompts.filter((p) => p.state === 'active').every((p) => p.remainingMs > 0 && p.remainingMs <= config.challengeWindowMs)).toBe(true);
    // Keyframes: neutral + one per challenge; their pixels hash to what the transcript recorded.
    expect(outcome.keyframes.map((k) => k.role)).toEqual(['neutral', ...order]);
    for (const [i, keyframe] of outcome.keyframes.entries()) {
      expect(outcome.transcript.keyframes[i]).toMatchObject({ role: keyframe.role, t: keyframe.t, sha256: keyframe.sha256 });
      expect(await sha256Hex(new Uint8Array(keyframe.image.data))).toBe(keyframe.sha256);
    }
    const judged = await liveness.judgeTranscript(JSON.parse(JSON.stringify(outcome.transcript)), { nonce: 'capture-test-nonce-0001', config });
    expect(judged).toMatchObject({ consistent: true, state: 'passed' });
    // Under another nonce the same frames are a replay.
    expect((await liveness.judgeTranscript(outcome.transcript, { nonce: 'another-session-nonce-02', config })).state).toBe('failed');
    expect(outcome.signals.find((s) => s.id === 'virtual_camera')).toMatchObject({ value: 0, flagged: false });
    expect(outcome.frameTimestamps.length).toBe(outcome.stats.videoFrames);
    expect(outcome.continuity).toBeNull();
    // Diagnostics: nothing to explain; every attempt went past its threshold.
    expect(outcome.diagnostics).toMatchObject({ state: 'passed', cause: null, tracked: outcome.stats.tracked, judged: outcome.transcript.frames.t.length, maxFrameGapMs: 500, noFaceFrames: 0 });
    expect(outcome.diagnostics.attempts.map((a) => [a.kind, a.state, a.peak >= a.enter])).toEqual(order.map((k) => [k, 'passed', true]));
    expect(outcome.diagnostics.maxGapMs).toBeLessThanOrEqual(33);
  });

  it('a face that does not respond times out after the retries the config allows', async () => {
    const config = liveness.livenessConfig({ challengeCount: 2, maxRetries: 1 });
    const { capture, prompts, run } = setup({ responds: false, config });
    await run();
    const outcome = await capture.result;
    expect(outcome.state).toBe('timed_out');
    expect(outcome.reason).toBe('too_late');
    // The first challenge and its one retry: two attempts, both reported timed out.
    expect(outcome.transcript.attempts.map((a) => [a.index, a.attempt, a.state])).toEqual([[0, 0, 'timed_out'], [0, 1, 'timed_out']]);
    expect(prompts.filter((p) => p.changed && p.state === 'timed_out').map((p) => p.attempt)).toEqual([0, 1]);
    expect(outcome.keyframes.map((k) => k.role)).toEqual(['neutral']);
    expect(outcome.diagnostics.cause).toBe('response_not_seen');
    expect(outcome.diagnostics.attempts.every((a) => a.peak < a.enter && a.onsetAfterMs === null)).toBe(true);
  });

  it('diagnostics tell a device too slow for the challenges (frames 600 ms apart) from a camera without a face', async () => {
    const slow = setup();
    await slow.run(40_000, 600);
    const late = await slow.capture.result;
    expect(late).toMatchObject({ state: 'failed', reason: 'frame_gap' });
    expect(late.diagnostics).toMatchObject({ cause: 'frame_rate_low', maxGapMs: 600, maxFrameGapMs: 500 });
    expect(late.diagnostics.trackedFps).toBeLessThan(2);

    const empty = setup();
    empty.person.faceCount = 0;
    await empty.run();
    const none = await empty.capture.result;
    expect(none).toMatchObject({ state: 'timed_out', reason: 'baseline_timeout' });
    expect(none.diagnostics).toMatchObject({ cause: 'no_face', baselineAfterMs: null, attempts: [] });
    expect(none.diagnostics.noFaceFrames).toBe(none.diagnostics.judged);
  });

  it('flags a virtual camera by its label and reports guidance while no face is found', async () => {
    const { capture, person, run } = setup({ cameraLabel: 'OBS Virtual Camera' });
    const guidance: string[] = [];
    capture.addEventListener('track', (event) => guidance.push(event.track.guidance[0] ?? 'none'));
    person.faceCount = 0;
    await run(300);
    expect(guidance.every((g) => g === 'face_not_found')).toBe(true);
    person.faceCount = 1;
    await run();
    const outcome = await capture.result;
    expect(outcome.signals.find((s) => s.id === 'virtual_camera')).toMatchObject({ value: 1, flagged: true, blocking: false });
  });

  it('stops on abort: the result rejects with the reason and no frame is tracked after it', async () => {
    const controller = new AbortController();
    const { capture, video, person, run } = setup({ signal: controller.signal });
    await run(500);
    const calls = person.calls;
    expect(calls).toBeGreaterThan(5);
    controller.abort(new DOMException('user left', 'AbortError'));
    await expect(capture.result).rejects.toMatchObject({ name: 'AbortError', message: 'user left' });
    expect(video.waiting).toBe(0); // the frame callback is cancelled
    video.present();
    await tick();
    expect(person.calls).toBe(calls);
  });

  it('rejects with the worker error and keeps one frame in flight', async () => {
    const { capture, video, person, run } = setup();
    await run(200);
    // A frame whose tracking never answers: later frames are dropped, not queued.
    let release: (() => void) | undefined;
    const track = person.track.bind(person);
    person.track = (frame) => new Promise((resolve) => { release = () => resolve(track(frame)); });
    const before = person.calls;
    video.present();
    video.present();
    video.present();
    await tick();
    expect(capture.stats.skippedBusy).toBe(2);
    release?.();
    await tick();
    expect(person.calls).toBe(before + 1); // only the frame in flight reached the worker
    person.track = track;
    person.fail = new EkycError('worker_crashed', 'The worker died');
    await run(100);
    await expect(capture.result).rejects.toMatchObject({ code: 'worker_crashed' });
  });

  it('a nonce the engine refuses rejects the result with invalid_argument', async () => {
    const { capture } = setup({ nonce: '' });
    await expect(capture.result).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('LivenessCapture continuity and evidence', () => {
  /** Embeddings of two people: a fixed direction per person plus a little pose-dependent drift. */
  const person = (id: number, yaw: number): Float32Array => {
    const v = new Float32Array(16);
    v[id] = 1;
    v[8] = yaw / 60; // faces far apart in yaw match less, as fr-feature does
    return v;
  };

  it('embeds keyframes and yaw bridges once the challenges are over; a face swapped mid-session breaks continuity', async () => {
    let swapped = false;
    let frameNo = 0;
    let subject: { face: { yaw: number } } | undefined;
    // The frame carries who is in it and their yaw (the embedder reads only pixels, as the face worker does).
    const readFrame = (): RgbaImage => {
      const data = new Uint8ClampedArray(64).fill(++frameNo % 251);
      data[0] = swapped ? 1 : 0;
      data[1] = Math.round((subject?.face.yaw ?? 0) + 128);
      return { width: 4, height: 4, data };
    };
    const embedded: number[] = [];
    let trackedWhileEmbedding = 0;
    let tracking = true;
    const embedFace: FaceEmbedder = async (frame) => {
      if (tracking) trackedWhileEmbedding++;
      const yaw = frame.data[1]! - 128;
      embedded.push(yaw);
      return person(frame.data[0]!, yaw);
    };
    const { capture, run, person: fake } = setup({ embedFace, readFrame, nonce: 'continuity-test-nonce-01', config: liveness.livenessConfig({ challengeCount: 4 }) });
    subject = fake;
    capture.addEventListener('challenge', (event) => {
      if (event.prompt.changed && event.prompt.state === 'passed' && event.prompt.index === event.prompt.count - 1) tracking = false;
    });
    let passedChallenges = 0;
    capture.addEventListener('challenge', (event) => {
      if (event.prompt.changed && event.prompt.state === 'passed' && ++passedChallenges === 2) swapped = true;
    });
    await run();
    const outcome = await capture.result;
    expect(outcome.state).toBe('passed'); // the engine sees only landmarks: the swap is continuity's to catch
    // No embedding competed with the tracker while the challenges ran.
    expect(trackedWhileEmbedding).toBe(0);
    // Keyframes (5) plus bridges: the two turns each crossed 10-degree steps.
    expect(outcome.stats.embedded).toBeGreaterThan(5);
    expect(outcome.continuity).toMatchObject({ ok: false, error: null });
    expect(outcome.continuity!.minimum!).toBeLessThan(0.4);
    expect(outcome.signals.find((s) => s.id === 'face_continuity')).toMatchObject({ flagged: true });
  });

  it('the outcome as evidence: raw-RGBA keyframe artifacts whose hashes are the transcript\'s, judged again from the manifest', async () => {
    const { capture, run, config } = setup();
    await run();
    const outcome = await capture.result;
    const evidence = await livenessEvidenceOf({ ...outcome, timeOrigin: Date.UTC(2026, 0, 1) });
    const parsed = livenessSchema.parse(JSON.parse(JSON.stringify(evidence.liveness)));
    expect(evidence.artifacts.map((a) => a.kind)).toEqual(outcome.keyframes.map(() => 'liveness_keyframe'));
    for (const [i, artifact] of evidence.artifacts.entries()) {
      expect(await sha256Hex(new Uint8Array(artifact.data))).toBe(outcome.transcript.keyframes[i]!.sha256);
    }
    expect(parsed.challenges.map((c) => [c.kind, c.status, c.keyframeArtifactIds.length])).toEqual(outcome.passed.map((k) => [k, 'passed', 1]));
    expect(await liveness.judgeTranscript(parsed.transcript, { nonce: outcome.nonce, config })).toMatchObject({ consistent: true, state: 'passed' });
    // A keyframe whose pixels were changed no longer ties to the transcript.
    const tampered = outcome.keyframes.map((k, i) => (i === 1 ? { ...k, image: { ...k.image, data: new Uint8ClampedArray(k.image.data).fill(7) } } : k));
    await expect(livenessEvidenceOf({ ...outcome, keyframes: tampered })).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
