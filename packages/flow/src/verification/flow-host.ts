/**
 * What a step of `VerificationFlow` may use of the flow: its options and I/O boundaries, the
 * workers, the user's actions, the state it moves and the run's data. The class keeps all of it
 * private and hands each step this one object (flow.ts builds it); the steps are plain functions
 * of it (step-*.ts, handoff-follow.ts), so the class holds only the state machine.
 */
import type { EkycError } from '@ekyc/core';
import type { RuntimeReport } from '@ekyc/workers';
import type { Camera } from '../capture/camera.ts';
import type { ActionInbox, ActionType, FlowAction } from './actions.ts';
import type { VerificationFlowDeps } from './flow.ts';
import type { RunData } from './run-data.ts';
import type { Awaiting, FlowState, ProgressDetail, RecoveryAction, ResultSummary, StepId, VerificationFlowEventMap, VerificationFlowOptions } from './types.ts';
import type { WorkerPool } from './workers.ts';

/** The code of the steps after consent (./runtime.ts), loaded once consent is granted. */
export type FlowRuntime = typeof import('./runtime.ts');

/** The I/O boundaries with their defaults filled in. */
export type FlowDeps = Required<Omit<VerificationFlowDeps, 'workers'>>;

export interface FlowHost {
  readonly options: VerificationFlowOptions;
  readonly deps: FlowDeps;
  readonly pool: WorkerPool;
  readonly inbox: ActionInbox;
  /** The current state (replaced on every change: read it again after an `await`). */
  readonly state: FlowState;
  /** The current run's data (replaced on start and reset). */
  readonly data: RunData;
  /** The post-consent code; throws before it was loaded. */
  readonly rt: FlowRuntime;
  /** The runtime a face or document worker reported once ready, for the evidence. */
  readonly runtime: RuntimeReport | null;
  /** The camera open now, if any. */
  readonly camera: Camera | null;
  set(patch: Partial<FlowState>): void;
  dispatch<K extends keyof VerificationFlowEventMap>(type: K, detail: VerificationFlowEventMap[K]['detail']): void;
  enter(step: StepId, awaiting: Awaiting | null): void;
  complete(step: StepId): void;
  planned(step: StepId): boolean;
  progress(detail: ProgressDetail): void;
  /** Waits for one of `types`; a handoff throws `HandoffRequested`. */
  wait(types: readonly ActionType[], signal: AbortSignal): Promise<FlowAction>;
  /** A recoverable error: dispatched, then waits for one of `actions` (retry also accepts retryCamera). */
  recover(error: EkycError, step: StepId, actions: readonly RecoveryAction[], signal: AbortSignal): Promise<FlowAction>;
  /** `['handoff']` when the session can be handed to a phone, else `[]`. */
  handoffType(): ActionType[];
  openCamera(step: StepId, facingMode: 'user' | 'environment', signal: AbortSignal): Promise<Camera>;
  releaseCamera(): void;
  /** Files handed over with a recovery action (useUpload while an error waits), used by the step's next turn. */
  takePendingUpload(): readonly Blob[] | null;
  keepPendingUpload(files: readonly Blob[]): void;
  /** Stops the run: camera released, waits dropped, the run's signal aborted. */
  stopRun(): void;
  /** The run ends complete with this result (`result` step when planned). */
  finish(summary: Omit<ResultSummary, 'local'>): Promise<void>;
}
