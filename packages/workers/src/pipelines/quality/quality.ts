import { transfer } from 'comlink';
import { EkycError, quality, validateRgbaImage, type RgbaImage } from '@ekyc/core';
import type { PipelineConfig } from '../../host/types.ts';
import { QualityAnalyzer, type AnalysisStages } from './quality-analyzer.ts';
import { BitmapReader } from '../../frames/bitmap-reader.ts';
import { isImageBitmap } from '../../frames/frame.ts';
import { loadOpenCv } from './quality-opencv.ts';
import { QualityStream } from './stream.ts';

export interface QualityInitReport {
  opencvLoadMs: number;
}

/** What the worker analyses: RGBA pixels, or a bitmap (e.g. `createImageBitmap(video)`) it reads back itself. */
export type FrameInput = RgbaImage | ImageBitmap;

/** An assessment plus how long the worker spent on it (analysis only, not the message hop). */
export interface TimedAssessment extends quality.FrameAssessment {
  analyzeMs: number;
  /** The same time, split by stage. */
  stagesMs: AnalysisStages;
  /** Time to read an `ImageBitmap` back as RGBA (draw + getImageData); 0 for RGBA input. Not in `analyzeMs`. */
  decodeMs: number;
  /** The analysed pixels, exactly, only when `capture` is true; the buffer is transferred back. */
  frame?: RgbaImage;
}

let analyzer: QualityAnalyzer | undefined;
/** The one camera stream this worker judges: all its state (see stream.ts). */
const stream = new QualityStream();
const bitmaps = new BitmapReader();

function requireAnalyzer(): QualityAnalyzer {
  if (!analyzer) throw new EkycError('invalid_argument', 'The quality pipeline was not initialised');
  return analyzer;
}

interface Measured {
  frame: RgbaImage;
  metrics: quality.FrameMetrics;
  timing: Pick<TimedAssessment, 'analyzeMs' | 'stagesMs' | 'decodeMs'>;
}

function measure(input: unknown, previous: quality.Quad | null = null): Measured {
  const analyzer = requireAnalyzer();
  const decodeStarted = performance.now();
  const bitmap = isImageBitmap(input);
  const frame: RgbaImage = bitmap ? bitmaps.read(input) : validateRgbaImage(input, 'frame');
  const decodeMs = bitmap ? performance.now() - decodeStarted : 0;
  const stagesMs: AnalysisStages = { prepare: 0, detect: 0, measure: 0 };
  const started = performance.now();
  const metrics = analyzer.analyze(frame, stream.thresholds, stagesMs, previous);
  return { frame, metrics, timing: { analyzeMs: performance.now() - started, stagesMs, decodeMs } };
}

/** Hands the analysed pixels back with a captured frame only: no copy, no transfer on every other frame. */
function result(assessment: quality.FrameAssessment, { frame, timing }: Measured): TimedAssessment {
  if (!assessment.capture) return { ...assessment, ...timing };
  const captured: TimedAssessment = { ...assessment, ...timing, frame };
  const buffer = frame.data.buffer;
  return buffer instanceof ArrayBuffer ? transfer(captured, [buffer]) : captured;
}

/** Per-frame capture quality in a worker: one camera stream at a time (stateful), or stills. */
export const qualityPipeline = {
  async init(config: PipelineConfig): Promise<QualityInitReport> {
    const started = performance.now();
    const { cv } = await loadOpenCv(config.assetBaseUrl);
    analyzer = new QualityAnalyzer(cv);
    return { opencvLoadMs: performance.now() - started };
  },

  /** Applies session thresholds (over the defaults) and starts a new capture. */
  async configure(thresholds: Partial<quality.QualityThresholds>): Promise<quality.QualityThresholds> {
    return stream.configure(thresholds);
  },

  /** Starts counting stable frames afresh (e.g. for the back of the card). */
  async reset(): Promise<void> {
    stream.reset();
  },

  /** One camera frame: metrics, ranked guidance and the auto-capture decision (with the frame when it fires). */
  async analyzeFrame(input: FrameInput): Promise<TimedAssessment> {
    const previous = stream.outlineToFollow();
    const measured = measure(input, previous);
    return result(stream.next(measured.metrics, previous), measured);
  },

  /** One still image (upload path): judged on its own, no stability; the frame comes back when it is good. */
  async analyzeStill(input: FrameInput): Promise<TimedAssessment> {
    const measured = measure(input);
    return result(quality.assessStill(measured.metrics, stream.thresholds), measured);
  },
};

export type QualityApi = typeof qualityPipeline;
