/**
 * `@ekyc/elements`: importing this module defines every `ekyc-*` element. Import the classes from
 * here to subclass or to type your code; the element tags are registered once.
 */
export { ELEMENTS } from './define.ts';
export { EkycElement } from './shared/ekyc-element.ts';
export { AnnouncementThrottle, LiveAnnouncer, type AnnouncementClock } from './shared/announcer.ts';
export type { UploadDetail } from './shared/file-picker.ts';
export { EkycFlow, type FlowFactory, type FlowElementErrorDetail } from './flow/ekyc-flow.ts';
export { HANDOFF_FRAGMENT, handoffTokenFromHash, parseSessionUrl, sessionSourceFrom } from './flow/session-source.ts';
export { EkycConsent, type ConsentAcceptDetail } from './consent/ekyc-consent.ts';
export { CONSENT_SECTIONS, consentText, consentTexts, type ConsentTextOptions } from './consent/consent-text.ts';
export { EkycDocumentCapture, guideRect, type DocumentGuidance } from './document-capture/ekyc-document-capture.ts';
export { EkycDocumentReview, EDITABLE_FIELDS, REVIEW_ORDER, type ReviewConfirmDetail } from './document-review/ekyc-document-review.ts';
export { EkycLiveness, faceOval, type LivenessGuidance } from './liveness/ekyc-liveness.ts';
export { EkycResult, outcomeOf, type ResultOutcome } from './result/ekyc-result.ts';
export { EkycErrorScreen, type RecoverDetail } from './error-screen/ekyc-error-screen.ts';
export { EkycUpload, type UploadKind } from './upload/ekyc-upload.ts';
export { EkycHandoff } from './handoff/ekyc-handoff.ts';
export { qrMatrix, type QrMatrix } from './handoff/qr.ts';
export { EkycProgress } from './progress/ekyc-progress.ts';
export * from './i18n/index.ts';
