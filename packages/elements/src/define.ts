/**
 * Registers every element under its `ekyc-` tag (idempotent: a tag already defined, e.g. by a second
 * copy of the bundle, is left alone).
 */
import { EkycConsent } from './consent/ekyc-consent.ts';
import { EkycDocumentCapture } from './document-capture/ekyc-document-capture.ts';
import { EkycDocumentReview } from './document-review/ekyc-document-review.ts';
import { EkycErrorScreen } from './error-screen/ekyc-error-screen.ts';
import { EkycFlow } from './flow/ekyc-flow.ts';
import { EkycHandoff } from './handoff/ekyc-handoff.ts';
import { EkycLiveness } from './liveness/ekyc-liveness.ts';
import { EkycProgress } from './progress/ekyc-progress.ts';
import { EkycResult } from './result/ekyc-result.ts';
import { EkycUpload } from './upload/ekyc-upload.ts';

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
