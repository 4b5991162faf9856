import { expect, test } from '@playwright/test';

test.describe('quality frames with a thumb holding the card (FrameOptions.thumb)', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/e2e/pages/quality.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
  });

  test('paints a thumb over the card, never over its MRZ strip, and keeps the labels of the same seed', async ({ page }) => {
    for (const seed of [130000, 130001, 130002, 130003]) {
      const r = await page.evaluate((s) => window.qualityTest.thumbDifference(s), seed);
      expect(r.held.corners).toEqual(r.plain.corners);
      expect(r.held.pose).toEqual(r.plain.pose);
      expect(r.held.gain).toBe(r.plain.gain);
      expect(r.held.blurSigma).toBe(r.plain.blurSigma);
      // A thumb 16-22 mm wide on a card about half the frame wide: well over 1% of the frame.
      expect(r.changedShare).toBeGreaterThan(0.01);
      expect(r.changedInMrzStrip).toBe(0);
    }
  });
});
