import { EkycError, quality } from '@ekyc/core';
import type { PipelineConfig } from '../host/types.ts';
import { QualityAnalyzer, type AnalysisStages } from './quality-analyzer.ts';
import { validateFrame, type RgbaFrame } from './quality-frame.ts';
import { loadOpenCv } from './quality-opencv.ts';

export interface QualityInitReport {
  opencvLoadMs: number;
}

/** An assessment plus how long the worker spent on it (analysis only, not the message hop). */
export interface TimedAssessment extends quality.FrameAssessment {
  analyzeMs: number;
  /** The same time, split by stage. */
  stagesMs: AnalysisStages;
}

let analyzer: QualityAnalyzer | undefined;
let session = new quality.CaptureSession();

function requireAnalyzer(): QualityAnalyzer {
  if (!analyzer) throw new EkycError('invalid_argument', 'The quality pipeline was not initialised');
  return analyzer;
}

function measure(frame: unknown): { metrics: quality.FrameMetrics; analyzeMs: number; stagesMs: AnalysisStages } {
  const valid: RgbaFrame = validateFrame(frame);
  const stagesMs: AnalysisStages = { prepare: 0, detect: 0, measure: 0 };
  const started = performance.now();
  const metrics = requireAnalyzer().analyze(valid, session.thresholds, stagesMs);
  return { metrics, analyzeMs: performance.now() - started, stagesMs };
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
    session = new quality.CaptureSession(thresholds);
    return session.thresholds;
  },

  /** Starts counting stable frames afresh (e.g. for the back of the card). */
  async reset(): Promise<void> {
    session.reset();
  },

  /** One camera frame: metrics, ranked guidance and the auto-capture decision. */
  async analyzeFrame(frame: RgbaFrame): Promise<TimedAssessment> {
    const { metrics, analyzeMs, stagesMs } = measure(frame);
    return { ...session.next(metrics), analyzeMs, stagesMs };
  },

  /** One still image (upload path): judged on its own, no stability. */
  async analyzeStill(frame: RgbaFrame): Promise<TimedAssessment> {
    const { metrics, analyzeMs, stagesMs } = measure(frame);
    return { ...quality.assessStill(metrics, session.thresholds), analyzeMs, stagesMs };
  },
};

export type QualityApi = typeof qualityPipeline;
