import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { liveness } from '@ekyc/core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { writeFaceClip } from './face-clip.ts';
import { writePassportClip } from './passport-clip.ts';
import { randomMrzFields } from '../packages/testkit/src/mrz-document.ts';
import { createRandom } from '../packages/testkit/src/random.ts';
import { forwardTo, startTestVerifier } from './verifier-harness.ts';

/**
 * `<ekyc-flow>` driven as a user would (keyboard, clicks, the file chooser) on the strict-CSP page,
 * against the reference verifier started here (the `ekyc-verifier` bin, PGlite in memory), reached
 * through a same-origin proxy route. The camera dead ends are real: Chromium without a fake device
 * has no camera (`camera_not_found`); with a fake device and no fake permission UI, the prompt is
 * dismissed (`camera_denied`). Every screen is checked by axe and photographed.
 * The verifier start mirrors e2e/flow.spec.ts.
 */
const PROXY = '/verifier-proxy';
const SHOTS = 'docs/screenshots';
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const LONG = { timeout: 240_000 };

test.use({ viewport: { width: 480, height: 900 } });
test.setTimeout(600_000);

interface Verifier { url: string; newSession(): Promise<{ sessionId: string; clientToken: string; nonce: string }> }

async function withVerifier(contexts: BrowserContext[], run: (verifier: Verifier) => Promise<void>): Promise<void> {
  const state = mkdtempSync(path.join(os.tmpdir(), 'ekyc-e2e-elements-'));
  const verifier = await startTestVerifier(state);
  const { apiKey } = verifier;
  try {
    for (const context of contexts) {
      await context.route(`**${PROXY}/**`, forwardTo(verifier.url, PROXY));
    }
    await run({
      url: verifier.url,
      async newSession() {
        const created = await fetch(`${verifier.url}/sessions`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: '{}' });
        expect(created.status).toBe(201);
        return await created.json() as { sessionId: string; clientToken: string; nonce: string };
      },
    });
  } finally {
    // A page still polling the session keeps forwarding: let those requests go before the
    // verifier stops, so none fails the test from the route handler after it ended.
    for (const context of contexts) await context.unrouteAll({ behavior: 'ignoreErrors' });
    verifier.child.kill('SIGTERM');
    rmSync(state, { recursive: true, force: true });
  }
}

/** Opens the elements page, collecting policy reports from the console as well as the page's listener. */
async function open(page: Page, url = '/e2e/pages/elements.html'): Promise<string[]> {
  const reports: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) reports.push(message.text().slice(0, 300));
  });
  await page.goto(url);
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  return reports;
}

function flowAttributes(session: { sessionId: string; clientToken: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'verifier-url': PROXY, 'session-id': session.sessionId, token: session.clientToken, 'asset-base-url': '/ekyc/', backend: 'wasm',
    controller: 'Example Bank', locale: 'en', ...extra,
  };
}

/** axe on the flow (zero violations) and a screenshot of the screen. */
async function checkScreen(page: Page, name: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include('#stage').withTags(WCAG).analyze();
  expect(violations.map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  mkdirSync(SHOTS, { recursive: true });
  await page.locator('ekyc-flow').screenshot({ path: `${SHOTS}/elements-flow-${name}.en.png`, animations: 'disabled' });
}

async function choose(page: Page, slot: 'front' | 'selfie', file: { name: string; base64: string }): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.locator(`ekyc-upload button[data-slot=${slot}]`).click();
  await (await chooser).setFiles({ name: file.name, mimeType: 'image/jpeg', buffer: Buffer.from(file.base64, 'base64') });
}

async function uploadBoth(page: Page, files: { document: string; selfie: string }): Promise<void> {
  await expect(page.locator('ekyc-upload')).toBeVisible();
  await choose(page, 'front', { name: 'passport.jpg', base64: files.document });
  await choose(page, 'selfie', { name: 'selfie.jpg', base64: files.selfie });
  await page.locator('ekyc-upload [part=submit]').click();
}

async function focused(page: Page): Promise<{ tag: string; text: string; part: string | null } | null> {
  return page.evaluate(() => window.elementsTest.focused());
}

async function expectNoViolations(page: Page, reports: string[]): Promise<void> {
  expect(await page.evaluate(() => window.elementsTest.violations())).toEqual([]);
  expect(reports).toEqual([]);
}

test('upload path: consent by keyboard, the document and selfie by file chooser, review, result; every screen axe-clean under the enforced policy', async ({ page }) => {
  await withVerifier([page.context()], async (verifier) => {
    const reports = await open(page);
    const files = await page.evaluate(() => window.elementsTest.uploadFiles());
    const session = await verifier.newSession();
    await page.evaluate((a) => window.elementsTest.startFlow(a), flowAttributes(session, { capture: 'upload' }));

    await expect(page.locator('ekyc-consent')).toBeVisible(LONG);
    // Focus moved to the consent's heading; one Tab reaches "I agree", Enter grants.
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h2', text: 'Before we start' });
    await checkScreen(page, 'consent');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'button', part: 'accept' });
    await page.keyboard.press('Enter');

    await expect(page.locator('ekyc-upload')).toBeVisible(LONG);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h2', text: 'Upload photos' });
    await checkScreen(page, 'upload');
    // Continue without photos: told what is missing, focus on the first missing photo.
    await page.locator('ekyc-upload [part=submit]').click();
    await expect(page.locator('ekyc-upload [role=alert]')).toHaveText('Add a photo of your document and of your face to continue.');
    expect(await focused(page)).toMatchObject({ tag: 'button', part: 'choose' });
    await uploadBoth(page, files);

    await expect(page.locator('ekyc-document-review')).toBeVisible(LONG);
    await expect(page.locator('ekyc-document-review input[name=documentNumber]')).not.toHaveValue('');
    await checkScreen(page, 'review');
    await page.locator('ekyc-document-review [part=confirm]').click();

    await expect(page.locator('ekyc-result')).toBeVisible(LONG);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h2' });
    await checkScreen(page, 'result');
    const events = await page.evaluate(() => window.elementsTest.events());
    const steps = events.filter((e) => e.name === 'ekyc-step').map((e) => (e.detail as { step: string }).step);
    expect(steps).toEqual(['session', 'consent', 'document-front', 'document-read', 'document-review', 'liveness', 'face-match', 'evidence', 'submit', 'result']);
    const complete = events.find((e) => e.name === 'ekyc-complete')?.detail as { delivery: string; evidenceId: string; sessionId: string };
    expect(complete).toMatchObject({ delivery: 'delivered', sessionId: session.sessionId });
    expect(complete.evidenceId).toMatch(/^[0-9a-f]{64}$/);
    expect(events.filter((e) => e.name === 'ekyc-error')).toEqual([]);
    await expectNoViolations(page, reports);
  });
});

test('no camera: its screen offers retry, upload and the phone; upload and the phone each recover', async ({ page }) => {
  await withVerifier([page.context()], async (verifier) => {
    const reports = await open(page);
    const files = await page.evaluate(() => window.elementsTest.uploadFiles());

    // Recovery by upload.
    await page.evaluate((a) => window.elementsTest.startFlow(a), flowAttributes(await verifier.newSession()));
    await page.locator('ekyc-consent [part=accept]').click(LONG);
    const screen = page.locator('ekyc-error-screen');
    await expect(screen.locator('h2')).toHaveText('No camera found', LONG);
    await expect(screen.locator('button')).toHaveText(['Try the camera again', 'Upload photos', 'Continue on your phone']);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'h2', text: 'No camera found' });
    await checkScreen(page, 'camera-not-found');
    await screen.locator('[data-action=upload]').click();
    await uploadBoth(page, files);
    await expect(page.locator('ekyc-document-review')).toBeVisible(LONG);

    // Recovery by the phone.
    await page.evaluate((a) => window.elementsTest.startFlow(a), flowAttributes(await verifier.newSession()));
    await page.locator('ekyc-consent [part=accept]').click(LONG);
    await page.locator('ekyc-error-screen [data-action=handoff]').click(LONG);
    const handoff = page.locator('ekyc-handoff');
    await expect(handoff.locator('svg[part=qr]')).toBeVisible(LONG);
    await expect(handoff.locator('a[part=link]')).toHaveAttribute('href', /\/e2e\/pages\/elements\.html#ekyc-handoff=.+/);
    await checkScreen(page, 'handoff');
    await expectNoViolations(page, reports);
    // The flow follows the session until it is removed: stop its polls before the verifier stops
    // (a poll reaching the stopped verifier failed the test from the route handler: ECONNREFUSED).
    await page.evaluate(() => window.elementsTest.removeStage());
  });
});

test('camera denied, then continue on the phone: a second page completes the session by upload and the first page shows the result', async ({ baseURL }) => {
  // One Chromium with a fake device and no fake permission prompt: the prompt is dismissed, so access is denied.
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, '--use-fake-device-for-media-stream'] });
  try {
    const desktopContext = await browser.newContext({ baseURL, viewport: { width: 480, height: 900 } });
    const phoneContext = await browser.newContext({ baseURL, viewport: { width: 480, height: 900 } });
    await withVerifier([desktopContext, phoneContext], async (verifier) => {
      const desktop = await desktopContext.newPage();
      const reports = await open(desktop);
      await desktop.evaluate((a) => window.elementsTest.startFlow(a), flowAttributes(await verifier.newSession()));
      await desktop.locator('ekyc-consent [part=accept]').click(LONG);
      const screen = desktop.locator('ekyc-error-screen');
      await expect(screen.locator('h2')).toHaveText('Camera access is blocked', LONG);
      await checkScreen(desktop, 'camera-denied');
      await screen.locator('[data-action=handoff]').click();
      // Back from the QR code (cancelHandoff): the same choices again, and the link shown is revoked.
      const first = await desktop.locator('ekyc-handoff a[part=link]').getAttribute('href', LONG);
      await desktop.locator('ekyc-handoff button', { hasText: 'Back' }).click();
      await expect(screen.locator('h2')).toHaveText('Camera access is blocked', LONG);
      await expect(screen.locator('button')).toHaveText(['Try the camera again', 'Upload photos', 'Continue on your phone']);
      const revoked = await fetch(`${verifier.url}/handoff/exchange`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handoffToken: new URL(first!).hash.replace('#ekyc-handoff=', '') }) });
      expect(await revoked.json()).toEqual({ code: 'handoff_expired' });
      await screen.locator('[data-action=handoff]').click();
      const link = await desktop.locator('ekyc-handoff a[part=link]').getAttribute('href', LONG);
      expect(link).toMatch(/#ekyc-handoff=/);
      expect(link).not.toBe(first);

      // The phone opens the link: same page, the token in the fragment; it captures by upload.
      const phone = await phoneContext.newPage();
      const phoneReports = await open(phone, link!);
      const files = await phone.evaluate(() => window.elementsTest.uploadFiles());
      await phone.evaluate(() => window.elementsTest.startFlow({ 'verifier-url': '/verifier-proxy', 'asset-base-url': '/ekyc/', backend: 'wasm', capture: 'upload', locale: 'en' }));
      // The token left the address bar once read.
      expect(new URL(phone.url()).hash).toBe('');
      await phone.locator('ekyc-consent [part=accept]').click(LONG);
      await expect(desktop.locator('ekyc-handoff [part=status]')).toHaveText('Continue on your phone. This page updates when you are done.', LONG);
      await uploadBoth(phone, files);
      await phone.locator('ekyc-document-review [part=confirm]').click(LONG);
      await expect(phone.locator('ekyc-result')).toBeVisible(LONG);

      // The desktop followed the session to its end.
      await expect(desktop.locator('ekyc-result')).toBeVisible(LONG);
      await checkScreen(desktop, 'handoff-result');
      const complete = (await desktop.evaluate(() => window.elementsTest.events())).find((e) => e.name === 'ekyc-complete')?.detail;
      expect(complete).toMatchObject({ delivery: 'handoff' });
      await expectNoViolations(desktop, reports);
      await expectNoViolations(phone, phoneReports);
    });
  } finally {
    await browser.close();
  }
});

test('the camera is released when each step ends and when the element is removed', async ({ baseURL }) => {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  try {
    const context = await browser.newContext({ baseURL, viewport: { width: 480, height: 900 } });
    await withVerifier([context], async (verifier) => {
      const page = await context.newPage();
      const reports = await open(page);
      const files = await page.evaluate(() => window.elementsTest.uploadFiles());
      await page.evaluate((a) => window.elementsTest.startFlow(a), flowAttributes(await verifier.newSession()));
      await page.locator('ekyc-consent [part=accept]').click(LONG);

      // Document: the rear camera previews in the element; guidance arrives; then the user uploads instead.
      const video = page.locator('ekyc-document-capture video');
      await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), LONG).toBeGreaterThanOrEqual(2);
      await expect(page.locator('ekyc-document-capture [part=guidance]')).not.toHaveText('Place your document inside the frame. The photo is taken automatically.', LONG);
      await checkScreen(page, 'document-camera');
      expect(await page.evaluate(() => window.elementsTest.trackStates())).toEqual(['live']);
      const chooser = page.waitForEvent('filechooser');
      await page.locator('ekyc-document-capture [part=upload]').click();
      await (await chooser).setFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(files.document, 'base64') });
      await expect(page.locator('ekyc-document-review')).toBeVisible(LONG);
      expect(await page.evaluate(() => window.elementsTest.trackStates())).toEqual(['ended']);
      await page.locator('ekyc-document-review [part=confirm]').click();

      // Selfie: the front camera opens; removing the element mid-step stops it.
      const selfieVideo = page.locator('ekyc-liveness video');
      await expect.poll(() => selfieVideo.evaluate((v: HTMLVideoElement) => v.readyState), LONG).toBeGreaterThanOrEqual(2);
      await checkScreen(page, 'liveness-camera');
      expect(await page.evaluate(() => window.elementsTest.trackStates())).toEqual(['ended', 'live']);
      await page.evaluate(() => window.elementsTest.removeStage());
      await expect.poll(() => page.evaluate(() => window.elementsTest.trackStates())).toEqual(['ended', 'ended']);
      await expectNoViolations(page, reports);
    });
  } finally {
    await browser.close();
  }
});

test('fake camera: the passport page is auto-captured, read and reviewed; the selfie camera sees no face, so the selfie is uploaded from the error screen; the result shows', async ({ page, baseURL }) => {
  // The camera's video: the same rendered passport page the upload tests use, judged `good` as a still, 2 s at 30 fps (looped by Chromium).
  await open(page);
  const files = await page.evaluate(() => window.elementsTest.uploadFiles());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ekyc-elements-camera-'));
  const file = path.join(dir, 'passport.y4m');
  await writePassportClip(page, file);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`] });
  try {
    const context = await browser.newContext({ baseURL, viewport: { width: 480, height: 900 } });
    await withVerifier([context], async (verifier) => {
      const camera = await context.newPage();
      const reports = await open(camera);
      await camera.evaluate((a) => window.elementsTest.startFlow(a), flowAttributes(await verifier.newSession()));
      await camera.locator('ekyc-consent [part=accept]').click(LONG);

      // Auto-capture: no click, the flow moves from the camera to the review by itself.
      await expect(camera.locator('ekyc-document-capture video')).toBeVisible(LONG);
      await expect(camera.locator('ekyc-document-review')).toBeVisible(LONG);
      // The fields read are those printed on the clip's page (seed 4 of e2e/pages/elements-fixtures.ts).
      const printed = randomMrzFields('TD3', createRandom(4));
      for (const name of ['surname', 'documentNumber', 'birthDate', 'expiryDate'] as const) {
        await expect(camera.locator(`ekyc-document-review input[name=${name}]`)).toHaveValue(printed[name]);
      }
      // After auto-capture the captured frame and the following ones were read until two agreed on a valid MRZ (#11).
      const sides = (await camera.evaluate(() => window.elementsTest.flowState()))?.sides;
      expect(sides).toEqual([{ side: 'front', source: 'camera', frames: expect.objectContaining({ outcome: 'stable' }) }]);
      expect(sides![0]!.frames!.used).toBeGreaterThanOrEqual(2);
      console.log(`document camera: ${JSON.stringify(sides![0]!.frames)}`);
      const beforeReview = await camera.evaluate(() => window.elementsTest.events());
      expect(beforeReview.filter((e) => e.name === 'ekyc-step').map((e) => (e.detail as { step: string }).step)).toEqual(['session', 'consent', 'document-front', 'document-read', 'document-review']);
      expect(beforeReview.filter((e) => e.name === 'ekyc-upload')).toEqual([]);
      expect(await camera.evaluate(() => window.elementsTest.trackStates())).toEqual(['ended']);
      await camera.locator('ekyc-document-review [part=confirm]').click();

      // The selfie camera shows the passport page: at most its small printed portrait, never a live face. Guidance
      // follows the frames ("Move closer" for the portrait), no baseline is taken, the step fails over to the error screen.
      await expect(camera.locator('ekyc-liveness [part=guidance]')).not.toHaveText('Fit your face in the oval and follow the prompts.', LONG);
      const screen = camera.locator('ekyc-error-screen');
      await expect(screen.locator('[data-action=upload]')).toBeVisible(LONG);
      await checkScreen(camera, 'liveness-failed');
      await screen.locator('[data-action=upload]').click();
      await expect(camera.locator('ekyc-upload button[data-slot=front]')).toHaveCount(0);
      await choose(camera, 'selfie', { name: 'selfie.jpg', base64: files.selfie });
      await camera.locator('ekyc-upload [part=submit]').click();
      await expect(camera.locator('ekyc-result')).toBeVisible(LONG);
      const complete = (await camera.evaluate(() => window.elementsTest.events())).find((e) => e.name === 'ekyc-complete')?.detail;
      expect(complete).toMatchObject({ delivery: 'delivered', local: { documentValid: true } });
      expect(await camera.evaluate(() => window.elementsTest.trackStates())).toEqual(['ended', 'ended']);
      await expectNoViolations(camera, reports);
    });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('selfie by camera: the passport by upload, then the selfie camera plays a clip generated for this session\'s nonce; the challenges pass and the result shows, axe- and policy-clean', { tag: '@realtime' }, async ({ page, baseURL }) => {
  await open(page);
  const files = await page.evaluate(() => window.elementsTest.uploadFiles());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ekyc-elements-selfie-'));
  let browser: Browser | undefined;
  try {
    await withVerifier([], async (verifier) => {
      // The nonce is known once the session exists: the clip performs its challenge order.
      const session = await verifier.newSession();
      const order = await liveness.challengeSequence(session.nonce, 3);
      const file = path.join(dir, 'face.y4m');
      await writeFaceClip(page, file, order);
      browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`] });
      const context = await browser.newContext({ baseURL, viewport: { width: 480, height: 900 } });
      await context.route(`**${PROXY}/**`, forwardTo(verifier.url, PROXY));
      const camera = await context.newPage();
      const reports = await open(camera);
      await camera.evaluate((a) => window.elementsTest.startFlow(a), flowAttributes(session));
      await camera.locator('ekyc-consent [part=accept]').click(LONG);

      // The document camera shows the face clip: the passport comes from the file chooser instead.
      await expect(camera.locator('ekyc-document-capture video')).toBeVisible(LONG);
      const chooser = camera.waitForEvent('filechooser');
      await camera.locator('ekyc-document-capture [part=upload]').click();
      await (await chooser).setFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(files.document, 'base64') });
      await camera.locator('ekyc-document-review [part=confirm]').click(LONG);

      // The selfie camera: the prompts follow the nonce's order; the screen is checked while a challenge is asked.
      await expect(camera.locator('ekyc-liveness video')).toBeVisible(LONG);
      await expect.poll(async () => (await camera.evaluate(() => window.elementsTest.events())).some((e) => e.name === 'ekyc-step' && (e.detail as { step: string }).step === 'face-match'), LONG).toBe(true);
      await expect(camera.locator('ekyc-result')).toBeVisible(LONG);
      const events = await camera.evaluate(() => window.elementsTest.events());
      const complete = events.find((e) => e.name === 'ekyc-complete')?.detail as { delivery: string; local: { liveness: { mode: string; state: string; challenges: string[]; diagnostics?: unknown } } } | undefined;
      console.log(`[elements selfie by camera] ${JSON.stringify(complete?.local.liveness ?? null)}`);
      expect(complete).toMatchObject({ delivery: 'delivered', local: { liveness: { mode: 'active', state: 'passed', challenges: order } } });
      expect(events.filter((e) => e.name === 'ekyc-error')).toEqual([]);
      const { violations } = await new AxeBuilder({ page: camera }).include('#stage').withTags(WCAG).analyze();
      expect(violations.map((v) => `${v.id} (${v.impact})`)).toEqual([]);
      expect(await camera.evaluate(() => window.elementsTest.trackStates())).toEqual(['ended', 'ended']);
      await expectNoViolations(camera, reports);
    });
  } finally {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
