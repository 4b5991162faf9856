import { closeSync, openSync, writeSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { rgbaToI420, y4mHeader, Y4M_FRAME_MARKER } from '../packages/testkit/src/y4m.ts';

/**
 * Writes a y4m for Chromium's fake camera that the document camera auto-captures: the rendered
 * passport page of the elements test page (the one the upload tests use), placed on a dark desk
 * at the first width the quality worker judges `good` as a still, 2 s at 30 fps (Chromium loops it).
 * `page` must be on /e2e/pages/elements.html with `body[data-ready=true]`; the same frames as
 * fake-camera tests of e2e/elements-flow.spec.ts and e2e/auditor.spec.ts.
 */
export async function writePassportClip(page: Page, file: string): Promise<{ width: number; height: number; widthFraction: number }> {
  const frame = await page.evaluate(() => window.elementsTest.cameraDocumentFrame());
  expect(frame.guidance).toEqual(['good']);
  const planes = rgbaToI420({ width: frame.width, height: frame.height, data: new Uint8ClampedArray(Buffer.from(frame.rgba, 'base64')) });
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, y4mHeader(frame.width, frame.height, 30));
    for (let i = 0; i < 60; i++) {
      writeSync(fd, Y4M_FRAME_MARKER);
      writeSync(fd, planes);
    }
  } finally {
    closeSync(fd);
  }
  return { width: frame.width, height: frame.height, widthFraction: frame.widthFraction };
}
