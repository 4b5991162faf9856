import type { RgbaImage, quality } from '@ekyc/core';
import type { TimedAssessment } from '@ekyc/workers';
import { canvasFrameReader, type FrameReader } from '../liveness/frame-reader.ts';
import type { FrameAnalyzer } from './document-capture.ts';

/** A camera frame with what the quality worker found in it. */
export interface JudgedFrame {
  /** The frame's pixels, as the camera delivered them. */
  image: RgbaImage<Uint8ClampedArray>;
  /** The document's corners in `image`; null when the quality worker found no document. */
  quad: quality.Quad | null;
  /** The quality worker's assessment (no pixels). */
  assessment: Omit<TimedAssessment, 'frame'>;
}

/** The next frame to read, judged; null when the video had no frame to give. */
export type NextFrame = (signal: AbortSignal) => Promise<JudgedFrame | null>;

/** How long to wait for a new video frame before taking the current one (a stalled or slow camera). */
const NEW_FRAME_WAIT_MS = 250;

/**
 * Frames of a playing video for the document reader after auto-capture, one at a time and only when
 * asked (the reader is the slow part; nothing is judged while it works). Each waits for a new video
 * frame, reads its pixels on the main thread (the quality worker hands pixels back only for the
 * auto-captured frame), and sends a copy to the quality worker for the document's quad: the same
 * stream the capture used, so its outline tracking carries on.
 */
export function cameraFrames(video: HTMLVideoElement, analyzer: FrameAnalyzer, readFrame: FrameReader = canvasFrameReader()): NextFrame {
  return async (signal) => {
    await nextVideoFrame(video, signal);
    const image = readFrame(video);
    if (!image) return null;
    const pixels = image.data instanceof Uint8ClampedArray ? image.data : new Uint8ClampedArray(image.data);
    const own: RgbaImage<Uint8ClampedArray> = { width: image.width, height: image.height, data: pixels };
    // The worker takes its copy's buffer (transferred); the reader keeps the original.
    const { frame: _pixels, ...assessment } = await analyzer.analyzeFrame({ width: own.width, height: own.height, data: new Uint8ClampedArray(pixels) });
    signal.throwIfAborted();
    return { image: own, quad: assessment.metrics.document?.corners ?? null, assessment };
  };
}

function nextVideoFrame(video: HTMLVideoElement, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    let handle = 0;
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (typeof video.cancelVideoFrameCallback === 'function') video.cancelVideoFrameCallback(handle);
      resolve();
    };
    const onAbort = (): void => {
      done();
      reject(signal.reason);
    };
    const timer = setTimeout(done, NEW_FRAME_WAIT_MS);
    signal.addEventListener('abort', onAbort, { once: true });
    if (typeof video.requestVideoFrameCallback === 'function') handle = video.requestVideoFrameCallback(done);
  });
}
