import { DocumentCapture, openCamera, type FrameAnalyzer } from '@ekyc/flow';
import { generateLabelledFrame } from '@ekyc/testkit';
import type { TimedAssessment } from '@ekyc/workers';
import { FOCAL, fontReady, outcome, worker, type Outcome } from './quality-kit.ts';

function base64(bytes: Uint8ClampedArray): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Consecutive repeats collapsed: ['no_document', 'hold_steady', 'good'] rather than one entry per frame. */
function runs(codes: string[]): string[] {
  return codes.filter((code, i) => i === 0 || code !== codes[i - 1]);
}

/** A generated frame (RGBA, base64) and how the worker judges it as a still. */
interface GeneratedFrame {
  seed: number;
  width: number;
  height: number;
  rgba: string;
  guidance: string[];
}

const api = {
  /** A generated frame for the fake camera file. */
  async frame(seed: number, kind: 'document' | 'empty'): Promise<GeneratedFrame> {
    await fontReady;
    const { image } = generateLabelledFrame(seed, kind === 'document' ? { focalLengthFraction: FOCAL, clean: true } : { focalLengthFraction: FOCAL, emptyRate: 1 });
    const rgba = base64(image.data);
    const { guidance } = await worker().analyzeStill({ width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) });
    return { seed, width: image.width, height: image.height, rgba, guidance };
  },

  /** The first seed's frame judged exactly `[wanted]`, else the last one tried (the test then fails on its guidance). */
  async firstJudged(seeds: number[], kind: 'document' | 'empty', wanted: string): Promise<GeneratedFrame> {
    let last: GeneratedFrame | undefined;
    for (const seed of seeds) {
      last = await api.frame(seed, kind);
      if (last.guidance.length === 1 && last.guidance[0] === wanted) break;
    }
    return last!;
  },

  /** Opens the camera and auto-captures: everything the test checks, in one JSON-safe summary. */
  async capture(timeoutMs: number) {
    const quality = worker();
    await quality.host.ready();
    await quality.configure({});
    const camera = await openCamera();
    let inFlight = 0;
    let maxInFlight = 0;
    // An observer around the real client: counts calls in flight, changes nothing.
    const observed: FrameAnalyzer = {
      analyzeFrame: async (input) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await quality.analyzeFrame(input);
        } finally {
          inFlight--;
        }
      },
    };
    const capture = new DocumentCapture({ video: camera.video, quality: observed, signal: AbortSignal.timeout(timeoutMs) });
    const seen: TimedAssessment[] = [];
    let captureEvents = 0;
    capture.addEventListener('assessment', (event) => {
      seen.push(event.assessment);
      if (event.assessment.capture) captureEvents++;
    });
    let resolutions = 0;
    try {
      const result = await capture.captured.then((r) => {
        resolutions++;
        return r;
      });
      // Frames keep arriving; nothing more may be sent once captured.
      const sentAtCapture = capture.stats.sent;
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The returned pixels are the analysed ones: analysing them again finds the same corners.
      const again = await quality.analyzeStill({ ...result.frame, data: new Uint8ClampedArray(result.frame.data) });
      return {
        settings: { width: camera.settings.width, height: camera.settings.height },
        guidance: runs(seen.map((a) => a.guidance[0]!)),
        resolutions,
        captureEvents,
        frame: { width: result.frame.width, height: result.frame.height, length: result.frame.data.length },
        corners: result.assessment.metrics.document?.corners.map(({ x, y }) => ({ x, y })) ?? null,
        cornersAgain: again.metrics.document?.corners.map(({ x, y }) => ({ x, y })) ?? null,
        stats: { ...capture.stats },
        sentAfterCapture: capture.stats.sent - sentAtCapture,
        maxInFlight,
        decodeMs: seen.map((a) => a.decodeMs),
        analyzeMs: seen.map((a) => a.analyzeMs),
        framesWithPixels: seen.filter((a) => a.frame !== undefined).length,
      };
    } finally {
      capture.stop();
      camera.stop();
    }
  },

  /** openCamera's error code where the browser refuses the camera. */
  async openCameraOutcome(): Promise<Outcome> {
    return outcome(() => openCamera().then((camera) => camera.stop()));
  },

  /** Bitmaps the worker cannot read: closed, or already transferred; the worker keeps answering. */
  async badBitmaps(): Promise<{ outcomes: Record<string, Outcome>; afterwards: string[]; restarts: number; decodeMs: number }> {
    await fontReady;
    const w = worker();
    await w.host.ready();
    const closed = await createImageBitmap(new ImageData(64, 64));
    closed.close();
    const reused = await createImageBitmap(new ImageData(64, 64));
    await w.analyzeFrame(reused);
    const outcomes: Record<string, Outcome> = {
      closed: await outcome(() => w.analyzeFrame(closed)),
      transferredAway: await outcome(() => w.analyzeStill(reused)),
    };
    // Any readable frame will do: the point is that the worker still answers.
    const { image } = generateLabelledFrame(3, { focalLengthFraction: FOCAL, clean: true });
    const good = await w.analyzeStill(await createImageBitmap(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height)));
    return { outcomes, afterwards: good.guidance, restarts: w.host.restartCount, decodeMs: good.decodeMs };
  },
};

declare global {
  interface Window {
    cameraTest: typeof api;
  }
}
window.cameraTest = api;
document.body.dataset['ready'] = 'true';
