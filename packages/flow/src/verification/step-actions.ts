/** How the steps race the user's actions against their work, and what a failed step offers. */
import type { EkycError } from '@ekyc/core';
import type { FlowAction } from './actions.ts';
import { HandoffRequested, asEkycError } from './flow-errors.ts';
import type { FlowHost } from './flow-host.ts';
import type { RecoveryAction, StepId } from './types.ts';

/** The work's value, or the action that came first. */
export async function raceAction<T>(work: Promise<T>, pending: { promise: Promise<FlowAction> }): Promise<{ value: T } | { action: FlowAction }> {
  return Promise.race([work.then((value) => ({ value })), pending.promise.then((action) => ({ action }))]);
}

/** An action that ended a capture: a handoff leaves the step (`HandoffRequested`), any other is returned. */
export function actionOrHandoff(action: FlowAction): { kind: 'action'; action: FlowAction } {
  if (action.type === 'handoff') throw new HandoffRequested(action.reply);
  return { kind: 'action', action };
}

/**
 * Capture errors offer the camera again and upload; camera errors, and every failed selfie (no
 * face, more than one, a liveness capture without a neutral frame), also a phone when the session
 * comes from a verifier: a desktop webcam that cannot take the selfie is a dead end otherwise.
 */
export function cameraActions(host: FlowHost, error: EkycError, step: StepId): RecoveryAction[] {
  const phone = error.code.startsWith('camera_') || step === 'liveness';
  const actions: RecoveryAction[] = ['retry', 'upload'];
  if (phone && host.handoffType().length > 0) actions.push('handoff');
  return actions;
}

/**
 * A recoverable capture failure (document side or selfie): waits for the user's choice, switches
 * the capture mode to it, and keeps files given with the recovery itself for the step's next turn.
 */
export async function recoverCapture(host: FlowHost, error: EkycError, step: StepId, signal: AbortSignal): Promise<void> {
  const action = await host.recover(error, step, cameraActions(host, error, step), signal);
  if (action.type === 'upload') host.set({ captureMode: 'upload' });
  else if (action.type === 'camera') host.set({ captureMode: 'camera' });
  if (action.type === 'upload' && action.files.length > 0) {
    // Files given with the recovery itself: handled on the next turn as an upload.
    host.keepPendingUpload(action.files);
  }
}

/** A failed step without capture (read, face match): an abort or an unrecoverable error ends the run, else the user may retry. */
export async function offerRetry(host: FlowHost, error: unknown, step: StepId, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw error;
  const coded = asEkycError(error);
  if (!coded.recoverable) throw coded;
  await host.recover(coded, step, ['retry'], signal);
}
