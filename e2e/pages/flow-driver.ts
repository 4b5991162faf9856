import type { Awaiting, StepId, VerificationFlow } from '@ekyc/flow';

/** What a headless page does at the waits of `VerificationFlow`, the way a UI would. */
export interface WaitAnswers {
  /** The file a step's `upload` wait gets; a step without one is left waiting. */
  uploads: Partial<Record<StepId, Blob>>;
  /** A step's `capture` wait (its camera is running); absent: the camera is left to auto-capture. */
  capture?: (step: StepId) => void;
  /** Just before the review is confirmed as shown (`flow.state.review` holds what the user sees). */
  beforeReview?: () => void;
  /** Each wait, when it is first announced, before it is answered. */
  onWait?: (step: StepId, awaiting: Awaiting) => void;
}

/**
 * Answers each wait of the flow once (a step and what it awaits): consent granted in en-GB, the review
 * confirmed unedited, uploads from `answers.uploads`, camera waits handed to `answers.capture`. Errors
 * and handoffs are left unanswered. Each answer runs in a microtask, after the `state` event's listeners.
 */
export function answerEachWait(flow: VerificationFlow, answers: WaitAnswers): void {
  const answered = new Set<string>();
  flow.addEventListener('state', (event) => {
    const { step, awaiting, status } = event.detail;
    if (status !== 'running' || step === null || awaiting === null) return;
    const key = `${step}:${awaiting}`;
    if (answered.has(key)) return;
    answered.add(key);
    answers.onWait?.(step, awaiting);
    queueMicrotask(() => {
      if (awaiting === 'consent') flow.grantConsent('en-GB');
      else if (awaiting === 'review') {
        answers.beforeReview?.();
        flow.confirmReview();
      } else if (awaiting === 'upload') {
        const file = answers.uploads[step];
        if (file) void flow.useUpload(file);
      } else if (awaiting === 'capture') answers.capture?.(step);
    });
  });
}
