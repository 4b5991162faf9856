/**
 * Votes MRZ readings across camera frames: a reading is accepted once the same valid reading was seen
 * in `stableFrames` frames; a field uncertain in one frame is confirmed by an agreeing frame that read it
 * with certainty. Until then, a frame may offer a reading fused from several frames' characters
 * (frame-fusion.ts), accepted as it is offered. Stops early; gives up after `maxFrames`.
 */
import type { MrzOutputFieldName } from '../mrz/parse.ts';

/** What the voter needs of a reading (a `MergedMrzRead`'s parts, or the worker's plain summary). */
export interface VotableRead {
  readonly valid: boolean;
  readonly corrected: readonly string[];
  readonly uncertainFields: readonly MrzOutputFieldName[];
}

export interface VoteOptions {
  /** Agreeing valid frames needed (default 2). */
  readonly stableFrames?: number;
  /** Frames after which voting gives up (default 30). */
  readonly maxFrames?: number;
}

export type VoteState<R extends VotableRead = VotableRead> =
  | { readonly status: 'reading'; readonly frames: number }
  | {
    readonly status: 'stable'; readonly frames: number; readonly read: R; readonly uncertainFields: readonly MrzOutputFieldName[];
    /** The reading was fused from the characters of several frames (`frames` of them), no single frame having read it whole. */
    readonly fused?: { readonly frames: number };
  }
  | { readonly status: 'gave_up'; readonly frames: number };

interface Tally<R> { count: number; read: R; uncertain: Set<MrzOutputFieldName> }

/** One valid reading seen so far: the first frame's read, how many frames gave it, the fields no agreeing frame confirmed. */
export interface VoteTally<R> { readonly count: number; readonly read: R; readonly uncertainFields: readonly MrzOutputFieldName[] }

/** A reading fused across frames that passed frame-fusion.ts's rules, and how many frames it was fused from. */
export interface FusedVote<R> { readonly read: R; readonly frames: number }

/** Adapts a `MergedMrzRead` for the voter. */
export function votable<R extends { valid: boolean; result: { corrected: readonly string[] }; uncertainFields: readonly MrzOutputFieldName[] }>(read: R): R & VotableRead {
  return { ...read, corrected: read.result.corrected };
}

export class MrzFrameVoter<R extends VotableRead = VotableRead> {
  readonly #stable: number;
  readonly #max: number;
  readonly #tallies = new Map<string, Tally<R>>();
  #frames = 0;
  #done: VoteState<R> | undefined;

  constructor(options: VoteOptions = {}) {
    this.#stable = Math.max(1, Math.floor(options.stableFrames ?? 2));
    this.#max = Math.max(this.#stable, Math.floor(options.maxFrames ?? 30));
  }

  get frames(): number { return this.#frames; }

  /** The different valid readings seen so far, in the order first seen. */
  get readings(): VoteTally<R>[] {
    return [...this.#tallies.values()].map((t) => ({ count: t.count, read: t.read, uncertainFields: [...t.uncertain] }));
  }

  /** Adds one frame's merged read (or null for a frame with no MRZ found) and returns the state. */
  add(read: R | null): VoteState<R> {
    return this.#count(read) ?? this.#conclude(null);
  }

  /**
   * As `add`; `fuse` is asked, after a frame with an MRZ that made no reading stable, for a reading fused
   * across frames (answered asynchronously: the fusion runs in the document worker, off the page's thread).
   */
  async addAsync(read: R | null, fuse?: () => Promise<FusedVote<R> | null>): Promise<VoteState<R>> {
    const settled = this.#count(read);
    if (settled) return settled;
    return this.#conclude(read && fuse ? await fuse() : null);
  }

  /** Counts a frame and tallies its valid reading; the state when that settles the vote. */
  #count(read: R | null): VoteState<R> | undefined {
    if (this.#done) return this.#done;
    this.#frames++;
    if (read?.valid) {
      const key = read.corrected.join('\n');
      const tally = this.#tallies.get(key);
      if (!tally) this.#tallies.set(key, { count: 1, read, uncertain: new Set(read.uncertainFields) });
      else {
        tally.count++;
        for (const f of [...tally.uncertain]) if (!read.uncertainFields.includes(f)) tally.uncertain.delete(f);
      }
      const t = this.#tallies.get(key)!;
      // Two different valid readings seen as often as each other: not stable yet.
      const rivals = [...this.#tallies.values()].filter((x) => x !== t && x.count >= t.count);
      if (t.count >= this.#stable && rivals.length === 0) {
        this.#done = { status: 'stable', frames: this.#frames, read: t.read, uncertainFields: [...t.uncertain] };
        return this.#done;
      }
    }
    return undefined;
  }

  /** After a frame that settled nothing: a fused reading, when offered, settles it; else the budget may end. */
  #conclude(fused: FusedVote<R> | null): VoteState<R> {
    if (fused) {
      this.#done = { status: 'stable', frames: this.#frames, read: fused.read, uncertainFields: [...fused.read.uncertainFields], fused: { frames: fused.frames } };
      return this.#done;
    }
    if (this.#frames >= this.#max) this.#done = { status: 'gave_up', frames: this.#frames };
    return this.#done ?? { status: 'reading', frames: this.#frames };
  }
}
