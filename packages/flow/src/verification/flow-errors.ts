/** The errors the flow's run loop routes on (flow.ts) and the steps throw (step-*.ts). */
import { EkycError } from '@ekyc/core';
import type { FlowAction } from './actions.ts';

/** Thrown out of a step when the user asks for a handoff; the run loop follows it (handoff-follow.ts). */
export class HandoffRequested extends Error {
  constructor(readonly reply: Extract<FlowAction, { type: 'handoff' }>['reply']) {
    super('handoff requested');
  }
}

export const abortError = (): DOMException => new DOMException('The flow was stopped', 'AbortError');

export function asEkycError(error: unknown): EkycError {
  if (error instanceof EkycError) return error;
  return new EkycError('invalid_argument', 'Unexpected failure in the flow', { cause: error, recoverable: true, details: { cause: error instanceof Error ? error.name : typeof error } });
}
