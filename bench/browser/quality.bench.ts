import { generateLabelledFrame } from '@ekyc/testkit';
import { QualityClient } from '@ekyc/workers';
import { median, type BenchResult } from '../types.ts';

/** Every quality check on one 1280x720 frame in the quality worker (OpenCV.js WASM). */
export default async (ctx: { assetBaseUrl: string }): Promise<BenchResult[]> => {
  const client = new QualityClient({ assetBaseUrl: ctx.assetBaseUrl }, 60_000);
  const t0 = performance.now();
  await client.host.ready();
  const loadMs = performance.now() - t0;
  // A clean document frame: the full path (detect, refine, rectify, sharpness, glare, lighting) runs.
  const { image } = generateLabelledFrame(7, { clean: true });
  const copy = () => ({ width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) });
  for (let i = 0; i < 5; i++) await client.analyzeFrame(copy());
  const analyze: number[] = [];
  const roundTrip: number[] = [];
  for (let i = 0; i < 40; i++) {
    const frame = copy();
    const started = performance.now();
    const result = await client.analyzeFrame(frame);
    roundTrip.push(performance.now() - started);
    analyze.push(result.analyzeMs);
  }
  client.terminate();
  return [
    { suite: 'quality', name: 'all checks, 1280x720 frame (in worker, WASM)', unit: 'ms', value: median(analyze), runs: analyze.length, target: '<= 10 ms', notes: 'quad detection on 320 px, edge refinement at full size, 640 px rectified metrics' },
    { suite: 'quality', name: 'analyzeFrame round trip incl. transfer', unit: 'ms', value: median(roundTrip), runs: roundTrip.length },
    { suite: 'quality', name: 'OpenCV.js fetch + hash check + init in worker', unit: 'ms', value: loadMs, runs: 1 },
  ];
};
