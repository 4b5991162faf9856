import { EkycError, face, findAsset, liveness, validateRgbaImage, type ModelManifest, type RgbaImage } from '@ekyc/core';
import { fetchModel } from '../../assets/fetch-asset.ts';
import { modelManifest } from '../../assets/manifests.ts';
import type { PipelineConfig } from '../../host/types.ts';
import { BlazeFaceDetector } from '../face/face-blazeface.ts';
import { MeshEmbedder } from './mesh-embedder.ts';

/**
 * Liveness landmarks (runs in a worker): the face-mesh attention model (478 points, refined eyes)
 * tracked frame to frame as MediaPipe's face mesh graph does, with BlazeFace to find the face and
 * to count faces every `detectEvery` frames (on the whole frame and on four overlapping tiles, so small faces count). Per frame it returns the landmarks and the signals
 * the challenge engine judges (core/liveness); the engine itself runs on the page, which holds the
 * session nonce.
 */

export interface LivenessModelIds {
  detector: string;
  landmarks: string;
}

export interface LivenessWorkerConfig extends PipelineConfig {
  models?: Partial<LivenessModelIds>;
  manifest?: ModelManifest;
  /** Run the detector every this many frames to count faces (and whenever the face is lost). Default 10. */
  detectEvery?: number;
  /** Below this face-presence probability the track is dropped and the detector runs again. Default 0.5. */
  minPresence?: number;
}

export const DEFAULT_LIVENESS_MODELS: LivenessModelIds = { detector: 'blazeface-short-range', landmarks: 'face-mesh-attention' };

export interface TrackResult {
  /** Faces seen: the last detector count, at least 1 while a face is tracked. */
  faceCount: number;
  /** 478 x, y, z in frame pixels (transferred). */
  landmarks?: Float32Array;
  signals?: liveness.FaceSignals;
  presence?: number;
  brightness: number;
  /** The detector ran on this frame. */
  detected: boolean;
  timings: { detectMs: number; landmarksMs: number; totalMs: number };
}

interface State {
  detector: BlazeFaceDetector;
  mesh: MeshEmbedder;
  detectEvery: number;
  minPresence: number;
  roi: liveness.FaceRoi | null;
  frames: number;
  lastCount: number;
}

let state: State | undefined;

/** The detector sees the frame at 128x128: giving it a copy at most 256 px wide costs ~1 ms and spares MediaPipe resizing a large frame. */
const DETECT_MAX_SIDE = 256;

/** Detections on `region` of the image (whole image by default), in image pixels. */
async function detectIn(s: State, image: RgbaImage, region: face.Box = { x: 0, y: 0, width: image.width, height: image.height }): Promise<face.FaceDetection[]> {
  const whole = region.x === 0 && region.y === 0 && region.width === image.width && region.height === image.height;
  const scale = Math.min(1, DETECT_MAX_SIDE / Math.max(region.width, region.height));
  if (scale === 1 && whole) return s.detector.detect(image);
  const w = Math.max(1, Math.round(region.width * scale));
  const h = Math.max(1, Math.round(region.height * scale));
  const small = face.cropResize(image, region, w, h);
  const sx = region.width / w;
  const sy = region.height / h;
  return (await s.detector.detect(small)).map((d) => ({
    ...d,
    box: { x: region.x + d.box.x * sx, y: region.y + d.box.y * sy, width: d.box.width * sx, height: d.box.height * sy },
    ...(d.keypoints
      ? { keypoints: Object.fromEntries(Object.entries(d.keypoints).map(([k, p]) => [k, { x: region.x + p.x * sx, y: region.y + p.y * sy }])) as unknown as face.FaceKeypoints }
      : {}),
  }));
}

/** Whole-frame detections (the best one starts a track) and the number of distinct faces, tiles included. */
async function detectFaces(s: State, image: RgbaImage): Promise<{ faces: face.FaceDetection[]; count: number }> {
  const faces = await detectIn(s, image);
  const tiles: face.Box[] = [];
  for (const tile of liveness.countTiles(image.width, image.height)) tiles.push(...(await detectIn(s, image, tile)).map((d) => d.box));
  return { faces, count: liveness.countDistinctFaces(faces.map((d) => d.box), tiles, s.roi ? liveness.roiBounds(s.roi) : null) };
}

function requireState(): State {
  if (!state) throw new EkycError('invalid_argument', 'The liveness pipeline was not initialised');
  return state;
}

export const livenessPipeline = {
  async init(config: LivenessWorkerConfig): Promise<{ models: LivenessModelIds }> {
    const manifest = config.manifest ?? modelManifest;
    const ids = { ...DEFAULT_LIVENESS_MODELS, ...config.models };
    const detectorAsset = findAsset(manifest, ids.detector);
    const meshAsset = findAsset(manifest, ids.landmarks);
    const [detectorBytes, meshBytes] = await Promise.all([fetchModel(ids.detector, config.assetBaseUrl, manifest), fetchModel(ids.landmarks, config.assetBaseUrl, manifest)]);
    // One MediaPipe task at a time: both set the same worker globals while they are created.
    const detector = await BlazeFaceDetector.create(detectorAsset, detectorBytes, config.assetBaseUrl, { maxFaces: 5 });
    const mesh = await MeshEmbedder.create(meshAsset, meshBytes, config.assetBaseUrl);
    state?.detector.close();
    state?.mesh.close();
    const detectEvery = config.detectEvery ?? 10;
    if (!Number.isInteger(detectEvery) || detectEvery < 1) throw new EkycError('invalid_argument', 'detectEvery must be a positive integer', { details: { detectEvery } });
    state = { detector, mesh, detectEvery, minPresence: config.minPresence ?? 0.5, roi: null, frames: 0, lastCount: 0 };
    return { models: ids };
  },

  /** Landmarks and signals of the one tracked face. */
  async track(frame: RgbaImage): Promise<TrackResult> {
    const s = requireState();
    const image = validateRgbaImage(frame, 'frame');
    const t0 = performance.now();
    const brightness = liveness.meanBrightness(image.data, image.width, image.height);
    let detectMs = 0;
    let landmarksMs = 0;
    let detected = false;
    for (let pass = 0; pass < 2; pass++) {
      if (!s.roi || s.frames % s.detectEvery === 0 || pass === 1) {
        const d0 = performance.now();
        const { faces, count } = await detectFaces(s, image);
        detectMs += performance.now() - d0;
        detected = true;
        s.lastCount = count;
        const best = faces[0];
        if (!best?.keypoints) {
          s.roi = null;
          break;
        }
        // A tracked face stays tracked; a new one starts from the detector's box.
        if (!s.roi || pass === 1) s.roi = liveness.roiFromDetection(best.box, best.keypoints.leftEye, best.keypoints.rightEye);
      }
      const m0 = performance.now();
      const crop = face.warpAffine(image, liveness.roiToCropAffine(s.roi!), liveness.MESH_INPUT_SIZE, liveness.MESH_INPUT_SIZE);
      const out = s.mesh.run(crop);
      landmarksMs += performance.now() - m0;
      if (out.presence < s.minPresence) {
        s.roi = null;
        if (detected) break;
        continue; // lost while tracking: detect once more on this frame
      }
      const landmarks = liveness.assembleMesh(out, s.roi!);
      s.roi = liveness.roiFromLandmarks(landmarks);
      s.frames++;
      const signals = liveness.faceSignalsFromLandmarks(landmarks, image);
      return { faceCount: Math.max(1, s.lastCount), landmarks, signals, presence: out.presence, brightness, detected, timings: { detectMs, landmarksMs, totalMs: performance.now() - t0 } };
    }
    s.frames = 0;
    return { faceCount: s.lastCount > 1 ? s.lastCount : 0, brightness, detected, timings: { detectMs, landmarksMs, totalMs: performance.now() - t0 } };
  },

  /** Forgets the tracked face (a new session). */
  async reset(): Promise<void> {
    const s = requireState();
    s.roi = null;
    s.frames = 0;
    s.lastCount = 0;
  },
};

export type LivenessPipelineApi = typeof livenessPipeline;
