export { openCamera, type Camera, type OpenCameraOptions } from './camera.ts';
export { cameraConstraints, type CameraOptions } from './camera-constraints.ts';
export { cameraError, cameraUnsupportedError } from './camera-errors.ts';
export { watchVideoFrames } from './video-frames.ts';
export { AssessmentEvent, DocumentCapture, type CaptureResult, type CaptureStats, type DocumentCaptureOptions, type FrameAnalyzer } from './document-capture.ts';
