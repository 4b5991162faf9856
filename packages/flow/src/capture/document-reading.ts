/**
 * The document step on the camera path after auto-capture: the captured frame, then following camera
 * frames, go to the document reader, and their MRZ readings are voted (core `MrzFrameVoter`) until one valid reading was seen in `stableFrames` frames, or a frame or time
 * budget ends. Until then each frame with an MRZ offers a reading fused from the last frames' characters
 * (workers `MrzFrameFusion`, core frame-fusion.ts: glare moving between frames clips different characters
 * in each). A frame that cannot hold a readable document is rejected before any OCR.
 */
import { document as coreDocument, type MrzOutputFieldName, type RgbaImage, type quality } from '@ekyc/core';
import { fuserOf, MrzFrameFusion, type DocumentClient, type DocumentRead, type DocumentReadOptions, type MrzSummary } from '@ekyc/workers';
import type { CaptureResult, FrameAnalyzer } from './document-capture.ts';
import type { JudgedFrame, NextFrame } from './document-frames.ts';

export type { FrameAnalyzer, JudgedFrame, NextFrame };

/** The auto-captured frame as the first frame to read. */
export function capturedFrame({ frame, assessment }: CaptureResult): JudgedFrame {
  const data = frame.data instanceof Uint8ClampedArray ? frame.data : new Uint8ClampedArray(frame.data);
  return { image: { width: frame.width, height: frame.height, data }, quad: assessment.metrics.document?.corners ?? null, assessment };
}

export interface FrameVoteOptions {
  /**
   * Frames that must give the same valid reading (default 2). Check digits already refuse most
   * misreads in one frame; a wrong reading that passes them would have to come out identically from
   * a second frame with its own noise. Measured on generated camera frames at 2: no stable-but-wrong
   * reading (mild 10/10, strong 9/10 stable and right, docs/document.md); each further frame costs one
   * more MRZ read (0.5–1 s at load ≈ 1 on the 2-core VM).
   */
  stableFrames?: number;
  /** Frames given to the reader (OCR or line search) before falling back to the best single read (default 8). */
  maxFrames?: number;
  /**
   * Milliseconds of reading after the captured frame's read, before falling back (default 8 000). The
   * captured frame is always read in full (a fresh worker's first read is the slow one: 3.3 s against
   * 1.4 s for the next at load 9.4, docs/document.md), so the budget is for the frames that confirm it.
   */
  budgetMs?: number;
  /** Frames in a row whose line search found no MRZ, with none found before, that end the reading: this side has none (default 3). */
  noMrzFrames?: number;
  /** Milliseconds clock (default `performance.now`). */
  now?: () => number;
  /** Offer a reading fused across frames when no whole-frame reading is stable (default true; core frame-fusion.ts). */
  fuse?: boolean;
}

/** How the reading ended. */
export type FrameVoteOutcome =
  /** The same valid reading in `stableFrames` frames, or a reading fused across frames (`fused` says how many). */
  | 'stable'
  /** Budget ended with one valid reading seen, never contradicted nor confirmed: the best single read, with its flags. */
  | 'unconfirmed'
  /** Budget ended with different valid readings: refused (not valid), the fields that differ flagged. */
  | 'unstable'
  /** MRZ lines found, never a valid reading: the best single read (not valid). */
  | 'unreadable'
  /** No MRZ lines found on the frames read: the sharpest of them is the chosen frame. */
  | 'no_mrz';

/** What the reading cost, in frames (numbers only: they go into the state and the evidence). */
export interface DocumentFrameCounts {
  /** Frames the document step looked at after auto-capture, the captured one included. */
  used: number;
  /** Of those, frames rejected before OCR: no readable document in them (quality) or no MRZ lines (line search). */
  rejected: number;
  outcome: FrameVoteOutcome;
  /** With `stable`: the reading was fused from the characters of this many frames, no frame having read it whole. */
  fused?: number;
}

export interface VotedDocument {
  /** The read of the chosen frame; `mrz` is the voted reading (uncertain fields confirmed across frames, or refused). */
  read: DocumentRead;
  /** The chosen frame's size and document quad. */
  frame: { width: number; height: number; quad: quality.Quad | null };
  frames: DocumentFrameCounts;
}

/** Progress after each frame: the frames so far and the most frames agreeing on one valid reading. */
export interface FrameVoteProgress {
  used: number;
  rejected: number;
  agreeing: number;
  needed: number;
  /** The frame just looked at (null for a frame the video did not give). */
  frame: JudgedFrame | null;
}

export interface FrameVoteInput {
  /** With `fuse` (DocumentClient), frames are fused in its worker; without, on this thread. */
  reader: Pick<DocumentClient, 'read'> & Partial<Pick<DocumentClient, 'fuse'>>;
  /** The auto-captured frame: always read (it passed every quality check). */
  first: JudgedFrame;
  next: NextFrame;
  readOptions?: DocumentReadOptions;
  signal: AbortSignal;
  onFrame?: (progress: FrameVoteProgress) => void;
}

/** Quality checks a later frame must pass to be worth reading: the whole document in view and outlined as a document, large enough, in focus. */
const READABLE_CHECKS: readonly quality.QualityCheckName[] = ['document', 'distance', 'cutoff', 'shape', 'focus'];

export function readableFrame(frame: JudgedFrame): boolean {
  return frame.quad !== null && READABLE_CHECKS.every((check) => frame.assessment.checks[check] !== false);
}

/**
 * Whether `a`'s print is sharper than `b`'s: a smaller edge blur (measured on the print's own edges,
 * whatever the exposure) when both frames have one, else a larger variance of the Laplacian. A side
 * with no MRZ keeps its sharpest frame: a driving licence's fields are read from that frame's visual
 * zone (verification/licence.ts), and blur erases their 2 mm field numbers first (docs/document.md).
 */
export function sharper(a: JudgedFrame, b: JudgedFrame): boolean {
  const ma = a.assessment.metrics;
  const mb = b.assessment.metrics;
  if (ma.edgeBlur !== undefined && mb.edgeBlur !== undefined) return ma.edgeBlur < mb.edgeBlur;
  return ma.sharpness > mb.sharpness;
}

interface Candidate {
  read: DocumentRead;
  frame: JudgedFrame;
}

/** A frame's valid MRZ reading as the voter sees it, with the read and frame it came from. */
interface FrameReading extends Candidate, coreDocument.VotableRead {
  mrz: MrzSummary;
}

type Tally = coreDocument.VoteTally<FrameReading>;

/** Reads frames until the MRZ is stable, no MRZ is found, or the budget ends. */
export async function readUntilStable(input: FrameVoteInput, options: FrameVoteOptions = {}): Promise<VotedDocument> {
  const stableFrames = Math.max(1, Math.floor(options.stableFrames ?? 2));
  const maxFrames = Math.max(stableFrames, Math.floor(options.maxFrames ?? 8));
  const budgetMs = options.budgetMs ?? 8_000;
  const noMrzFrames = Math.max(1, Math.floor(options.noMrzFrames ?? 3));
  const now = options.now ?? (() => performance.now());
  const { reader, signal } = input;
  // The frame budget is ours: the voter must not give up on its own.
  const voter = new coreDocument.MrzFrameVoter<FrameReading>({ stableFrames, maxFrames: Number.MAX_SAFE_INTEGER });
  const fusion = options.fuse === false ? undefined : new MrzFrameFusion(input.readOptions?.referenceDate, { minSeenReads: stableFrames }, fuserOf(reader));
  let unreadable: Candidate | null = null;
  let noMrz: Candidate | null = null;
  let used = 0;
  let rejected = 0;
  let read = 0;
  let noMrzRun = 0;
  let started: number | null = null;
  const counts = (outcome: FrameVoteOutcome): DocumentFrameCounts => ({ used, rejected, outcome });
  const agreeing = (): number => Math.max(0, ...voter.readings.map((t) => t.count));

  // The captured frame is being read: the guidance can say so at once.
  input.onFrame?.({ used: 0, rejected: 0, agreeing: 0, needed: stableFrames, frame: input.first });
  let frame: JudgedFrame | null = input.first;
  for (;;) {
    signal.throwIfAborted();
    if (frame) {
      used++;
      if (frame !== input.first && !readableFrame(frame)) rejected++;
      else {
        const copy: RgbaImage<Uint8ClampedArray> = { width: frame.image.width, height: frame.image.height, data: new Uint8ClampedArray(frame.image.data) };
        const result = await reader.read(copy, { ...input.readOptions, quad: frame.quad, ...(fusion ? { mrzEvidence: true } : {}) });
        signal.throwIfAborted();
        started ??= now();
        read++;
        const mrz = result.mrzFound ? result.mrz : null;
        if (!mrz) {
          rejected++;
          noMrzRun++;
          if (noMrz === null || sharper(frame, noMrz.frame)) noMrz = { read: result, frame };
        } else {
          noMrzRun = 0;
          if (!mrz.valid) unreadable ??= { read: result, frame };
        }
        fusion?.add(result);
        const current = { read: result, frame };
        const fuse = fusion && mrz ? async (): Promise<coreDocument.FusedVote<FrameReading> | null> => {
          const f = await fusion.fused();
          return f && { read: { valid: f.mrz.valid, corrected: f.mrz.corrected, uncertainFields: f.mrz.uncertainFields, mrz: f.mrz, ...current }, frames: f.frames };
        } : undefined;
        const state = await voter.addAsync(mrz && { valid: mrz.valid, corrected: mrz.corrected, uncertainFields: mrz.uncertainFields, mrz, ...current }, fuse);
        signal.throwIfAborted();
        if (state.status === 'stable') return voted(state.read, { ...state.read.mrz, uncertainFields: [...state.uncertainFields] }, { ...counts('stable'), ...(state.fused ? { fused: state.fused.frames } : {}) });
        if (voter.readings.length === 0 && unreadable === null && noMrzRun >= noMrzFrames) return voted(noMrz!, null, counts('no_mrz'));
      }
      input.onFrame?.({ used, rejected, agreeing: agreeing(), needed: stableFrames, frame });
    }
    if (read >= maxFrames) break;
    frame = await input.next(signal);
    // A frame that arrives after the budget is not read.
    if (started !== null && now() - started >= budgetMs) break;
  }
  return fallback(voter.readings, unreadable, noMrz, counts);
}

function voted(candidate: Candidate, mrz: MrzSummary | null, frames: DocumentFrameCounts): VotedDocument {
  const { image, quad } = candidate.frame;
  return { read: { ...candidate.read, mrz: mrz ?? candidate.read.mrz }, frame: { width: image.width, height: image.height, quad }, frames };
}

/**
 * The budget ended. One valid reading seen: the best single read, as valid as it read, with its flags.
 * Several different valid readings: none is reported valid, and the fields that differ are flagged.
 */
function fallback(tallies: Tally[], unreadable: Candidate | null, noMrz: Candidate | null, counts: (outcome: FrameVoteOutcome) => DocumentFrameCounts): VotedDocument {
  const ranked = [...tallies].sort((a, b) => b.count - a.count || a.uncertainFields.length - b.uncertainFields.length);
  const best = ranked[0];
  if (best && ranked.length === 1) return voted(best.read, { ...best.read.mrz, uncertainFields: [...best.uncertainFields] }, counts('unconfirmed'));
  if (best) {
    const { mrz } = best.read;
    const differing = new Set<MrzOutputFieldName>(best.uncertainFields);
    for (const rival of ranked.slice(1)) {
      for (const [name, value] of Object.entries(mrz.fields)) if (rival.read.mrz.fields[name as MrzOutputFieldName] !== value) differing.add(name as MrzOutputFieldName);
    }
    return voted(best.read, { ...mrz, valid: false, uncertainFields: [...differing], errors: [...mrz.errors, 'readings differ between frames'] }, counts('unstable'));
  }
  if (unreadable) return voted(unreadable, null, counts('unreadable'));
  // The first frame is always read, so a frame with no MRZ exists when nothing else does.
  return voted(noMrz!, null, counts('no_mrz'));
}

/** `readUntilStable` that `stop()` ends (an upload or a handoff took over): no frame is read after it. */
export function startReading(input: FrameVoteInput, options: FrameVoteOptions = {}): { result: Promise<VotedDocument>; stop(): void } {
  const controller = new AbortController();
  const { signal } = input;
  const onAbort = (): void => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const result = readUntilStable({ ...input, signal: controller.signal }, options);
  // Marked handled: a reading stopped while nobody awaits it is not an unhandled rejection.
  result.catch(() => undefined);
  return {
    result,
    stop: () => {
      signal.removeEventListener('abort', onAbort);
      controller.abort(new DOMException('The reading was stopped', 'AbortError'));
    },
  };
}
