/**
 * Pose-matched face continuity: the same person through the whole session, checked between faces
 * of like pose. fr-feature does not match a face turned ~45 degrees to the same face frontal (the
 * generated turns of faces that already looked 12-17 degrees aside matched their neutral frame at
 * 0.316-0.365, under the 0.4 that impostor pairs reach 0.366 below; docs/liveness.md). So besides
 * the keyframes, a "bridge" frame is embedded whenever the yaw has moved `stepDeg` away from every
 * frame embedded so far, and each embedded face is compared with the earlier one nearest in yaw.
 * The chain's weakest link is the continuity value. A face swapped at any point is compared with
 * an earlier frame of the first person (every earlier link is that person), so the swap still
 * shows as one low link.
 */
import { EkycError } from '../errors.ts';
import { cosineSimilarity } from '../face/vector.ts';

export interface PoseContinuityOptions {
  /** Lowest cosine a link may have: 0.4 by default, above every impostor pair measured for fr-feature (0.366). */
  readonly threshold?: number;
  /** A frame this many degrees of yaw away from every embedded one is embedded as a bridge. */
  readonly stepDeg?: number;
}

/** One comparison: the face at `t` (yaw `yaw`) against the earlier face nearest in yaw. */
export interface ContinuityLink {
  readonly t: number;
  readonly yaw: number;
  readonly againstT: number;
  readonly againstYaw: number;
  readonly similarity: number;
}

export const DEFAULT_POSE_CONTINUITY = { threshold: 0.4, stepDeg: 10 } as const;

export class PoseMatchedContinuity {
  readonly threshold: number;
  readonly stepDeg: number;
  private readonly faces: { t: number; yaw: number; embedding: Float32Array }[] = [];
  /** Yaws chosen for embedding whose embeddings have not come back yet. */
  private readonly pending = new Map<number, number>();
  private readonly recorded: ContinuityLink[] = [];

  constructor(options: PoseContinuityOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_POSE_CONTINUITY.threshold;
    this.stepDeg = options.stepDeg ?? DEFAULT_POSE_CONTINUITY.stepDeg;
    if (!(this.threshold >= -1 && this.threshold <= 1)) throw new EkycError('invalid_argument', 'The continuity threshold must be within [-1, 1]', { details: { threshold: this.threshold } });
    if (!(this.stepDeg > 0 && Number.isFinite(this.stepDeg))) throw new EkycError('invalid_argument', 'The continuity step must be a positive number of degrees', { details: { stepDeg: this.stepDeg } });
  }

  /**
   * Whether the frame at `t` with this yaw should be embedded: always for a keyframe, and for any
   * other frame once a reference exists and the yaw is `stepDeg` from every embedded or pending
   * face. A `true` reserves the yaw until `add` or `cancel`.
   */
  select(t: number, yaw: number, keyframe: boolean): boolean {
    if (!Number.isFinite(yaw)) return false;
    const known = [...this.faces.map((f) => f.yaw), ...this.pending.values()];
    const take = keyframe || (known.length > 0 && known.every((y) => Math.abs(y - yaw) >= this.stepDeg));
    if (take) this.pending.set(t, yaw);
    return take;
  }

  /** The frame selected at `t` gave no embedding (no face found): forget it. */
  cancel(t: number): void {
    this.pending.delete(t);
  }

  /**
   * Records the embedding of the face at `t` and compares it with the earlier embedded face
   * nearest in yaw; the first face is the reference and returns null. Call in time order.
   */
  add(t: number, yaw: number, embedding: ArrayLike<number>): ContinuityLink | null {
    this.pending.delete(t);
    const vector = Float32Array.from(embedding);
    let nearest: (typeof this.faces)[number] | undefined;
    for (const face of this.faces) if (!nearest || Math.abs(face.yaw - yaw) < Math.abs(nearest.yaw - yaw)) nearest = face;
    const similarity = cosineSimilarity(nearest?.embedding ?? vector, vector); // validates length and finiteness
    this.faces.push({ t, yaw, embedding: vector });
    if (!nearest) return null;
    const link: ContinuityLink = { t, yaw, againstT: nearest.t, againstYaw: nearest.yaw, similarity };
    this.recorded.push(link);
    return link;
  }

  get links(): readonly ContinuityLink[] {
    return this.recorded;
  }

  /** The weakest link's cosine, null before two faces were embedded. */
  get minimum(): number | null {
    return this.recorded.length ? Math.min(...this.recorded.map((l) => l.similarity)) : null;
  }

  /** True while no link is below the threshold (also before any link). */
  get ok(): boolean {
    const m = this.minimum;
    return m === null || m >= this.threshold;
  }

  get embedded(): number {
    return this.faces.length;
  }
}

/**
 * Largest yaw gap (degrees, as the mesh reads yaw) across which a low fr-feature link is taken as
 * a different face. Through client bridges 10-14 degrees apart every genuine link held 0.482 or
 * more; the failures were keyframes ~45 degrees apart (0.316-0.365, docs/liveness.md).
 */
export const RELIABLE_YAW_GAP_DEG = 14;

/** A face embedded from one keyframe; `yaw` null when the transcript does not record it. */
export interface PosedFace {
  readonly t: number;
  readonly yaw: number | null;
  readonly embedding: ArrayLike<number>;
}

export type KeyframeLinkVerdict = 'ok' | 'broken' | 'uncertain';

export interface KeyframeLink {
  readonly t: number;
  readonly yaw: number | null;
  readonly againstT: number;
  readonly againstYaw: number | null;
  readonly similarity: number;
  readonly verdict: KeyframeLinkVerdict;
}

export interface KeyframeContinuity {
  /** `broken` when any link is; else `uncertain` when any link is; else `ok`. */
  readonly verdict: KeyframeLinkVerdict;
  readonly links: readonly KeyframeLink[];
  /** True when every face had a yaw, so links are pose-matched; false: each face against the first. */
  readonly poseMatched: boolean;
}

/**
 * Continuity over keyframes only (the verifier's side: the evidence carries no bridge frames).
 * In time order each face is compared with the earlier face nearest in yaw (PoseMatchedContinuity).
 * A link under the threshold is `broken` when its two faces are at most `reliableYawGapDeg` apart
 * (the model compares like poses reliably, so it is another face), and `uncertain` across a larger
 * gap, where a genuine face can score as low as an impostor. Without a yaw for every face the links
 * are each face against the first, and a low link is `broken` (no pose to excuse it).
 */
export function judgeKeyframeContinuity(
  faces: readonly PosedFace[],
  options: { readonly threshold?: number; readonly reliableYawGapDeg?: number } = {},
): KeyframeContinuity {
  const gapLimit = options.reliableYawGapDeg ?? RELIABLE_YAW_GAP_DEG;
  if (!(gapLimit >= 0 && Number.isFinite(gapLimit))) throw new EkycError('invalid_argument', 'The reliable yaw gap must be a non-negative number of degrees', { details: { reliableYawGapDeg: gapLimit } });
  const chain = new PoseMatchedContinuity({ threshold: options.threshold ?? DEFAULT_POSE_CONTINUITY.threshold });
  const ordered = [...faces].sort((a, b) => a.t - b.t);
  const poseMatched = ordered.every((f) => f.yaw !== null && Number.isFinite(f.yaw));
  const verdictOf = (similarity: number, gap: number | null): KeyframeLinkVerdict =>
    similarity >= chain.threshold ? 'ok' : gap !== null && gap > gapLimit ? 'uncertain' : 'broken';
  const links: KeyframeLink[] = [];
  if (poseMatched) {
    for (const face of ordered) {
      const link = chain.add(face.t, face.yaw as number, face.embedding);
      if (link) links.push({ ...link, verdict: verdictOf(link.similarity, Math.abs(link.yaw - link.againstYaw)) });
    }
  } else {
    const [first, ...rest] = ordered;
    for (const face of first ? rest : []) {
      const similarity = cosineSimilarity(first!.embedding, face.embedding);
      links.push({ t: face.t, yaw: face.yaw, againstT: first!.t, againstYaw: first!.yaw, similarity, verdict: verdictOf(similarity, null) });
    }
  }
  const verdict = links.some((l) => l.verdict === 'broken') ? 'broken' : links.some((l) => l.verdict === 'uncertain') ? 'uncertain' : 'ok';
  return { verdict, links, poseMatched };
}
