/**
 * Judging a transcript again (the verifier's side). The transcript's frames are replayed through a
 * fresh LivenessEngine; because the engine only ever decided on those rounded, downsampled frames,
 * an honest transcript reaches exactly the recorded baseline, attempts and result. Anything else
 * (a different order than the nonce gives, an edited frame, a claimed pass the frames do not
 * support, a keyframe without its hash) is a mismatch, and a transcript with a mismatch never passes.
 */
import canonicalize from 'canonicalize';
import { EkycError } from '../errors.ts';
import type { LivenessConfig } from './config.ts';
import { LivenessEngine, type LivenessResult, type LivenessState, type LivenessTranscript } from './engine.ts';
import { frameFromColumns, SIGNAL_COLUMNS, type SignalColumn } from './frame.ts';
import { challengeSequence } from './sequence.ts';
import { livenessTranscriptSchema } from './transcript-schema.ts';

export interface JudgeOptions {
  /** The session nonce the verifier issued: the order must be the one it gives. */
  readonly nonce?: string;
  /** The verifier's own config for this session; the transcript's must equal it. */
  readonly config?: LivenessConfig;
  /** Accept an explicit (evaluation) sequence. Never in production. */
  readonly allowExplicitSequence?: boolean;
  /** Every keyframe must carry its pixel hash (default true). */
  readonly requireKeyframeHashes?: boolean;
}

export type TranscriptMismatch =
  | 'config'
  | 'nonce_missing'
  | 'sequence'
  | 'explicit_sequence'
  | 'baseline'
  | 'attempts'
  | 'result'
  | 'keyframes'
  | 'keyframe_hash_missing';

export interface LivenessJudgement {
  /** The replayed state when the transcript is consistent, `failed` otherwise. */
  readonly state: LivenessState;
  readonly consistent: boolean;
  readonly mismatches: readonly TranscriptMismatch[];
  readonly replayed: LivenessResult;
  readonly claimed: LivenessResult;
}

const same = (a: unknown, b: unknown): boolean => canonicalize(a) === canonicalize(b);

/** Parses an untrusted transcript; throws `liveness_transcript_invalid` with the first problem. */
export function parseLivenessTranscript(value: unknown): LivenessTranscript {
  const parsed = livenessTranscriptSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EkycError('liveness_transcript_invalid', 'The liveness transcript does not match its schema', {
      details: { path: issue ? issue.path.join('.') : '', problem: issue ? issue.code : 'unknown' },
    });
  }
  const frames = parsed.data.frames;
  const n = frames.t.length;
  const lengths = [frames.faceCount.length, frames.brightness.length, ...SIGNAL_COLUMNS.map((c) => frames.signals[c].length)];
  if (lengths.some((length) => length !== n)) {
    throw new EkycError('liveness_transcript_invalid', 'The transcript frame columns differ in length', { details: { frames: n } });
  }
  return parsed.data as LivenessTranscript;
}

/** Replays the transcript's frames through a fresh engine with the given config and order. */
export function replayTranscript(transcript: LivenessTranscript, config: LivenessConfig = transcript.config): LivenessEngine {
  const engine = LivenessEngine.forReplay(transcript.sequence, config);
  const { t, faceCount, brightness, signals } = transcript.frames;
  for (let i = 0; i < t.length && engine.current !== 'passed' && engine.current !== 'failed' && engine.current !== 'timed_out'; i++) {
    let columns: Record<SignalColumn, number> | undefined;
    if (faceCount[i] === 1) {
      columns = {} as Record<SignalColumn, number>;
      for (const c of SIGNAL_COLUMNS) {
        const v = signals[c][i];
        if (v === null || v === undefined) throw new EkycError('liveness_transcript_invalid', 'A one-face frame lacks a signal value', { details: { frame: i, column: c } });
        columns[c] = v;
      }
    }
    engine.push(frameFromColumns(t[i]!, faceCount[i]!, brightness[i]!, columns));
  }
  return engine;
}

/** Judges a transcript again with the same engine; see the module comment. */
export async function judgeTranscript(input: unknown, options: JudgeOptions = {}): Promise<LivenessJudgement> {
  const transcript = parseLivenessTranscript(input);
  const mismatches: TranscriptMismatch[] = [];
  const config = options.config ?? transcript.config;
  if (options.config && !same(options.config, transcript.config)) mismatches.push('config');
  if (transcript.sequence.source === 'nonce') {
    if (options.nonce === undefined) mismatches.push('nonce_missing');
    else if (!same(await challengeSequence(options.nonce, config.challengeCount), transcript.sequence.order)) mismatches.push('sequence');
  } else if (!options.allowExplicitSequence) {
    mismatches.push('explicit_sequence');
  }
  const engine = replayTranscript(transcript, config);
  const replay = engine.transcript();
  if (!same(replay.baseline, transcript.baseline)) mismatches.push('baseline');
  if (!same(replay.attempts, transcript.attempts)) mismatches.push('attempts');
  if (!same(replay.result, transcript.result)) mismatches.push('result');
  // Every keyframe the engine takes must be in the transcript, at the same time with the same signals.
  const claimed = new Map(transcript.keyframes.map((k) => [`${k.role}@${k.t}`, k]));
  let hashesMissing = false;
  for (const keyframe of replay.keyframes) {
    const recorded = claimed.get(`${keyframe.role}@${keyframe.t}`);
    if (!recorded || !same(recorded.signals, keyframe.signals)) {
      mismatches.push('keyframes');
      break;
    }
    if (recorded.sha256 === null) hashesMissing = true;
  }
  if (transcript.keyframes.length !== replay.keyframes.length && !mismatches.includes('keyframes')) mismatches.push('keyframes');
  if (hashesMissing && (options.requireKeyframeHashes ?? true)) mismatches.push('keyframe_hash_missing');
  const replayed = engine.result();
  const consistent = mismatches.length === 0;
  return { state: consistent ? replayed.state : 'failed', consistent, mismatches, replayed, claimed: transcript.result };
}
