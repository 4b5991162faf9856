/**
 * Shared by the driven flow benches (readiness, document-camera): fixtures made once on the Vite
 * server, the SDK served as an integrator serves it (static-server.ts), and one run of
 * `<ekyc-flow>` from the prebuilt bundle (static/flow-driver.js) with every network request it
 * caused, pages' and workers' alike, as Playwright sees them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Request } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { rgbaToI420, y4mHeader, Y4M_FRAME_MARKER } from '../../packages/testkit/src/y4m.ts';
import type { FrameReadTiming, StartupTiming } from './pages/fixtures.ts';
import { startStaticServer, type ServedRequest, type StaticServer } from './static-server.ts';

export interface DrivenContext {
  /** The Vite dev server of bench/run.mjs (workspace sources, /ekyc/ assets). */
  baseUrl: string;
  root: string;
  log: (...message: unknown[]) => void;
}

/** The 1-minute load average now (`uptime`): the machine is shared, so every number carries it. */
export const loadNow = (): number => os.loadavg()[0]!;
export const loadRange = (values: readonly number[]): string => `load ${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)} (1-min avg, ${os.cpus().length} cores)`;

export interface Fixtures {
  dir: string;
  y4m: string;
  frameGuidance: string[];
  widthFraction: number;
  /** With `readFrame`: the camera frame read as the flow reads a capture, in one fresh document worker. */
  frameReads: FrameReadTiming[];
  /** With `readFrame`: the document worker's start-up by part. */
  startup: StartupTiming[];
  dispose(): void;
}

const OCR_B_FONT = '/usr/share/fonts/opentype/ocr-b/OCRB.otf';

/** What the pages on the Vite server need before anything runs: the self-hosted assets and the MRZ font. */
export function checkViteAssets(ctx: DrivenContext): void {
  if (!existsSync(path.join(ctx.root, 'demo/public/ekyc/models/manifest.json'))) throw new Error('no self-hosted assets in demo/public/ekyc: run `npm run assets` first');
  if (!existsSync(OCR_B_FONT)) throw new Error(`no OCR-B font at ${OCR_B_FONT} (Debian fonts-ocr-b): the rendered documents need it`);
}

/** The passport page, the selfie and the fake-camera video of the page (bench/driven/pages/fixtures.ts), in a temp folder. */
export async function makeFixtures(ctx: DrivenContext, readFrame = 0): Promise<Fixtures> {
  checkViteAssets(ctx);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ekyc-bench-flow-'));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    await page.goto(new URL('bench/driven/pages/fixtures.html', ctx.baseUrl).href);
    await page.locator('body[data-ready=true]').waitFor({ state: 'attached', timeout: 120_000 });
    const made = await page.evaluate(() => window.benchFixtures.make());
    const frameReads = readFrame > 0 ? await page.evaluate((n) => window.benchFixtures.readCapturedFrame(n), readFrame) : [];
    const startup = readFrame > 0 ? await page.evaluate(() => window.benchFixtures.documentStartup()) : [];
    writeFileSync(path.join(dir, 'document.jpg'), Buffer.from(made.document, 'base64'));
    writeFileSync(path.join(dir, 'selfie.jpg'), Buffer.from(made.selfie, 'base64'));
    const { width, height } = made.frame;
    const planes = rgbaToI420({ width, height, data: new Uint8ClampedArray(Buffer.from(made.frame.rgba, 'base64')) });
    const y4m = path.join(dir, 'passport.y4m');
    // One second at 30 fps of the same still; Chromium loops the file.
    const parts: Array<string | Uint8Array> = [y4mHeader(width, height, 30)];
    for (let i = 0; i < 30; i++) parts.push(Y4M_FRAME_MARKER, planes);
    writeFileSync(y4m, Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p.buffer, p.byteOffset, p.byteLength)))));
    return { dir, y4m, frameGuidance: made.frame.guidance, widthFraction: made.frame.widthFraction, frameReads, startup, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await browser.close();
  }
}

const HASHED = /-[A-Za-z0-9_-]{8}\.js$/;

/**
 * Every asset file the folder's manifests list must be the one the bundle's manifests pin (a bundle
 * built before the assets changed fails in the worker with `asset_hash_mismatch`, minutes into a
 * run): checked up front. Files a manifest no longer lists (left by an older `npm run assets`) are
 * never fetched and not checked.
 */
function checkBundleMatchesAssets(bundle: string, assets: string): void {
  const chunks = [...readdirSync(bundle), ...readdirSync(path.join(bundle, 'assets')).map((f) => `assets/${f}`)]
    .filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(bundle, f), 'utf8')).join('\n');
  const stale: string[] = [];
  for (const group of ['models', 'wasm']) {
    const manifest = JSON.parse(readFileSync(path.join(assets, group, 'manifest.json'), 'utf8')) as { assets: Array<{ file: string }> };
    for (const { file } of manifest.assets) {
      const full = path.join(assets, group, file);
      if (!existsSync(full) || !chunks.includes(createHash('sha256').update(readFileSync(full)).digest('hex'))) stale.push(path.relative(assets, full));
    }
  }
  if (stale.length > 0) throw new Error(`the bundle at ${bundle} pins other sha256 than ${assets} has for ${stale.join(', ')}: run \`npm run assets\` and \`npm run build\` (or point EKYC_BENCH_BUNDLE at a bundle built from the current manifests)`);
}

/**
 * The prebuilt bundle (packages/elements/dist/browser, or the folder EKYC_BENCH_BUNDLE names) and the
 * assets, checked (present, and pinning each other's hashes) before anything slow runs.
 */
export function sdkFolders(ctx: DrivenContext): { bundle: string; assets: string } {
  checkViteAssets(ctx);
  const bundle = path.resolve(process.env['EKYC_BENCH_BUNDLE'] ?? path.join(ctx.root, 'packages/elements/dist/browser'));
  // EKYC_BENCH_ASSETS: another asset folder, to compare a bundle built from other manifests.
  const assets = path.resolve(process.env['EKYC_BENCH_ASSETS'] ?? path.join(ctx.root, 'demo/public/ekyc'));
  if (!existsSync(path.join(bundle, 'ekyc-elements.js'))) throw new Error(`no prebuilt bundle at ${bundle}: run \`npm run build\` first`);
  if (!existsSync(path.join(assets, 'wasm/manifest.json'))) throw new Error(`no self-hosted runtimes at ${assets}: run \`npm run assets\` first`);
  if (!existsSync(path.join(bundle, 'assets')) || !readdirSync(path.join(bundle, 'assets')).some((f) => f.startsWith('document.worker-'))) throw new Error(`the bundle at ${bundle} has no worker chunks: run \`npm run build\` again`);
  checkBundleMatchesAssets(bundle, assets);
  return { bundle, assets };
}

/** The bundle, the assets and the driver page, served as docs/install.md says (immutable where versioned or hashed). */
export async function startSdkServer(ctx: DrivenContext, fixtures: Fixtures): Promise<StaticServer> {
  const { bundle, assets } = sdkFolders(ctx);
  return startStaticServer([
    { prefix: '/sdk/', dir: bundle, caching: (file) => (HASHED.test(file) ? 'immutable' : 'revalidate') },
    { prefix: '/ekyc/', dir: assets, caching: 'immutable' },
    { prefix: '/bench/', dir: path.join(ctx.root, 'bench/driven/static'), caching: 'revalidate' },
    { prefix: '/fixtures/', dir: fixtures.dir, caching: 'revalidate' },
  ]);
}

/** Chromium on a fresh, empty profile (a disk HTTP cache, as a user's browser has: an incognito context's memory cache keeps no entry over 6.25 MB), its fake camera playing the passport video. */
export async function launchProfile(fixtures: Fixtures): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ekyc-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${fixtures.y4m}`],
    viewport: { width: 480, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface NetworkEntry { url: string; startEpoch: number; bytes: number; status: number | null; failed: boolean }

/** What static/flow-driver.js returns (times in ms since the page's navigation start). */
export interface FlowReport {
  failed?: string;
  mode: string;
  timeOrigin: number;
  loadedAt: number;
  definedAt: number;
  startAt: number;
  endAt: number;
  steps: Array<{ step: string; at: number; awaiting: string | null }>;
  models: Array<{ worker: string; step: string; bytesTotal: number; loadingAt: number; readyAt: number | null }>;
  cameras: Array<{ step: string; at: number; open: boolean }>;
  guidance: Array<{ step: string; at: number; source: string; codes: string; stable: number | null; needed: number | null }>;
  guidanceCount: Record<string, number>;
  processing: Array<{ step: string; task: string; done: number; total: number; at: number }>;
  errors: Array<{ step: string | null; code: string; recoverable: boolean; at: number }>;
  awaiting: Array<{ step: string; awaiting: string; at: number }>;
  review: {
    at: number; valid: boolean; format: string | null; documentType: string | null; fieldsFound: number; uncertain: number; issues: string[]; portraitFound: boolean;
    /** Per side read: the camera frames voted over after auto-capture (null for an upload). */
    frames: Array<{ used: number; rejected: number; outcome: string } | null>;
  } | null;
  uploads: Array<{ step: string; at: number; why: string }>;
  status: string | null;
  complete: { at: number; delivery: string } | null;
}

/**
 * One visit of the driver page in `context`: resolves with the flow's report and the requests the
 * visit made (the fixtures' own requests left out). Fails with the page's error, or after `timeoutMs`.
 */
export async function visitFlow(context: BrowserContext, server: StaticServer, mode: 'readiness' | 'camera', timeoutMs: number): Promise<{ report: FlowReport; network: NetworkEntry[] }> {
  const network: NetworkEntry[] = [];
  const pending: Array<Promise<void>> = [];
  const record = (request: Request, failed: boolean): void => {
    if (new URL(request.url()).pathname.startsWith('/fixtures/')) return;
    pending.push((async () => {
      const response = failed ? null : await request.response();
      const sizes = failed ? null : await request.sizes().catch(() => null);
      network.push({ url: request.url(), startEpoch: request.timing().startTime, bytes: sizes ? Math.max(0, sizes.responseBodySize) + Math.max(0, sizes.responseHeadersSize) : 0, status: response?.status() ?? null, failed });
    })());
  };
  const onFinished = (request: Request): void => record(request, false);
  const onFailed = (request: Request): void => record(request, true);
  context.on('requestfinished', onFinished);
  context.on('requestfailed', onFailed);
  const page = await context.newPage();
  try {
    await page.goto(new URL(`bench/flow.html?mode=${mode}`, server.url).href);
    // The driver's module awaits the bundle before it sets `flowBenchDone`: the load event can come first.
    await page.locator('body[data-ready=true]').waitFor({ state: 'attached', timeout: 120_000 });
    const report = await page.evaluate(async (limit) => {
      const timeout = new Promise<{ failed: string }>((resolve) => setTimeout(() => resolve({ failed: `no end of the flow within ${limit} ms` }), limit));
      return Promise.race([window.flowBenchDone!, timeout]);
    }, timeoutMs) as FlowReport;
    if (report.failed) throw new Error(`flow page: ${report.failed}`);
    await Promise.all(pending);
    return { report, network };
  } finally {
    context.off('requestfinished', onFinished);
    context.off('requestfailed', onFailed);
    await page.close();
  }
}

/**
 * What crossed the network for requests that started in [from, to) (ms since the report's navigation
 * start): `bytes` as Chromium counted them (compressed body + headers), `served` and `withBody` as the
 * server saw them (requests that reached it; those answered 200 with a body, not 304).
 */
export function bytesBetween(report: FlowReport, network: readonly NetworkEntry[], served: readonly ServedRequest[], from: number, to: number): { bytes: number; requests: number; served: number; withBody: number; servedBodyBytes: number } {
  const inRange = (epoch: number): boolean => epoch - report.timeOrigin >= from && epoch - report.timeOrigin < to;
  const requests = network.filter((n) => inRange(n.startEpoch));
  const atServer = served.filter((s) => !s.path.startsWith('/fixtures/') && inRange(s.at));
  return {
    bytes: requests.reduce((sum, n) => sum + n.bytes, 0),
    requests: requests.length,
    served: atServer.length,
    withBody: atServer.filter((s) => s.status === 200 && s.bodyBytes > 0).length,
    servedBodyBytes: atServer.reduce((sum, s) => sum + s.bodyBytes, 0),
  };
}

declare global {
  interface Window {
    flowBenchDone?: Promise<FlowReport | { failed: string }>;
  }
}
