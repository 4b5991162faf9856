import type { liveness } from '@ekyc/core';

/**
 * Why a liveness capture ended as it did, in numbers a developer can act on (no pixels, no
 * landmarks, nothing personal): how many frames the camera gave and how many were judged, the
 * largest hole between judged frames, the frames without a face, when the baseline was taken, and
 * per attempt how far the response went against what the challenge asks (`peak` vs `enter`).
 * `cause` names the first thing to look at.
 */
export type LivenessFailureCause =
  /** No single face in most judged frames: nothing to judge. */
  | 'no_face'
  /** A face, but never steady, neutral and framed long enough for the baseline. */
  | 'baseline_not_steady'
  /** The response was never seen (peak below `enter`) before the attempt ended. */
  | 'response_not_seen'
  /** The response was seen but did not complete (held, returned) within the window. */
  | 'response_incomplete'
  /** The response began before the prompt could have been seen (a recording not following the prompts). */
  | 'response_before_prompt'
  /** The other challenge's movement was made (turned the wrong way). */
  | 'wrong_response'
  | 'face_multiple'
  /** Judged frames were too far apart, and the tracker ran slower than `minTrackedFps`: the device was too slow. */
  | 'frame_rate_low'
  /** Judged frames were too far apart while the tracker kept up on average: the camera stalled or frames were held back. */
  | 'frame_gap';

export interface LivenessAttemptDiagnostic {
  readonly kind: liveness.ChallengeKind;
  readonly index: number;
  readonly attempt: number;
  readonly state: liveness.AttemptState;
  readonly reason: liveness.LivenessReason | null;
  /** ms from the first judged frame. */
  readonly activatedAt: number;
  /** ms from activation to the response's onset (null: never). */
  readonly onsetAfterMs: number | null;
  readonly endedAfterMs: number | null;
  /** Largest excursion seen, and what the challenge needs to start the response. */
  readonly peak: number;
  readonly enter: number;
  /** Frames the engine judged while this attempt was open. */
  readonly frames: number;
}

export interface LivenessDiagnostics {
  readonly state: liveness.LivenessState;
  readonly cause: LivenessFailureCause | null;
  /** New video frames the capture saw, and frames per second of the camera over the capture. */
  readonly videoFrames: number;
  readonly cameraFps: number | null;
  /** Frames tracked by the worker, and per second. */
  readonly tracked: number;
  readonly trackedFps: number | null;
  /** Dropped because the previous frame was still being tracked (a slow device drops, it never queues). */
  readonly skippedBusy: number;
  /** Frames the engine kept (downsampled) and judged. */
  readonly judged: number;
  /** Largest gap between judged frames (ms) and the engine's limit during a challenge (`maxFrameGapMs`). */
  readonly maxGapMs: number | null;
  readonly maxFrameGapMs: number;
  /** Median gap between judged frames (ms). */
  readonly medianGapMs: number | null;
  readonly noFaceFrames: number;
  readonly multiFaceFrames: number;
  /** ms from the first judged frame to the baseline (null: never taken). */
  readonly baselineAfterMs: number | null;
  /** ms from the first video frame to the first judged frame (model warm-up and the first inference). */
  readonly firstJudgedAfterMs: number | null;
  readonly attempts: readonly LivenessAttemptDiagnostic[];
}

/** Below this many tracked frames per second a frame gap is put down to the device's speed. */
const MIN_TRACKED_FPS = 8;

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const perSecond = (count: number, spanMs: number): number | null => (count > 1 && spanMs > 0 ? Math.round(((count - 1) * 1000 * 10) / spanMs) / 10 : null);

/** The diagnostics of a transcript and the capture's own counts and frame times. */
export function livenessDiagnostics(
  transcript: liveness.LivenessTranscript,
  stats: { videoFrames: number; skippedBusy: number; tracked: number },
  frameTimestamps: readonly number[],
  trackedTimestamps: readonly number[],
): LivenessDiagnostics {
  const t = transcript.frames.t;
  const gaps: number[] = [];
  for (let i = 1; i < t.length; i++) gaps.push(t[i]! - t[i - 1]!);
  const first = t[0] ?? null;
  const faceCounts = transcript.frames.faceCount;
  const noFaceFrames = faceCounts.filter((n) => n === 0).length;
  const multiFaceFrames = faceCounts.filter((n) => n > 1).length;
  const trackedFps = perSecond(trackedTimestamps.length, (trackedTimestamps.at(-1) ?? 0) - (trackedTimestamps[0] ?? 0));
  const attempts = transcript.attempts.map((a): LivenessAttemptDiagnostic => {
    const end = a.endedAt ?? Infinity;
    return {
      kind: a.kind, index: a.index, attempt: a.attempt, state: a.state, reason: a.reason,
      activatedAt: a.activatedAt - (first ?? 0),
      onsetAfterMs: a.onsetAt === null ? null : a.onsetAt - a.activatedAt,
      endedAfterMs: a.endedAt === null ? null : a.endedAt - a.activatedAt,
      peak: a.peak, enter: transcript.config.challenges[a.kind].enter,
      frames: t.filter((x) => x > a.activatedAt && x <= end).length,
    };
  });
  const state = transcript.result.state;
  let cause: LivenessFailureCause | null = null;
  if (state === 'failed' || state === 'timed_out') {
    const reason = transcript.result.reason;
    const last = attempts.at(-1);
    if (reason === 'baseline_timeout') cause = noFaceFrames * 2 > t.length ? 'no_face' : 'baseline_not_steady';
    else if (reason === 'frame_gap') cause = trackedFps !== null && trackedFps < MIN_TRACKED_FPS ? 'frame_rate_low' : 'frame_gap';
    else if (reason === 'too_early') cause = 'response_before_prompt';
    else if (reason === 'wrong_response') cause = 'wrong_response';
    else if (reason === 'face_multiple') cause = 'face_multiple';
    else if (last) cause = last.peak >= last.enter ? 'response_incomplete' : 'response_not_seen';
  }
  const videoSpan = (frameTimestamps.at(-1) ?? 0) - (frameTimestamps[0] ?? 0);
  return {
    state, cause,
    videoFrames: stats.videoFrames, cameraFps: perSecond(frameTimestamps.length, videoSpan),
    tracked: stats.tracked, trackedFps, skippedBusy: stats.skippedBusy,
    judged: t.length, maxGapMs: gaps.length ? Math.max(...gaps) : null, maxFrameGapMs: transcript.config.maxFrameGapMs, medianGapMs: median(gaps),
    noFaceFrames, multiFaceFrames,
    baselineAfterMs: transcript.baseline && first !== null ? transcript.baseline.completedAt - first : null,
    firstJudgedAfterMs: first !== null && frameTimestamps.length ? first - frameTimestamps[0]! : null,
    attempts,
  };
}
