import { describe, expect, it } from 'vitest';
import { createSampleEvidenceInput } from '@ekyc/testkit/evidence';
import { buildEvidence } from '../evidence/builder.ts';
import { livenessSchema } from '../evidence/schema.ts';
import { createSessionSigner } from '../evidence/signer.ts';
import { verifyBundleIntegrity } from '../evidence/verify.ts';
import { sha256Hex } from '../hash.ts';
import { livenessEvidence } from './evidence.ts';
import { livenessConfig } from './config.ts';
import { LivenessEngine } from './engine.ts';
import { perform } from './testing.ts';
import { judgeTranscript } from './transcript.ts';

describe('the transcript in the evidence bundle', () => {
  it('fits evidence liveness.transcript and is judged again from there', async () => {
    const nonce = 'evidence-liveness-nonce-0001';
    const config = livenessConfig({ challengeCount: 2 });
    const engine = await LivenessEngine.fromNonce(nonce, config);
    perform(engine, { seed: 11 });
    for (const k of engine.transcript().keyframes) engine.attachKeyframe(k.t, { sha256: 'cd'.repeat(32), landmarks: new Float32Array(478 * 3).fill(1.25) });
    const liveness = livenessSchema.parse(JSON.parse(JSON.stringify({ challengeSeed: nonce, challenges: [], passiveScore: null, transcript: engine.transcript() })));
    expect(await judgeTranscript(liveness.transcript, { nonce, config })).toMatchObject({ state: 'passed', consistent: true });
    // Without a transcript the member stays valid (older bundles).
    expect(livenessSchema.safeParse({ challengeSeed: nonce, challenges: [], passiveScore: null }).success).toBe(true);
  });
});

describe('a liveness session in a signed bundle (livenessEvidence -> buildEvidence -> verify -> judge)', () => {
  it('carries the transcript in liveness.transcript, keyframe artifacts hash to the transcript, and re-judges identically', async () => {
    const nonce = 'evidence-liveness-nonce-0002';
    const config = livenessConfig({ challengeCount: 3 });
    const engine = await LivenessEngine.fromNonce(nonce, config);
    perform(engine, { seed: 5 });
    const keyframes = engine.transcript().keyframes.map((k, i) => ({ role: k.role, t: k.t, image: { width: 8, height: 4, data: new Uint8ClampedArray(128).fill(10 + i) } }));
    for (const k of keyframes) engine.attachKeyframe(k.t, { sha256: await sha256Hex(k.image.data) });
    const transcript = engine.transcript();
    const startedAt = new Date(Date.UTC(2026, 0, 1, 12));
    const evidence = await livenessEvidence({ nonce, transcript, keyframes, timeOrigin: startedAt.getTime() + 2000 });
    const bundle = await buildEvidence(await createSampleEvidenceInput({ sessionId: 'liveness-evidence', nonce, startedAt, liveness: evidence }), await createSessionSigner());
    await verifyBundleIntegrity(bundle, { now: new Date(startedAt.getTime() + 60_000) });
    const { manifest } = bundle;
    const stored = manifest.artifacts.filter((a) => a.kind === 'liveness_keyframe');
    expect(stored.map((a) => a.sha256)).toEqual(transcript.keyframes.map((k) => k.sha256));
    expect(manifest.liveness!.challenges.map((c) => c.keyframeArtifactIds)).toEqual(stored.slice(1).map((a) => [a.id]));
    const judged = await judgeTranscript(manifest.liveness!.transcript, { nonce, config });
    expect(judged).toMatchObject({ consistent: true, state: 'passed' });
    expect(judged.replayed).toEqual(engine.result());
    // A keyframe image that is not the hashed one is refused before anything is signed.
    await expect(livenessEvidence({ nonce, transcript, keyframes: keyframes.map((k) => ({ ...k, image: { ...k.image, data: new Uint8ClampedArray(128) } })), timeOrigin: 0 }))
      .rejects.toMatchObject({ code: 'invalid_argument' });
  });
});

describe('livenessEvidence challenge summaries', () => {
  it('lists each challenge asked once, by how its last attempt ended (a retried failure stays in the transcript)', async () => {
    const nonce = 'evidence-liveness-nonce-0003';
    const config = livenessConfig({ challengeCount: 2, maxRetries: 1 });
    const engine = await LivenessEngine.fromNonce(nonce, config);
    // No response to the first prompt, then the asked movement on the retry.
    let prompts = 0;
    perform(engine, { seed: 3, respond: (asked) => (++prompts === 1 ? null : asked) });
    const keyframes = engine.transcript().keyframes.map((k, i) => ({ role: k.role, t: k.t, image: { width: 2, height: 2, data: new Uint8ClampedArray(16).fill(i) } }));
    for (const k of keyframes) engine.attachKeyframe(k.t, { sha256: await sha256Hex(k.image.data) });
    const transcript = engine.transcript();
    expect(transcript.attempts.map((a) => `${a.index}/${a.attempt}:${a.state}`)).toEqual(['0/0:timed_out', '0/1:passed', '1/0:passed']);
    const { liveness } = await livenessEvidence({ nonce, transcript, keyframes, timeOrigin: 0 });
    expect(liveness.challenges.map((c) => [c.order, c.kind, c.status, c.keyframeArtifactIds.length])).toEqual(transcript.sequence.order.map((kind, i) => [i, kind, 'passed', 1]));
  });
});
