/**
 * The camera path's reading across frames: the vote (core `MrzFrameVoter`) and the cross-frame fusion
 * (core `fuseFrames`, run in the document worker). Its own module so that the document client, which
 * the flow needs from its first step, does not carry the merge and fusion code into that step's chunk.
 */
import { document as coreDocument, type RgbaImage } from '@ekyc/core';
import type { DocumentClient } from './document-client.ts';
import type { DocumentRead, MrzSummary, ReadOptions } from './document.ts';
import { summarize } from './mrz-summary.ts';

/** Cross-frame fusion on the camera path (core frame-fusion.ts). */
export interface StreamFusionOptions {
  /** Offer a reading fused from the last frames' characters when no whole-frame reading is stable (default true). */
  fuse?: boolean;
  /** Frames with an MRZ fused at most, the latest (default 4). */
  window?: number;
  /** Frames that must each see a character as it stands, one of them clearly (default 2: the vote's `stableFrames`; core `fuseFrames`). */
  minSeenReads?: number;
  /** Frames with an MRZ kept in all, the window's included: the earlier ones are not merged, but each fused character is held to them too (default 8). */
  memory?: number;
  /**
   * When the window's frames merge to no valid reading, fuse the last window - 1 frames, and so on down to
   * 2, the earlier ones held to (default true). A junk read in one early frame can keep every merge of
   * four from a valid reading while the last two merge and fuse: in tuning stream 330515 strong (TD1) the
   * cell reader gridded frame 2's 30-character second line at 36 cells, and that length refused every
   * merge holding frame 2 until such a line, which it could not match, stopped witnessing lengths (core
   * `witnessesLength`); frames 4-5 fused right. Costs one to window - 2 more merges, only on a try whose
   * merge was not valid. Every window of 2-4 frames of the tuning streams is checked by `replay-streams --windows`.
   */
  shorterWindows?: boolean;
}

/** Where a fusion runs: the document worker's `fuse` (DocumentClient), or core `fuseFrames` on this thread. */
export type FrameFuser = (frames: readonly coreDocument.FusionFrame[], options: coreDocument.FusionOptions) => Promise<coreDocument.FrameFusion>;

const fuseHere: FrameFuser = async (frames, options) => coreDocument.fuseFrames(frames, options);

/**
 * The last `window` frames' engine reads (a read made with `mrzEvidence`), fused on request (core
 * `fuseFrames`): the camera path's answer when glare moving between frames clips different characters in
 * each, so no frame reads the document whole. Only frames with as many MRZ lines as the latest are fused.
 * `fuser`: where the fusion runs; give the document client's `fuse` so the page's thread never merges a
 * window of frames (tens to hundreds of ms); without one it runs here (Node, tests).
 */
export class MrzFrameFusion {
  private readonly frames: coreDocument.FusionFrame[] = [];
  private readonly window: number;
  private readonly memory: number;
  private readonly minSeenReads: number;
  private readonly shorterWindows: boolean;
  #last: coreDocument.FrameFusion | null = null;
  #tries: { ms: number; frames: number }[] = [];

  constructor(private readonly referenceDate: string | undefined, options: StreamFusionOptions = {}, private readonly fuser: FrameFuser = fuseHere) {
    this.window = Math.max(2, Math.floor(options.window ?? 4));
    this.memory = Math.max(this.window, Math.floor(options.memory ?? 8));
    this.minSeenReads = Math.max(1, Math.floor(options.minSeenReads ?? 2));
    this.shorterWindows = options.shorterWindows ?? true;
  }

  /** The last fusion tried, accepted or not (why not: `refusal`, `conflicts`, `unsupported`); null before any. */
  get last(): coreDocument.FrameFusion | null { return this.#last; }

  /** Milliseconds each fusion tried took, as the caller waited for it (in the worker: with the round trip). */
  get timings(): readonly number[] { return this.#tries.map((t) => t.ms); }

  /** Each fusion tried: its milliseconds (as `timings`, shorter windows tried after it included) and the frames of the last fusion it made. */
  get tries(): readonly { readonly ms: number; readonly frames: number }[] { return this.#tries; }

  /** Keeps a frame's engine reads (a read without `mrzEvidence` is skipped). */
  add(read: Pick<DocumentRead, 'mrzEvidence'>): void {
    if (!read.mrzEvidence) return;
    this.frames.push({ evidence: read.mrzEvidence });
    if (this.frames.length > this.memory) this.frames.shift();
  }

  /** The kept frames' fused reading as a plain summary when it passes `fuseFrames`' rules, and how many frames it took; null otherwise. */
  async fused(): Promise<{ mrz: MrzSummary; frames: number } | null> {
    const latest = this.frames[this.frames.length - 1];
    const lines = latest ? coreDocument.frameLineCount(latest) : 0;
    const kept = latest ? this.frames.filter((f) => coreDocument.frameLineCount(f) === lines) : [];
    const frames = kept.slice(-this.window);
    if (frames.length < 2) return null;
    const day = this.referenceDate;
    const referenceDate = day ? new Date(`${day}T00:00:00Z`) : new Date();
    const t = performance.now();
    const fuseLast = (n: number): Promise<coreDocument.FrameFusion> => this.fuser(kept.slice(-n), { referenceDate, minSeenReads: this.minSeenReads, ...(kept.length > n ? { heldFrames: kept.slice(0, -n) } : {}) });
    let fusion = await fuseLast(frames.length);
    // Frames that merge to no valid reading: the last fewer frames, the rest held to (see `shorterWindows`).
    for (let n = frames.length - 1; this.shorterWindows && fusion.refusal === 'not_valid' && n >= 2; n--) fusion = await fuseLast(n);
    this.#tries.push({ ms: performance.now() - t, frames: fusion.frames });
    this.#last = fusion;
    // An accepted fusion is a valid merge (fuseFrames refuses any other): summarized as a frame's read is.
    return fusion.accepted ? { mrz: summarize({ ...fusion.merged, uncertainFields: fusion.uncertainFields }), frames: fusion.frames } : null;
  }
}

/**
 * The camera path: reads frames one at a time and votes their MRZ readings (core `MrzFrameVoter`) until
 * the same valid reading was seen in `stableFrames` frames, so a single misread frame is never the
 * answer. Until then, each frame with an MRZ offers a reading fused from the characters of the last
 * `window` such frames (`MrzFrameFusion`: every character seen in `stableFrames` frames, clearly in one,
 * clearly as another in none): glare that moves between frames clips different characters in each. A fused answer says
 * so in `state.fused`. A frame without an MRZ costs only the line search.
 */
export class DocumentReadStream {
  private readonly voter: coreDocument.MrzFrameVoter<MrzSummary>;
  /** The frames' fusion (absent with `fuse: false`): `fusion.last` says why the last fused reading was refused. */
  readonly fusion: MrzFrameFusion | undefined;

  /** A client with `fuse` (DocumentClient) fuses in its worker; one without, on this thread. */
  constructor(private readonly client: Pick<DocumentClient, 'read'> & Partial<Pick<DocumentClient, 'fuse'>>, private readonly readOptions: ReadOptions = {}, vote: coreDocument.VoteOptions = {}, fusion: StreamFusionOptions = {}) {
    this.voter = new coreDocument.MrzFrameVoter<MrzSummary>(vote);
    this.fusion = fusion.fuse === false ? undefined : new MrzFrameFusion(readOptions.referenceDate, { minSeenReads: vote.stableFrames ?? 2, ...fusion }, fuserOf(client));
  }

  /** Reads one frame (with its quad from capture quality) and returns the vote so far. */
  async push(frame: RgbaImage, quad?: ReadOptions['quad']): Promise<{ state: coreDocument.VoteState<MrzSummary>; read: DocumentRead }> {
    const read = await this.client.read(frame, { ...this.readOptions, ...(this.fusion ? { mrzEvidence: true } : {}), ...(quad !== undefined ? { quad } : {}) });
    const fusion = this.fusion;
    fusion?.add(read);
    const fuse = fusion && read.mrzEvidence ? async (): Promise<coreDocument.FusedVote<MrzSummary> | null> => {
      const f = await fusion.fused();
      return f && { read: f.mrz, frames: f.frames };
    } : undefined;
    return { state: await this.voter.addAsync(read.mrz, fuse), read };
  }
}

/** The worker's fusion when the client has one (DocumentClient), else undefined (fused on this thread). */
export function fuserOf(client: Partial<Pick<DocumentClient, 'fuse'>>): FrameFuser | undefined {
  const { fuse } = client;
  return fuse ? (frames, options) => fuse.call(client, frames, options) : undefined;
}
