/** What to ask the camera for; every field is a preference, except `deviceId`. */
export interface CameraOptions {
  /** Default `environment` (the back camera on a phone); ignored when `deviceId` is given. */
  facingMode?: 'environment' | 'user';
  /** A device from `enumerateDevices()`, required exactly. */
  deviceId?: string;
  /** Ideal frame size; defaults 1280 x 720. The camera may settle on another: read `settings`. */
  width?: number;
  height?: number;
  /** Ideal frame rate; unset by default (the camera's own). */
  frameRate?: number;
}

/** The `getUserMedia` constraints for the options: video only, all ideals but the device id. */
export function cameraConstraints(options: CameraOptions = {}): MediaStreamConstraints {
  const video: MediaTrackConstraints = {
    width: { ideal: options.width ?? 1280 },
    height: { ideal: options.height ?? 720 },
  };
  if (options.deviceId !== undefined) video.deviceId = { exact: options.deviceId };
  else video.facingMode = { ideal: options.facingMode ?? 'environment' };
  if (options.frameRate !== undefined) video.frameRate = { ideal: options.frameRate };
  return { audio: false, video };
}
