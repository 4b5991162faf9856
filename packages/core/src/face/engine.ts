import type { ModelAsset, PreprocessingSpec } from '../assets/manifest.ts';
import { EkycError } from '../errors.ts';
import { alignFace, type AlignedFace } from './alignment.ts';
import { antiSpoofCropBox, antiSpoofFromLogits, type AntiSpoofSignal } from './antispoof.ts';
import { decodeUltraFace, keypointsFrom68, landmarksFromNormalized, type FaceDetection, type FaceKeypoints } from './detection.ts';
import type { Box } from './geometry.ts';
import { validateRgbaImage, type RgbaImage } from '../image/rgba.ts';
import { headPoseFromBins, type HeadPose } from './pose.ts';
import { imageToTensor } from './tensor.ts';
import { l2Normalize, softmax } from './vector.ts';
import { cropResize } from './warp.ts';

/**
 * The face engine's model-facing logic, independent of the inference runtime: the browser worker
 * plugs in onnxruntime-web sessions, the verifier onnxruntime-node, and both run these same steps
 * (same crops, same tensors), which is what lets the server repeat a score.
 */

/** One single-input model: feeds a float tensor, returns every output by name. */
export interface TensorModel {
  run(input: Float32Array, dims: readonly number[]): Promise<Readonly<Record<string, Float32Array>>>;
}

export interface FaceDetector {
  readonly name: string;
  /** Faces, best first, with keypoints for alignment. */
  detect(image: RgbaImage): Promise<FaceDetection[]>;
}

export function preprocessingOf(asset: ModelAsset): PreprocessingSpec & { width: number; height: number } {
  const spec = asset.io?.preprocessing;
  if (!spec || spec.width === undefined || spec.height === undefined) {
    throw new EkycError('invalid_argument', `Model "${asset.id}" has no fixed-size preprocessing spec in its manifest entry`, { details: { id: asset.id } });
  }
  return { ...spec, width: spec.width, height: spec.height };
}

function inputDims(spec: PreprocessingSpec & { width: number; height: number }): number[] {
  const c = spec.channels === 'GRAY' ? 1 : 3;
  return spec.layout === 'NCHW' ? [1, c, spec.height, spec.width] : [1, spec.height, spec.width, c];
}

function output(outputs: Readonly<Record<string, Float32Array>>, asset: ModelAsset, index: number): Float32Array {
  const name = asset.io?.outputs[index]?.name;
  const value = name !== undefined ? outputs[name] : Object.values(outputs)[index];
  if (!value) throw new EkycError('inference_failed', `Model "${asset.id}" did not return output ${index}`, { details: { id: asset.id } });
  return value;
}

/** Crops `box`, resizes to the model's input size and runs it. */
async function runOnCrop(model: TensorModel, asset: ModelAsset, image: RgbaImage, box: Box): Promise<Readonly<Record<string, Float32Array>>> {
  const spec = preprocessingOf(asset);
  const crop = cropResize(image, box, spec.width, spec.height);
  return model.run(imageToTensor(crop, spec), inputDims(spec));
}

export interface UltraFaceOptions {
  scoreThreshold?: number;
  iouThreshold?: number;
  maxFaces?: number;
}

/**
 * UltraFace-style ONNX detector (`fr-detect`) whose boxes get their five points from a
 * 68-point landmark model (`fr-landmark68`) run on each box.
 */
export class UltraFaceLandmarkDetector implements FaceDetector {
  readonly name = 'ultraface+landmark68';

  constructor(
    private readonly detector: { model: TensorModel; asset: ModelAsset },
    private readonly landmarks: { model: TensorModel; asset: ModelAsset },
    private readonly options: UltraFaceOptions = {},
  ) {}

  async detect(image: RgbaImage): Promise<FaceDetection[]> {
    validateRgbaImage(image);
    const whole = { x: 0, y: 0, width: image.width, height: image.height };
    const out = await runOnCrop(this.detector.model, this.detector.asset, image, whole);
    const boxes = decodeUltraFace(output(out, this.detector.asset, 0), output(out, this.detector.asset, 1), {
      imageWidth: image.width,
      imageHeight: image.height,
      scoreThreshold: this.options.scoreThreshold ?? 0.7,
      iouThreshold: this.options.iouThreshold ?? 0.3,
      maxFaces: this.options.maxFaces ?? 20,
    });
    const faces: FaceDetection[] = [];
    for (const face of boxes) faces.push({ ...face, keypoints: await this.keypoints(image, face.box) });
    return faces;
  }

  async keypoints(image: RgbaImage, box: Box): Promise<FaceKeypoints> {
    const out = await runOnCrop(this.landmarks.model, this.landmarks.asset, image, box);
    return keypointsFrom68(landmarksFromNormalized(output(out, this.landmarks.asset, 0), box));
  }
}

export interface FaceEmbedding {
  /** L2-normalized. */
  readonly embedding: Float32Array;
  readonly aligned: AlignedFace;
}

/** An ArcFace-class embedding model described entirely by its manifest entry. */
export class FaceEmbedder {
  constructor(private readonly model: TensorModel, private readonly asset: ModelAsset) {
    const spec = preprocessingOf(asset);
    if (spec.width !== spec.height) throw new EkycError('invalid_argument', 'The embedding model input must be square', { details: { id: asset.id } });
  }

  get inputSize(): number {
    return preprocessingOf(this.asset).width;
  }

  async embed(image: RgbaImage, keypoints: FaceKeypoints): Promise<FaceEmbedding> {
    const aligned = alignFace(image, keypoints, this.inputSize);
    return { embedding: await this.embedAligned(aligned.image), aligned };
  }

  /** Embeds an already aligned crop: the entry point the verifier uses to re-score. */
  async embedAligned(crop: RgbaImage): Promise<Float32Array> {
    const spec = preprocessingOf(this.asset);
    const out = await this.model.run(imageToTensor(crop, spec), inputDims(spec));
    return l2Normalize(output(out, this.asset, 0));
  }
}

/** The experimental passive anti-spoof signal (`fr-liveness`). */
export class AntiSpoofScorer {
  constructor(private readonly model: TensorModel, private readonly asset: ModelAsset, private readonly liveClass?: number) {}

  async score(image: RgbaImage, face: Box): Promise<AntiSpoofSignal> {
    const box = antiSpoofCropBox(face, image.width, image.height);
    const out = await runOnCrop(this.model, this.asset, image, box);
    return antiSpoofFromLogits(output(out, this.asset, 0), this.liveClass);
  }
}

/** Optional quality models: eye state (`fr-eye`) and head pose (`fr-pose`). */
export class FaceAttributes {
  constructor(
    private readonly eye?: { model: TensorModel; asset: ModelAsset; openClass?: number },
    private readonly pose?: { model: TensorModel; asset: ModelAsset },
  ) {}

  /** Probability that the less open eye is open, or undefined without an eye model. */
  async eyesOpen(image: RgbaImage, keypoints: FaceKeypoints): Promise<number | undefined> {
    if (!this.eye) return undefined;
    const eyeDistance = Math.hypot(keypoints.rightEye.x - keypoints.leftEye.x, keypoints.rightEye.y - keypoints.leftEye.y);
    const side = Math.max(4, eyeDistance * 0.5);
    let least = 1;
    for (const eye of [keypoints.leftEye, keypoints.rightEye]) {
      const out = await runOnCrop(this.eye.model, this.eye.asset, image, { x: eye.x - side / 2, y: eye.y - side / 2, width: side, height: side });
      least = Math.min(least, softmax(output(out, this.eye.asset, 0))[this.eye.openClass ?? 1]!);
    }
    return least;
  }

  async headPose(image: RgbaImage, face: Box): Promise<HeadPose | undefined> {
    if (!this.pose) return undefined;
    const out = await runOnCrop(this.pose.model, this.pose.asset, image, face);
    return headPoseFromBins(output(out, this.pose.asset, 0), output(out, this.pose.asset, 1), output(out, this.pose.asset, 2));
  }
}
