/**
 * The server's face engine: core's UltraFace + 68-point detector and ArcFace-class embedder on
 * onnxruntime-node, the same models and steps the browser runs, so the verifier repeats face
 * match and continuity instead of trusting the client's scores.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EkycError, face as core, findAsset, type ModelManifest } from '@ekyc/core';
import { buildAssetBytes } from '@ekyc/models/build';
import { loadNodeModel } from './onnx-node.ts';
import type { Pixels } from '../rescore/images.ts';

const MODEL_IDS = { detect: 'fr-detect', landmarks: 'fr-landmark68', embed: 'fr-feature' } as const;

/** The model manifest `@ekyc/models` exports, resolved like any dependency: in this repo and installed. */
export function loadModelManifest(): ModelManifest {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve('@ekyc/models/manifest.json'), 'utf8')) as ModelManifest;
}

/**
 * `modelDir/<manifest file>` when given, else this repository's built assets, else the bytes
 * `@ekyc/models` builds from the model's npm package as `ekyc-assets` does (the manifest's face
 * models are derived: float16 weights), hash-checked either way.
 */
export async function resolveModel(manifest: ModelManifest, id: string, modelDir: string | undefined): Promise<string | Uint8Array<ArrayBuffer>> {
  const asset = findAsset(manifest, id);
  if (modelDir !== undefined) return path.join(modelDir, asset.file);
  const built = fileURLToPath(new URL(`../../../../demo/public/ekyc/models/${asset.file}`, import.meta.url));
  if (existsSync(built)) return built;
  try {
    return await buildAssetBytes(asset);
  } catch (cause) {
    throw new EkycError('asset_fetch_failed', `Model "${asset.id}" could not be built from its npm package`, { cause, details: { id: asset.id } });
  }
}

export type FaceOutcome =
  | { status: 'ok'; embedding: Float32Array; detectionScore: number; faces: number }
  | { status: 'face_not_found' | 'face_multiple' };

export class ServerFaceEngine {
  private constructor(
    private readonly detector: core.UltraFaceLandmarkDetector,
    private readonly embedder: core.FaceEmbedder,
    private readonly releases: (() => Promise<void>)[],
  ) {}

  static async create(options: { manifest?: ModelManifest; modelDir?: string | undefined } = {}): Promise<ServerFaceEngine> {
    const manifest = options.manifest ?? loadModelManifest();
    const load = async (id: string) => {
      const asset = findAsset(manifest, id);
      const loaded = await loadNodeModel(asset, await resolveModel(manifest, id, options.modelDir));
      return { asset, ...loaded };
    };
    const [detect, landmarks, embed] = [await load(MODEL_IDS.detect), await load(MODEL_IDS.landmarks), await load(MODEL_IDS.embed)];
    const detector = new core.UltraFaceLandmarkDetector({ model: detect.model, asset: detect.asset }, { model: landmarks.model, asset: landmarks.asset });
    return new ServerFaceEngine(detector, new core.FaceEmbedder(embed.model, embed.asset), [detect.release, landmarks.release, embed.release]);
  }

  /** Face boxes, best first. */
  async detect(image: Pixels): Promise<{ box: { x: number; y: number; width: number; height: number }; score: number }[]> {
    return [...(await this.detector.detect(image))].sort((a, b) => b.score - a.score);
  }

  /**
   * The best face of an image, embedded. `allowSeveral` takes the highest-scoring face when the
   * image holds more than one (a document crop may show a ghost portrait); a selfie must hold one.
   */
  async embedBestFace(image: Pixels, options: { allowSeveral?: boolean } = {}): Promise<FaceOutcome> {
    const faces = await this.detector.detect(image);
    if (faces.length === 0) return { status: 'face_not_found' };
    if (faces.length > 1 && options.allowSeveral !== true) return { status: 'face_multiple' };
    const best = [...faces].sort((a, b) => b.score - a.score)[0]!;
    if (best.keypoints === undefined) return { status: 'face_not_found' };
    const { embedding } = await this.embedder.embed(image, best.keypoints);
    return { status: 'ok', embedding, detectionScore: best.score, faces: faces.length };
  }

  async close(): Promise<void> {
    for (const release of this.releases) await release();
  }
}
