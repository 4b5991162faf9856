/**
 * The document step on the camera path, end to end (#11 "capture to verified fields"): `<ekyc-flow>`
 * from the prebuilt bundle with steps `document-front document-review`, Chromium's fake camera playing
 * a 1280x720 video of the rendered TD3 passport page on a desk (bench/driven/pages/fixtures.ts), no
 * upload: camera open, quality worker judging frames, auto-capture after the stable frames, the captured
 * and following frames read by the document worker until two agree on a valid MRZ (the camera stays
 * open meanwhile), the portrait and document checks (face worker), the review's fields.
 *
 * One profile: the first visit is cold (empty HTTP cache, reported as its own single run), then
 * `EKYC_BENCH_CAMERA_RUNS` warm visits (default 3), each a fresh page with fresh workers.
 * Needs `npm run build` (the bundle) and `npm run assets`.
 */
import type { BenchResult } from '../types.ts';
import { median } from '../types.ts';
import type { FrameReadTiming } from './pages/fixtures.ts';
import { sdkFolders, launchProfile, loadNow, loadRange, makeFixtures, startSdkServer, visitFlow, type DrivenContext, type FlowReport } from './flow-run.ts';

const WARM_RUNS = Number(process.env['EKYC_BENCH_CAMERA_RUNS'] ?? 3);
const RUN_TIMEOUT_MS = 180_000;
/** Reads of the camera frame in one fresh document worker, for the breakdown of the MRZ read (the flow's events carry no stage timings). */
const FRAME_READS = 2;

interface CameraRun {
  load: number;
  cameraOpen: number;
  qualityReady: number;
  firstFrame: number;
  captured: number;
  framesJudged: number;
  stableNeeded: number;
  documentReady: number;
  readStart: number;
  readMs: number;
  /** Frames read after auto-capture (the captured one included) until the MRZ was stable, and those rejected before OCR. */
  framesUsed: number;
  framesRejected: number;
  frameVote: string;
  /** Auto-capture to verified fields shown. */
  captureToFields: number;
  documentRead: number;
  total: number;
  valid: boolean;
  fieldsFound: number;
  uncertain: number;
  issues: string[];
}

function measure(report: FlowReport, load: number): CameraRun {
  const stepAt = (step: string): number => {
    const entry = report.steps.find((s) => s.step === step);
    if (!entry) throw new Error(`the flow never entered ${step} (steps: ${report.steps.map((s) => s.step).join(', ')}; errors: ${report.errors.map((e) => e.code).join(', ')})`);
    return entry.at;
  };
  if (report.uploads.length > 0) throw new Error('the camera run uploaded a file');
  const front = stepAt('document-front');
  const read = stepAt('document-read');
  const frames = report.guidance.filter((g) => g.step === 'document-front');
  const captureIndex = frames.findIndex((g) => g.needed !== null && g.stable !== null && g.stable >= g.needed);
  if (captureIndex < 0) throw new Error(`no frame completed the auto-capture countdown (${frames.length} frames judged: ${[...new Set(frames.map((f) => f.codes))].join(' | ')})`);
  const capture = frames[captureIndex]!;
  const camera = report.cameras.find((c) => c.step === 'document-front' && c.open);
  const readEvents = report.processing.filter((p) => p.step === 'document-front' && p.task === 'document.read');
  const readStart = readEvents.find((p) => p.done === 0)?.at;
  const readEnd = readEvents.find((p) => p.done === p.total)?.at;
  const model = (worker: string): number => report.models.find((m) => m.worker === worker)?.readyAt ?? Number.NaN;
  if (!report.review) throw new Error('no review came');
  if (readStart === undefined || readEnd === undefined) throw new Error('no document.read progress');
  const frameCounts = report.review.frames[0];
  if (!frameCounts) throw new Error('the camera side carries no frame counts');
  return {
    load,
    cameraOpen: (camera?.at ?? Number.NaN) - front,
    qualityReady: model('quality') - front,
    firstFrame: frames[0]!.at - front,
    captured: capture.at - front,
    framesJudged: captureIndex + 1,
    stableNeeded: capture.needed ?? Number.NaN,
    documentReady: model('document') - front,
    readStart: readStart - front,
    readMs: readEnd - readStart,
    framesUsed: frameCounts.used,
    framesRejected: frameCounts.rejected,
    frameVote: frameCounts.outcome,
    captureToFields: report.review.at - capture.at,
    documentRead: report.review.at - read,
    total: report.review.at - front,
    valid: report.review.valid,
    fieldsFound: report.review.fieldsFound,
    uncertain: report.review.uncertain,
    issues: report.review.issues,
  };
}

export default async function run(ctx: DrivenContext): Promise<BenchResult[]> {
  sdkFolders(ctx); // fails in a second, not after the fixtures, when the bundle or the assets are missing or stale
  const loadAtFrameReads = loadNow();
  const fixtures = await makeFixtures(ctx, FRAME_READS);
  if (fixtures.frameGuidance.join(',') !== 'good') throw new Error(`the camera frame is not judged good (${fixtures.frameGuidance.join(',')}): auto-capture cannot happen`);
  const server = await startSdkServer(ctx, fixtures);
  const runs: Array<{ phase: 'cold' | 'warm'; run: CameraRun }> = [];
  try {
    const profile = await launchProfile(fixtures);
    try {
      for (let i = 0; i <= WARM_RUNS; i++) {
        const phase = i === 0 ? 'cold' : 'warm';
        const load = loadNow();
        const { report } = await visitFlow(profile.context, server, 'camera', RUN_TIMEOUT_MS);
        if (report.status !== 'complete') throw new Error(`${phase} camera run ended ${report.status}: ${report.errors.map((e) => `${e.step}:${e.code}`).join(', ')}`);
        const measured = measure(report, load);
        runs.push({ phase, run: measured });
        ctx.log(`document-camera ${phase}: fields at ${Math.round(measured.total)} ms after document-front (${Math.round(measured.captureToFields)} after auto-capture), ${measured.framesJudged} frames judged, ${measured.framesUsed} frames read (${measured.framesRejected} rejected, ${measured.frameVote}), load ${load.toFixed(1)}`);
      }
    } finally {
      await profile.close();
    }
  } finally {
    await server.close();
    fixtures.dispose();
  }

  const results: BenchResult[] = [];
  for (const phase of ['warm', 'cold'] as const) {
    const set = runs.filter((r) => r.phase === phase).map((r) => r.run);
    if (set.length === 0) continue;
    const m = (pick: (r: CameraRun) => number): number => median(set.map(pick));
    const load = loadRange(set.map((r) => r.load));
    const add = (name: string, pick: (r: CameraRun) => number, notes: string): void => {
      results.push({ suite: 'document-camera', name: `${phase}: ${name}`, unit: 'ms', value: m(pick), runs: set.length, notes: `${notes}${notes ? '; ' : ''}${load}` });
    };
    const verified = `${set.filter((r) => r.valid).length}/${set.length} MRZ valid, ${m((r) => r.fieldsFound)} of 9 review fields filled, ${m((r) => r.uncertain)} uncertain, issues: ${[...new Set(set.flatMap((r) => r.issues))].join(',') || 'none'}`;
    add('document-front entered to verified fields shown (review)', (r) => r.total, verified);
    add('camera open', (r) => r.cameraOpen, 'from document-front entered');
    add('first frame judged (quality worker ready)', (r) => r.firstFrame, `quality worker ready at ${Math.round(m((r) => r.qualityReady))} ms`);
    add('auto-capture', (r) => r.captured, `${m((r) => r.framesJudged)} frames judged, ${m((r) => r.stableNeeded)} stable needed`);
    add('MRZ read: captured and following frames voted until stable (document worker)', (r) => r.readMs, `read started at ${Math.round(m((r) => r.readStart))} ms (document worker ready at ${Math.round(m((r) => r.documentReady))} ms); ${m((r) => r.framesUsed)} frames used, ${m((r) => r.framesRejected)} rejected before OCR; vote: ${[...new Set(set.map((r) => r.frameVote))].join(',')}`);
    add('auto-capture to verified fields shown (review)', (r) => r.captureToFields, `frames used per run (captured one included): ${set.map((r) => `${r.framesUsed} (${r.framesRejected} rejected)`).join(', ')}; then portrait and checks`);
    add('document-read: face worker, portrait, checks', (r) => r.documentRead, 'from document-read entered to the review event');
  }
  const [first, ...later] = fixtures.frameReads;
  if (first) {
    const ms = (values: number[]): string => (values.some(Number.isNaN) ? 'not run' : `${Math.round(median(values))}`);
    const stages = (r: FrameReadTiming[]): string => `rectify ${ms(r.map((x) => x.rectifyMs))}, locate ${ms(r.map((x) => x.locateMs))}, OCR ${ms(r.map((x) => x.ocrMs))} (PP-OCRv4 ${ms(r.map((x) => x.ppocrMs))}, tesseract.js ${ms(r.map((x) => x.tesseractMs))}, side by side), merge ${ms(r.map((x) => x.mergeMs))} ms`;
    const loadNote = loadRange([loadAtFrameReads]);
    results.push({ suite: 'document-camera', name: 'breakdown: first read of the captured frame in a fresh document worker', unit: 'ms', value: first.totalMs, runs: 1, notes: `${stages([first])}; MRZ ${first.valid ? 'valid' : 'not valid'}; ${loadNote}` });
    if (later.length > 0) results.push({ suite: 'document-camera', name: 'breakdown: later reads of the same frame in that worker', unit: 'ms', value: median(later.map((r) => r.totalMs)), runs: later.length, notes: `${stages(later)}; ${later.filter((r) => r.valid).length}/${later.length} valid; ${loadNote}` });
  }
  if (fixtures.startup.length > 0) {
    const parts = fixtures.startup.map((t) => `${t.engines === 'none' ? 'OpenCV.js + runtime only' : t.engines === 'ppocr' ? '+ PP-OCRv4 rec' : '+ tesseract.js'} ${Math.round(t.ms)} ms`).join(', ');
    const full = fixtures.startup.at(-1)!;
    results.push({
      suite: 'document-camera', name: 'breakdown: document worker start-up (construction to ready, the flow\'s engines)', unit: 'ms', value: full.ms, runs: 1,
      notes: `fresh workers with more engines each: ${parts}; OpenCV.js load ${full.opencvLoadMs === null ? '?' : Math.round(full.opencvLoadMs)} ms; served by the Vite dev server (uncompressed, revalidated); ${loadRange([loadAtFrameReads])}`,
    });
  }
  return results;
}
