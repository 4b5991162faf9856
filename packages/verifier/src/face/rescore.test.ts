import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { face as core, findAsset, type ModelManifest } from '@ekyc/core';
import { buildAssetBytes } from '@ekyc/models/build';
import { FaceRescorer } from './rescore.ts';

const manifest = JSON.parse(readFileSync(new URL('../../../../models/manifest.json', import.meta.url), 'utf8')) as ModelManifest;
const require = createRequire(import.meta.url);
const modelDir = path.join(path.dirname(require.resolve('faceplugin-face-recognition-js/package.json')), 'model');
// The manifest's fr-feature is derived (float16 weights): built from its npm file as `ekyc-assets` does.
const featureDir = mkdtempSync(path.join(tmpdir(), 'ekyc-rescore-'));
const featurePath = path.join(featureDir, 'fr-feature.onnx');
writeFileSync(featurePath, await buildAssetBytes(findAsset(manifest, 'fr-feature')));
afterAll(() => rmSync(featureDir, { recursive: true, force: true }));

/** A smooth face-like blob pattern, seeded, so the crop is structured rather than noise. */
function syntheticCrop(seed: number): core.RgbaImage {
  const data = new Uint8ClampedArray(112 * 112 * 4);
  for (let y = 0; y < 112; y++) for (let x = 0; x < 112; x++) {
    const p = (y * 112 + x) * 4;
    const v = 128 + 60 * Math.sin((x + seed * 13) / (6 + seed)) * Math.cos((y - seed * 7) / (9 + seed));
    data[p] = v; data[p + 1] = v * 0.8 + 20; data[p + 2] = v * 0.6 + 30; data[p + 3] = 255;
  }
  return { width: 112, height: 112, data };
}

describe('FaceRescorer (onnxruntime-node, real fr-feature model)', () => {
  it('returns a deterministic unit-length embedding of the manifest size', async () => {
    const rescorer = await FaceRescorer.create(manifest, featurePath);
    const a = await rescorer.embedAligned(syntheticCrop(1));
    const again = await rescorer.embedAligned(syntheticCrop(1));
    expect(a.length).toBe(512);
    expect(core.l2Norm(a)).toBeCloseTo(1, 5);
    expect(Array.from(again)).toEqual(Array.from(a));
    const other = await rescorer.match(syntheticCrop(1), syntheticCrop(4));
    expect(other.similarity).toBeLessThan(0.999);
    await rescorer.close();
  });

  it('refuses a crop of the wrong size and a model file that is not the manifest one', async () => {
    const rescorer = await FaceRescorer.create(manifest, featurePath);
    await expect(rescorer.embedAligned({ width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4) })).rejects.toMatchObject({ code: 'invalid_frame' });
    await rescorer.close();
    await expect(FaceRescorer.create(manifest, path.join(modelDir, 'fr_eye.onnx'))).rejects.toMatchObject({ code: 'asset_hash_mismatch' });
    await expect(FaceRescorer.create(manifest, '/nonexistent/model.onnx')).rejects.toMatchObject({ code: 'asset_fetch_failed' });
  });
});
