import { face as core, findAsset, type ModelManifest } from '@ekyc/core';
import { loadNodeModel } from './onnx-node.ts';

/**
 * Server-side face re-scoring: embeds the aligned crops a client recorded, with the same core
 * preprocessing the browser used, so the verifier repeats the match instead of trusting it.
 */
export class FaceRescorer {
  private constructor(private readonly embedder: core.FaceEmbedder, private readonly closeModel: () => Promise<void>) {}

  /** `modelPath` is the embedding model file (e.g. demo/public/ekyc/models/fr-feature.onnx). */
  static async create(manifest: ModelManifest, modelPath: string, modelId = 'fr-feature'): Promise<FaceRescorer> {
    const asset = findAsset(manifest, modelId);
    const loaded = await loadNodeModel(asset, modelPath);
    return new FaceRescorer(new core.FaceEmbedder(loaded.model, asset), loaded.release);
  }

  embedAligned(crop: core.RgbaImage): Promise<Float32Array> {
    return this.embedder.embedAligned(crop);
  }

  async match(cropA: core.RgbaImage, cropB: core.RgbaImage, thresholds?: core.MatchThresholds): Promise<core.FaceMatchResult> {
    const [a, b] = [await this.embedAligned(cropA), await this.embedAligned(cropB)];
    return core.matchEmbeddings(a, b, thresholds);
  }

  close(): Promise<void> {
    return this.closeModel();
  }
}
