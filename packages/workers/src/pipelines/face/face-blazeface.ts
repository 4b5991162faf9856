import { FaceDetector as MediaPipeFaceDetector, type Detection } from '@mediapipe/tasks-vision';
import { EkycError, face as core, type ModelAsset } from '@ekyc/core';
import { fetchRuntimeFile } from '../../assets/fetch-asset.ts';
import { exactArrayBuffer, fetchRuntimeObjectUrl } from '../../assets/verified-url.ts';

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

/**
 * Module build of the tasks-vision runtime (a module worker needs it, else "ModuleFactory not set").
 * The SIMD build only: the SDK's runtimes require WASM SIMD (choose-backend.ts).
 */
const LOADER_ID = 'mediapipe-vision-wasm-module-internal-js';
const BINARY_ID = 'mediapipe-vision-wasm-module-internal-wasm';
/**
 * Where the fileset says the wasm lives. MediaPipe never reads it here (it instantiates the verified
 * bytes handed over as `wasmBinary`); an unfetchable URL makes a future loader that ignored them fail
 * instead of running a second, unverified answer.
 */
const NO_REFETCH_WASM_PATH = 'ekyc-verified-bytes-only:vision_wasm_module_internal.wasm';

/** The Emscripten module settings MediaPipe's loader picks up from the worker's global scope. */
interface MediaPipeGlobals {
  Module?: { wasmBinary?: ArrayBuffer };
}

/** `self.Module`/`self.ModuleFactory` are worker globals: one MediaPipe task is created at a time. */
let creationQueue: Promise<unknown> = Promise.resolve();

export class BlazeFaceDetector implements core.FaceDetector {
  readonly name = 'blazeface-short-range';

  private constructor(
    private readonly detector: MediaPipeFaceDetector,
    private readonly maxFaces: number,
  ) {}

  /** `modelBytes` must already be verified against `asset.sha256` (fetchModel does). */
  static async create(asset: ModelAsset, modelBytes: Uint8Array, assetBaseUrl: string, options: BlazeFaceOptions = {}): Promise<BlazeFaceDetector> {
    // In this order, so that a failed binary leaves no loader URL behind.
    const binary = await fetchRuntimeFile(BINARY_ID, assetBaseUrl);
    const loader = await fetchRuntimeObjectUrl(LOADER_ID, assetBaseUrl);
    const create = async (): Promise<BlazeFaceDetector> => {
      // MediaPipe imports `wasmLoaderPath` (here a blob: URL of the verified loader, fresh per
      // detector, so the import evaluates it again and sets `self.ModuleFactory`), then calls the
      // factory with `self.Module` when set: Emscripten then instantiates `wasmBinary` and fetches nothing.
      const globals = self as unknown as MediaPipeGlobals;
      globals.Module = { wasmBinary: exactArrayBuffer(binary) };
      const fileset: Parameters<typeof MediaPipeFaceDetector.createFromOptions>[0] = { wasmLoaderPath: loader.url, wasmBinaryPath: NO_REFETCH_WASM_PATH };
      try {
        const detector = await MediaPipeFaceDetector.createFromOptions(fileset, {
          baseOptions: { modelAssetBuffer: modelBytes, delegate: 'CPU' },
          runningMode: 'IMAGE',
          minDetectionConfidence: options.scoreThreshold ?? 0.5,
          minSuppressionThreshold: options.iouThreshold ?? 0.3,
        });
        return new BlazeFaceDetector(detector, options.maxFaces ?? 20);
      } catch (cause) {
        throw new EkycError('model_load_failed', `Could not create the MediaPipe face detector for "${asset.id}"`, { cause, details: { id: asset.id } });
      } finally {
        delete globals.Module;
        loader.revoke();
      }
    };
    const result = creationQueue.then(create, create);
    creationQueue = result.catch(() => undefined);
    return result;
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
