import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build step without type declarations
import { convertModel, derive, float16BitsToNumber, float32ToFloat16Bits } from './onnx-fp16.mjs';
import { findPackageDir } from '../build.mjs';

type Asset = {
  id: string; sha256: string; bytes: number;
  source: { package: string; path: string; sha256?: string };
  derive?: Array<{ kind: string; params: Record<string, unknown> }>;
  io: { inputs: Array<{ shape: number[]; testShape?: number[] }> };
};
const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as { assets: Asset[] };
const fp16Assets = manifest.assets.filter((a) => a.derive?.some((step) => step.kind === 'onnx-fp16'));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sourceOf = (asset: Asset) => readFileSync(path.join(findPackageDir(asset.source.package), asset.source.path));
const scratch = mkdtempSync(path.join(tmpdir(), 'onnx-fp16-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('float32 -> float16 rounding', () => {
  it('rounds to nearest even, keeps subnormals and refuses what float16 cannot hold', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie, to the even mantissa
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, to the even mantissa (up)
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0x0000); // tie with zero, to even
    expect(float32ToFloat16Bits(-(2 ** -30))).toBe(0x8000);
    expect(float32ToFloat16Bits(65520)).toBeNull(); // rounds past the largest finite float16
    expect(float32ToFloat16Bits(Number.NaN)).toBeNull();
    expect(float32ToFloat16Bits(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('picks the nearest float16 for values across the range (seeded)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      const value = Math.fround((random() - 0.5) * 2 ** (random() * 40 - 24));
      const bits = float32ToFloat16Bits(value) as number;
      const error = Math.abs(float16BitsToNumber(bits) - value);
      // Neither neighbour of the chosen float16 is closer.
      for (const neighbour of [bits - 1, bits + 1]) {
        if ((neighbour & 0x7fff) === 0x7fff || neighbour < 0 || (neighbour & 0x7c00) === 0x7c00) continue;
        if (((neighbour ^ bits) & 0x8000) !== 0) continue;
        expect(error).toBeLessThanOrEqual(Math.abs(float16BitsToNumber(neighbour) - value));
      }
    }
  });
});

describe('onnx-fp16 derive step (manifest models stored with float16 weights)', () => {
  it('is declared for the models the flow downloads', () => {
    expect(fp16Assets.map((a) => a.id).sort()).toEqual(['fr-detect', 'fr-feature', 'fr-landmark68', 'ppocr-rec']);
  });

  for (const asset of fp16Assets) {
    it(`${asset.id}: gives the manifest bytes, half the size, and the source model's outputs within float16 rounding`, async () => {
      const source = sourceOf(asset);
      expect(sha256(source)).toBe(asset.source.sha256);
      const step = asset.derive!.find((s) => s.kind === 'onnx-fp16')!;
      const derived: Uint8Array = await derive(source, step.params);
      expect(sha256(derived)).toBe(asset.sha256);
      expect(derived.length).toBe(asset.bytes);
      expect(derived.length).toBeLessThan(source.length * 0.56);
      // Deterministic: a second run gives the same bytes.
      expect(sha256(await derive(source, step.params))).toBe(asset.sha256);

      const optimized = path.join(scratch, `${asset.id}.optimized.onnx`);
      const options = { executionProviders: ['cpu'], intraOpNumThreads: 1, graphOptimizationLevel: 'basic' } as const;
      const before = await ort.InferenceSession.create(new Uint8Array(source), options);
      const after = await ort.InferenceSession.create(derived, { ...options, optimizedModelFilePath: optimized });
      const input = asset.io.inputs[0]!;
      const dims = input.testShape ?? input.shape;
      let seed = 11;
      const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 * 2 - 1);
      const feeds = { [before.inputNames[0]!]: new ort.Tensor('float32', data, dims) };
      const [a, b] = [await before.run(feeds), await after.run(feeds)];
      for (const name of before.outputNames) {
        const x = a[name]!.data as Float32Array;
        const y = b[name]!.data as Float32Array;
        expect(y.length).toBe(x.length);
        let dot = 0, nx = 0, ny = 0, maxDiff = 0;
        for (let i = 0; i < x.length; i++) {
          dot += x[i]! * y[i]!; nx += x[i]! ** 2; ny += y[i]! ** 2;
          maxDiff = Math.max(maxDiff, Math.abs(x[i]! - y[i]!));
        }
        // Measured: max difference 7e-5 (fr-landmark68) to 3.8e-3 (ppocr-rec probabilities) on this input.
        expect(maxDiff).toBeLessThan(1e-2);
        expect(dot / Math.sqrt(nx * ny)).toBeGreaterThan(0.9999);
      }
      await before.release();
      await after.release();
      // onnxruntime folded every added Cast into a float32 initializer: none of their nodes is left.
      const { converted } = convertModel(source, step.params.minElements as number) as { converted: string[] };
      expect(converted.length).toBeGreaterThan(10);
      const optimizedText = readFileSync(optimized).toString('latin1');
      expect(converted.filter((name) => optimizedText.includes(`${name}_cast`))).toEqual([]);
    });
  }

  it('refuses a result with another sha256 and a bad minElements', async () => {
    const asset = fp16Assets.find((a) => a.id === 'fr-landmark68')!;
    await expect(derive(sourceOf(asset), { minElements: 1024, sha256: '0'.repeat(64) })).rejects.toThrow(/expected/);
    await expect(derive(sourceOf(asset), { minElements: 0 })).rejects.toThrow(/minElements/);
  });

  it('keeps small tensors as float32 (minElements)', () => {
    const asset = fp16Assets.find((a) => a.id === 'fr-landmark68')!;
    const all = convertModel(sourceOf(asset), 1) as { converted: string[] };
    const large = convertModel(sourceOf(asset), 1024) as { converted: string[] };
    expect(large.converted.length).toBeLessThan(all.converted.length);
    expect(all.converted).toEqual(expect.arrayContaining(large.converted));
  });
});
