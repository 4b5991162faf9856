/**
 * The user's actions as the run loop receives them. A step waits for a set of action types; an
 * action arriving when nothing waits for it is refused (`invalid_argument`), so a double click or a
 * late button press cannot skip a step.
 */
import { EkycError } from '@ekyc/core';
import type { HandoffInfo, ReviewEdits } from './types.ts';

export type FlowAction =
  | { type: 'consent'; locale: string }
  | { type: 'decline' }
  | { type: 'upload'; files: readonly Blob[] }
  | { type: 'camera' }
  | { type: 'retry' }
  | { type: 'review'; edits: ReviewEdits | null }
  | { type: 'retake' }
  | { type: 'handoff'; reply: { resolve(info: HandoffInfo): void; reject(error: unknown): void } }
  /** The desktop stops following a handoff and goes back to the step it left. */
  | { type: 'handoff-cancel' };

export type ActionType = FlowAction['type'];

interface Waiter {
  types: ReadonlySet<ActionType>;
  resolve(action: FlowAction): void;
  reject(reason: unknown): void;
}

export interface PendingAction {
  readonly promise: Promise<FlowAction>;
  /** Stops waiting (e.g. the camera captured first); the promise then never settles. */
  cancel(): void;
}

export class ActionInbox {
  #waiter: Waiter | null = null;

  /** Waits for one of `types`; rejects with the signal's reason on abort. One wait at a time. */
  wait(types: readonly ActionType[], signal: AbortSignal): PendingAction {
    let waiter: Waiter | null = null;
    const promise = new Promise<FlowAction>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        if (this.#waiter === waiter) this.#waiter = null;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      waiter = {
        types: new Set(types),
        resolve: (action) => {
          signal.removeEventListener('abort', onAbort);
          resolve(action);
        },
        reject,
      };
      this.#waiter = waiter;
    });
    promise.catch(() => undefined);
    return {
      promise,
      cancel: () => {
        if (this.#waiter === waiter) this.#waiter = null;
      },
    };
  }

  accepts(type: ActionType): boolean {
    return this.#waiter?.types.has(type) ?? false;
  }

  /** Hands the action to the waiting step; throws `invalid_argument` when no step waits for it. */
  deliver(action: FlowAction): void {
    const waiter = this.#waiter;
    if (!waiter || !waiter.types.has(action.type)) {
      throw new EkycError('invalid_argument', `The flow is not waiting for "${action.type}" now.`, { details: { action: action.type, waiting: waiter ? [...waiter.types].join(',') : 'none' } });
    }
    this.#waiter = null;
    waiter.resolve(action);
  }

  clear(): void {
    this.#waiter = null;
  }
}
