import { quality } from '@ekyc/core';
import { decodeImageBlob, generateLabelledFrame, type DocumentRenderer, type FrameLabel, type FrameOptions } from '@ekyc/testkit';
import type { TimedAssessment } from '../../packages/workers/src/pipelines/quality/quality.ts';
import { FOCAL, fontReady, outcome, worker, type Outcome } from './quality-kit.ts';

/** A compact, JSON-safe assessment for the test and the evaluation. */
export interface Evaluated {
  label: FrameLabel;
  assessment: Omit<TimedAssessment, 'metrics'> & { metrics: quality.FrameMetrics };
  generateMs: number;
}

/** How the evaluation draws its frames: `varied` (every failure, fields of view drawn) or `clean` (near-ideal captures). */
export type EvalSet = 'varied' | 'clean';

/** A camera frame's size in px (the generator's default is 1280x720). */
export interface FrameSize { width: number; height: number }

/**
 * The generator's options for a set; `thumb`: a thumb holding the card over a corner or edge (`FrameOptions.thumb`);
 * `size`: the frame's size, when not the generator's default; `renderer`: which renderer draws the document
 * (`FrameOptions.renderer`, the generator's own `styled` one when omitted).
 */
const setOptions = (set: EvalSet, thumb: boolean, size?: FrameSize, renderer?: DocumentRenderer): FrameOptions => ({ ...(set === 'clean' ? { clean: true } : {}), ...(thumb ? { thumb: true } : {}), ...size, ...(renderer ? { renderer } : {}) });

/** A frame encoded by the browser: PNG (lossless), or JPEG at `jpegQuality` (1-100). */
async function encoded(image: { width: number; height: number; data: ArrayLike<number> }, jpegQuality?: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  return canvas.convertToBlob(jpegQuality === undefined ? { type: 'image/png' } : { type: 'image/jpeg', quality: jpegQuality / 100 });
}

/**
 * The frame after the browser's JPEG encoder and decoder at `jpegQuality` (1-100): the artefacts of a photo
 * or of a camera stream compressed on its way (8x8 blocks, ringing, colour at half resolution).
 */
async function throughJpeg(image: { width: number; height: number; data: ArrayLike<number> }, jpegQuality: number): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  return decodeImageBlob(await encoded(image, jpegQuality));
}

const api = {
  /** `jpegQuality` (1-100): the frame judged after the browser's JPEG encoder and decoder (`throughJpeg`). */
  async evaluate(seed: number, set: EvalSet = 'varied', thumb = false, size?: FrameSize, jpegQuality?: number, renderer?: DocumentRenderer): Promise<Evaluated> {
    await fontReady;
    const t0 = performance.now();
    const { image, label } = generateLabelledFrame(seed, setOptions(set, thumb, size, renderer));
    const generateMs = performance.now() - t0;
    const judged = jpegQuality === undefined ? { width: image.width, height: image.height, data: image.data } : await throughJpeg(image, jpegQuality);
    // A good still comes back with its pixels (`frame`); keep them in the page, not in the JSON result.
    const { frame: _pixels, ...assessment } = await worker().analyzeStill(judged);
    return { label, assessment, generateMs };
  },

  async evaluateMany(first: number, count: number, set: EvalSet = 'varied', thumb = false, size?: FrameSize, jpegQuality?: number, renderer?: DocumentRenderer): Promise<Evaluated[]> {
    const results: Evaluated[] = [];
    for (let seed = first; seed < first + count; seed++) results.push(await api.evaluate(seed, set, thumb, size, jpegQuality, renderer));
    return results;
  },

  /** An encoded image (PNG, JPEG; base64) judged as a still: the `--data` path of the evaluation. */
  async evaluateEncoded(base64: string): Promise<Omit<Evaluated, 'label' | 'generateMs'>> {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const image = await decodeImageBlob(new Blob([bytes]));
    const { frame: _pixels, ...assessment } = await worker().analyzeStill(image);
    return { assessment };
  },

  /** A generated frame as PNG, or JPEG at `jpegQuality` (1-100), in base64 with its label: for writing a `--data` folder. */
  async encodeFrame(seed: number, set: EvalSet = 'varied', thumb = false, size?: FrameSize, jpegQuality?: number, renderer?: DocumentRenderer): Promise<{ encoded: string; extension: 'png' | 'jpg'; label: FrameLabel }> {
    await fontReady;
    const { image, label } = generateLabelledFrame(seed, setOptions(set, thumb, size, renderer));
    const bytes = new Uint8Array(await (await encoded(image, jpegQuality)).arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { encoded: btoa(binary), extension: jpegQuality === undefined ? 'png' : 'jpg', label };
  },

  /** Same seed, same pixels: a hash of the generated frame. */
  async frameDigest(seed: number): Promise<string> {
    await fontReady;
    const { image } = generateLabelledFrame(seed, { focalLengthFraction: FOCAL });
    const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(image.data));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  },

  /**
   * The same clean frame with and without a thumb (`FrameOptions.thumb`): both labels, the share of
   * pixels the thumb changed, and how many of them lie in the MRZ band's strip (the card's lowest 12%).
   */
  async thumbDifference(seed: number): Promise<{ plain: FrameLabel; held: FrameLabel; changedShare: number; changedInMrzStrip: number }> {
    await fontReady;
    const plain = generateLabelledFrame(seed, { clean: true });
    const held = generateLabelledFrame(seed, { clean: true, thumb: true });
    const [tl, tr, br, bl] = plain.label.corners!;
    const inMrzStrip = (x: number, y: number): boolean => {
      // Card coordinates by inverting the bilinear map roughly: the strip between the bottom side and 88% of the way down.
      const u = Math.max(0, Math.min(1, ((x - tl.x) * (tr.x - tl.x) + (y - tl.y) * (tr.y - tl.y)) / ((tr.x - tl.x) ** 2 + (tr.y - tl.y) ** 2)));
      const top = { x: tl.x + (tr.x - tl.x) * u, y: tl.y + (tr.y - tl.y) * u };
      const bottom = { x: bl.x + (br.x - bl.x) * u, y: bl.y + (br.y - bl.y) * u };
      const v = ((x - top.x) * (bottom.x - top.x) + (y - top.y) * (bottom.y - top.y)) / ((bottom.x - top.x) ** 2 + (bottom.y - top.y) ** 2);
      return v >= 0.88 && v <= 0.98 && u > 0.05 && u < 0.95;
    };
    let changed = 0;
    let changedInMrzStrip = 0;
    const { width, data } = plain.image;
    for (let p = 0; p < data.length; p += 4) {
      if (data[p] === held.image.data[p] && data[p + 1] === held.image.data[p + 1] && data[p + 2] === held.image.data[p + 2]) continue;
      changed++;
      if (inMrzStrip((p / 4) % width, Math.floor(p / 4 / width))) changedInMrzStrip++;
    }
    return { plain: plain.label, held: held.label, changedShare: changed / (data.length / 4), changedInMrzStrip };
  },

  /** A steady stream of the same good frame: auto-capture must fire exactly once, on frame N. */
  async stream(seed: number, frames: number): Promise<{ guidance: string[]; stableFrames: number; capture: boolean }[]> {
    await fontReady;
    const { image } = generateLabelledFrame(seed, { focalLengthFraction: FOCAL, clean: true });
    await worker().configure({ stableFramesToCapture: 3 });
    const out = [];
    for (let i = 0; i < frames; i++) {
      const r = await worker().analyzeFrame({ width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) });
      out.push({ guidance: r.guidance, stableFrames: r.stableFrames, capture: r.capture });
    }
    await worker().configure({});
    return out;
  },

  async badInputs(): Promise<{ outcomes: Record<string, Outcome>; afterwards: string[]; restarts: number }> {
    const detached = new Uint8ClampedArray(64 * 64 * 4);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    const w = worker();
    await w.host.ready();
    const outcomes: Record<string, Outcome> = {
      zeroSize: await outcome(() => w.analyzeFrame({ width: 0, height: 0, data: new Uint8ClampedArray(0) })),
      wrongFormat: await outcome(() => w.analyzeFrame({ width: 64, height: 64, data: new Float32Array(64 * 64 * 4) as unknown as Uint8ClampedArray })),
      wrongLength: await outcome(() => w.analyzeStill({ width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 3) })),
      detached: await outcome(() => w.analyzeFrame({ width: 64, height: 64, data: detached })),
      // Straight to the worker, past the client's own check: the worker must refuse them itself.
      notAFrameInWorker: await outcome(() => w.host.call('analyzeStill', 'frame' as never)),
      wrongLengthInWorker: await outcome(() => w.host.call('analyzeFrame', { width: 64, height: 64, data: new Uint8ClampedArray(10) })),
    };
    const good = await api.evaluate(11);
    return { outcomes, afterwards: good.assessment.guidance, restarts: w.host.restartCount };
  },

  /** Analysis time in the worker and round trip, for one 1280x720 frame. */
  async timings(seed: number, runs: number): Promise<{ analyzeMs: number[]; roundTripMs: number[] }> {
    await fontReady;
    const { image } = generateLabelledFrame(seed, { focalLengthFraction: FOCAL });
    const analyzeMs: number[] = [];
    const roundTripMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = await worker().analyzeFrame({ width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) });
      roundTripMs.push(performance.now() - t0);
      analyzeMs.push(r.analyzeMs);
    }
    return { analyzeMs, roundTripMs };
  },

  /** Draws a generated frame onto the page (for looking at the data set). */
  async show(seed: number): Promise<void> {
    await fontReady;
    const { image } = generateLabelledFrame(seed, { focalLengthFraction: FOCAL });
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
    document.body.replaceChildren(canvas);
  },
};

declare global {
  interface Window {
    qualityTest: typeof api;
  }
}
window.qualityTest = api;
document.body.dataset['ready'] = 'true';
