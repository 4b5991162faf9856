/**
 * A recorded signal series: the transcript of a generated clip (sample5 face, smile -> blink ->
 * turn_right) as the browser worker and engine produced it, judged here in Node.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChallengeKind } from './challenges.ts';
import type { LivenessTranscript } from './engine.ts';
import { judgeTranscript, replayTranscript } from './transcript.ts';

const recorded = JSON.parse(readFileSync(new URL('./fixtures/generated-clip.transcript.json', import.meta.url), 'utf8')) as LivenessTranscript;
const options = { allowExplicitSequence: true, requireKeyframeHashes: true } as const;

describe('a recorded landmark-signal series', () => {
  it('is judged in Node exactly as in the browser', async () => {
    expect(recorded.result.state).toBe('passed');
    expect(await judgeTranscript(recorded, options)).toMatchObject({ state: 'passed', consistent: true, mismatches: [] });
  });

  it('does not pass under any other order of challenges (a replay under a new nonce)', () => {
    const kinds: ChallengeKind[] = ['blink', 'smile', 'turn_left', 'turn_right'];
    let orders = 0;
    for (const a of kinds) for (const b of kinds) for (const c of kinds) {
      const order = [a, b, c];
      if (new Set(order).size < 3 || order.join() === recorded.sequence.order.join()) continue;
      orders++;
      expect(replayTranscript({ ...recorded, sequence: { source: 'explicit', order } }).current, order.join()).not.toBe('passed');
    }
    expect(orders).toBe(23);
  });

  it('fails when a single frame of the blink is edited back to open eyes', async () => {
    const edited = structuredClone(recorded);
    const blink = edited.attempts.find((a) => a.kind === 'blink')!;
    const i = edited.frames.t.indexOf(blink.heldAt!);
    edited.frames.signals.eyeL[i] = edited.baseline!.eyeOpenness;
    edited.frames.signals.eyeR[i] = edited.baseline!.eyeOpenness;
    const judged = await judgeTranscript(edited, options);
    expect(judged.consistent).toBe(false);
    expect(judged.state).toBe('failed');
  });
});
