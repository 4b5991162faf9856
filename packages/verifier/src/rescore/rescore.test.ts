/**
 * Server-side face continuity over the liveness keyframes, with the real face models on
 * onnxruntime-node: each keyframe is compared with the earlier one nearest in the transcript's yaw.
 * A different face at a like pose is rejected; a different face across a ~22 degree gap (where a
 * genuine face can score as low, docs/liveness.md) goes to review; the same face passes. And the
 * flow's document checks judged again with the session's own configuration.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMrz, liveness, risk, type EvidenceBundle, type EvidenceManifest } from '@ekyc/core';
import { perform } from '../../../core/src/liveness/testing.ts';
import { ServerFaceEngine } from '../face/engine.ts';
import { DEFAULT_SESSION_CONFIG } from '../session-config.ts';
import { crop, decodeJpeg, GROUP_JPEG, portraitFrom, SELFIE_JPEG } from '../testing/faces.ts';
import type { Pixels } from './images.ts';
import { rescoreBundle } from './rescore.ts';

const NONCE = 'rescore-continuity-nonce-0001';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('rescoreBundle: pose-matched keyframe continuity (onnxruntime-node)', () => {
  let engine: ServerFaceEngine;
  let selfies: Pixels[];
  let stranger: Pixels;

  beforeAll(async () => {
    engine = await ServerFaceEngine.create();
    const selfie = decodeJpeg(SELFIE_JPEG());
    const [face] = await engine.detect(selfie);
    // Four distinct crops of one face, so every keyframe artifact has its own hash.
    selfies = [2.6, 2.8, 3.0, 3.2].map((scale) => crop(selfie, face!.box, scale));
    stranger = decodeJpeg((await portraitFrom(engine, GROUP_JPEG(), 2.8, 85)).jpeg);
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });

  /**
   * A verified bundle as rescoring reads it (manifest members it uses, artifact bytes): the nonce's
   * transcript (keyframes neutral 0.8°, smile 1°, turn_left 22.8°, blink 1° of yaw), keyframe `i`
   * showing `images[i]` as raw RGBA (as core's livenessEvidence writes it: the artifact's hash is the
   * transcript keyframe's pixel hash).
   */
  async function bundleWith(images: (role: string, index: number) => Pixels, where: 'manifest' | 'artifact' | 'both') {
    const session = await liveness.LivenessEngine.fromNonce(NONCE, liveness.livenessConfig({ challengeCount: DEFAULT_SESSION_CONFIG.livenessChallengeCount }));
    perform(session, { seed: 7 });
    const draft = session.transcript();
    expect(draft.keyframes.map((k) => [k.role, k.signals.yaw])).toEqual([['neutral', 0.8], ['smile', 1], ['turn_left', 22.8], ['blink', 1]]);
    const artifacts: EvidenceManifest['artifacts'][number][] = [];
    const bytes = new Map<string, Uint8Array>();
    for (const [index, keyframe] of draft.keyframes.entries()) {
      const { width, height, data: rgba } = images(keyframe.role, index);
      const data = new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength);
      session.attachKeyframe(keyframe.t, { sha256: sha256(data) });
      const id = `keyframe-${index}`;
      artifacts.push({ id, kind: 'liveness_keyframe', mediaType: 'application/octet-stream', bytes: data.length, sha256: sha256(data), width, height, capturedAt: new Date(1_700_000_000_000 + keyframe.t).toISOString() });
      bytes.set(id, data);
    }
    const transcript = session.transcript();
    if (where !== 'manifest') {
      // With both, the artifact holds a transcript that cannot pass: the manifest's must be the one judged.
      const json = JSON.stringify(where === 'both' ? { ...transcript, result: { ...transcript.result, state: 'failed' } } : transcript);
      const data = new TextEncoder().encode(json);
      artifacts.push({ id: 'liveness-transcript', kind: 'other', mediaType: 'application/json', bytes: data.length, sha256: sha256(data), width: null, height: null, capturedAt: new Date(1_700_000_010_000).toISOString() });
      bytes.set('liveness-transcript', data);
    }
    const challenges = transcript.sequence.order.map((kind, order) => ({ order, kind, status: 'passed' as const, issuedAt: artifacts[0]!.capturedAt, completedAt: artifacts[0]!.capturedAt, frames: 30, signals: {}, keyframeArtifactIds: [] }));
    // Only the members rescoring reads; the bundle's signature and chain are verified before it.
    const manifest = {
      session: { nonce: NONCE }, artifacts, checks: [],
      liveness: { challengeSeed: 'nonce', challenges, passiveScore: null, ...(where !== 'artifact' ? { transcript } : {}) },
    } as unknown as EvidenceManifest;
    return { manifest, signature: '', artifacts: bytes } satisfies EvidenceBundle;
  }

  // Only liveness is in these bundles: every other signal optional, so the outcome is liveness's alone.
  const policy: risk.RiskPolicy = { ...risk.DEFAULT_RISK_POLICY, optional: risk.RISK_SIGNALS.filter((name) => name !== 'face_liveness') };
  const rescore = (bundle: EvidenceBundle) => rescoreBundle(bundle, { config: DEFAULT_SESSION_CONFIG, face: engine, policy, referenceDate: new Date('2026-01-01') });
  const livenessOf = (result: Awaited<ReturnType<typeof rescore>>) => result.decision.signals.find((s) => s.name === 'face_liveness')!;

  it('passes the same face through every keyframe, judging the manifest transcript', async () => {
    const result = await rescore(await bundleWith((_, i) => selfies[i]!, 'manifest'));
    const signal = livenessOf(result);
    expect(signal).toMatchObject({ status: 'scored', source: 'server', score: 1 });
    expect(signal.details).toMatchObject({ state: 'passed', consistent: true, transcriptSource: 'manifest', continuityFrames: 4, continuityPoseMatched: true });
    expect(String(signal.details.continuityLinks).split(',').map((l) => l.split(':')[2])).toEqual(['ok', 'ok', 'ok']);
    expect(signal.reasonCodes.filter((c) => c.startsWith('face_continuity'))).toEqual([]);
    expect(result.decision.outcome).toBe('approve');
  }, 60_000);

  it('rejects another face at a pose close to an earlier keyframe (the blink, 0.2° from the smile)', async () => {
    const result = await rescore(await bundleWith((role, i) => (role === 'blink' ? stranger : selfies[i]!), 'manifest'));
    expect(result.decision.hardRules).toContainEqual({ code: 'face_continuity_broken', escalateTo: 'reject' });
    expect(result.decision.outcome).toBe('reject');
    expect(String(livenessOf(result).details.continuityLinks)).toMatch(/^0\.8->1:[\d.]+:ok,1->22\.8:[\d.]+:ok,1->1:-?[\d.]+:broken$/);
  }, 60_000);

  it('sends a low link across a 22° yaw gap to review, never reject or approve', async () => {
    const result = await rescore(await bundleWith((role, i) => (role === 'turn_left' ? stranger : selfies[i]!), 'manifest'));
    expect(result.decision.hardRules).toContainEqual({ code: 'face_continuity_uncertain', escalateTo: 'review' });
    expect(result.decision.hardRules.map((r) => r.code)).not.toContain('face_continuity_broken');
    expect(result.decision.outcome).toBe('review');
    // The blink (1°) is compared with the smile (1°), not with the turned face.
    expect(String(livenessOf(result).details.continuityLinks)).toMatch(/^0\.8->1:[\d.]+:ok,1->22\.8:-?[\d.]+:uncertain,1->1:[\d.]+:ok$/);
  }, 60_000);

  it('prefers manifest.liveness.transcript over an artifact, and falls back to the artifact', async () => {
    const both = livenessOf(await rescore(await bundleWith((_, i) => selfies[i]!, 'both')));
    expect(both.details).toMatchObject({ state: 'passed', consistent: true, transcriptSource: 'manifest' });
    const artifactOnly = livenessOf(await rescore(await bundleWith((_, i) => selfies[i]!, 'artifact')));
    expect(artifactOnly.details).toMatchObject({ state: 'passed', consistent: true, transcriptSource: 'artifact', continuityPoseMatched: true });
  }, 60_000);
});

describe('rescoreBundle: the flow\'s document checks judged again with the session\'s configuration', () => {
  const lines = createMrz('TD3', { documentCode: 'P', issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '740812', sex: 'F', expiryDate: '340415', optionalData: 'ZE184226B' });
  function bundleWithDocument(recorded: 'pass' | 'fail', issues: string): EvidenceBundle {
    const data = new TextEncoder().encode(JSON.stringify({ type: 'ekyc.document.read', mrzLines: lines }));
    const manifest = {
      session: { nonce: NONCE, completedAt: '2026-01-01T00:00:00.000Z' }, liveness: null,
      artifacts: [{ id: 'document-read', kind: 'other', mediaType: 'application/json', bytes: data.length, sha256: sha256(data), width: null, height: null, capturedAt: '2026-01-01T00:00:00.000Z' }],
      checks: [{ id: 'document-checks', kind: 'document.checks', status: recorded, score: null, threshold: null, errorCode: null, artifactIds: ['document-read'], details: { issues } }],
    } as unknown as EvidenceManifest;
    return { manifest, signature: '', artifacts: new Map([['document-read', data]]) };
  }
  const rescoreWith = (bundle: EvidenceBundle, acceptedCountries: string[]) =>
    rescoreBundle(bundle, { config: { ...DEFAULT_SESSION_CONFIG, acceptedCountries }, face: null, referenceDate: new Date('2026-01-01') });

  it('agrees with a device that ran the same checks, and routes a device that passed a country the session does not accept to review', async () => {
    const agreed = await rescoreWith(bundleWithDocument('pass', ''), ['UTO']);
    expect(agreed.checks).toEqual([expect.objectContaining({ kind: 'document.checks', verdict: 'match', rescoredCodes: [] })]);
    expect(agreed.decision.signals.find((s) => s.name === 'data_checks')!.reasonCodes).toEqual([]);

    const disagreed = await rescoreWith(bundleWithDocument('pass', ''), ['FRA']);
    expect(disagreed.checks).toEqual([expect.objectContaining({ verdict: 'differs', recorded: 1, rescored: 0, rescoredCodes: ['document_country_not_accepted'] })]);
    expect(disagreed.decision.signals.find((s) => s.name === 'data_checks')!.reasonCodes).toEqual(['country_not_accepted', 'client_score_disagreement']);
    expect(disagreed.decision.hardRules).toEqual(expect.arrayContaining([{ code: 'client_score_disagreement', escalateTo: 'review' }]));
    expect(disagreed.decision.outcome).toBe('reject');
  });
});
