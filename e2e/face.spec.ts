import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { face as core, type ModelManifest } from '@ekyc/core';
import { FaceRescorer } from '@ekyc/verifier';

const manifest = JSON.parse(readFileSync('models/manifest.json', 'utf8')) as ModelManifest;
// The built asset the page loads too (`npm run assets`): the manifest's fr-feature has float16 weights.
const featurePath = path.resolve('demo/public/ekyc/models/fr-feature.onnx');
const selfieUrl = '/node_modules/@vladmandic/human/assets/screenshot-faceid.jpg';
const groupUrl = '/node_modules/@vladmandic/face-api/demo/sample1.jpg';

test.describe('face engine in a worker (WASM)', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/e2e/pages/face.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
    await page.evaluate(() => window.faceTest.init('wasm'));
  });

  test('browser crop and embedding are repeated by the verifier: same bytes, cosine >= 0.999', async ({ page }) => {
    await page.evaluate((url) => window.faceTest.loadUrl('selfie', url), selfieUrl);
    const browser = await page.evaluate(() => window.faceTest.analyze('selfie'));
    expect(browser.faces).toBe(1);
    expect(browser.embedding).toHaveLength(512);

    // Node re-derives the aligned crop from the same decoded pixels and keypoints: bit for bit.
    const pixels = await page.evaluate(() => window.faceTest.pixels('selfie'));
    const image = { ...browser.image, data: Uint8ClampedArray.from(pixels) };
    const nodeCrop = core.alignFace(image, browser.keypoints).image;
    expect(Buffer.from(nodeCrop.data).equals(Buffer.from(Uint8ClampedArray.from(browser.crop)))).toBe(true);

    const rescorer = await FaceRescorer.create(manifest, featurePath);
    const nodeEmbedding = await rescorer.embedAligned(nodeCrop);
    await rescorer.close();
    const cosine = core.cosineSimilarity(nodeEmbedding, browser.embedding);
    console.log(`parity cosine onnxruntime-web vs onnxruntime-node: ${cosine.toFixed(6)}`);
    expect(cosine).toBeGreaterThanOrEqual(0.999);

    // The worker's embedAligned on the crop gives the same vector as its analyze().
    const again = await page.evaluate((crop) => window.faceTest.embedAligned(crop), browser.crop);
    expect(core.cosineSimilarity(again, browser.embedding)).toBeGreaterThan(0.99999);
  });

  test('a group photo is refused with face_multiple; its faces embed as different people', async ({ page }) => {
    await page.evaluate((url) => window.faceTest.loadUrl('group', url), groupUrl);
    const group = await page.evaluate(() => window.faceTest.analyzeError('group'));
    expect(group.faces).toBeGreaterThan(1);
    expect(group.failures).toEqual(['face_multiple']);
    const faces = await page.evaluate(() => window.faceTest.embedAll('group'));
    expect(faces.length).toBe(group.faces);
    for (let i = 0; i < faces.length; i++) for (let j = i + 1; j < faces.length; j++) {
      expect(core.cosineSimilarity(faces[i]!.embedding, faces[j]!.embedding), 'different people').toBeLessThan(0.35);
    }
  });

  test('a bad frame is a typed error, not a crash', async ({ page }) => {
    const error = await page.evaluate(async () => {
      try {
        await window.faceTest.embedAligned([1, 2, 3]);
        return null;
      } catch (e) {
        return (e as { code?: string }).code ?? String(e);
      }
    });
    expect(error).toBe('invalid_frame');
  });
});
