// Replays captured camera glare streams (scripts/capture-streams.mjs) through the camera path's vote and
// fusion in Node: DocumentReadStream on the captured reads, in frame order, fused on this thread. Prints
// each stream's outcome as eval:mrz does (status, frames, right or wrong, frames fused, the last refused
// fusion's cells) and the fusion's time per try, so a fusion change can be checked for the same
// decisions and timed on exactly the eval's reads.
//   node --conditions=source --import tsx scripts/replay-streams.ts /tmp/streams.json [--fuser MODULE]
// `--fuser MODULE`: a module exporting `fuseFrames` (another version of core frame-fusion.ts) to fuse with;
// `--stream MODULE`: one exporting `DocumentReadStream` (another version of document-stream.ts).
// `--windows`: also fuses every window of 2-4 consecutive frames with an MRZ of every stream (the frames
// before it held, as `MrzFrameFusion` keeps them; same line count as the window's last) and counts the
// fusions accepted, and accepted but wrong (a safety check beyond the streams' own path).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { document as coreDocument } from '@ekyc/core';
import { DocumentReadStream as CurrentStream, type FrameFuser } from '../packages/workers/src/pipelines/document/document-stream.ts';
import type { DocumentRead, MrzSummary } from '../packages/workers/src/pipelines/document/document.ts';
import type { CapturedStream } from '../bench/browser/stream-capture.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const file = args.find((a) => a.endsWith('.json'))!;
const fuserModule = option('--fuser');
const fuse: typeof coreDocument.fuseFrames = fuserModule ? (await import(path.resolve(fuserModule))).fuseFrames : coreDocument.fuseFrames;

const streamModule = option('--stream');
const DocumentReadStream: typeof CurrentStream = streamModule ? (await import(path.resolve(streamModule))).DocumentReadStream : CurrentStream;
// JSON wrote the reads' missing lines (undefined in the worker's answer) as null: undefined again.
const { streams } = JSON.parse(readFileSync(file, 'utf8'), (_, v: unknown) => (v === null ? undefined : v)) as { streams: CapturedStream[] };

const ms: number[] = [];
/** Per frame's fusion (`MrzFrameFusion.tries`: shorter windows tried after a window that merged not valid included). */
const pushMs: number[] = [];
const tally = new Map<string, { n: number; stable: number; wrong: number; fused: number }>();
for (const s of streams) {
  let next = 0;
  const client = { async read(): Promise<DocumentRead> { return s.reads[next++] as DocumentRead; } };
  const fuser: FrameFuser = async (frames, options) => {
    const t = performance.now();
    const f = fuse(frames, options);
    ms.push(performance.now() - t);
    return f;
  };
  const stream = new DocumentReadStream({ ...client, fuse: (frames, options) => fuser(frames, options ?? {}) }, { referenceDate: '2026-06-01' }, { stableFrames: 2, maxFrames: 8 });
  let state: coreDocument.VoteState<MrzSummary> = { status: 'reading', frames: 0 };
  const image = { width: 1, height: 1, data: new Uint8ClampedArray(4) };
  while (state.status === 'reading' && next < s.reads.length) state = (await stream.push(image, null)).state;
  const t = tally.get(s.level) ?? { n: 0, stable: 0, wrong: 0, fused: 0 };
  t.n++;
  let line = `${s.level}/${s.format}/${s.seed} ${state.status} ${state.frames}`;
  if (state.status === 'stable') {
    const right = state.read.corrected.join() === s.truth.join();
    t.stable += right ? 1 : 0;
    t.wrong += right ? 0 : 1;
    t.fused += state.fused ? 1 : 0;
    line += ` ${right ? 'right' : 'WRONG'}${state.fused ? ` fused ${state.fused.frames}` : ''} uncertain ${[...state.uncertainFields].join(',')}`;
  } else {
    const last = stream.fusion?.last;
    const cells = (list: readonly coreDocument.FusedCell[]): string => list.map((c) => `${c.line}:${c.column}${c.char}[${c.clear.map((x, k) => x ?? (c.seen[k] ? `${c.seen[k]}?` : '.')).join(',')}]`).join(' ');
    if (last) line += ` | ${last.refusal ?? 'accepted'} frames=${last.frames} merged=${last.merged.valid ? (last.merged.result.corrected.join('|') === s.truth.join('|') ? 'valid-right' : 'valid-WRONG') : 'invalid'} conflicts ${cells(last.conflicts)} unsupported ${cells(last.unsupported)}`;
  }
  pushMs.push(...(stream.fusion?.tries.map((x) => x.ms) ?? []));
  tally.set(s.level, t);
  console.log(line);
}
if (args.includes('--windows')) {
  let tries = 0;
  let accepted = 0;
  let wrong = 0;
  const referenceDate = new Date('2026-06-01T00:00:00Z');
  for (const s of streams) {
    const all = s.reads.flatMap((r) => (r.mrzEvidence ? [{ evidence: r.mrzEvidence }] : []));
    for (let end = 2; end <= all.length; end++) {
      const lines = coreDocument.frameLineCount(all[end - 1]!);
      const kept = all.slice(0, end).filter((f) => coreDocument.frameLineCount(f) === lines);
      for (let w = 2; w <= Math.min(4, kept.length); w++) {
        const f = fuse(kept.slice(-w), { referenceDate, minSeenReads: 2, heldFrames: kept.slice(Math.max(0, kept.length - 8), -w) });
        tries++;
        if (!f.accepted) continue;
        accepted++;
        if (f.merged.result.corrected.join() !== s.truth.join()) {
          wrong++;
          console.log(`ACCEPTED WRONG ${s.level}/${s.format}/${s.seed} frames ${end - w}..${end - 1}: ${f.merged.result.corrected.join('|')}`);
        }
      }
    }
  }
  console.log(`windows of 2-4 frames: ${tries} tries, ${accepted} accepted, ${wrong} accepted and wrong`);
}
for (const [level, t] of tally) console.log(`${level}: ${t.stable}/${t.n} stable and right (${t.fused} fused), ${t.wrong} stable but wrong`);
const stats = (list: number[]): string => { const sorted = [...list].sort((a, b) => a - b); const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN; return `${list.length} tries, median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${Math.max(...list).toFixed(1)} ms, total ${list.reduce((a, b) => a + b, 0).toFixed(0)} ms`; };
console.log(`fusion per call in Node: ${stats(ms)}`);
console.log(`fusion per frame in Node: ${stats(pushMs)}`);
