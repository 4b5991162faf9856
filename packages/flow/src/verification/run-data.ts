/**
 * What one run of `VerificationFlow` holds: the public `FlowState` it starts from, and the data
 * its steps gather (dropped on `start()` and `reset()`).
 */
import type { EventChain, EvidenceEnvironment, RgbaImage } from '@ekyc/core';
import type { MrzSummary } from '@ekyc/workers';
import type { LivenessOutcome } from '../liveness/index.ts';
import type { PrintedFields, ReadSide } from './document.ts';
import type { ResolvedSession } from './session.ts';
import type { CaptureMode, FlowState, ReviewEdits } from './types.ts';

export function freshState(captureMode: CaptureMode): FlowState {
  return {
    status: 'idle', step: null, plan: [], completed: [], awaiting: null, captureMode,
    session: null, consent: null, sides: [], review: null, liveness: null, faceMatch: null, handoff: null, result: null, error: null,
  };
}

export interface Selfie {
  image: RgbaImage<Uint8ClampedArray>;
  source: CaptureMode;
  capturedAt: string;
  outcome: LivenessOutcome | null;
}

/** Everything one run gathered; dropped on reset. */
export interface RunData {
  resolved: ResolvedSession | null;
  events: EventChain | null;
  startedAt: Date;
  sides: ReadSide[];
  front: ReadSide | null;
  back: ReadSide | null;
  mrz: MrzSummary | null;
  /** The printed fields compared with the MRZ (`printedFieldsOf`), read in the background from document-read: the evidence's `viz`, under the user's edits. */
  printed: Promise<PrintedFields> | null;
  portrait: RgbaImage<Uint8ClampedArray> | null;
  edits: ReviewEdits | null;
  selfie: Selfie | null;
  camera: EvidenceEnvironment['camera'];
  /** The document steps (capture, read, review) finished; a cancelled handoff does not repeat them. */
  documentsDone: boolean;
}

export function freshRunData(): RunData {
  return { resolved: null, events: null, startedAt: new Date(0), sides: [], front: null, back: null, mrz: null, printed: null, portrait: null, edits: null, selfie: null, camera: null, documentsDone: false };
}
