import { FaceDetector as MediaPipeFaceDetector, FilesetResolver, type Detection } from '@mediapipe/tasks-vision';
import { EkycError, face as core, type ModelAsset } from '@ekyc/core';
import { assetUrl, fetchRuntimeFile } from '../../assets/fetch-asset.ts';

/**
 * MediaPipe BlazeFace (short range) behind the engine's `FaceDetector` interface. It runs on the
 * MediaPipe tasks-vision WASM runtime (CPU delegate), not onnxruntime: the model is a .tflite whose
 * metadata `models/derive/tflite-metadata.mjs` adds at build time. Its six keypoints give eyes,
 * nose tip and mouth centre; alignment then uses the 4-point template (`core.templateFor`).
 */

export interface BlazeFaceOptions {
  scoreThreshold?: number;
  iouThreshold?: number;
  maxFaces?: number;
}

/** Module build of the tasks-vision runtime, verified against the runtime manifest before MediaPipe loads it. */
const RUNTIME_FILES = ['mediapipe-vision-wasm-module-internal-js', 'mediapipe-vision-wasm-module-internal-wasm'];

export class BlazeFaceDetector implements core.FaceDetector {
  readonly name = 'blazeface-short-range';

  private constructor(
    private readonly detector: MediaPipeFaceDetector,
    private readonly maxFaces: number,
  ) {}

  /** `modelBytes` must already be verified against `asset.sha256` (fetchModel does). */
  static async create(asset: ModelAsset, modelBytes: Uint8Array, assetBaseUrl: string, options: BlazeFaceOptions = {}): Promise<BlazeFaceDetector> {
    for (const id of RUNTIME_FILES) await fetchRuntimeFile(id, assetBaseUrl);
    try {
      // In a module worker the module build is required (`useModule` true), else "ModuleFactory not set".
      const fileset = await FilesetResolver.forVisionTasks(assetUrl(assetBaseUrl, 'wasm', 'mediapipe'), true);
      const detector = await MediaPipeFaceDetector.createFromOptions(fileset, {
        baseOptions: { modelAssetBuffer: modelBytes, delegate: 'CPU' },
        runningMode: 'IMAGE',
        minDetectionConfidence: options.scoreThreshold ?? 0.5,
        minSuppressionThreshold: options.iouThreshold ?? 0.3,
      });
      return new BlazeFaceDetector(detector, options.maxFaces ?? 20);
    } catch (cause) {
      throw new EkycError('model_load_failed', `Could not create the MediaPipe face detector for "${asset.id}"`, { cause, details: { id: asset.id } });
    }
  }

  async detect(image: core.RgbaImage): Promise<core.FaceDetection[]> {
    core.validateRgbaImage(image);
    // ImageData wants an ArrayBuffer-backed view: copy only when the frame sits on a SharedArrayBuffer.
    const { buffer, byteOffset, byteLength } = image.data;
    const pixels = buffer instanceof ArrayBuffer ? new Uint8ClampedArray(buffer, byteOffset, byteLength) : new Uint8ClampedArray(image.data);
    const frame = new ImageData(pixels, image.width, image.height);
    let detections: Detection[];
    try {
      detections = this.detector.detect(frame).detections;
    } catch (cause) {
      throw new EkycError('inference_failed', 'MediaPipe face detection failed', { cause });
    }
    return detections
      .flatMap((d) => toDetection(d, image.width, image.height))
      .sort((a, b) => b.score - a.score)
      .slice(0, this.maxFaces);
  }

  close(): void {
    this.detector.close();
  }
}

/** MediaPipe keypoints are normalized; 0/1 are the subject's right/left eye, 2 nose tip, 3 mouth centre. */
function toDetection(d: Detection, width: number, height: number): core.FaceDetection[] {
  const box = d.boundingBox;
  const k = d.keypoints;
  if (!box || k.length < 4) return [];
  const at = (i: number) => ({ x: k[i]!.x * width, y: k[i]!.y * height });
  const [a, b] = [at(0), at(1)];
  // Named as seen in the image (core.FaceKeypoints): the eye further left is `leftEye`.
  const [leftEye, rightEye] = a.x <= b.x ? [a, b] : [b, a];
  return [{
    box: { x: box.originX, y: box.originY, width: box.width, height: box.height },
    score: d.categories[0]?.score ?? 0,
    keypoints: { leftEye, rightEye, nose: at(2), mouthCenter: at(3) },
  }];
}
