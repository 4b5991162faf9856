import { generateLabelledFrame } from '@ekyc/testkit';
import { QualityClient, type TimedAssessment } from '@ekyc/workers';
import { median, type BenchResult } from '../types.ts';

const VARIED_SEEDS = Array.from({ length: 60 }, (_, i) => 5000 + i);

/** Every quality check on 1280x720 frames in the quality worker (OpenCV.js WASM). */
export default async (ctx: { assetBaseUrl: string }): Promise<BenchResult[]> => {
  const client = new QualityClient({ assetBaseUrl: ctx.assetBaseUrl }, 60_000);
  const t0 = performance.now();
  await client.host.ready();
  const loadMs = performance.now() - t0;
  const target = '<= 10 ms';

  // A clean document frame: the full path (detect, refine, rectify, sharpness, glare, lighting) runs.
  const { image } = generateLabelledFrame(7, { clean: true });
  const copy = (source: ImageData | { width: number; height: number; data: Uint8ClampedArray }) => ({ width: source.width, height: source.height, data: new Uint8ClampedArray(source.data) });
  for (let i = 0; i < 5; i++) await client.analyzeFrame(copy(image));
  const clean: TimedAssessment[] = [];
  const roundTrip: number[] = [];
  for (let i = 0; i < 40; i++) {
    const frame = copy(image);
    const started = performance.now();
    clean.push(await client.analyzeFrame(frame));
    roundTrip.push(performance.now() - started);
  }

  // Varied frames (clutter, texture, low contrast, blur, glare, no document): the slow paths count too.
  const frames = VARIED_SEEDS.map((seed) => generateLabelledFrame(seed).image);
  const varied: TimedAssessment[] = [];
  for (const frame of frames) varied.push(await client.analyzeFrame(copy(frame)));
  client.terminate();

  const stage = (runs: TimedAssessment[], name: keyof TimedAssessment['stagesMs']) => median(runs.map((r) => r.stagesMs[name]));
  const stages = (runs: TimedAssessment[]) => `prepare ${stage(runs, 'prepare').toFixed(1)}, detect ${stage(runs, 'detect').toFixed(1)}, measure ${stage(runs, 'measure').toFixed(1)} ms (stage medians)`;
  const sorted = varied.map((r) => r.analyzeMs).sort((a, b) => a - b);
  const p90 = sorted[Math.floor(0.9 * (sorted.length - 1))]!;
  return [
    { suite: 'quality', name: 'all checks, clean 1280x720 frame (in worker, WASM)', unit: 'ms', value: median(clean.map((r) => r.analyzeMs)), runs: clean.length, target, notes: stages(clean) },
    { suite: 'quality', name: `all checks, ${frames.length} varied 1280x720 frames (in worker, WASM)`, unit: 'ms', value: median(varied.map((r) => r.analyzeMs)), runs: varied.length, target, notes: `${stages(varied)}; p90 ${p90.toFixed(1)} ms` },
    { suite: 'quality', name: 'analyzeFrame round trip incl. transfer (clean frame)', unit: 'ms', value: median(roundTrip), runs: roundTrip.length },
    { suite: 'quality', name: 'OpenCV.js fetch + hash check + init in worker', unit: 'ms', value: loadMs, runs: 1 },
  ];
};
