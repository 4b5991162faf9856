import { createModelProbe, modelManifest } from '@ekyc/workers';
import { median, type BenchResult } from '../types.ts';

const RUNS = 15;

/** Session creation and one inference of every ONNX model of the manifest, in a worker, on WASM. */
export default async (ctx: { assetBaseUrl: string }): Promise<BenchResult[]> => {
  const probe = createModelProbe({ assetBaseUrl: ctx.assetBaseUrl, backend: 'wasm' }, 170_000);
  const t0 = performance.now();
  const report = (await probe.ready()) as { wasmThreads: number };
  const results: BenchResult[] = [
    { suite: 'runtime', name: 'worker start + runtime select (WASM)', unit: 'ms', value: performance.now() - t0, runs: 1, notes: `${report.wasmThreads} WASM thread(s)` },
  ];
  for (const asset of modelManifest.assets.filter((a) => a.format === 'onnx')) {
    const creates: number[] = [];
    for (let i = 0; i < 3; i++) {
      const loaded = await probe.call('load', asset.id);
      creates.push(loaded.createMs);
    }
    await probe.call('run', asset.id, 1);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push((await probe.call('run', asset.id, i + 2)).runMs);
    await probe.call('release', asset.id);
    const shape = asset.io?.inputs.map((input) => `[${(input.testShape ?? input.shape).join(',')}]`).join(' ');
    results.push(
      { suite: 'models', name: `${asset.id}: session create`, unit: 'ms', value: median(creates), runs: creates.length, notes: `${(asset.bytes / 1e6).toFixed(1)} MB, sha256-checked fetch excluded` },
      { suite: 'models', name: `${asset.id}: inference ${shape}`, unit: 'ms', value: median(runs), runs: RUNS },
    );
  }
  probe.terminate();
  return results;
};
