/**
 * Registers every element under its `ekyc-` tag (idempotent: a tag already defined, e.g. by a second
 * copy of the bundle, is left alone).
 */
import type { CancelDetail, CompleteDetail, FlowErrorDetail, GuidanceDetail, ProgressDetail, StepDetail } from '@ekyc/flow';
import { EkycConsent, type ConsentAcceptDetail } from './consent/ekyc-consent.ts';
import { EkycDocumentCapture } from './document-capture/ekyc-document-capture.ts';
import { EkycDocumentReview, type ReviewConfirmDetail } from './document-review/ekyc-document-review.ts';
import { EkycErrorScreen, type RecoverDetail } from './error-screen/ekyc-error-screen.ts';
import { EkycFlow } from './flow/ekyc-flow.ts';
import { EkycHandoff } from './handoff/ekyc-handoff.ts';
import { EkycLiveness } from './liveness/ekyc-liveness.ts';
import { EkycProgress } from './progress/ekyc-progress.ts';
import { EkycResult } from './result/ekyc-result.ts';
import { EkycUpload } from './upload/ekyc-upload.ts';
import type { UploadDetail } from './shared/file-picker.ts';

export const ELEMENTS = {
  'ekyc-flow': EkycFlow,
  'ekyc-consent': EkycConsent,
  'ekyc-document-capture': EkycDocumentCapture,
  'ekyc-document-review': EkycDocumentReview,
  'ekyc-liveness': EkycLiveness,
  'ekyc-result': EkycResult,
  'ekyc-error-screen': EkycErrorScreen,
  'ekyc-upload': EkycUpload,
  'ekyc-handoff': EkycHandoff,
  'ekyc-progress': EkycProgress,
} as const;

for (const [tag, element] of Object.entries(ELEMENTS)) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

declare global {
  /** Every event the elements dispatch, with its detail type (they bubble and are composed). */
  interface HTMLElementEventMap {
    'ekyc-step': CustomEvent<StepDetail>;
    'ekyc-progress': CustomEvent<ProgressDetail>;
    'ekyc-guidance': CustomEvent<GuidanceDetail>;
    'ekyc-complete': CustomEvent<CompleteDetail>;
    'ekyc-error': CustomEvent<FlowErrorDetail>;
    'ekyc-cancel': CustomEvent<CancelDetail>;
    'ekyc-consent-accept': CustomEvent<ConsentAcceptDetail>;
    'ekyc-consent-decline': CustomEvent<Record<string, never>>;
    'ekyc-upload': CustomEvent<UploadDetail>;
    'ekyc-review-confirm': CustomEvent<ReviewConfirmDetail>;
    'ekyc-review-retake': CustomEvent<Record<string, never>>;
    'ekyc-recover': CustomEvent<RecoverDetail>;
    'ekyc-handoff-renew': CustomEvent<Record<string, never>>;
    'ekyc-handoff-cancel': CustomEvent<Record<string, never>>;
  }

  interface HTMLElementTagNameMap {
    'ekyc-flow': EkycFlow;
    'ekyc-consent': EkycConsent;
    'ekyc-document-capture': EkycDocumentCapture;
    'ekyc-document-review': EkycDocumentReview;
    'ekyc-liveness': EkycLiveness;
    'ekyc-result': EkycResult;
    'ekyc-error-screen': EkycErrorScreen;
    'ekyc-upload': EkycUpload;
    'ekyc-handoff': EkycHandoff;
    'ekyc-progress': EkycProgress;
  }
}
