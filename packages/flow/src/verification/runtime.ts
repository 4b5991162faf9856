/**
 * Everything `VerificationFlow` needs after consent, loaded with one dynamic `import()` once consent
 * is granted: the steps after consent (step-*.ts), evidence sealing and the session signer (zod
 * schemas, jose), document and face orchestration, liveness, camera capture, delivery. Kept out of
 * the code that renders the consent step, which must stay small (first-step JS budget,
 * scripts/size-check.mjs).
 */
export { createSessionSigner, face as coreFace, liveness as coreLiveness } from '@ekyc/core';
export { DocumentClient, decodeUpload, wantsOtherSide } from '@ekyc/workers';
export { openCamera } from '../capture/camera.ts';
export { DocumentCapture } from '../capture/document-capture.ts';
export { cameraFrames } from '../capture/document-frames.ts';
export { capturedFrame, startReading } from '../capture/document-reading.ts';
export { EvidenceDelivery } from '../transport/delivery.ts';
export { HttpSink } from '../transport/http-sink.ts';
export { EvidenceOutbox } from '../transport/outbox.ts';
export { LivenessCapture, faceEmbedderFrom, livenessEvidenceOf } from '../liveness/index.ts';
export {
  assignReadSides, cameraReadSide, capturedEventData, completionKeepsReading, decideSides, documentChecks, documentGeometryArtifact, documentReadArtifact, evidenceViz, frameDetails, keepsFirstSide, mrzSideOf, printedFieldsOf, qualityGuidance, readingGuidance, reviewData, vizCrossCheck,
} from './document.ts';
export { asLicenceRead, isLicenceRead, licenceReadArtifact, licenceReviewData, needsVisualZone } from './licence.ts';
export { sealRun } from './evidence.ts';
export { embedMainFace, matchThresholds, selfieEmbedding } from './face.ts';
export { copyImage, encodeJpeg, limitSide } from './images.ts';
// The steps after consent themselves (the flow's run loop calls them once this module is loaded).
export { documentSteps } from './step-document.ts';
export { stepLiveness } from './step-liveness.ts';
export { stepFaceMatch } from './step-face-match.ts';
export { stepEvidence } from './step-evidence.ts';
export { awaitDecision, stepSubmit } from './step-submit.ts';
