import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuseFrames, holdToFrames, type FusionFrame, type MrzFrameEvidence } from './frame-fusion.ts';
import { mergeMrzReads } from './merge.ts';
import { lineFromText } from './ocr-read.ts';

/**
 * A captured camera glare stream's first frames with an MRZ, every engine's read as the worker gave it
 * (tuning seed 320000 mild, session 11-12's capture order; JSON's nulls are the worker's missing lines).
 */
function stream(name: string): { truth: string[]; frames: FusionFrame[] } {
  const { truth, frames } = JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.frames.json`, import.meta.url), 'utf8'), (_, v: unknown) => (v === null ? undefined : v)) as { truth: string[]; frames: MrzFrameEvidence[] };
  return { truth, frames: frames.map((evidence) => ({ evidence })) };
}

const OPTIONS = { referenceDate: new Date('2026-06-01T00:00:00Z'), minSeenReads: 2 };

/** The last `window` frames judged against `reading` as a merge of them would be, the frames before held to (as `MrzFrameFusion` does). */
function judge(frames: readonly FusionFrame[], window: number, reading: readonly string[]) {
  const merged = mergeMrzReads([{ engine: 'reading', lines: reading.map((line) => lineFromText(line)) }], OPTIONS);
  expect(merged.valid).toBe(true);
  expect(merged.result.corrected).toEqual(reading);
  return holdToFrames(merged, frames.slice(-window), { ...OPTIONS, heldFrames: frames.slice(0, -window) });
}

/** `line` with a filler put in at `column` (the rest one cell later, the last filler of the padding dropped). */
const inserted = (line: string, column: number): string => `${line.slice(0, column)}<${line.slice(column, -1)}`;
/** `line` with the character at `column` taken out (the rest one cell earlier, a filler added to the padding). */
const removed = (line: string, column: number): string => `${line.slice(0, column)}${line.slice(column + 1)}<`;

describe('fusion: the runs of fillers that separate name parts', () => {
  // Tuning stream 320500 mild TD3, frames 5-6 fused, 0-4 held. A merge variant (engine reads in order of
  // weighed confidence, not kept) fused ERIKSSON<<<LENA: every frame read the run as two fillers, and each
  // frame's alignment left the third as a gap somewhere in the run, where a gap is no vote.
  const { truth, frames } = stream('glare-td3-320500-mild');

  it('the frames\' own merge reads the names right and is accepted', () => {
    const fused = fuseFrames(frames.slice(-2), { ...OPTIONS, heldFrames: frames.slice(0, -2) });
    expect(fused.merged.result.corrected).toEqual(truth);
    expect(fused.accepted).toBe(true);
    expect(judge(frames, 2, truth).accepted).toBe(true);
  });

  it('refuses a filler put into the run between surname and given name that no frame read that long', () => {
    const reading = [inserted(truth[0]!, 13), truth[1]!];
    expect(reading[0]).toMatch(/^P<POLERIKSSON<<<LENA</);
    const fused = judge(frames, 2, reading);
    expect(fused).toMatchObject({ accepted: false, refusal: 'unclear_cells' });
    expect(fused.unsupported.map((c) => c.column)).toEqual([13, 14, 15]);
    expect(fused.uncertainFields).toEqual(expect.arrayContaining(['givenNames']));
  });

  // Tuning stream 320515 mild TD3, frames 3-4 fused, 0-2 held.
  const other = stream('glare-td3-320515-mild');

  it('holds the run before the names too (320515, frames 3-4): the merge variant\'s P<D<<<TANAKA<<<SIOBHAN is refused, the truth stands', () => {
    expect(judge(other.frames, 2, other.truth).accepted).toBe(true);
    const both = [inserted(inserted(other.truth[0]!, 3), 12), other.truth[1]!];
    expect(both[0]).toMatch(/^P<D<<<TANAKA<<<SIOBHAN</);
    const fused = judge(other.frames, 2, both);
    expect(fused).toMatchObject({ accepted: false, refusal: 'unclear_cells' });
    expect(fused.unsupported.map((c) => c.column)).toEqual([3, 4, 5, 12, 13, 14]);
  });

  it('refuses a filler taken out of a run between name parts: the frames that read the run longer have a filler with no place', () => {
    const joined = [removed(other.truth[0]!, 11), other.truth[1]!];
    expect(joined[0]).toMatch(/^P<D<<TANAKA<SIOBHAN</);
    const fused = judge(other.frames, 2, joined);
    expect(fused).toMatchObject({ accepted: false, refusal: 'unclear_cells', conflicts: [], unsupported: [] });
    expect(fused.unplaced.length).toBeGreaterThan(0);
    expect(fused.unplaced.every((u) => u.line === 0 && u.char === '<' && u.column >= 11 && u.column <= 12)).toBe(true);
    expect(fused.uncertainFields).toEqual(expect.arrayContaining(['surname']));
  });
});
