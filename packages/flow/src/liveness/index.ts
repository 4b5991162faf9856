export {
  ChallengeEvent, CompleteEvent, LivenessCapture, TrackEvent,
  type ChallengePrompt, type FaceEmbedder, type FaceTrack, type LivenessCaptureKeyframe, type LivenessCaptureOptions,
  type LivenessCaptureStats, type LivenessContinuity, type LivenessOutcome, type LivenessTracker,
} from './liveness-capture.ts';
export { canvasFrameReader, videoTrackLabel, type FrameReader } from './frame-reader.ts';
export { faceEmbedderFrom, livenessEvidenceOf } from './evidence.ts';
export { livenessDiagnostics, type LivenessAttemptDiagnostic, type LivenessDiagnostics, type LivenessFailureCause } from './diagnostics.ts';
