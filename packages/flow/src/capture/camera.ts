import { EkycError } from '@ekyc/core';
import { cameraConstraints, type CameraOptions } from './camera-constraints.ts';
import { cameraError, cameraUnsupportedError } from './camera-errors.ts';

export interface OpenCameraOptions extends CameraOptions {
  /** Plays into this element (e.g. your preview); by default a new one, not attached to the DOM. */
  video?: HTMLVideoElement;
  /** Aborting stops the camera if it opened meanwhile and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** An open camera: its stream playing in a muted, inline video element. */
export interface Camera {
  readonly stream: MediaStream;
  readonly video: HTMLVideoElement;
  /** What the camera settled on (width, height, frameRate, facingMode...), read once it plays. */
  readonly settings: MediaTrackSettings;
  /** Stops every track and detaches the stream from the video element. Idempotent. */
  stop(): void;
}

/**
 * Opens the camera (video only) and starts it playing. getUserMedia failures become `camera_denied`,
 * `camera_not_found` or `camera_in_use`; no camera API at all (insecure context) is `camera_unsupported`.
 */
export async function openCamera(options: OpenCameraOptions = {}): Promise<Camera> {
  const { signal } = options;
  signal?.throwIfAborted();
  const devices: MediaDevices | undefined = globalThis.navigator?.mediaDevices;
  if (typeof devices?.getUserMedia !== 'function') throw cameraUnsupportedError(globalThis.isSecureContext === true);
  let stream: MediaStream;
  try {
    stream = await devices.getUserMedia(cameraConstraints(options));
  } catch (error) {
    throw cameraError(error);
  }
  const video = options.video ?? document.createElement('video');
  const stop = (): void => {
    for (const track of stream.getTracks()) track.stop();
    if (video.srcObject === stream) video.srcObject = null;
  };
  try {
    signal?.throwIfAborted();
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    try {
      await video.play();
    } catch (error) {
      throw new EkycError('camera_in_use', 'The camera stream could not be played', { details: { cause: error instanceof Error ? error.name : typeof error } });
    }
    signal?.throwIfAborted();
    const settings = stream.getVideoTracks()[0]?.getSettings() ?? {};
    return { stream, video, settings, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
