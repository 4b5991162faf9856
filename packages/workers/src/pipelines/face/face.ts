import { EkycError, face as core, findAsset, type ModelAsset, type ModelManifest } from '@ekyc/core';
import { fetchModel } from '../../assets/fetch-asset.ts';
import { modelManifest } from '../../assets/manifests.ts';
import type { PipelineConfig } from '../../host/types.ts';
import { createSession, ort, selectRuntime, type ModelSession, type RuntimeReport } from '../../runtime/runtime.ts';
import { BlazeFaceDetector } from './face-blazeface.ts';

/**
 * Face pipeline (runs in a worker): detect, align, embed, judge quality, and the experimental
 * passive anti-spoof signal. All image maths is @ekyc/core's, shared with the verifier.
 */

export interface FaceModelIds {
  /** An ONNX UltraFace-style detector (keypoints from `landmarks`) or a .tflite BlazeFace run by MediaPipe. */
  detector: string;
  /** 68-point model for the ONNX detector's keypoints; unused with BlazeFace. */
  landmarks: string;
  embedding: string;
  antiSpoof?: string;
  eye?: string;
}

export interface FaceConfig extends PipelineConfig {
  /** Model ids to use; swap `embedding` for your own ArcFace-class model's manifest entry. */
  models?: Partial<FaceModelIds>;
  /** Manifest holding those ids (defaults to the bundled one). */
  manifest?: ModelManifest;
  quality?: Partial<core.FaceQualityThresholds>;
  /** Detector score / overlap thresholds and the most faces returned (20 by default). */
  detection?: core.UltraFaceOptions;
}

export const DEFAULT_FACE_MODELS: FaceModelIds = {
  detector: 'fr-detect',
  landmarks: 'fr-landmark68',
  embedding: 'fr-feature',
  antiSpoof: 'fr-liveness',
  eye: 'fr-eye',
};

/** A plain RGBA frame (structured-clone friendly; transfer `data.buffer`). */
export type FaceFrame = core.RgbaImage;

export interface AnalyzeOptions {
  /** Also run the experimental anti-spoof model. */
  antiSpoof?: boolean;
  /** Return the aligned crop (for evidence and server re-scoring). */
  includeCrop?: boolean;
}

export interface FaceAnalysis {
  faces: core.FaceDetection[];
  quality: core.FaceQualityDecision;
  /** Present when exactly one face was found. */
  embedding?: Float32Array;
  alignedCrop?: core.RgbaImage;
  sharpness?: number;
  eyesOpen?: number;
  antiSpoof?: core.AntiSpoofSignal;
  timings: { detectMs: number; embedMs: number; totalMs: number };
}

interface Engine {
  detector: core.FaceDetector;
  embedder: core.FaceEmbedder;
  attributes: core.FaceAttributes;
  antiSpoof?: core.AntiSpoofScorer;
  quality: core.FaceQualityThresholds;
  sessions: ModelSession[];
  close?: () => void;
}

let engine: Engine | undefined;
let runtime: RuntimeReport | undefined;

function tensorModel(session: ModelSession, asset: ModelAsset): core.TensorModel {
  const inputName = asset.io?.inputs[0]?.name ?? session.inputNames[0];
  if (!inputName) throw new EkycError('model_load_failed', `Model "${asset.id}" has no input`, { details: { id: asset.id } });
  return {
    async run(input, dims) {
      const outputs = await session.run({ [inputName]: new ort.Tensor('float32', input, [...dims]) });
      const result: Record<string, Float32Array> = {};
      for (const [name, tensor] of Object.entries(outputs)) result[name] = tensor.data as Float32Array;
      return result;
    },
  };
}

async function load(id: string, config: FaceConfig): Promise<{ model: core.TensorModel; asset: ModelAsset; session: ModelSession }> {
  const manifest = config.manifest ?? modelManifest;
  const asset = findAsset(manifest, id);
  const session = await createSession(id, await fetchModel(id, config.assetBaseUrl, manifest));
  return { model: tensorModel(session, asset), asset, session };
}

/** The detector by its manifest entry's format: .tflite runs BlazeFace on MediaPipe, ONNX is UltraFace + 68 landmarks. */
async function loadDetector(ids: FaceModelIds, config: FaceConfig): Promise<{ detector: core.FaceDetector; sessions: ModelSession[]; close?: () => void }> {
  const manifest = config.manifest ?? modelManifest;
  const asset = findAsset(manifest, ids.detector);
  if (asset.format === 'tflite') {
    const bytes = await fetchModel(ids.detector, config.assetBaseUrl, manifest);
    const detector = await BlazeFaceDetector.create(asset, bytes, config.assetBaseUrl, config.detection);
    return { detector, sessions: [], close: () => detector.close() };
  }
  const boxes = await load(ids.detector, config);
  const landmarks = await load(ids.landmarks, config);
  return { detector: new core.UltraFaceLandmarkDetector(boxes, landmarks, config.detection), sessions: [boxes.session, landmarks.session] };
}

function requireEngine(): Engine {
  if (!engine) throw new EkycError('invalid_argument', 'The face pipeline was not initialised');
  return engine;
}

function frameFrom(value: FaceFrame): core.RgbaImage {
  return core.validateRgbaImage(value, 'frame');
}

export const facePipeline = {
  async init(config: FaceConfig): Promise<{ runtime: RuntimeReport; models: FaceModelIds }> {
    runtime = await selectRuntime(config);
    const ids = { ...DEFAULT_FACE_MODELS, ...config.models };
    const detector = await loadDetector(ids, config);
    const embedding = await load(ids.embedding, config);
    const antiSpoof = ids.antiSpoof ? await load(ids.antiSpoof, config) : undefined;
    const eye = ids.eye ? await load(ids.eye, config) : undefined;
    for (const old of engine?.sessions ?? []) await old.release().catch(() => undefined);
    engine?.close?.();
    engine = {
      detector: detector.detector,
      embedder: new core.FaceEmbedder(embedding.model, embedding.asset),
      attributes: new core.FaceAttributes(eye),
      antiSpoof: antiSpoof ? new core.AntiSpoofScorer(antiSpoof.model, antiSpoof.asset) : undefined,
      quality: { ...core.DEFAULT_FACE_QUALITY, ...config.quality },
      sessions: [...detector.sessions, ...[embedding, antiSpoof, eye].flatMap((m) => (m ? [m.session] : []))],
      ...(detector.close ? { close: detector.close } : {}),
    };
    return { runtime, models: ids };
  },

  async detect(frame: FaceFrame): Promise<core.FaceDetection[]> {
    return requireEngine().detector.detect(frameFrom(frame));
  },

  /** Detect, then for a single face: align, embed, measure quality (and anti-spoof on request). */
  async analyze(frame: FaceFrame, options: AnalyzeOptions = {}): Promise<FaceAnalysis> {
    const e = requireEngine();
    const image = frameFrom(frame);
    const t0 = performance.now();
    const faces = await e.detector.detect(image);
    const t1 = performance.now();
    const only = faces.length === 1 ? faces[0] : undefined;
    if (!only?.keypoints) {
      const quality = core.judgeFaceQuality({ faces }, e.quality);
      return { faces, quality, timings: { detectMs: t1 - t0, embedMs: 0, totalMs: performance.now() - t0 } };
    }
    const { embedding, aligned } = await e.embedder.embed(image, only.keypoints);
    const t2 = performance.now();
    const sharpness = core.laplacianVariance(aligned.image);
    const eyesOpen = await e.attributes.eyesOpen(image, only.keypoints);
    const antiSpoof = options.antiSpoof && e.antiSpoof ? await e.antiSpoof.score(image, only.box) : undefined;
    const quality = core.judgeFaceQuality({ faces, sharpness, eyesOpen }, e.quality);
    return {
      faces,
      quality,
      embedding,
      ...(options.includeCrop ? { alignedCrop: aligned.image } : {}),
      sharpness,
      ...(eyesOpen !== undefined ? { eyesOpen } : {}),
      ...(antiSpoof ? { antiSpoof } : {}),
      timings: { detectMs: t1 - t0, embedMs: t2 - t1, totalMs: performance.now() - t0 },
    };
  },

  /** Embeds every detected face (evaluation, group photos); no quality gate. */
  async embedAll(frame: FaceFrame): Promise<Array<{ face: core.FaceDetection; embedding: Float32Array }>> {
    const e = requireEngine();
    const image = frameFrom(frame);
    const result: Array<{ face: core.FaceDetection; embedding: Float32Array }> = [];
    for (const face of await e.detector.detect(image)) {
      if (face.keypoints) result.push({ face, embedding: (await e.embedder.embed(image, face.keypoints)).embedding });
    }
    return result;
  },

  /** Embeds an already aligned crop (parity with the verifier). */
  async embedAligned(crop: FaceFrame): Promise<Float32Array> {
    return requireEngine().embedder.embedAligned(frameFrom(crop));
  },

  /** Experimental anti-spoof score of a face box. */
  async antiSpoof(frame: FaceFrame, box: core.Box): Promise<core.AntiSpoofSignal> {
    const e = requireEngine();
    if (!e.antiSpoof) throw new EkycError('invalid_argument', 'No anti-spoof model is configured');
    return e.antiSpoof.score(frameFrom(frame), box);
  },
};

export type FacePipelineApi = typeof facePipeline;
