import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { liveness } from '@ekyc/core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { DEFAULT_CLIP } from '../packages/testkit/src/liveness-video.ts';
import { writeClipY4m } from './face-clip.ts';
import { virtualCameraSignal } from '../packages/core/src/liveness/replay.ts';

const selfieUrl = '/node_modules/@vladmandic/human/assets/screenshot-faceid.jpg';
const groupUrl = '/node_modules/@vladmandic/face-api/demo/sample1.jpg';

test.describe('liveness landmarks in a worker (MediaPipe tasks-vision WASM, face mesh with attention)', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/e2e/pages/liveness.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
    await page.evaluate(() => window.livenessTest.init());
  });

  test('one face: 478 points, open eyes, a frontal pose, and tracking from the last landmarks', async ({ page }) => {
    await page.evaluate((url) => window.livenessTest.loadUrl('photo', url), selfieUrl);
    // The screenshot's face is ~90 px at (44..125, 154..251): BlazeFace short range (128x128 input) needs a selfie-sized face, as a camera gives.
    await page.evaluate(() => window.livenessTest.compose('selfie', 'photo', 640, 480, 117, -256, 2.4));
    const first = await page.evaluate(() => window.livenessTest.track('selfie', true));
    console.log(JSON.stringify({ ...first, landmarks: first.landmarks.length }));
    expect(first.faceCount).toBe(1);
    expect(first.points).toBe(478);
    expect(first.detected).toBe(true);
    const s = first.signals!;
    expect(s.eyeOpennessLeft).toBeGreaterThan(0.15);
    expect(s.eyeOpennessRight).toBeGreaterThan(0.15);
    expect(Math.abs(s.yaw)).toBeLessThan(20);
    const loop = await page.evaluate(() => window.livenessTest.trackLoop('selfie', 20));
    console.log(JSON.stringify(loop));
    expect(loop.faces.every((n) => n === 1)).toBe(true);
  });

  test('counts faces in a group photo and none in an empty frame', async ({ page }) => {
    await page.evaluate((url) => window.livenessTest.loadUrl('group', url), groupUrl);
    const group = await page.evaluate(() => window.livenessTest.track('group'));
    console.log(JSON.stringify(group));
    expect(group.faceCount).toBeGreaterThan(1);
    await page.evaluate(() => window.livenessTest.blank('blank', 640, 480));
    await page.evaluate(() => window.livenessTest.reset());
    const none = await page.evaluate(() => window.livenessTest.track('blank'));
    expect(none.faceCount).toBe(0);
    expect(none.signals).toBeNull();
  });

  test('counts a small second face in a corner (the two_faces attack that passed on the whole frame)', async ({ page }) => {
    await page.evaluate((url) => window.livenessTest.loadUrl('group', url), '/node_modules/@vladmandic/face-api/demo/sample3.jpg');
    const boxes = await page.evaluate(() => window.livenessTest.detectFaces('group'));
    await page.evaluate((b) => window.livenessTest.composeFace('main', 'group', b), boxes[1]!);
    await page.evaluate((b) => window.livenessTest.composeFace('other', 'group', b), boxes[2]!);
    // The second face ~60 px wide at the top right, as the evaluation pastes it.
    await page.evaluate(() => window.livenessTest.paste('two', 'main', 'other', 450, 0, 0.3));
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.evaluate(() => window.livenessTest.reset());
      counts.push((await page.evaluate(() => window.livenessTest.track('two'))).faceCount);
    }
    console.log(JSON.stringify({ counts }));
    expect(counts).toEqual([2, 2, 2]);
    await page.evaluate(() => window.livenessTest.reset());
    expect((await page.evaluate(() => window.livenessTest.track('main'))).faceCount).toBe(1);
  });
});

test.describe('liveness through the camera (fake camera fed by a generated photo animation)', { tag: '@realtime' }, () => {
  test('the performed order passes, the same recording under another order does not', async ({ page, baseURL }) => {
    test.setTimeout(300_000);
    await page.goto('/e2e/pages/liveness.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
    await page.evaluate(() => window.livenessTest.init());
    await page.evaluate((url) => window.livenessTest.loadUrl('photo', url), selfieUrl);
    const [box] = await page.evaluate(() => window.livenessTest.detectFaces('photo'));
    await page.evaluate((b) => window.livenessTest.composeFace('face', 'photo', b), box!);
    expect(await page.evaluate(() => window.livenessTest.settle('face'))).not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'ekyc-liveness-'));
    let camera: Browser | undefined;
    try {
      const file = join(dir, 'genuine.y4m');
      await writeClipY4m(page, file, 'face', { performs: ['blink', 'smile', 'turn_left'], leadMs: DEFAULT_CLIP.leadMs });
      camera = await chromium.launch({
        executablePath: chromiumPath,
        args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`],
      });
      const cameraPage = await camera.newPage({ baseURL });
      await cameraPage.goto('/e2e/pages/liveness.html');
      await expect(cameraPage.locator('body[data-ready=true]')).toBeAttached();
      await cameraPage.evaluate(() => window.livenessTest.init());
      const run = await cameraPage.evaluate(() => window.livenessTest.runCamera([['blink', 'smile', 'turn_left'], ['smile', 'blink', 'turn_right']], 60_000));
      const sorted = [...run.trackMs].sort((a, b) => a - b);
      console.log(`liveness camera: ${JSON.stringify({ ...run, transcripts: undefined, trackMs: undefined, trackMsMedian: sorted[sorted.length >> 1], frames: run.frames })}`);
      expect({ width: run.width, height: run.height }).toEqual({ width: 640, height: 480 });
      expect(run.states).toEqual(['passed', expect.stringMatching(/failed|timed_out/)]);
      // Chromium's fake camera fed a file names the track after the file: the label signal flags it.
      expect(run.label).toMatch(/\.y4m$/);
      expect(virtualCameraSignal(run.label).flagged).toBe(true);
      // The verifier's side: Node replays the browser's transcripts with the same engine and reaches the same results.
      for (const [k, transcript] of run.transcripts.entries()) {
        const judged = await liveness.judgeTranscript(JSON.parse(JSON.stringify(transcript)), { allowExplicitSequence: true, requireKeyframeHashes: false });
        expect(judged).toMatchObject({ consistent: true, state: run.states[k] });
      }
    } finally {
      await camera?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
