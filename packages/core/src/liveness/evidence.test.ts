import { describe, expect, it } from 'vitest';
import { livenessSchema } from '../evidence/schema.ts';
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
