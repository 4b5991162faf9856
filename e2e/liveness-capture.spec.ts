import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { buildEvidence, createSessionSigner, liveness, verifyBundleIntegrity } from '@ekyc/core';
import { createSampleEvidenceInput } from '../packages/testkit/src/evidence.ts';
import { writeClipY4m } from './face-clip.ts';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { rescoreBundle } from '../packages/verifier/src/rescore/rescore.ts';
import { DEFAULT_SESSION_CONFIG } from '../packages/verifier/src/session-config.ts';

// LivenessCapture (@ekyc/flow) on Chromium's fake camera fed a generated clip: a photo animation
// performing the order the session nonce gives (it proves the capture and the judging, not
// liveness: docs/liveness.md), and the same photo held still.
const selfieUrl = '/node_modules/@vladmandic/human/assets/screenshot-faceid.jpg';
type Kind = liveness.ChallengeKind;

/** A nonce (as a verifier issues them: base64url) whose 3-challenge order is `wanted`. */
async function nonceFor(wanted: Kind[]): Promise<string> {
  for (let i = 0; i < 2000; i++) {
    const nonce = `e2e-liveness-capture-${i.toString().padStart(4, '0')}`;
    if ((await liveness.challengeSequence(nonce, 3)).join() === wanted.join()) return nonce;
  }
  throw new Error('no nonce found');
}

/** Writes a generated clip of the selfie (performing `performs`, or held still) as y4m, through the liveness test page. */
async function writeClip(page: Page, file: string, performs: Kind[], attack?: 'static'): Promise<void> {
  // 3 s before the first action: the capture's baseline starts with the first tracked camera frame.
  await writeClipY4m(page, file, 'face', { performs, leadMs: 3000, still: attack === 'static' });
}

type Run = Awaited<ReturnType<Window['livenessCaptureTest']['run']>>;

/** A browser whose camera plays `file`, running the capture page once. */
async function runOnCamera(file: string, baseURL: string | undefined, options: Parameters<Window['livenessCaptureTest']['run']>[0]): Promise<Run> {
  let camera: Browser | undefined;
  try {
    camera = await chromium.launch({
      executablePath: chromiumPath,
      args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`],
    });
    const page = await camera.newPage({ baseURL });
    await page.goto('/e2e/pages/liveness-capture.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
    await page.evaluate(() => window.livenessCaptureTest.init());
    return await page.evaluate((o) => window.livenessCaptureTest.run(o), options);
  } finally {
    await camera?.close();
  }
}

test.describe('LivenessCapture on the camera', { tag: '@realtime' }, () => {
  let dir: string;
  const order: Kind[] = ['blink', 'smile', 'turn_left'];
  let nonce: string;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(300_000);
    nonce = await nonceFor(order);
    dir = mkdtempSync(join(tmpdir(), 'ekyc-liveness-capture-'));
    const page = await browser.newPage();
    await page.goto('/e2e/pages/liveness.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
    await page.evaluate(() => window.livenessTest.init());
    await page.evaluate((url) => window.livenessTest.loadUrl('photo', url), selfieUrl);
    const [box] = await page.evaluate(() => window.livenessTest.detectFaces('photo'));
    await page.evaluate((b) => window.livenessTest.composeFace('face', 'photo', b), box!);
    expect(await page.evaluate(() => window.livenessTest.settle('face'))).not.toBeNull();
    await writeClip(page, join(dir, 'genuine.y4m'), order);
    await writeClip(page, join(dir, 'static.y4m'), order, 'static');
    await page.close();
  });

  test.afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('the nonce order performed passes; Node re-judges the transcript from a signed bundle identically', async ({ baseURL }) => {
    test.setTimeout(300_000);
    const run = await runOnCamera(join(dir, 'genuine.y4m'), baseURL, { nonce, challengeCount: 3, maxMs: 60_000, continuity: true, withPixels: true });
    const outcome = run.outcome!;
    console.log(`liveness capture: ${JSON.stringify({ error: run.error, state: outcome?.state, reason: outcome?.reason, stats: outcome?.stats, continuity: outcome?.continuity, moire: outcome?.moire, prompts: run.prompts.map((p) => `${p.kind}:${p.state}`), guidance: run.guidance })}`);
    expect(run.error).toBeUndefined();
    expect(outcome.state).toBe('passed');
    expect(outcome.transcript.sequence).toEqual({ source: 'nonce', order });
    expect(run.completes).toBe(1);
    // The UI saw the baseline, then each challenge asked and passed, in order.
    expect(run.prompts.map((p) => `${p.kind}:${p.state}`)).toEqual(['null:waiting', ...order.flatMap((k) => [`${k}:active`, `${k}:passed`])]);
    // Keyframes: the neutral one and one per challenge, landmarks attached.
    expect(outcome.keyframes.map((k) => k.role)).toEqual(['neutral', ...order]);
    expect(outcome.keyframes.every((k) => k.landmarks === 478 * 3 && k.width === 640 && k.height === 480)).toBe(true);
    // The fake camera's label names the y4m file: an injected stream, flagged (scored, not blocking).
    expect(outcome.cameraLabel).toMatch(/\.y4m$/);
    expect(outcome.signals.find((s) => s.id === 'virtual_camera')).toMatchObject({ flagged: true, blocking: false });
    // Pose-matched continuity through the face worker: the same face throughout.
    expect(outcome.continuity).toMatchObject({ ok: true, error: null });
    // The capture opened no camera of its own, and the tracks end when the caller stops the camera.
    expect({ opened: run.camerasOpened, byCapture: run.openedByCapture, states: run.trackStates, detached: run.videoDetached, clean: run.stoppedCleanly })
      .toEqual({ opened: 1, byCapture: 0, states: ['ended'], detached: true, clean: true });

    // The verifier's side, in Node: the transcript in a signed bundle, keyframes as raw RGBA whose hashes are the transcript's.
    const config = liveness.livenessConfig({ challengeCount: 3 });
    const keyframes = outcome.keyframes.map((k) => ({ role: k.role, t: k.t, image: { width: k.width, height: k.height, data: new Uint8ClampedArray(Buffer.from(k.rgba!, 'base64')) } }));
    const evidence = await liveness.livenessEvidence({ nonce, transcript: outcome.transcript, keyframes, timeOrigin: outcome.timeOrigin });
    const startedAt = new Date(outcome.timeOrigin + outcome.transcript.frames.t[0]! - 5_000);
    const input = await createSampleEvidenceInput({ sessionId: 'e2e-session', nonce, startedAt, liveness: evidence });
    // The verifier's rescoring reads the transcript from an `other` JSON artifact (as VerificationFlow adds it).
    const transcriptArtifact = { id: 'liveness-transcript', kind: 'other' as const, mediaType: 'application/json' as const, data: new TextEncoder().encode(JSON.stringify(outcome.transcript)), capturedAt: evidence.artifacts.at(-1)!.capturedAt };
    const bundle = await buildEvidence({ ...input, artifacts: [...input.artifacts, transcriptArtifact] }, await createSessionSigner());
    await verifyBundleIntegrity(bundle);
    expect(bundle.manifest.artifacts.filter((a) => a.kind === 'liveness_keyframe').map((a) => a.sha256)).toEqual(outcome.keyframes.map((k) => k.sha256));
    const judged = await liveness.judgeTranscript(bundle.manifest.liveness!.transcript, { nonce, config });
    expect(judged).toMatchObject({ consistent: true, state: 'passed', mismatches: [] });
    expect(judged.replayed).toEqual({ state: outcome.state, reason: outcome.reason, passed: outcome.passed, completedAt: outcome.transcript.result.completedAt });
    // The verifier's own rescoring (no face engine here: continuity is left unchecked) reaches the same verdict.
    const rescored = await rescoreBundle(bundle, { config: DEFAULT_SESSION_CONFIG, face: null, referenceDate: new Date() });
    const livenessSignal = rescored.decision.signals.find((signal) => signal.name === 'face_liveness');
    expect(livenessSignal).toMatchObject({ status: 'scored', source: 'server', score: 1, details: { state: 'passed', consistent: true } });
    expect(livenessSignal!.reasonCodes).not.toContain('client_score_disagreement');
    // The same frames under another session's nonce are a replay: never passed.
    const other = await nonceFor(['smile', 'turn_right', 'blink']);
    expect((await liveness.judgeTranscript(bundle.manifest.liveness!.transcript, { nonce: other, config })).state).toBe('failed');
  });

  test('a static photo fails, and Node agrees', async ({ baseURL }) => {
    test.setTimeout(300_000);
    const run = await runOnCamera(join(dir, 'static.y4m'), baseURL, { nonce, challengeCount: 3, maxMs: 60_000, continuity: false });
    const outcome = run.outcome!;
    console.log(`liveness capture (static): ${JSON.stringify({ error: run.error, state: outcome?.state, reason: outcome?.reason, attempts: outcome?.transcript.attempts.map((a) => `${a.kind}:${a.state}:${a.reason}`), static: outcome?.signals.find((s) => s.id === 'static_image'), moire: outcome?.moire })}`);
    expect(run.error).toBeUndefined();
    expect(['failed', 'timed_out']).toContain(outcome.state);
    expect(outcome.passed.length).toBeLessThan(3);
    const judged = await liveness.judgeTranscript(outcome.transcript, { nonce, config: liveness.livenessConfig({ challengeCount: 3 }) });
    expect(judged).toMatchObject({ consistent: true, state: outcome.state });
    expect(run.trackStates).toEqual(['ended']);
  });

  test('aborting mid-session rejects the result and stops reading frames; the camera still closes', async ({ baseURL }) => {
    test.setTimeout(180_000);
    const run = await runOnCamera(join(dir, 'genuine.y4m'), baseURL, { nonce, challengeCount: 3, maxMs: 60_000, continuity: false, abortWhenActive: true });
    expect(run.error).toMatchObject({ name: 'AbortError', message: 'The user left' });
    expect(run.outcome).toBeUndefined();
    expect(run.completes).toBe(0);
    expect(run.tracks).toBeGreaterThan(0);
    expect(run.prompts.map((p) => `${p.kind}:${p.state}`)).toEqual(['null:waiting', 'blink:active']);
    expect({ clean: run.stoppedCleanly, byCapture: run.openedByCapture, states: run.trackStates }).toEqual({ clean: true, byCapture: 0, states: ['ended'] });
  });
});
