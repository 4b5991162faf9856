import { liveness, type RgbaImage } from '@ekyc/core';
import { faceEmbedderFrom, LivenessCapture, openCamera, type ChallengePrompt, type LivenessOutcome } from '@ekyc/flow';
import { FaceClient, LivenessClient } from '@ekyc/workers';

/** Test page of `LivenessCapture` on the camera (Chromium's fake camera fed a y4m); e2e/liveness-capture.spec.ts drives `window.livenessCaptureTest`. */

let client: LivenessClient | undefined;
let faces: FaceClient | undefined;
let getUserMediaCalls = 0;

// An observer of getUserMedia (changes nothing): the capture must never open a camera itself.
const devices = navigator.mediaDevices;
const getUserMedia = devices.getUserMedia.bind(devices);
devices.getUserMedia = (constraints) => {
  getUserMediaCalls++;
  return getUserMedia(constraints);
};

function base64(data: RgbaImage['data']): string {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export interface RunOptions {
  nonce: string;
  challengeCount: number;
  maxMs: number;
  /** Pose-matched continuity through the face worker. */
  continuity: boolean;
  /** Abort as soon as the first challenge is asked (to check a clean stop mid-session). */
  abortWhenActive?: boolean;
  /** Send the keyframes' RGBA (base64) back, for building evidence in Node. */
  withPixels?: boolean;
}

const livenessCaptureTest = {
  async init(): Promise<void> {
    client ??= new LivenessClient({ assetBaseUrl: '/ekyc/' }, 170_000);
    // One frame through the models first: their first run is slow, and the camera would otherwise wait on it.
    await client.track({ width: 640, height: 480, data: new Uint8ClampedArray(640 * 480 * 4).fill(128) });
    await client.reset();
  },

  async run(options: RunOptions) {
    if (!client) throw new Error('init first');
    if (options.continuity) faces ??= new FaceClient({ assetBaseUrl: '/ekyc/', backend: 'wasm', models: { antiSpoof: undefined, eye: undefined } }, 170_000);
    const callsBefore = getUserMediaCalls;
    const camera = await openCamera({ facingMode: 'user', width: 640, height: 480 });
    const camerasOpened = getUserMediaCalls - callsBefore;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('Too long', 'TimeoutError')), options.maxMs);
    const capture = new LivenessCapture({
      video: camera.video,
      client,
      nonce: options.nonce,
      sessionId: 'e2e-session',
      config: liveness.livenessConfig({ challengeCount: options.challengeCount }),
      ...(options.continuity && faces ? { embedFace: faceEmbedderFrom(faces) } : {}),
      signal: controller.signal,
    });
    const prompts: ChallengePrompt[] = [];
    const guidance: Record<string, number> = {};
    let tracks = 0;
    let completes = 0;
    capture.addEventListener('challenge', (event) => {
      if (event.prompt.changed) prompts.push(event.prompt);
      if (options.abortWhenActive && event.prompt.state === 'active') controller.abort(new DOMException('The user left', 'AbortError'));
    });
    capture.addEventListener('track', (event) => {
      tracks++;
      for (const code of event.track.guidance) guidance[code] = (guidance[code] ?? 0) + 1;
    });
    capture.addEventListener('complete', () => completes++);
    let outcome: LivenessOutcome | undefined;
    let error: { name: string; message: string; code?: string } | undefined;
    try {
      outcome = await capture.result;
    } catch (e) {
      const x = e as { name?: string; message?: string; code?: string };
      error = { name: x.name ?? 'Error', message: x.message ?? String(e), ...(x.code ? { code: x.code } : {}) };
    } finally {
      clearTimeout(timer);
    }
    const trackList = camera.stream.getTracks();
    const liveBeforeStop = trackList.filter((t) => t.readyState === 'live').length;
    camera.stop();
    // Frames after the end reach no worker: wait a few frame times and count again.
    const trackedAtEnd = capture.stats.tracked;
    await new Promise((resolve) => setTimeout(resolve, 300));
    return {
      error,
      stoppedCleanly: capture.isStopped && capture.stats.tracked === trackedAtEnd,
      camerasOpened,
      openedByCapture: getUserMediaCalls - callsBefore - camerasOpened,
      liveBeforeStop,
      trackStates: trackList.map((t) => t.readyState),
      videoDetached: camera.video.srcObject === null,
      prompts, guidance, tracks, completes,
      outcome: outcome && {
        ...outcome,
        keyframes: outcome.keyframes.map((k) => ({ role: k.role, t: k.t, sha256: k.sha256, width: k.image.width, height: k.image.height, landmarks: k.landmarks ? k.landmarks.length : 0, ...(options.withPixels ? { rgba: base64(k.image.data) } : {}) })),
      },
    };
  },
};

declare global {
  interface Window { livenessCaptureTest: typeof livenessCaptureTest }
}
window.livenessCaptureTest = livenessCaptureTest;
document.body.dataset['ready'] = 'true';
