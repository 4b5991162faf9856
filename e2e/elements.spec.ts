import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { chromium, expect, test, type Locator, type Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';

// The standalone elements on a page served under an enforced strict policy (e2e/pages/elements.html):
// every screen in every built-in locale is rendered, checked by axe (WCAG 2.2 AA), checked for policy
// violations, and photographed into docs/screenshots/ so a reader can see the flow without running it.

const LOCALES = ['en', 'fr', 'es'];
const SHOTS = 'docs/screenshots';
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

test.use({ viewport: { width: 480, height: 900 } });

async function open(page: Page): Promise<string[]> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) console.push(message.text().slice(0, 300));
  });
  await page.goto('/e2e/pages/elements.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  return console;
}

/** axe on the stage: zero violations, listed by rule and node when there are some. */
async function expectAccessible(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).include('#stage').withTags(WCAG).analyze();
  expect(violations.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** A shown screen: its camera preview (if any) showing a frame, then axe, then the photograph. */
async function checkAndPhotograph(page: Page, element: Locator, label: string, file: string): Promise<void> {
  const video = element.locator('video');
  if (await video.count()) await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
  await expectAccessible(page, label);
  mkdirSync(SHOTS, { recursive: true });
  await element.screenshot({ path: `${SHOTS}/${file}`, animations: 'disabled' });
}

test('the page enforces the strict policy: an inline style attribute is refused and reported', async ({ page }) => {
  await open(page);
  expect(await page.evaluate(() => window.elementsTest.inlineStyleRefused())).toBe(true);
});

test('every screen in every locale: no axe violation, no policy violation, a screenshot', async ({ page }) => {
  test.setTimeout(300_000);
  const console = await open(page);
  const screens = await page.evaluate(() => window.elementsTest.screens);
  expect(screens.length).toBeGreaterThanOrEqual(12);
  for (const locale of LOCALES) {
    for (const screen of screens) {
      await page.evaluate(([s, l]) => window.elementsTest.show(s!, l!), [screen, locale]);
      const element = page.locator('#stage > *');
      await expect(element).toHaveAttribute('locale', locale);
      await checkAndPhotograph(page, element, `${screen}/${locale}`, `elements-${screen}.${locale}.png`);
    }
  }
  expect(await page.evaluate(() => window.elementsTest.violations())).toEqual([]);
  expect(console).toEqual([]);
});

test('every screen of <ekyc-flow> in every locale: no axe violation, no policy violation, a screenshot', async ({ page }) => {
  test.setTimeout(480_000);
  const console = await open(page);
  const screens = await page.evaluate(() => window.elementsTest.flowScreens);
  expect(screens.length).toBeGreaterThanOrEqual(12);
  for (const locale of LOCALES) {
    for (const screen of screens) {
      await page.evaluate(([s, l]) => window.elementsTest.showFlow(s!, l!), [screen, locale]);
      const flow = page.locator('#stage > ekyc-flow');
      await expect(flow.locator('[data-view]')).toHaveCount(1);
      await expect(flow.locator('[part=base]').first()).toHaveAttribute('lang', locale);
      await checkAndPhotograph(page, flow, `flow ${screen}/${locale}`, `ekyc-flow-${screen}.${locale}.png`);
    }
  }
  expect(await page.evaluate(() => window.elementsTest.violations())).toEqual([]);
  expect(console).toEqual([]);
});

test('the plain-HTML example (packages/elements/example) starts a config session and shows the consent under its strict policy', async ({ page }) => {
  const reports: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) reports.push(message.text().slice(0, 300));
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { policyViolations: string[] }).policyViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`));
  });
  await page.goto('/packages/elements/example/');
  await page.getByRole('button', { name: 'Verify my identity' }).click();
  await expect(page.locator('ekyc-consent h2')).toHaveText('Before we start', { timeout: 60_000 });
  await expect(page.locator('ekyc-consent')).toContainText('Example Bank');
  // The page's theme reaches into the shadow roots through the custom properties.
  await expect(page.locator('ekyc-consent [part=accept]')).toHaveCSS('background-color', 'rgb(15, 81, 50)');
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { policyViolations: string[] }).policyViolations)).toEqual([]);
  expect(reports).toEqual([]);
});

test('guidance reaches the live region throttled: 12 changes within the 3 s gap after the instructions are spoken as the latest only', async ({ page }) => {
  await open(page);
  await page.evaluate(() => window.elementsTest.mountCapture('scene'));
  const codes = ['move_closer', 'hold_steady', 'too_dark', 'align_document', 'reduce_glare', 'move_farther', 'move_closer', 'hold_steady', 'too_bright', 'no_document', 'hold_steady', 'reduce_glare'];
  // Mounting spoke the instructions; changes every 100 ms then fall inside the 3 s gap, and 3.5 s of quiet
  // lets the held (latest) text be spoken once.
  await expect(page.locator('ekyc-document-capture [role=status]')).toHaveText('Place your document inside the frame. The photo is taken automatically.');
  const spoken = await page.evaluate((c) => window.elementsTest.announcementsFor(c, 100, 3500), codes);
  // One text (two if a loaded machine stretched the changes past the gap), never one per change, and the latest last.
  expect(spoken.length).toBeLessThanOrEqual(2);
  expect(spoken.at(-1)).toBe('Tilt the document a little to avoid glare');
  // The visible line is hidden from screen readers, so nothing is read twice.
  await expect(page.locator('ekyc-document-capture [part=guidance]')).toHaveAttribute('aria-hidden', 'true');
});

test('reduced motion turns the overlay transitions off; keyboard reaches every control of the error screen in order', async ({ page }) => {
  await open(page);
  await page.evaluate(() => window.elementsTest.show('document-back', 'en'));
  const guide = page.locator('ekyc-document-capture svg .guide');
  await expect(guide).toHaveCSS('transition-duration', '0.2s');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expect(guide).toHaveCSS('transition-duration', '0s');

  await page.evaluate(() => window.elementsTest.show('camera-busy', 'en'));
  await page.locator('ekyc-error-screen h2').focus();
  const order: string[] = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    order.push((await page.evaluate(() => window.elementsTest.focused()))?.text ?? '');
  }
  expect(order).toEqual(['Try the camera again', 'Upload photos', 'Continue on your phone']);
  await page.keyboard.press('Enter');
  expect((await page.evaluate(() => window.elementsTest.events())).filter((e) => e.name === 'ekyc-recover')).toEqual([{ name: 'ekyc-recover', detail: { action: 'handoff' } }]);
});

test('declining the consent captures nothing and offers to start again, which shows the consent again', async ({ page }) => {
  const reports = await open(page);
  await page.evaluate(() => window.elementsTest.startConfigFlow('fr'));
  await page.locator('ekyc-consent [part=decline]').click({ timeout: 60_000 });
  const screen = page.locator('ekyc-error-screen');
  await expect(screen.locator('[part=message]')).toHaveText('Vous avez refusé : rien n’a été capturé. Vous pouvez recommencer à tout moment.');
  const events = await page.evaluate(() => window.elementsTest.events());
  expect(events.filter((e) => e.name === 'ekyc-cancel').map((e) => e.detail)).toEqual([{ step: 'consent', reason: 'consent_declined' }]);
  expect(events.filter((e) => e.name === 'ekyc-step').map((e) => (e.detail as { step: string }).step)).toEqual(['session', 'consent']);
  expect(await page.evaluate(() => window.elementsTest.trackStates())).toEqual([]);
  await screen.locator('[data-action=restart]').click();
  await expect(page.locator('ekyc-consent h2')).toHaveText('Avant de commencer');
  expect(await page.evaluate(() => window.elementsTest.violations())).toEqual([]);
  expect(reports).toEqual([]);
});

test('models load with byte progress: the document worker reports bytes between 0 and its total, and the capture screen shows them', async ({ baseURL }) => {
  test.setTimeout(300_000);
  // A fake camera (Chromium's test pattern) so the capture screen, with its progress line, shows while the workers load.
  const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  try {
    const page = await browser.newPage({ baseURL, viewport: { width: 480, height: 900 } });
    const reports = await open(page);
    await page.evaluate(() => {
      const seen: { worker: string; state: string; bytesLoaded: number; bytesTotal: number; shown: string | null; bar: number | null }[] = [];
      (window as unknown as { modelProgress: typeof seen }).modelProgress = seen;
      document.addEventListener('ekyc-progress', (event) => {
        const detail = (event as CustomEvent<{ kind: string; worker: string; state: string; bytesLoaded: number; bytesTotal: number }>).detail;
        if (detail.kind !== 'model') return;
        const entry = { worker: detail.worker, state: detail.state, bytesLoaded: detail.bytesLoaded, bytesTotal: detail.bytesTotal, shown: null as string | null, bar: null as number | null };
        seen.push(entry);
        // What the capture screen shows for this event, once it has rendered.
        void (async () => {
          const flow = document.querySelector('ekyc-flow');
          await flow?.updateComplete;
          const progress = flow?.shadowRoot?.querySelector('ekyc-progress');
          await progress?.updateComplete;
          entry.shown = progress?.shadowRoot?.querySelector('[part=bytes]')?.textContent ?? null;
          entry.bar = progress?.shadowRoot?.querySelector('progress')?.value ?? null;
        })();
      });
    });
    await page.evaluate(() => window.elementsTest.startConfigFlow('en'));
    await page.locator('ekyc-consent [part=accept]').click({ timeout: 60_000 });
    await expect(page.locator('ekyc-document-capture')).toBeVisible({ timeout: 60_000 });
    type Seen = { worker: string; state: string; bytesLoaded: number; bytesTotal: number; shown: string | null; bar: number | null };
    const seen = (): Promise<Seen[]> => page.evaluate(() => (window as unknown as { modelProgress: Seen[] }).modelProgress);
    // The document reader is preloaded while the user frames the card.
    await expect.poll(async () => (await seen()).some((e) => e.worker === 'document' && e.state === 'ready'), { timeout: 240_000 }).toBe(true);
    const documentLoad = (await seen()).filter((e) => e.worker === 'document');
    const loading = documentLoad.filter((e) => e.state === 'loading');
    const total = documentLoad[0]!.bytesTotal;
    expect(total).toBeGreaterThan(10_000_000);
    expect(loading.every((e) => e.bytesTotal === total)).toBe(true);
    // Monotone, starting at 0, with at least one event strictly between 0 and the total.
    expect(loading[0]!.bytesLoaded).toBe(0);
    for (let i = 1; i < loading.length; i++) expect(loading[i]!.bytesLoaded).toBeGreaterThanOrEqual(loading[i - 1]!.bytesLoaded);
    const partial = loading.filter((e) => e.bytesLoaded > 0 && e.bytesLoaded < total);
    expect(partial.length).toBeGreaterThanOrEqual(1);
    expect(documentLoad.at(-1)).toMatchObject({ state: 'ready', bytesLoaded: total });
    // The capture screen showed a moving line, "x.y of z.w MB", under a bar with the same value.
    const shown = (await seen()).filter((e) => e.state === 'loading' && e.shown !== null && e.bytesLoaded > 0 && e.bytesLoaded < e.bytesTotal);
    expect(shown.length).toBeGreaterThanOrEqual(1);
    for (const e of shown) expect(e.shown).toMatch(/^\d+\.\d of \d+\.\d MB$/);
    expect(shown.some((e) => e.bar !== null && e.bar > 0 && e.bar < e.bytesTotal)).toBe(true);
    expect(await page.evaluate(() => window.elementsTest.violations())).toEqual([]);
    expect(reports).toEqual([]);
  } finally {
    await browser.close();
  }
});
