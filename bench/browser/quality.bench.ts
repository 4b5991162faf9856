import { generateLabelledFrame } from '@ekyc/testkit';
import { QualityClient, type TimedAssessment } from '@ekyc/workers';
import { median, type BenchResult } from '../types.ts';

const VARIED_SEEDS = Array.from({ length: 60 }, (_, i) => 5000 + i);
const WARM_UP_SEEDS = Array.from({ length: 10 }, (_, i) => 4000 + i);
type FrameSize = { width: number; height: number };
const LANDSCAPE: FrameSize = { width: 1280, height: 720 };
const UPRIGHT: FrameSize = { width: 720, height: 1280 };

/** Every quality check on 1280x720 frames, and on 720x1280 frames of a phone held upright, in the quality worker (OpenCV.js WASM). */
export default async (ctx: { assetBaseUrl: string }): Promise<BenchResult[]> => {
  const client = new QualityClient({ assetBaseUrl: ctx.assetBaseUrl }, 60_000);
  const t0 = performance.now();
  await client.host.ready();
  const loadMs = performance.now() - t0;
  const target = '<= 10 ms';
  const copy = (source: { width: number; height: number; data: Uint8ClampedArray }) => ({ width: source.width, height: source.height, data: new Uint8ClampedArray(source.data) });
  const stage = (runs: TimedAssessment[], name: keyof TimedAssessment['stagesMs']) => median(runs.map((r) => r.stagesMs[name]));
  const stages = (runs: TimedAssessment[]) => `prepare ${stage(runs, 'prepare').toFixed(1)}, detect ${stage(runs, 'detect').toFixed(1)}, measure ${stage(runs, 'measure').toFixed(1)} ms (stage medians)`;
  const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(0.9 * (values.length - 1))]!;

  // A steady camera stream of a clean document: the outline is followed from frame to frame, with a
  // full detection every 10th frame (those are in the 40 runs too).
  const streamOf = async (size: FrameSize): Promise<{ stream: TimedAssessment[]; roundTrip: number[] }> => {
    const { image } = generateLabelledFrame(7, { clean: true, ...size });
    await client.reset();
    for (let i = 0; i < 5; i++) await client.analyzeFrame(copy(image));
    const stream: TimedAssessment[] = [];
    const roundTrip: number[] = [];
    for (let i = 0; i < 40; i++) {
      const frame = copy(image);
      const started = performance.now();
      stream.push(await client.analyzeFrame(frame));
      roundTrip.push(performance.now() - started);
    }
    return { stream, roundTrip };
  };
  // Cold frames: each one on its own (analyzeStill: nothing to follow), 60 generated frames with clutter,
  // texture, low contrast, blur, glare, bad exposure, documents off the frame and no document.
  const coldOf = async (size: FrameSize): Promise<TimedAssessment[]> => {
    const frames = VARIED_SEEDS.map((seed) => generateLabelledFrame(seed, size).image);
    const cold: TimedAssessment[] = [];
    for (const frame of frames) cold.push(await client.analyzeStill(copy(frame)));
    return cold;
  };

  const { stream, roundTrip } = await streamOf(LANDSCAPE);
  // The stream above never runs most of the outline search, so its code is first compiled on the cold
  // frames; 10 other frames warm it up first, so the median is the search's own cost (as from the
  // second frame on in a capture), not the JIT's.
  for (const seed of WARM_UP_SEEDS) await client.analyzeStill(generateLabelledFrame(seed).image);
  const cold = await coldOf(LANDSCAPE);
  // A phone held upright gives 720x1280 frames: the reduced frame the outline is searched on is as wide
  // as a landscape frame's, 1.8 times as tall.
  const uprightStream = (await streamOf(UPRIGHT)).stream;
  const uprightCold = await coldOf(UPRIGHT);
  client.terminate();

  const streamMs = stream.map((r) => r.analyzeMs);
  const coldMs = cold.map((r) => r.analyzeMs);
  const uprightStreamMs = uprightStream.map((r) => r.analyzeMs);
  const uprightColdMs = uprightCold.map((r) => r.analyzeMs);
  return [
    { suite: 'quality', name: 'all checks, camera stream of a 1280x720 document (in worker, WASM)', unit: 'ms', value: median(streamMs), runs: stream.length, target, notes: `${stages(stream)}; p90 ${p90(streamMs).toFixed(1)} ms; outline followed from the previous frame, full detection every 10th` },
    { suite: 'quality', name: `all checks, ${cold.length} cold 1280x720 frames (in worker, WASM)`, unit: 'ms', value: median(coldMs), runs: cold.length, target, notes: `${stages(cold)}; p90 ${p90(coldMs).toFixed(1)} ms; full detection on every frame, after 10 warm-up frames` },
    { suite: 'quality', name: 'all checks, camera stream of a 720x1280 document, phone held upright (in worker, WASM)', unit: 'ms', value: median(uprightStreamMs), runs: uprightStream.length, target, notes: `${stages(uprightStream)}; p90 ${p90(uprightStreamMs).toFixed(1)} ms` },
    { suite: 'quality', name: `all checks, ${uprightCold.length} cold 720x1280 frames, phone held upright (in worker, WASM)`, unit: 'ms', value: median(uprightColdMs), runs: uprightCold.length, target, notes: `${stages(uprightCold)}; p90 ${p90(uprightColdMs).toFixed(1)} ms; the same seeds as the 1280x720 frames` },
    { suite: 'quality', name: 'analyzeFrame round trip incl. transfer (stream)', unit: 'ms', value: median(roundTrip), runs: roundTrip.length },
    { suite: 'quality', name: 'OpenCV.js fetch + hash check + init in worker', unit: 'ms', value: loadMs, runs: 1 },
  ];
};
