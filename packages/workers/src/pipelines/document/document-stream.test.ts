/**
 * The camera path's stream in Node. Faked: the document worker's `read` (I/O), returning per frame what
 * the worker returns for a frame glare clipped cells of. Real: the merge, `fuseFrames` and the voter.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { document as coreDocument, type RgbaImage } from '@ekyc/core';
import type { DocumentRead, MrzSummary, ReadOptions } from './document.ts';
import { DocumentReadStream } from './document-stream.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const WEIGHTS = { 'ocrb#0': 1.5, 'ppocr#0': 1 };

/** The engine reads of a frame whose `clipped` cells ([line, column]) a glare core took (cell reader ~0, PP-OCR skips them). */
function evidence(clipped: ReadonlyArray<readonly [number, number]>): coreDocument.MrzFrameEvidence {
  const lost = (l: number, c: number): boolean => clipped.some(([cl, cc]) => cl === l && cc === c);
  const line = (chars: coreDocument.OcrCharRead[]): coreDocument.OcrLineRead => ({ text: chars.map((x) => x.char).join(''), chars });
  const ocrb = TD3.map((text, l) => line([...text].map((char, c) => (lost(l, c) ? { char: '<', confidence: 0.02, alternatives: [] } : { char, confidence: 0.95, alternatives: [] }))));
  const ppocr = TD3.map((text, l) => line([...text].flatMap((char, c) => (lost(l, c) ? [] : [{ char, confidence: 0.97, alternatives: [] }]))));
  return { reads: [{ engine: 'ppocr#0', lines: ppocr }, { engine: 'ocrb#0', lines: ocrb }], engineWeights: WEIGHTS, lengthWitnesses: ['ocrb#0'] };
}

const REFERENCE = '2010-01-01';
/** The eval's reference date (e2e/pages/document.ts). */
const REFERENCE_330515 = '2026-06-01';

/** A fake worker: each frame's first pixel picks the clipped cells; `read` merges them as the worker does. */
function fakeClient(frames: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, asked: ReadOptions[]): { read(image: RgbaImage, options?: ReadOptions): Promise<DocumentRead> } {
  return {
    async read(image, options = {}) {
      asked.push(options);
      const e = evidence(frames[image.data[0]!]!);
      const m = coreDocument.mergeMrzReads(e.reads, { referenceDate: new Date(`${REFERENCE}T00:00:00Z`), engineWeights: WEIGHTS, lengthWitnesses: ['ocrb#0'] });
      const fields: MrzSummary['fields'] = {};
      for (const [name, f] of Object.entries(m.result.fields)) fields[name as keyof MrzSummary['fields']] = f?.value ?? null;
      const mrz: MrzSummary = { valid: m.valid, format: m.result.format, fields, uncertainFields: [...m.uncertainFields], corrected: [...m.result.corrected], ambiguous: m.ambiguous, errors: [] };
      return { mrzFound: true, mrz, ...(options.mrzEvidence ? { mrzEvidence: e } : {}) } as DocumentRead;
    },
  };
}

const image = (index: number): RgbaImage => ({ width: 1, height: 1, data: new Uint8ClampedArray([index, 0, 0, 255]) });

describe('DocumentReadStream', () => {
  // Every frame loses a different part of the document number or expiry: none reads the document whole
  // (the third's own read is even valid with a wrong document number, flagged: the check digit was solved).
  const CLIPPED = [[[1, 2], [1, 3]], [[1, 22], [1, 23]], [[1, 5], [1, 6]], [[1, 25], [1, 26]]] as const;

  it('fuses frames no one of which read every character, and says so', async () => {
    const asked: ReadOptions[] = [];
    const stream = new DocumentReadStream(fakeClient(CLIPPED, asked), { referenceDate: REFERENCE }, { stableFrames: 2, maxFrames: 8 });
    let state: coreDocument.VoteState<MrzSummary> = { status: 'reading', frames: 0 };
    for (let i = 0; i < CLIPPED.length && state.status === 'reading'; i++) state = (await stream.push(image(i), null)).state;
    expect(state).toMatchObject({ status: 'stable', frames: 3, fused: { frames: 3 } });
    expect(state.status === 'stable' && state.read.corrected).toEqual(TD3);
    expect(state.status === 'stable' && state.read.valid).toBe(true);
    expect(asked.every((o) => o.mrzEvidence === true)).toBe(true);
  });

  it('fuses in the worker when the client has one (DocumentClient.fuse), never on the caller\'s thread', async () => {
    const fusions: number[] = [];
    const client = {
      ...fakeClient(CLIPPED, []),
      // The worker's side of `fuse` is core fuseFrames itself (document.ts); the round trip is the fake's.
      async fuse(frames: readonly coreDocument.FusionFrame[], options: coreDocument.FusionOptions = {}): Promise<coreDocument.FrameFusion> {
        fusions.push(frames.length);
        return coreDocument.fuseFrames(frames, options);
      },
    };
    const stream = new DocumentReadStream(client, { referenceDate: REFERENCE }, { stableFrames: 2, maxFrames: 8 });
    let state: coreDocument.VoteState<MrzSummary> = { status: 'reading', frames: 0 };
    for (let i = 0; i < CLIPPED.length && state.status === 'reading'; i++) state = (await stream.push(image(i), null)).state;
    expect(state).toMatchObject({ status: 'stable', frames: 3, fused: { frames: 3 } });
    expect(state.status === 'stable' && state.read.corrected).toEqual(TD3);
    // Asked after the second and the third frame (a single frame is never fused).
    expect(fusions).toEqual([2, 3]);
    expect(stream.fusion?.tries.map((t) => t.frames)).toEqual([2, 3]);
    expect(stream.fusion?.timings).toHaveLength(2);
  });

  it('fuses the last `window` frames and holds their characters to the earlier kept ones (`memory`)', async () => {
    const asked: Array<[number, number]> = [];
    // Each frame loses a different part: in a window of two, the characters one frame lost are seen once; twice with the frame before.
    const sequence = CLIPPED;
    const client = {
      ...fakeClient(sequence, []),
      async fuse(frames: readonly coreDocument.FusionFrame[], options: coreDocument.FusionOptions = {}): Promise<coreDocument.FrameFusion> {
        asked.push([frames.length, options.heldFrames?.length ?? 0]);
        return coreDocument.fuseFrames(frames, options);
      },
    };
    const stream = new DocumentReadStream(client, { referenceDate: REFERENCE }, { stableFrames: 2, maxFrames: 5 }, { window: 2, memory: 3 });
    let state: coreDocument.VoteState<MrzSummary> = { status: 'reading', frames: 0 };
    for (let i = 0; i < sequence.length && state.status === 'reading'; i++) state = (await stream.push(image(i), null)).state;
    expect(asked).toEqual([[2, 0], [2, 1]]);
    expect(state).toMatchObject({ status: 'stable', frames: 3, fused: { frames: 2 } });
    expect(state.status === 'stable' && state.read.corrected).toEqual(TD3);
  });

  it('without fusion, the same three frames give up as before (no two agree on a valid reading)', async () => {
    const asked: ReadOptions[] = [];
    const stream = new DocumentReadStream(fakeClient(CLIPPED, asked), { referenceDate: REFERENCE }, { stableFrames: 2, maxFrames: 3 }, { fuse: false });
    let state: coreDocument.VoteState<MrzSummary> = { status: 'reading', frames: 0 };
    for (let i = 0; i < 3; i++) state = (await stream.push(image(i), null)).state;
    expect(state).toEqual({ status: 'gave_up', frames: 3 });
    expect(asked.some((o) => o.mrzEvidence)).toBe(false);
  });

  it('frames that each read the document whole are voted as before, not fused', async () => {
    const stream = new DocumentReadStream(fakeClient([[], []], []), { referenceDate: REFERENCE }, { stableFrames: 2 });
    await stream.push(image(0), null);
    const { state } = await stream.push(image(1), null);
    expect(state).toMatchObject({ status: 'stable', frames: 2 });
    expect(state.status === 'stable' && state.fused).toBeUndefined();
  });
});

describe('DocumentReadStream: shorter windows', () => {
  // Recorded: tuning stream 330515 strong (TD1, moving glare), its first five document frames' engine reads.
  // In frames 0, 2 and 3 the cell reader fitted its grid to glared lines it could not match (every letter
  // and digit discounted to 0), frame 2's second line at 36 cells for a TD1's 30.
  const recorded = JSON.parse(readFileSync(new URL('./__fixtures__/glare-td1-330515.frames.json', import.meta.url), 'utf8')) as { truth: string[]; frames: coreDocument.MrzFrameEvidence[] };
  /**
   * Frame 2 as the cell reader's line would stand had it been sure of it: its 36-cell second line at 0.9
   * (constructed). Until such lines stopped witnessing a length (core `witnessesLength`), that is how the
   * recorded frame acted: every merge holding frame 2 was refused as shorter than measured.
   */
  const sureOfFrame2 = recorded.frames.map((e, i) => (i !== 2 ? e : { ...e, reads: e.reads.map((r) => (r.engine !== 'ocrb#0' ? r : { ...r, lines: r.lines.map((l, k) => (k !== 1 ? l : { ...l, chars: l.chars.map((c) => ({ ...c, confidence: 0.9 })) })) })) }));
  const client = (frames: readonly coreDocument.MrzFrameEvidence[]) => ({
    async read(image: RgbaImage, options: ReadOptions = {}): Promise<DocumentRead> {
      const e = frames[image.data[0]!]!;
      const m = coreDocument.mergeMrzReads(e.reads, { referenceDate: new Date(`${REFERENCE_330515}T00:00:00Z`), engineWeights: e.engineWeights, fillerLookalikes: e.fillerLookalikes, lengthWitnesses: e.lengthWitnesses });
      const fields: MrzSummary['fields'] = {};
      for (const [name, f] of Object.entries(m.result.fields)) fields[name as keyof MrzSummary['fields']] = f?.value ?? null;
      const mrz: MrzSummary = { valid: m.valid, format: m.result.format, fields, uncertainFields: [...m.uncertainFields], corrected: [...m.result.corrected], ambiguous: m.ambiguous, errors: [] };
      return { mrzFound: true, mrz, ...(options.mrzEvidence ? { mrzEvidence: e } : {}) } as DocumentRead;
    },
  });
  const run = async (frames: readonly coreDocument.MrzFrameEvidence[], fusion: { shorterWindows?: boolean }): Promise<{ state: coreDocument.VoteState<MrzSummary>; stream: DocumentReadStream }> => {
    const stream = new DocumentReadStream(client(frames), { referenceDate: REFERENCE_330515 }, { stableFrames: 2, maxFrames: 8 }, fusion);
    let state: coreDocument.VoteState<MrzSummary> = { status: 'reading', frames: 0 };
    for (let i = 0; i < frames.length && state.status === 'reading'; i++) state = (await stream.push(image(i), null)).state;
    return { state, stream };
  };

  it('the recorded window of four frames fuses right, with or without shorter windows', async () => {
    for (const shorterWindows of [true, false]) {
      const { state } = await run(recorded.frames, { shorterWindows });
      expect(state).toMatchObject({ status: 'stable', frames: 5, fused: { frames: 4 } });
      expect(state.status === 'stable' && state.read.corrected).toEqual(recorded.truth);
    }
  });

  it('when the window merges to no valid reading, the last fewer frames are fused, the earlier ones held to', async () => {
    const { state, stream } = await run(sureOfFrame2, {});
    expect(state).toMatchObject({ status: 'stable', frames: 5, fused: { frames: 2 } });
    expect(state.status === 'stable' && state.read.corrected).toEqual(recorded.truth);
    expect(stream.fusion?.last?.accepted).toBe(true);
  });

  it('without shorter windows, every window of the same frames is refused as not valid', async () => {
    const { state, stream } = await run(sureOfFrame2, { shorterWindows: false });
    expect(state.status).toBe('reading');
    expect(stream.fusion?.last?.refusal).toBe('not_valid');
  });
});
