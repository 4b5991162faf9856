import { describe, expect, it } from 'vitest';
import { CHALLENGE_KINDS, type ChallengeKind } from './challenges.ts';
import { DEFAULT_LIVENESS_CONFIG, livenessConfig } from './config.ts';
import { LivenessEngine, type LivenessTranscript } from './engine.ts';
import { guidanceFor } from './guidance.ts';
import { challengeSequence, LIVENESS_SEQUENCE_LABEL } from './sequence.ts';
import { NEUTRAL_FACE, perform } from './testing.ts';
import { judgeTranscript, parseLivenessTranscript, replayTranscript } from './transcript.ts';
import type { LivenessFrame } from './frame.ts';

const NONCE = 'q5H0mUu3zGvJr0aH8kLx2wYbT1nC4dEfA9sP7oQ6iRg';
const config = livenessConfig({ challengeCount: 3 });

function nonceFor(i: number): string {
  return `session-nonce-${String(i).padStart(6, '0')}-abcdefgh`;
}

const withHashes = (engine: LivenessEngine): LivenessTranscript => {
  for (const k of engine.transcript().keyframes) engine.attachKeyframe(k.t, { sha256: 'ab'.repeat(32) });
  return engine.transcript();
};

describe('challenge sequence from the nonce', () => {
  it('is reproducible, distinct, of the configured length, and pinned', async () => {
    const a = await challengeSequence(NONCE, 3);
    expect(await challengeSequence(NONCE, 3)).toEqual(a);
    expect(new Set(a).size).toBe(3);
    // Pins the generator (label, message layout, shuffle): a change here changes every session's order.
    expect(LIVENESS_SEQUENCE_LABEL).toBe('ekyc/liveness/challenge-order/v1');
    expect(a).toEqual(['blink', 'turn_right', 'turn_left']);
    expect(await challengeSequence(NONCE, 4)).toEqual(['smile', 'blink', 'turn_right', 'turn_left']);
    for (const count of [2, 3, 4]) expect(await challengeSequence(NONCE, count)).toHaveLength(count);
  });

  it('reaches every order across nonces, near uniformly', async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 960; i++) {
      const key = (await challengeSequence(nonceFor(i), 2)).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(12); // 4 * 3 ordered pairs
    for (const n of counts.values()) expect(n).toBeGreaterThan(40); // expected 80 each
  });

  it('refuses malformed nonces and counts', async () => {
    await expect(challengeSequence('short', 3)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(challengeSequence('has spaces in it, not base64url', 3)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(challengeSequence(NONCE, 5)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(challengeSequence(NONCE, 1)).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(() => livenessConfig({ maxLatencyMs: 10, minLatencyMs: 100 })).toThrowError(expect.objectContaining({ code: 'invalid_argument' }));
  });
});

describe('engine: outcomes', () => {
  it('passes a person who performs what is asked, in order, and the verifier reaches the same result', async () => {
    const engine = await LivenessEngine.fromNonce(NONCE, config);
    const steps = perform(engine, { seed: 7 });
    expect(steps.at(-1)!.state).toBe('passed');
    const transcript = withHashes(engine);
    expect(transcript.result.passed).toEqual(await challengeSequence(NONCE, 3));
    expect(transcript.keyframes.map((k) => k.role)).toEqual(['neutral', ...(await challengeSequence(NONCE, 3))]);
    for (const a of transcript.attempts) {
      expect(a.onsetAt! - a.activatedAt).toBeGreaterThanOrEqual(config.minLatencyMs);
      expect(a.onsetAt! - a.activatedAt).toBeLessThanOrEqual(config.maxLatencyMs);
    }
    const judged = await judgeTranscript(JSON.parse(JSON.stringify(transcript)), { nonce: NONCE, config });
    expect(judged).toMatchObject({ state: 'passed', consistent: true, mismatches: [] });
  });

  it('passes every order and count', async () => {
    for (let i = 0; i < 24; i++) {
      const engine = await LivenessEngine.fromNonce(nonceFor(i), livenessConfig({ challengeCount: 2 + (i % 3) }));
      expect(perform(engine, { seed: i }).at(-1)!.state).toBe('passed');
    }
  });

  it('times out a face that does nothing (a still photo), retries included', async () => {
    const engine = await LivenessEngine.fromNonce(NONCE, config);
    const steps = perform(engine, { respond: () => null });
    expect(steps.at(-1)).toMatchObject({ state: 'timed_out', reason: 'too_late' });
    const t = engine.transcript();
    expect(t.attempts).toHaveLength(config.maxRetries + 1);
    expect(t.attempts.every((a) => a.state === 'timed_out')).toBe(true);
    expect((await judgeTranscript(withHashes(engine), { nonce: NONCE, config })).state).toBe('timed_out');
  });

  it('never passes a challenge out of order (the movements of a fixed script)', async () => {
    const order = await challengeSequence(NONCE, 3);
    const script = [...order].reverse();
    const engine = await LivenessEngine.fromNonce(NONCE, config);
    // Performs the script's next movement at each prompt, whatever is asked.
    let next = 0;
    const steps = perform(engine, { respond: () => script[next++ % script.length]! });
    expect(steps.at(-1)!.state).not.toBe('passed');
    expect(engine.transcript().result.passed).not.toEqual(order);
  });

  it('a turn still being released when the opposite turn is asked is not a wrong response', () => {
    for (const order of [['turn_right', 'turn_left'], ['turn_left', 'turn_right']] as ChallengeKind[][]) {
      const engine = LivenessEngine.forEvaluation(order, livenessConfig({ maxRetries: 0 }));
      expect(perform(engine).at(-1)!.state).toBe('passed');
    }
  });

  it('fails the wrong direction of a turn', async () => {
    const engine = LivenessEngine.forEvaluation(['turn_left', 'blink'], livenessConfig({ maxRetries: 0 }));
    const steps = perform(engine, { respond: (asked) => (asked === 'turn_left' ? 'turn_right' : asked) });
    expect(steps.at(-1)).toMatchObject({ state: 'failed', reason: 'wrong_response' });
  });

  it('fails frames with two faces during a challenge', async () => {
    const engine = LivenessEngine.forEvaluation(['smile', 'blink'], livenessConfig({ maxRetries: 0 }));
    let activeSince = Infinity;
    const steps = perform(engine, {
      override: (t, frame) => {
        if (engine.current === 'active') activeSince = Math.min(activeSince, t);
        return t > activeSince + 200 ? { ...frame, faceCount: 2 } : frame;
      },
    });
    expect(steps.at(-1)).toMatchObject({ state: 'failed', reason: 'face_multiple' });
    expect(steps.some((s) => s.guidance.includes('face_multiple'))).toBe(true);
  });

  it('times out without a neutral baseline and guides meanwhile', async () => {
    const engine = await LivenessEngine.fromNonce(NONCE, config);
    const steps = perform(engine, { override: (t, frame) => ({ t, faceCount: 0, brightness: frame.brightness }) });
    expect(steps.at(-1)).toMatchObject({ state: 'timed_out', reason: 'baseline_timeout' });
    expect(steps[0]!.guidance).toEqual(['face_not_found']);
    expect(engine.transcript().attempts).toHaveLength(0);
  });
});

describe('engine: timing, hysteresis, retries', () => {
  const single = (kind: ChallengeKind, overrides = {}) => LivenessEngine.forEvaluation([kind], livenessConfig({ maxRetries: 0, ...overrides }));

  it('fails a response that starts before a human could react (minimum latency)', () => {
    // Starts moving as the prompt appears: 15 degrees are reached ~240 ms later.
    const steps = perform(single('turn_left', { minLatencyMs: 400 }), { reactionMs: 0 });
    expect(steps.at(-1)).toMatchObject({ state: 'failed', reason: 'too_early' });
  });

  it('does not count a movement held from before the prompt (it must start from rest)', () => {
    // Turned left all along after the baseline: never at rest, so never armed.
    const engine = single('turn_left');
    const steps = perform(engine, { override: (t, f) => (engine.current === 'active' ? { ...f, face: { ...f.face!, yaw: 30 } } : f) });
    expect(steps.at(-1)).toMatchObject({ state: 'timed_out', reason: 'too_late' });
    expect(engine.transcript().attempts[0]!.armedAt).toBeNull();
  });

  it('times out a response later than the maximum latency', () => {
    const steps = perform(single('smile', { maxLatencyMs: 1000, challengeWindowMs: 8000 }), { reactionMs: 1500 });
    expect(steps.at(-1)).toMatchObject({ state: 'timed_out', reason: 'too_late' });
    expect(perform(single('smile', { maxLatencyMs: 2000, challengeWindowMs: 8000 }), { reactionMs: 1500 }).at(-1)!.state).toBe('passed');
  });

  it('times out a response that does not complete within the window', () => {
    const steps = perform(single('turn_right', { challengeWindowMs: 700 }));
    expect(steps.at(-1)).toMatchObject({ state: 'timed_out', reason: 'window_elapsed' });
  });

  it('hysteresis: noise around the enter threshold neither breaks a hold nor completes a blink', () => {
    const d = DEFAULT_LIVENESS_CONFIG.challenges;
    // Yaw wobbling across `enter` (15 +/- 2) but above `exit` keeps the hold: passes.
    const turn = single('turn_left');
    let promptAt = Infinity;
    perform(turn, {
      respond: () => null,
      override: (t, f) => {
        if (turn.current === 'active') promptAt = Math.min(promptAt, t);
        const dt = t - promptAt - 500;
        const yaw = dt < 0 ? f.face!.yaw : NEUTRAL_FACE.yaw + d.turn_left.enter + (Math.floor(dt / 33) % 2 ? 2 : -2);
        return { ...f, face: { ...f.face!, yaw } };
      },
    });
    expect(turn.current).toBe('passed');
    // Eyes wobbling between 50% and 60% of open never return above 80%: no blink.
    const blink = single('blink');
    let blinkAt = Infinity;
    perform(blink, {
      respond: () => null,
      override: (t, f) => {
        if (blink.current === 'active') blinkAt = Math.min(blinkAt, t);
        const dt = t - blinkAt - 500;
        const k = dt < 0 ? 1 : Math.floor(dt / 33) % 2 ? 0.5 : 0.6;
        return { ...f, face: { ...f.face!, eyeOpennessLeft: NEUTRAL_FACE.eyeOpennessLeft * k, eyeOpennessRight: NEUTRAL_FACE.eyeOpennessRight * k } };
      },
    });
    expect(blink.current).not.toBe('passed');
    expect(blink.transcript().attempts[0]!.onsetAt).not.toBeNull();
  });

  it('retries a failed challenge up to maxRetries, then fails the session', async () => {
    const cfg = livenessConfig({ maxRetries: 2 });
    const wrongOnce = LivenessEngine.forEvaluation(['turn_left', 'smile'], cfg);
    perform(wrongOnce, { respond: (asked, attempt) => (asked === 'turn_left' && attempt === 0 ? 'turn_right' : asked) });
    expect(wrongOnce.current).toBe('passed');
    expect(wrongOnce.transcript().attempts.map((a) => `${a.kind}:${a.attempt}:${a.state}`)).toEqual(['turn_left:0:failed', 'turn_left:1:passed', 'smile:0:passed']);
    const alwaysWrong = LivenessEngine.forEvaluation(['turn_left', 'smile'], cfg);
    perform(alwaysWrong, { respond: (asked) => (asked === 'turn_left' ? 'turn_right' : asked) });
    expect(alwaysWrong.current).toBe('failed');
    expect(alwaysWrong.transcript().attempts).toHaveLength(3);
  });

  it('downsamples to minFrameIntervalMs and refuses time going backwards', () => {
    const engine = single('blink', { minFrameIntervalMs: 30 });
    perform(engine, { fps: 60 });
    const t = engine.transcript().frames.t;
    for (let i = 1; i < t.length; i++) expect(t[i]! - t[i - 1]!).toBeGreaterThanOrEqual(30);
    const fresh = single('blink');
    fresh.push({ t: 100, faceCount: 0, brightness: 0.5 });
    expect(() => fresh.push({ t: 50, faceCount: 0, brightness: 0.5 })).toThrowError(expect.objectContaining({ code: 'invalid_frame' }));
    expect(() => fresh.push({ t: 200, faceCount: 1, brightness: 0.5 })).toThrowError(expect.objectContaining({ code: 'invalid_frame' }));
    expect(() => fresh.push({ t: 200, faceCount: 1, brightness: Number.NaN, face: NEUTRAL_FACE })).toThrowError(expect.objectContaining({ code: 'invalid_frame' }));
  });
});

describe('transcript judged again', () => {
  async function passedTranscript(): Promise<LivenessTranscript> {
    const engine = await LivenessEngine.fromNonce(NONCE, config);
    perform(engine, { seed: 3 });
    return withHashes(engine);
  }

  it('a passed session judged under another nonce fails (order mismatch)', async () => {
    const transcript = await passedTranscript();
    const order = await challengeSequence(NONCE, 3);
    let other = 0;
    while ((await challengeSequence(nonceFor(other), 3)).join() === order.join()) other++;
    const judged = await judgeTranscript(transcript, { nonce: nonceFor(other), config });
    expect(judged).toMatchObject({ state: 'failed', consistent: false });
    expect(judged.mismatches).toContain('sequence');
  });

  it('the recorded frames replayed live under a new nonce do not pass', async () => {
    const transcript = await passedTranscript();
    const order = (await challengeSequence(NONCE, 3)).join();
    let tried = 0;
    for (let i = 0; tried < 12; i++) {
      if ((await challengeSequence(nonceFor(i), 3)).join() === order) continue;
      tried++;
      const fresh = replayTranscript({ ...transcript, sequence: { source: 'nonce', order: await challengeSequence(nonceFor(i), 3) } });
      expect(fresh.current).not.toBe('passed');
    }
  });

  it('detects edited frames, false claims, missing hashes, explicit orders and a foreign config', async () => {
    const transcript = await passedTranscript();
    const edited = structuredClone(transcript) as LivenessTranscript;
    const yaw = edited.frames.signals.yaw;
    for (let i = 0; i < yaw.length; i++) if (yaw[i] !== null) yaw[i] = 1; // flatten every turn
    expect((await judgeTranscript(edited, { nonce: NONCE, config })).mismatches).toEqual(expect.arrayContaining(['attempts', 'result']));

    const failed = await LivenessEngine.fromNonce(NONCE, config);
    perform(failed, { respond: () => null });
    const claim = structuredClone(withHashes(failed)) as { result: { state: string } };
    claim.result.state = 'passed';
    expect(await judgeTranscript(claim, { nonce: NONCE, config })).toMatchObject({ state: 'failed', mismatches: ['result'] });

    const unhashed = await LivenessEngine.fromNonce(NONCE, config);
    perform(unhashed, { seed: 3 });
    expect((await judgeTranscript(unhashed.transcript(), { nonce: NONCE, config })).mismatches).toEqual(['keyframe_hash_missing']);

    expect((await judgeTranscript(transcript, { config })).mismatches).toEqual(['nonce_missing']);
    expect((await judgeTranscript(transcript, { nonce: NONCE, config: livenessConfig({ challengeCount: 3, maxRetries: 3 }) })).mismatches).toContain('config');

    const explicit = LivenessEngine.forEvaluation(['blink', 'smile'], config);
    perform(explicit);
    const explicitTranscript = withHashes(explicit);
    expect((await judgeTranscript(explicitTranscript)).mismatches).toEqual(['explicit_sequence']);
    expect((await judgeTranscript(explicitTranscript, { allowExplicitSequence: true })).state).toBe('passed');
  });

  it('refuses malformed transcripts with a typed error', async () => {
    const transcript = await passedTranscript();
    await expect(judgeTranscript({ ...transcript, version: 2 })).rejects.toMatchObject({ code: 'liveness_transcript_invalid' });
    const short = structuredClone(transcript) as LivenessTranscript;
    short.frames.brightness.pop();
    expect(() => parseLivenessTranscript(short)).toThrowError(expect.objectContaining({ code: 'liveness_transcript_invalid' }));
    const hole = structuredClone(transcript) as LivenessTranscript;
    hole.frames.signals.smile[hole.frames.faceCount.indexOf(1)] = null;
    await expect(judgeTranscript(hole, { nonce: NONCE })).rejects.toMatchObject({ code: 'liveness_transcript_invalid' });
  });
});

describe('guidance', () => {
  const framing = DEFAULT_LIVENESS_CONFIG.framing;
  const frame = (face: Partial<typeof NEUTRAL_FACE>, brightness = 0.5): LivenessFrame => ({ t: 0, faceCount: 1, brightness, face: { ...NEUTRAL_FACE, ...face } });

  it('asks for one fix at a time, most important first', () => {
    expect(guidanceFor(frame({}), framing)).toEqual([]);
    expect(guidanceFor({ t: 0, faceCount: 2, brightness: 0.5 }, framing)).toEqual(['face_multiple']);
    expect(guidanceFor(frame({}, 0.05), framing)).toEqual(['too_dark']);
    expect(guidanceFor(frame({ distance: 0.05 }), framing)).toEqual(['move_closer']);
    expect(guidanceFor(frame({ distance: 0.4 }), framing)).toEqual(['move_farther']);
    expect(guidanceFor(frame({ box: { x: 0.02, y: 0.24, width: 0.28, height: 0.38 } }), framing)).toEqual(['center_face']);
    expect(guidanceFor(frame({}), framing, frame({ box: { x: 0.44, y: 0.24, width: 0.28, height: 0.38 } }))).toEqual(['hold_still']);
  });

  it('holds back the baseline until the face is framed', async () => {
    const engine = LivenessEngine.forEvaluation(['blink'], config);
    const steps = perform(engine, { override: (t, f) => (t < 3000 ? { ...f, face: { ...f.face!, distance: 0.05 } } : f) });
    expect(steps[0]!.guidance).toEqual(['move_closer']);
    expect(engine.transcript().baseline!.startedAt).toBeGreaterThanOrEqual(3000);
    expect(engine.current).toBe('passed');
  });
});

it('CHALLENGE_KINDS covers the four challenges of the issue', () => {
  expect([...CHALLENGE_KINDS]).toEqual(['blink', 'smile', 'turn_left', 'turn_right']);
});
