import { EkycError } from '../errors.ts';
import { cosineSimilarity } from './vector.ts';

export interface ContinuityOptions {
  /** Minimum cosine between each frame and the session's reference face. */
  readonly threshold: number;
}

export interface ContinuityCheck {
  readonly similarity: number;
  readonly ok: boolean;
  readonly frames: number;
  readonly minimum: number;
}

/**
 * Keeps the face of one session the same across frames: the first embedding becomes the
 * reference and every later one must stay at or above the threshold against it. A check
 * against the reference (not the previous frame) stops a slow drift from one face to another.
 */
export class FaceContinuity {
  private reference: Float32Array | undefined;
  private frames = 0;
  private minimum = 1;
  readonly threshold: number;

  constructor(options: ContinuityOptions = { threshold: 0.5 }) {
    if (!(options.threshold >= -1 && options.threshold <= 1)) {
      throw new EkycError('invalid_argument', 'The continuity threshold must be within [-1, 1]', { details: { threshold: options.threshold } });
    }
    this.threshold = options.threshold;
  }

  /** Records a frame's embedding and reports whether it still matches the reference. */
  check(embedding: ArrayLike<number>): ContinuityCheck {
    if (!this.reference) {
      this.reference = Float32Array.from(embedding);
      cosineSimilarity(this.reference, this.reference); // validates length and finiteness
      this.frames = 1;
      return { similarity: 1, ok: true, frames: 1, minimum: 1 };
    }
    const similarity = cosineSimilarity(this.reference, embedding);
    this.frames++;
    this.minimum = Math.min(this.minimum, similarity);
    return { similarity, ok: similarity >= this.threshold, frames: this.frames, minimum: this.minimum };
  }

  /** Like `check`, but throws `face_continuity_broken` when the face changed. */
  assert(embedding: ArrayLike<number>): ContinuityCheck {
    const result = this.check(embedding);
    if (!result.ok) {
      throw new EkycError('face_continuity_broken', 'The face no longer matches the session reference', {
        details: { similarity: result.similarity, threshold: this.threshold, frame: result.frames },
      });
    }
    return result;
  }

  reset(): void {
    this.reference = undefined;
    this.frames = 0;
    this.minimum = 1;
  }
}
