import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { rgbaToI420, y4mHeader, Y4M_FRAME_MARKER } from '../packages/testkit/src/y4m.ts';
import type { LicenceCard, LicenceRunOptions, LicenceRunReport } from './pages/licence-flow.ts';
import { forwardTo, startTestVerifier } from './verifier-harness.ts';

/**
 * A synthetic EU driving licence (testkit `renderDrivingLicence`: no MRZ, numbered fields, the EU
 * emblem) through `VerificationFlow`'s document steps in Chromium with the real document worker: on
 * Chromium's fake camera (auto-capture, the frame vote ending without an MRZ, the chosen frame's visual
 * zone read) and uploaded against the reference verifier, which re-checks the licence from the
 * `ekyc.licence.read` artifact the flow wrote. One browser (its fake camera playing the card) holds a
 * page per run; each run starts its own workers, as a fresh flow does.
 */
const PROXY = '/verifier-proxy';
/** The card of e2e/document-viz.spec.ts and e2e/licence-state.spec.ts (seed 7000), printed for the state each test names. */
const SEED = 7000;
const CAMERA_CARD: LicenceCard = { seed: SEED, issuingState: 'D' };
const ACCEPTED = { acceptedDocuments: ['passport', 'id_card', 'driving_licence'], acceptedCountries: ['D<<', 'FRA'] };
const FIELDS = ['surname', 'givenNames', 'documentNumber', 'birthDate', 'expiryDate'] as const;

async function openPage(page: Page): Promise<void> {
  await page.goto('/e2e/pages/licence-flow.html');
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
}

/** Writes the fake camera's clip: the card on a dark desk, judged `good` as a still, 1 s at 30 fps (Chromium loops it). */
async function writeLicenceClip(page: Page, file: string): Promise<void> {
  const frame = await page.evaluate((c) => window.licenceFlowTest.cameraFrame(c), CAMERA_CARD);
  expect(frame.guidance).toEqual(['good']);
  const planes = rgbaToI420({ width: frame.width, height: frame.height, data: new Uint8ClampedArray(Buffer.from(frame.rgba, 'base64')) });
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, y4mHeader(frame.width, frame.height, 30));
    for (let i = 0; i < 30; i++) {
      writeSync(fd, Y4M_FRAME_MARKER);
      writeSync(fd, planes);
    }
  } finally {
    closeSync(fd);
  }
}

/** The reference verifier, its sessions accepting driving licences under [D<<, FRA]. */
async function startLicenceVerifier(state: string): Promise<{ child: ChildProcess; url: string; apiKey: string }> {
  return startTestVerifier(state, { VERIFIER_SESSION_CONFIG: JSON.stringify(ACCEPTED) });
}

async function run(page: Page, options: LicenceRunOptions): Promise<LicenceRunReport> {
  const report = await page.evaluate((o) => window.licenceFlowTest.run(o), options);
  console.log(`[licence ${options.capture}] frames ${JSON.stringify(report.sides[0]?.frames ?? null)}; ms from start: ${JSON.stringify(report.at)}`);
  return report;
}

/** The review shows the printed fields, every one certain, and the state read from the emblem. */
function expectPrintedFields(report: LicenceRunReport, state: string): void {
  expect(report.error).toBeNull();
  expect(report.status).toBe('complete');
  const review = report.review!;
  expect(review.documentType).toBe('driving_licence');
  for (const name of FIELDS) expect(review.fields[name], name).toBe(report.printed[name]);
  expect(review.fields.issuingState).toBe(state);
  expect(review.uncertain).toEqual([]);
}

interface IntegratorStatus { status: string; decision: { outcome: string; reasonCodes: string[] } | null }

/** The upload run against a fresh verifier session, once the verifier is up, and what the integrator then sees. */
async function uploadThroughVerifier(page: Page, starting: Promise<{ url: string; apiKey: string }>): Promise<{ report: LicenceRunReport; status: IntegratorStatus; sessionId: string }> {
  const verifier = await starting;
  await page.route(`**${PROXY}/**`, forwardTo(verifier.url, PROXY));
  const created = await fetch(`${verifier.url}/sessions`, { method: 'POST', headers: { authorization: `Bearer ${verifier.apiKey}`, 'content-type': 'application/json' }, body: '{}' });
  expect(created.status).toBe(201);
  const { sessionId, clientToken } = await created.json() as { sessionId: string; clientToken: string };
  const report = await run(page, { capture: 'upload', card: { seed: SEED, issuingState: 'PL' }, verifier: { verifierBase: PROXY, sessionId, clientToken } });
  const status = await (await fetch(`${verifier.url}/sessions/${sessionId}`, { headers: { authorization: `Bearer ${verifier.apiKey}` } })).json() as IntegratorStatus;
  console.log(`[licence upload] verifier: ${status.status} ${status.decision?.outcome} [${(status.decision?.reasonCodes ?? []).join(', ')}]`);
  return { report, status, sessionId };
}

test.describe('a driving licence through VerificationFlow (real document worker)', () => {
  test.setTimeout(180_000);
  let dir = '';
  let browser: Browser | undefined;
  /** The verifier starts (PGlite, migrations: 25-30 s on the loaded 2-core VM) while the camera run reads the card. */
  let verifierStarting: Promise<{ child: ChildProcess; url: string; apiKey: string }>;
  // Both runs go at once, each in its own page: a flow's document worker is one WASM thread, so two
  // runs use two cores. Each test awaits its own run and judges it.
  let cameraRun: Promise<LicenceRunReport>;
  let uploadRun: Promise<{ report: LicenceRunReport; status: IntegratorStatus }>;

  test.beforeAll(async ({ browser: plain, baseURL }) => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ekyc-e2e-licence-'));
    verifierStarting = startLicenceVerifier(mkdtempSync(path.join(dir, 'verifier-')));
    const file = path.join(dir, 'licence.y4m');
    const maker = await plain.newPage({ baseURL });
    await openPage(maker);
    await writeLicenceClip(maker, file);
    await maker.close();
    browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`] });
    const [cameraPage, uploadPage] = await Promise.all([browser.newPage({ baseURL }), browser.newPage({ baseURL })]);
    await Promise.all([openPage(cameraPage), openPage(uploadPage)]);
    cameraRun = run(cameraPage, { capture: 'camera', card: CAMERA_CARD, acceptedCountries: ACCEPTED.acceptedCountries });
    uploadRun = uploadThroughVerifier(uploadPage, verifierStarting);
    // Awaited by the tests; a failure fails its test, not the run as an unhandled rejection.
    for (const pending of [verifierStarting, cameraRun, uploadRun]) pending.catch(() => undefined);
  });

  test.afterAll(async () => {
    await Promise.allSettled([cameraRun, uploadRun]);
    await browser?.close();
    (await verifierStarting.catch(() => null))?.child.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('fake camera: auto-captured, the frame vote ends without an MRZ, the sharpest frame\'s visual zone is read; a German licence passes under [D<<, FRA]', async () => {
    const report = await cameraRun;
    expectPrintedFields(report, 'DEU');
    expect(report.steps).toEqual(['session', 'consent', 'document-front', 'document-read', 'document-review', 'evidence']);
    // The vote read 3 frames, found no MRZ lines on any, and ended (`no_mrz`) instead of waiting out its budget.
    expect(report.sides).toEqual([expect.objectContaining({ side: 'front', source: 'camera', frames: { used: 3, rejected: 3, outcome: 'no_mrz' } })]);
    expect(report.review!.issues).toEqual([]);
    expect(report.delivery).toBe('local');
  });

  test('upload: read by its visual zone, the checks refuse a Polish licence under [D<<, FRA], and the verifier re-checks it from the flow\'s artifact alike', async () => {
    const { report, status } = await uploadRun;
    expectPrintedFields(report, 'POL');
    expect(report.steps).toEqual(['session', 'consent', 'document-front', 'document-read', 'document-review', 'evidence', 'submit']);
    expect(report.sides).toEqual([expect.objectContaining({ side: 'front', source: 'upload' })]);
    expect(report.review!.issues).toEqual(['document_country_not_accepted']);
    expect(report.delivery).toBe('delivered');
    // The verifier ran the same checks on the printed fields the flow sent (ekyc.licence.read): the
    // same refusal, routed as an MRZ document's, and no disagreement with the device's document.checks.
    expect(status.decision).toMatchObject({ outcome: 'reject' });
    expect(status.decision!.reasonCodes).toEqual(expect.arrayContaining(['country_not_accepted', 'licence_printed_fields_only']));
    expect(status.decision!.reasonCodes).not.toContain('client_score_disagreement');
    expect(status.decision!.reasonCodes).not.toContain('document_read_absent');
  });
});
