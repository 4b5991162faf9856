/**
 * The camera path's frame voting in Node. Faked: the frame source (frames whose first pixel says what
 * the document worker would read on them) and the document worker's `read` (I/O). Real: the MRZ
 * readings (core `createMrz` + `readMrz`), `DocumentReadStream` and core's `MrzFrameVoter`.
 */
import { describe, expect, it } from 'vitest';
import { createMrz, document as coreDocument, readMrz, type MrzFieldValues, type quality } from '@ekyc/core';
import type { DocumentRead, MrzSummary, TimedAssessment } from '@ekyc/workers';
import type { JudgedFrame, NextFrame } from './document-frames.ts';
import { readUntilStable, readableFrame, type FrameVoteOptions, type FrameVoteProgress } from './document-reading.ts';

const PERSON: MrzFieldValues = { documentCode: 'P', issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2034-04-15', optionalData: 'ZE184226B' } as MrzFieldValues;

function summary(values: MrzFieldValues, uncertainFields: MrzSummary['uncertainFields'] = []): MrzSummary {
  const result = readMrz(createMrz('TD3', values));
  const fields: MrzSummary['fields'] = {};
  for (const [name, field] of Object.entries(result.fields)) fields[name as keyof MrzSummary['fields']] = field?.value ?? null;
  return { valid: result.valid, format: result.format, fields, uncertainFields, corrected: [...result.corrected], ambiguous: false, errors: [] };
}

/** What a frame shows, by its marker pixel. */
const SHOWS: Record<number, MrzSummary | 'none' | 'invalid'> = {
  1: summary(PERSON),
  2: summary({ ...PERSON, documentNumber: 'L898902D4' } as MrzFieldValues),
  3: summary({ ...PERSON, documentNumber: 'X123456A7' } as MrzFieldValues),
  4: summary(PERSON, ['surname']),
  5: 'none',
  6: 'invalid',
};
const RIGHT = 1;
const OTHER_NUMBER = 2;
const THIRD_NUMBER = 3;
const SURNAME_UNSURE = 4;
const NO_MRZ = 5;
const UNREADABLE = 6;
/** No document in the frame: the quality worker found none. */
const EMPTY = 0;

const QUAD: quality.Quad = [{ x: 100, y: 100 }, { x: 900, y: 100 }, { x: 900, y: 600 }, { x: 100, y: 600 }];

function frame(marker: number): JudgedFrame {
  const data = new Uint8ClampedArray(4 * 4 * 4).fill(marker);
  const found = marker !== EMPTY;
  const checks = { document: found, distance: found, cutoff: found, tilt: found, shape: found, focus: found, glare: true, lighting: true, stability: true };
  return {
    image: { width: 4, height: 4, data },
    quad: found ? QUAD : null,
    assessment: { guidance: [found ? 'good' : 'no_document'], checks, stableFrames: found ? 1 : 0, capture: false, motion: 0, metrics: { frameWidth: 4, frameHeight: 4, document: null } } as unknown as Omit<TimedAssessment, 'frame'>,
  };
}

/**
 * Frames glare clipped different cells of (the document number's, the expiry's) in, by marker: the
 * engine reads the worker returns with `mrzEvidence` (the cell reader ~0 there, PP-OCR skipping them)
 * and the frame's own merge of them. No one of them reads the document whole.
 */
const GLARE_CLIPPED: Record<number, ReadonlyArray<readonly [number, number]>> = { 7: [[1, 2], [1, 3]], 8: [[1, 22], [1, 23]], 9: [[1, 5], [1, 6]] };
const WEIGHTS = { 'ocrb#0': 1.5, 'ppocr#0': 1 };

function glareRead(clipped: ReadonlyArray<readonly [number, number]>, withEvidence: boolean): Pick<DocumentRead, 'mrz' | 'mrzEvidence'> {
  const truth = summary(PERSON).corrected;
  const lost = (l: number, c: number): boolean => clipped.some(([cl, cc]) => cl === l && cc === c);
  const line = (chars: coreDocument.OcrCharRead[]): coreDocument.OcrLineRead => ({ text: chars.map((x) => x.char).join(''), chars });
  const ocrb = truth.map((text, l) => line([...text].map((char, c) => (lost(l, c) ? { char: '<', confidence: 0.02, alternatives: [] } : { char, confidence: 0.95, alternatives: [] }))));
  const ppocr = truth.map((text, l) => line([...text].flatMap((char, c) => (lost(l, c) ? [] : [{ char, confidence: 0.97, alternatives: [] }]))));
  const evidence: coreDocument.MrzFrameEvidence = { reads: [{ engine: 'ppocr#0', lines: ppocr }, { engine: 'ocrb#0', lines: ocrb }], engineWeights: WEIGHTS, lengthWitnesses: ['ocrb#0'] };
  const m = coreDocument.mergeMrzReads(evidence.reads, { engineWeights: WEIGHTS, lengthWitnesses: ['ocrb#0'] });
  const fields: MrzSummary['fields'] = {};
  for (const [name, f] of Object.entries(m.result.fields)) fields[name as keyof MrzSummary['fields']] = f?.value ?? null;
  const mrz: MrzSummary = { valid: m.valid, format: m.result.format, fields, uncertainFields: [...m.uncertainFields], corrected: [...m.result.corrected], ambiguous: m.ambiguous, errors: [] };
  return { mrz, ...(withEvidence ? { mrzEvidence: evidence } : {}) };
}

function fakeReader() {
  const reads: number[] = [];
  return {
    reads,
    read: async (image: { data: ArrayLike<number> }, options: { mrzEvidence?: boolean } = {}): Promise<DocumentRead> => {
      const marker = image.data[0]!;
      reads.push(marker);
      const clipped = GLARE_CLIPPED[marker];
      if (clipped) return { mrzFound: true, ...glareRead(clipped, options.mrzEvidence === true), sizeClass: 'ID3', width: 10, height: 7, lines: [], rotated180: false, engines: {}, mergeDisagreements: 0, timings: { rectifyMs: 0, locateMs: 0, ocrMs: 0, mergeMs: 0, totalMs: 0 } } as unknown as DocumentRead;
      const shows = SHOWS[marker];
      const mrz = shows === 'none' || shows === undefined ? null
        : shows === 'invalid' ? { ...summary(PERSON), valid: false, corrected: ['P<UTO<<<', '???'], errors: ['check digit'] }
          : { ...shows, uncertainFields: [...shows.uncertainFields] };
      return { mrzFound: mrz !== null, mrz, sizeClass: 'ID3', width: 10, height: 7, lines: [], rotated180: false, engines: {}, mergeDisagreements: 0, timings: { rectifyMs: 0, locateMs: 0, ocrMs: 0, mergeMs: 0, totalMs: 0 } } as unknown as DocumentRead;
    },
  };
}

/** The captured frame is `markers[0]`; the source then gives the rest in turn (the last one repeating). */
function source(markers: number[]): { next: NextFrame; asked: () => number } {
  let i = 1;
  let asked = 0;
  return {
    next: async () => {
      asked++;
      const marker = markers[Math.min(i++, markers.length - 1)]!;
      return frame(marker);
    },
    asked: () => asked,
  };
}

async function run(markers: number[], options: FrameVoteOptions = {}) {
  const reader = fakeReader();
  const frames = source(markers);
  const progress: FrameVoteProgress[] = [];
  const result = await readUntilStable({ reader, first: frame(markers[0]!), next: frames.next, signal: new AbortController().signal, onFrame: (p) => progress.push(p) }, options);
  return { result, reads: reader.reads, asked: frames.asked(), progress };
}

describe('readableFrame', () => {
  it('reads a frame whose document is in view, large enough, in focus and outlined with a document\'s proportions', () => {
    const good = frame(1);
    expect(readableFrame(good)).toBe(true);
    // An outline without a document format's proportions (a card outlined above its MRZ band): its crop would cut the MRZ off.
    expect(readableFrame({ ...good, assessment: { ...good.assessment, checks: { ...good.assessment.checks, shape: false } } })).toBe(false);
    expect(readableFrame(frame(EMPTY))).toBe(false);
  });
});

describe('readUntilStable', () => {
  it('stops as soon as two frames agree on a valid reading: one frame asked for after the captured one', async () => {
    const { result, reads, asked } = await run([RIGHT, RIGHT]);
    expect(result.frames).toEqual({ used: 2, rejected: 0, outcome: 'stable' });
    expect(asked).toBe(1);
    expect(reads).toEqual([RIGHT, RIGHT]);
    expect(result.read.mrz).toMatchObject({ valid: true, fields: { documentNumber: 'L898902C3' } });
    expect(result.frame.quad).toEqual(QUAD);
  });

  it('rejects frames without a document before the reader, and counts frames with no MRZ lines as rejected', async () => {
    const { result, reads, progress } = await run([RIGHT, EMPTY, EMPTY, NO_MRZ, RIGHT]);
    expect(result.frames).toEqual({ used: 5, rejected: 3, outcome: 'stable' });
    // The empty frames never reached the document worker.
    expect(reads).toEqual([RIGHT, NO_MRZ, RIGHT]);
    expect(progress.map((p) => p.agreeing)).toEqual([0, 1, 1, 1, 1]);
    expect(progress.every((p) => p.needed === 2)).toBe(true);
  });

  it('a field uncertain in one frame is confirmed by a frame that read it certain', async () => {
    const { result } = await run([SURNAME_UNSURE, RIGHT]);
    expect(result.frames.outcome).toBe('stable');
    expect(result.read.mrz?.uncertainFields).toEqual([]);
  });

  it('ends at the frame budget with the best single read when one valid reading was never confirmed', async () => {
    const { result, reads } = await run([RIGHT, UNREADABLE], { maxFrames: 4 });
    expect(reads).toHaveLength(4);
    expect(result.frames).toEqual({ used: 4, rejected: 0, outcome: 'unconfirmed' });
    expect(result.read.mrz).toMatchObject({ valid: true, fields: { documentNumber: 'L898902C3' } });
  });

  it('ends at the time budget, counted from the end of the captured frame\'s read', async () => {
    let clock = 0;
    const fake = fakeReader();
    // Each read takes 5 s, each following frame 1 s to come.
    const reader = { read: async (image: { data: ArrayLike<number> }) => { clock += 5000; return fake.read(image); } };
    const next: NextFrame = async () => {
      clock += 1000;
      return frame(UNREADABLE);
    };
    const result = await readUntilStable({ reader, first: frame(UNREADABLE), next, signal: new AbortController().signal }, { budgetMs: 10_000, now: () => clock });
    // The budget starts at 5 s, when the captured frame is read; frames come at 6 and 12 s and are read;
    // the one at 18 s comes after the budget (15 s) and is not.
    expect(fake.reads).toHaveLength(3);
    expect(result.frames).toEqual({ used: 3, rejected: 0, outcome: 'unreadable' });
    expect(result.read.mrz?.valid).toBe(false);
  });

  it('never reports a reading that changed between frames as valid: the differing fields are flagged', async () => {
    const { result } = await run([RIGHT, OTHER_NUMBER, THIRD_NUMBER], { maxFrames: 3 });
    expect(result.frames).toEqual({ used: 3, rejected: 0, outcome: 'unstable' });
    expect(result.read.mrz?.valid).toBe(false);
    expect(result.read.mrz?.uncertainFields).toContain('documentNumber');
    expect(result.read.mrz?.uncertainFields).not.toContain('surname');
  });

  it('a reading seen in two frames outvotes one seen once', async () => {
    const { result } = await run([OTHER_NUMBER, RIGHT, RIGHT]);
    expect(result.frames).toEqual({ used: 3, rejected: 0, outcome: 'stable' });
    expect(result.read.mrz).toMatchObject({ valid: true, fields: { documentNumber: 'L898902C3' } });
  });

  it('a side with no MRZ (a card front) ends after three frames whose line search found none', async () => {
    const { result, reads } = await run([NO_MRZ, NO_MRZ]);
    expect(reads).toHaveLength(3);
    expect(result.frames).toEqual({ used: 3, rejected: 3, outcome: 'no_mrz' });
    expect(result.read.mrzFound).toBe(false);
  });

  it('a side with no MRZ keeps its sharpest frame (least edge blur), whose visual zone a licence is read from', async () => {
    const blurred = (marker: number, edgeBlur: number, sharpness: number, x: number): JudgedFrame => {
      const f = frame(marker);
      const quad: quality.Quad = [{ x, y: 100 }, { x: x + 800, y: 100 }, { x: x + 800, y: 600 }, { x, y: 600 }];
      return { ...f, quad, assessment: { ...f.assessment, metrics: { ...f.assessment.metrics, edgeBlur, sharpness } } };
    };
    const frames = [blurred(NO_MRZ, 1.4, 90, 10), blurred(NO_MRZ, 0.8, 60, 20), blurred(NO_MRZ, 1.1, 120, 30)];
    let i = 1;
    const result = await readUntilStable({ reader: fakeReader(), first: frames[0]!, next: async () => frames[i++]!, signal: new AbortController().signal });
    expect(result.frames).toEqual({ used: 3, rejected: 3, outcome: 'no_mrz' });
    expect(result.frame.quad![0].x).toBe(20);
    // Without an edge blur (too few print edges to measure it), the variance of the Laplacian decides.
    const unmeasured = frames.map((f) => {
      const { edgeBlur: _, ...metrics } = f.assessment.metrics;
      return { ...f, assessment: { ...f.assessment, metrics } };
    });
    i = 1;
    const byLaplacian = await readUntilStable({ reader: fakeReader(), first: unmeasured[0]!, next: async () => unmeasured[i++]!, signal: new AbortController().signal });
    expect(byLaplacian.frame.quad![0].x).toBe(30);
  });

  it('fuses frames glare clipped different characters in, no one of which read the document whole, and says so', async () => {
    const { result, reads } = await run([7, 8, 9]);
    expect(result.frames).toEqual({ used: 3, rejected: 0, outcome: 'stable', fused: 3 });
    expect(reads).toEqual([7, 8, 9]);
    expect(result.read.mrz).toMatchObject({ valid: true, corrected: summary(PERSON).corrected, uncertainFields: [], fields: { documentNumber: 'L898902C3', expiryDate: '2034-04-15' } });
  });

  it('without fusion, the same frames are not stable', async () => {
    const { result } = await run([7, 8, 9], { fuse: false, maxFrames: 3 });
    expect(result.frames.outcome).not.toBe('stable');
    expect(result.frames.fused).toBeUndefined();
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const reader = fakeReader();
    const next: NextFrame = async () => {
      controller.abort(new DOMException('stopped', 'AbortError'));
      return frame(UNREADABLE);
    };
    await expect(readUntilStable({ reader, first: frame(UNREADABLE), next, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(reader.reads).toHaveLength(1);
  });
});
