import { expect, test } from '@playwright/test';

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
});
