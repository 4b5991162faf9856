import { closeSync, openSync, writeSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import type { liveness } from '@ekyc/core';
import { clipFrame, clipFrameCount, clipScript } from '../packages/testkit/src/liveness-video.ts';
import { rgbaToI420, y4mHeader, Y4M_FRAME_MARKER } from '../packages/testkit/src/y4m.ts';

const SELFIE_URL = '/node_modules/@vladmandic/human/assets/screenshot-faceid.jpg';

/** A clip's performance: the actions in order, or a photo held still (`still`), after `leadMs` of neutral face. */
export interface ClipRequest {
  performs: readonly liveness.ChallengeKind[];
  leadMs: number;
  still?: boolean;
}

/**
 * Writes `request` performed by the selfie `photo` of the liveness test page (composed and settled there,
 * e2e/pages/liveness.ts) as a y4m for Chromium's fake camera. The page gives the photo and its landmarks
 * once; the frames are rendered here with the page's own animation (testkit's `clipFrame`): through the
 * page, a frame's base64 planes and their transfer cost about 45 ms of the 70 ms each took.
 */
export async function writeClipY4m(page: Page, file: string, photo: string, request: ClipRequest): Promise<void> {
  const source = await page.evaluate((name) => window.livenessTest.clipSource(name), photo);
  const image = { width: source.width, height: source.height, data: new Uint8ClampedArray(Buffer.from(source.rgba, 'base64')) };
  const mesh = Float32Array.from(source.landmarks);
  const script = clipScript(request.performs, 1, { leadMs: request.leadMs, still: request.still ?? false });
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, y4mHeader(image.width, image.height, script.fps));
    for (let i = 0, total = clipFrameCount(script); i < total; i++) {
      writeSync(fd, Y4M_FRAME_MARKER);
      writeSync(fd, rgbaToI420(clipFrame(image, mesh, script, i, request.still)));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a y4m for Chromium's fake camera: the selfie photo animated (e2e/pages/liveness.ts, as
 * e2e/liveness-capture.spec.ts does) to perform `order`, the challenge order of one session's nonce
 * (`liveness.challengeSequence(nonce, count)`), so it is generated per session once the session exists.
 *
 * Timing: the fake camera plays the file from its first frame each time a page opens the camera,
 * at the header's 20 fps, and loops it. The flow opens the selfie camera once its workers are loaded
 * and warm, so the first frame is judged within a few frames of the clip's start: `leadMs` of neutral
 * face (default 3 s) give the baseline (8 frames over 0.6 s) room before the first action, which must
 * start more than minLatencyMs (150 ms) and less than maxLatencyMs (4 s) after the first prompt.
 */
export async function writeFaceClip(page: Page, file: string, order: readonly liveness.ChallengeKind[], leadMs = 3000): Promise<void> {
  await page.goto('/e2e/pages/liveness.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  await page.evaluate(() => window.livenessTest.init());
  await page.evaluate((url) => window.livenessTest.loadUrl('photo', url), SELFIE_URL);
  const [box] = await page.evaluate(() => window.livenessTest.detectFaces('photo'));
  await page.evaluate((b) => window.livenessTest.composeFace('face', 'photo', b), box!);
  expect(await page.evaluate(() => window.livenessTest.settle('face'))).not.toBeNull();
  // A blink is over in a third of a second: a phone busy with other work can drop every frame of it, and a
  // person whose blink was not taken blinks again. So does the clip (twice, 0.9 s apart), the second falling
  // in the next challenge's time, which no blink conflicts with. The other actions last over 1.5 s.
  const performs = order.flatMap((kind) => (kind === 'blink' ? (['blink', 'blink'] as const) : [kind]));
  await writeClipY4m(page, file, 'face', { performs, leadMs });
}
