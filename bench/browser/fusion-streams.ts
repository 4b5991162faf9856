/**
 * The camera path's cross-frame fusion, timed where it runs: in the document worker (`DocumentClient.fuse`),
 * as `DocumentReadStream` asks for it after every frame with an MRZ until the vote is stable. Glare streams
 * as `eval:mrz --streams N --stream-stress glare` draws them (testkit `cameraGlareHotspot`: one hotspot over
 * the MRZ per frame, moving), on tuning stream seeds (300000..310000). Each try's time is the round trip the
 * stream waits (the frames' engine reads cloned there, the merge and the per-cell hold, the result back);
 * the document worker reads no frame meanwhile, so a try delays the next frame's read by as much.
 */
import { type MrzFormat } from '@ekyc/core';
import { mrzCameraStream, type DegradationLevel } from '@ekyc/testkit';
import { DocumentClient, DocumentReadStream } from '@ekyc/workers';
import { median, type BenchResult } from '../types.ts';

/** Streams timed: the eval's format order, both levels, tuning seeds (eval seed 300000 + 500 + i). */
const STREAMS: ReadonlyArray<{ format: MrzFormat; seed: number; level: DegradationLevel }> = [
  { format: 'TD3', seed: 300_500, level: 'mild' },
  { format: 'TD1', seed: 300_501, level: 'mild' },
  { format: 'TD2', seed: 300_502, level: 'strong' },
  { format: 'MRVA', seed: 300_503, level: 'strong' },
  { format: 'TD3', seed: 304_500, level: 'strong' },
  { format: 'TD1', seed: 304_501, level: 'strong' },
];
const MAX_FRAMES = 8;

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export async function fusionStreams(assetBaseUrl: string): Promise<BenchResult[]> {
  const client = new DocumentClient({ assetBaseUrl, backend: 'wasm', engines: ['ppocr', 'tesseract'] }, 170_000);
  const tries: Array<{ ms: number; frames: number; level: DegradationLevel }> = [];
  const readMs: number[] = [];
  const outcomes: string[] = [];
  try {
    for (const s of STREAMS) {
      const camera = mrzCameraStream(s.format, s.seed, s.level, { glare: true });
      const stream = new DocumentReadStream(client, { referenceDate: '2026-06-01' }, { stableFrames: 2, maxFrames: MAX_FRAMES });
      let status = 'reading';
      let frames = 0;
      let fused = 0;
      while (status === 'reading') {
        const frame = await camera.next();
        const { state, read } = await stream.push(frame.image, frame.quad);
        readMs.push(read.timings.totalMs);
        status = state.status;
        frames = state.frames;
        fused = state.status === 'stable' ? state.fused?.frames ?? 0 : 0;
      }
      for (const t of stream.fusion?.tries ?? []) tries.push({ ...t, level: s.level });
      outcomes.push(`${s.level} ${s.format} ${status} in ${frames}${fused ? ` (fused ${fused})` : ''}`);
    }
  } finally {
    client.terminate();
  }
  const ms = tries.map((t) => t.ms);
  const byFrames = [2, 3, 4].map((n) => { const set = tries.filter((t) => t.frames === n).map((t) => t.ms); return set.length ? `${n} frames ${median(set).toFixed(0)} ms (${set.length})` : ''; }).filter(Boolean).join(', ');
  const byLevel = (['mild', 'strong'] as const).map((l) => `${l} ${median(tries.filter((t) => t.level === l).map((t) => t.ms)).toFixed(0)}`).join(', ');
  return [
    { suite: 'document', name: 'camera path: cross-frame fusion per try, in the document worker (round trip)', unit: 'ms', value: median(ms), runs: ms.length,
      notes: `p90 ${quantile(ms, 0.9).toFixed(0)}, max ${Math.max(...ms).toFixed(0)} ms; by frames fused: ${byFrames}; median frames fused ${median(tries.map((t) => t.frames))}; by level (median ms): ${byLevel}; frame reads median ${median(readMs).toFixed(0)} ms; ${STREAMS.length} glare streams: ${outcomes.join('; ')}` },
    { suite: 'document', name: 'camera path: cross-frame fusion per try, p90', unit: 'ms', value: quantile(ms, 0.9), runs: ms.length, notes: 'same tries as the median above' },
  ];
}
