/**
 * The active liveness engine: a deterministic state machine over per-frame signals. It walks the
 * challenge table (challenges.ts) in the order drawn from the session nonce (sequence.ts), decides
 * only on rounded, downsampled frames (frame.ts), and records exactly those frames in its
 * transcript, so the verifier replays the transcript through this same class and must reach the
 * same result (transcript.ts).
 */
import { EkycError } from '../errors.ts';
import type { ChallengeDefinition, ChallengeKind } from './challenges.ts';
import { assertLivenessConfig, type LivenessConfig } from './config.ts';
import { frameColumns, quantizeFrame, SIGNAL_COLUMNS, type LivenessFrame, type SignalColumn } from './frame.ts';
import { guidanceFor, type GuidanceCode } from './guidance.ts';
import { assertSequence, challengeSequence } from './sequence.ts';

export type LivenessState = 'waiting' | 'active' | 'passed' | 'failed' | 'timed_out';
export type AttemptState = 'active' | 'passed' | 'failed' | 'timed_out';

/**
 * Why an attempt or a session ended without passing:
 * too_early: the response began sooner than minLatencyMs after the prompt (anticipated);
 * too_late: no response within maxLatencyMs; window_elapsed: not completed within challengeWindowMs;
 * wrong_response: a conflicting challenge was performed (turned the other way);
 * face_multiple: more than one face during a challenge; frame_gap: frames were missing for longer
 * than maxFrameGapMs; baseline_timeout: no steady neutral face within baseline.timeoutMs.
 */
export type LivenessReason = 'too_early' | 'too_late' | 'window_elapsed' | 'wrong_response' | 'face_multiple' | 'frame_gap' | 'baseline_timeout';

type Phase = 'arming' | 'ready' | 'engaged' | 'returning' | 'done';

export interface ChallengeAttempt {
  readonly kind: ChallengeKind;
  /** Position in the sequence. */
  readonly index: number;
  /** 0 for the first try of this challenge, 1 for its first retry, ... */
  readonly attempt: number;
  state: AttemptState;
  readonly activatedAt: number;
  /** First frame at rest after activation (a response held from before the prompt never counts). */
  armedAt: number | null;
  /** First frame at or beyond `enter`. */
  onsetAt: number | null;
  /** Frame where the response had been held for holdMs: the challenge's keyframe. */
  heldAt: number | null;
  passedAt: number | null;
  endedAt: number | null;
  reason: LivenessReason | null;
  /** Largest excursion seen, in the challenge's units (rounded to 4 decimals). */
  peak: number;
}

export interface LivenessBaseline {
  readonly startedAt: number;
  readonly completedAt: number;
  readonly frames: number;
  /** Medians over the baseline frames. `eyeOpenness` is the more open eye's aspect ratio. */
  readonly eyeOpenness: number;
  readonly smile: number;
  readonly yaw: number;
  readonly pitch: number;
}

export type KeyframeRole = 'neutral' | ChallengeKind;

export interface LivenessKeyframe {
  readonly role: KeyframeRole;
  readonly t: number;
  /** SHA-256 of the frame's RGBA pixels, attached by the caller (attachKeyframe). */
  sha256: string | null;
  /** Landmarks of the frame (x, y, z, ... in frame pixels, rounded to 0.1), attached by the caller. */
  landmarks: number[] | null;
  readonly signals: Readonly<Record<SignalColumn, number>>;
}

export interface ChallengeProgress {
  readonly kind: ChallengeKind;
  readonly index: number;
  readonly count: number;
  readonly attempt: number;
  readonly state: AttemptState;
  /** 0..1: moving toward the response, holding it, returning. */
  readonly progress: number;
}

export interface LivenessStep {
  readonly state: LivenessState;
  /** False when the frame was dropped by downsampling or came after the session ended. */
  readonly accepted: boolean;
  readonly guidance: readonly GuidanceCode[];
  readonly challenge: ChallengeProgress | null;
  /** This frame is a keyframe: hash its pixels and call attachKeyframe(t, ...). */
  readonly keyframe: KeyframeRole | null;
  readonly reason: LivenessReason | null;
}

/** Per-frame series as recorded: columns of equal length; signal columns are null where no face was judged. */
export interface LivenessSeries {
  t: number[];
  faceCount: number[];
  brightness: number[];
  signals: Record<SignalColumn, (number | null)[]>;
}

export interface LivenessSequenceRecord {
  readonly source: 'nonce' | 'explicit';
  readonly order: readonly ChallengeKind[];
}

export interface LivenessResult {
  readonly state: LivenessState;
  readonly reason: LivenessReason | null;
  readonly passed: readonly ChallengeKind[];
  readonly completedAt: number | null;
}

export interface LivenessTranscript {
  readonly format: 'ekyc-liveness-transcript';
  readonly version: 1;
  readonly config: LivenessConfig;
  readonly sequence: LivenessSequenceRecord;
  readonly frames: LivenessSeries;
  readonly baseline: LivenessBaseline | null;
  readonly attempts: readonly ChallengeAttempt[];
  readonly keyframes: readonly LivenessKeyframe[];
  readonly result: LivenessResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function signalValue(frame: LivenessFrame, signal: ChallengeDefinition['signal']): number {
  const face = frame.face!;
  switch (signal) {
    case 'eyeOpenness':
      return Math.max(face.eyeOpennessLeft, face.eyeOpennessRight);
    case 'smile':
      return face.smile;
    case 'yaw':
      return face.yaw;
  }
}

function baselineValue(baseline: LivenessBaseline, signal: ChallengeDefinition['signal']): number {
  return signal === 'eyeOpenness' ? baseline.eyeOpenness : signal === 'smile' ? baseline.smile : baseline.yaw;
}

/** How far the frame has moved from the baseline in the challenge's direction. */
export function excursion(definition: ChallengeDefinition, frame: LivenessFrame, baseline: LivenessBaseline): number {
  const value = signalValue(frame, definition.signal);
  const base = baselineValue(baseline, definition.signal);
  const relative = definition.scale === 'ratio' ? (base > 0 ? value / base - 1 : 0) : value - base;
  return definition.direction * relative;
}

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;

export class LivenessEngine {
  readonly config: LivenessConfig;
  readonly sequence: LivenessSequenceRecord;
  private readonly series: LivenessSeries;
  private readonly attempts: ChallengeAttempt[] = [];
  private readonly keyframes: LivenessKeyframe[] = [];
  private baseline: LivenessBaseline | null = null;
  private baselineFrames: LivenessFrame[] = [];
  private state: LivenessState = 'waiting';
  private reason: LivenessReason | null = null;
  private completedAt: number | null = null;
  private startedAt: number | null = null;
  private lastSeen: number | null = null;
  private lastKept: LivenessFrame | null = null;
  private retriesUsed = 0;
  private index = 0;
  private phase: Phase = 'arming';
  private engagedAt = 0;

  private constructor(config: LivenessConfig, sequence: LivenessSequenceRecord) {
    assertLivenessConfig(config);
    this.config = config;
    this.sequence = { source: sequence.source, order: [...sequence.order] };
    this.series = { t: [], faceCount: [], brightness: [], signals: Object.fromEntries(SIGNAL_COLUMNS.map((c) => [c, []])) as unknown as LivenessSeries['signals'] };
  }

  /** The production path: the order comes from the verifier's session nonce only. */
  static async fromNonce(nonce: string, config: LivenessConfig): Promise<LivenessEngine> {
    assertLivenessConfig(config);
    return new LivenessEngine(config, { source: 'nonce', order: await challengeSequence(nonce, config.challengeCount) });
  }

  /**
   * Evaluation only (scoring recorded clips that perform a known order): the transcript says
   * `source: 'explicit'` and judgeTranscript refuses it unless told to allow it.
   */
  static forEvaluation(sequence: readonly ChallengeKind[], config: LivenessConfig): LivenessEngine {
    assertSequence(sequence);
    return new LivenessEngine(config, { source: 'explicit', order: sequence });
  }

  /** @internal Replays a transcript with its recorded order (transcript.ts). */
  static forReplay(sequence: LivenessSequenceRecord, config: LivenessConfig): LivenessEngine {
    assertSequence(sequence.order);
    return new LivenessEngine(config, sequence);
  }

  get current(): LivenessState {
    return this.state;
  }

  private get attempt(): ChallengeAttempt | undefined {
    const last = this.attempts[this.attempts.length - 1];
    return last && last.state === 'active' ? last : undefined;
  }

  /** Feeds one frame. Frames must come in increasing time; dropped frames still get guidance. */
  push(input: LivenessFrame): LivenessStep {
    const frame = quantizeFrame(input);
    if (this.lastSeen !== null && frame.t < this.lastSeen) {
      throw new EkycError('invalid_frame', 'Liveness frames must come in increasing time', { details: { t: frame.t, previous: this.lastSeen } });
    }
    this.lastSeen = frame.t;
    const terminal = this.state === 'passed' || this.state === 'failed' || this.state === 'timed_out';
    if (terminal || (this.lastKept !== null && frame.t - this.lastKept.t < Math.max(1, this.config.minFrameIntervalMs))) {
      return this.step(false, terminal ? [] : guidanceFor(frame, this.config.framing), null);
    }
    const previous = this.lastKept;
    this.record(frame);
    this.startedAt ??= frame.t;
    if (this.state === 'waiting') return this.takeBaseline(frame, previous);
    return this.judge(frame, previous!);
  }

  private record(frame: LivenessFrame): void {
    this.lastKept = frame;
    this.series.t.push(frame.t);
    this.series.faceCount.push(frame.faceCount);
    this.series.brightness.push(frame.brightness);
    const columns = frame.faceCount === 1 ? frameColumns(frame) : undefined;
    for (const column of SIGNAL_COLUMNS) this.series.signals[column].push(columns ? columns[column] : null);
  }

  private takeBaseline(frame: LivenessFrame, previous: LivenessFrame | null): LivenessStep {
    const limits = this.config.baseline;
    const guidance = guidanceFor(frame, this.config.framing, previous ?? undefined);
    const face = frame.face;
    const neutral =
      frame.faceCount === 1 && face !== undefined && guidance.length === 0 &&
      Math.abs(face.yaw) <= limits.maxYaw && Math.abs(face.pitch) <= limits.maxPitch &&
      Math.max(face.eyeOpennessLeft, face.eyeOpennessRight) >= limits.minEyeOpenness;
    if (!neutral) this.baselineFrames = [];
    else this.baselineFrames.push(frame);
    const first = this.baselineFrames[0];
    if (first && this.baselineFrames.length >= limits.minFrames && frame.t - first.t >= limits.durationMs) {
      const faces = this.baselineFrames.map((f) => f.face!);
      this.baseline = {
        startedAt: first.t,
        completedAt: frame.t,
        frames: faces.length,
        eyeOpenness: median(faces.map((f) => Math.max(f.eyeOpennessLeft, f.eyeOpennessRight))),
        smile: median(faces.map((f) => f.smile)),
        yaw: median(faces.map((f) => f.yaw)),
        pitch: median(faces.map((f) => f.pitch)),
      };
      this.baselineFrames = [];
      this.addKeyframe('neutral', frame);
      this.state = 'active';
      this.activate(frame.t);
      return this.step(true, [], 'neutral');
    }
    if (frame.t - this.startedAt! > limits.timeoutMs) return this.finish('timed_out', 'baseline_timeout', frame.t, guidance);
    return this.step(true, guidance, null);
  }

  private activate(t: number): void {
    const kind = this.sequence.order[this.index]!;
    const attempt = this.attempts.filter((a) => a.index === this.index).length;
    this.attempts.push({ kind, index: this.index, attempt, state: 'active', activatedAt: t, armedAt: null, onsetAt: null, heldAt: null, passedAt: null, endedAt: null, reason: null, peak: 0 });
    this.phase = 'arming';
  }

  private judge(frame: LivenessFrame, previous: LivenessFrame): LivenessStep {
    const attempt = this.attempt!;
    const definition = this.config.challenges[attempt.kind];
    const guidance = guidanceFor(frame, this.config.framing);
    const t = frame.t;
    if (t - previous.t > this.config.maxFrameGapMs) return this.endAttempt('failed', 'frame_gap', t, guidance);
    if (t - attempt.activatedAt > this.config.challengeWindowMs) return this.endAttempt('timed_out', 'window_elapsed', t, guidance);
    if (frame.faceCount > 1) return this.endAttempt('failed', 'face_multiple', t, guidance);
    if (attempt.onsetAt === null && this.phase !== 'engaged' && t - attempt.activatedAt > this.config.maxLatencyMs) {
      return this.endAttempt('timed_out', 'too_late', t, guidance);
    }
    if (frame.faceCount === 0 || !frame.face) return this.step(true, guidance, null);
    const baseline = this.baseline!;
    const e = excursion(definition, frame, baseline);
    // Conflicts count once the face has come back to rest: the previous challenge's movement
    // (still turned right when turn_left is asked) is its return, not a wrong answer.
    if (this.phase !== 'arming' || e <= definition.exit) {
      for (const other of definition.conflicts) {
        const conflict = this.config.challenges[other];
        const c = excursion(conflict, frame, baseline);
        if (this.phase === 'arming' ? c > conflict.exit : c >= conflict.enter) {
          if (this.phase === 'arming') return this.step(true, guidance, null, e);
          return this.endAttempt('failed', 'wrong_response', t, guidance);
        }
      }
    }
    attempt.peak = Math.max(attempt.peak, round4(e));
    let keyframe: KeyframeRole | null = null;
    if (this.phase === 'arming' && e <= definition.exit) {
      attempt.armedAt = t;
      this.phase = 'ready';
    } else if (this.phase === 'ready' && e >= definition.enter) {
      const latency = t - attempt.activatedAt;
      if (attempt.onsetAt === null) {
        if (latency < this.config.minLatencyMs) return this.endAttempt('failed', 'too_early', t, guidance);
        if (latency > this.config.maxLatencyMs) return this.endAttempt('timed_out', 'too_late', t, guidance);
        attempt.onsetAt = t;
      }
      this.phase = 'engaged';
      this.engagedAt = t;
    }
    if (this.phase === 'engaged') {
      if (e < definition.exit) {
        this.phase = 'ready';
      } else if (t - this.engagedAt >= definition.holdMs) {
        attempt.heldAt = t;
        keyframe = attempt.kind;
        this.addKeyframe(attempt.kind, frame);
        if (!definition.requireReturn) return this.passAttempt(t, guidance, keyframe);
        this.phase = 'returning';
        return this.step(true, guidance, keyframe);
      }
    } else if (this.phase === 'returning' && e <= definition.exit) {
      return this.passAttempt(t, guidance, keyframe);
    }
    return this.step(true, guidance, keyframe, e);
  }

  private passAttempt(t: number, guidance: GuidanceCode[], keyframe: KeyframeRole | null): LivenessStep {
    const attempt = this.attempt!;
    attempt.state = 'passed';
    attempt.passedAt = t;
    attempt.endedAt = t;
    this.phase = 'done';
    this.index++;
    if (this.index >= this.sequence.order.length) return this.finish('passed', null, t, guidance, keyframe);
    this.activate(t);
    return this.step(true, guidance, keyframe);
  }

  private endAttempt(state: 'failed' | 'timed_out', reason: LivenessReason, t: number, guidance: GuidanceCode[]): LivenessStep {
    const attempt = this.attempt!;
    attempt.state = state;
    attempt.reason = reason;
    attempt.endedAt = t;
    this.phase = 'done';
    if (this.retriesUsed < this.config.maxRetries) {
      this.retriesUsed++;
      this.activate(t);
      return this.step(true, guidance, null);
    }
    return this.finish(state, reason, t, guidance);
  }

  private finish(state: LivenessState, reason: LivenessReason | null, t: number, guidance: GuidanceCode[], keyframe: KeyframeRole | null = null): LivenessStep {
    this.state = state;
    this.reason = reason;
    this.completedAt = t;
    return this.step(true, guidance, keyframe);
  }

  private addKeyframe(role: KeyframeRole, frame: LivenessFrame): void {
    this.keyframes.push({ role, t: frame.t, sha256: null, landmarks: null, signals: frameColumns(frame)! });
  }

  /** Attaches the hash (and optionally the landmarks) of the keyframe taken at time `t`. */
  attachKeyframe(t: number, data: { sha256: string; landmarks?: ArrayLike<number> }): void {
    const keyframe = this.keyframes.find((k) => k.t === Math.round(t));
    if (!keyframe) throw new EkycError('invalid_argument', 'No keyframe was taken at this time', { details: { t } });
    if (!/^[0-9a-f]{64}$/.test(data.sha256)) throw new EkycError('invalid_argument', 'A keyframe hash is lower-case hex SHA-256');
    keyframe.sha256 = data.sha256;
    keyframe.landmarks = data.landmarks ? Array.from(data.landmarks, (v) => Math.round(v * 10) / 10) : null;
  }

  private step(accepted: boolean, guidance: readonly GuidanceCode[], keyframe: KeyframeRole | null, e?: number): LivenessStep {
    const attempt = this.attempts[this.attempts.length - 1];
    let challenge: ChallengeProgress | null = null;
    if (attempt && this.state !== 'waiting') {
      const definition = this.config.challenges[attempt.kind];
      let progress = 0;
      if (attempt.state === 'passed') progress = 1;
      else if (attempt.state === 'active') {
        if (this.phase === 'ready' && e !== undefined) progress = 0.6 * Math.min(1, Math.max(0, e / definition.enter));
        else if (this.phase === 'engaged') progress = 0.6 + 0.3 * Math.min(1, (this.lastKept!.t - this.engagedAt) / Math.max(1, definition.holdMs));
        else if (this.phase === 'returning') progress = 0.9;
      }
      challenge = { kind: attempt.kind, index: attempt.index, count: this.sequence.order.length, attempt: attempt.attempt, state: attempt.state, progress: round4(progress) };
    }
    return { state: this.state, accepted, guidance, challenge, keyframe, reason: this.reason };
  }

  result(): LivenessResult {
    return {
      state: this.state,
      reason: this.reason,
      passed: this.attempts.filter((a) => a.state === 'passed').map((a) => a.kind),
      completedAt: this.completedAt,
    };
  }

  /** A JSON-plain copy of everything the verifier needs to judge the session again. */
  transcript(): LivenessTranscript {
    const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
    return {
      format: 'ekyc-liveness-transcript',
      version: 1,
      config: copy(this.config),
      sequence: copy(this.sequence),
      frames: copy(this.series),
      baseline: copy(this.baseline),
      attempts: copy(this.attempts),
      keyframes: copy(this.keyframes),
      result: copy(this.result()),
    };
  }
}
