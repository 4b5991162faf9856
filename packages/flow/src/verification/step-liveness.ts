/**
 * `liveness`: the selfie, by camera with `LivenessCapture`'s active challenges, or uploaded (a
 * plain selfie, liveness skipped); it must hold exactly one face. Runs after consent (loaded with
 * ./runtime.ts).
 */
import { EkycError, type liveness as coreLiveness } from '@ekyc/core';
import type { FlowAction } from './actions.ts';
import { HandoffRequested, asEkycError } from './flow-errors.ts';
import type { FlowHost } from './flow-host.ts';
import type { Selfie } from './run-data.ts';
import { actionOrHandoff, raceAction, recoverCapture } from './step-actions.ts';

export async function stepLiveness(host: FlowHost, signal: AbortSignal): Promise<void> {
  for (;;) {
    const mode = host.state.captureMode;
    host.enter('liveness', mode === 'camera' ? 'capture' : 'upload');
    host.pool.preload('face', 'liveness');
    try {
      let selfie: Selfie;
      const pendingFiles = host.takePendingUpload();
      if (pendingFiles) {
        selfie = await uploadedSelfie(host, pendingFiles);
      } else if (mode === 'camera') {
        const live = await cameraLiveness(host, signal);
        if (live.kind === 'action') {
          if (live.action.type !== 'upload') continue;
          selfie = await uploadedSelfie(host, (live.action as Extract<FlowAction, { type: 'upload' }>).files);
        } else {
          selfie = live.selfie;
        }
      } else {
        const action = await host.wait(['upload', 'camera', ...host.handoffType()], signal);
        if (action.type === 'camera') {
          host.set({ captureMode: 'camera' });
          continue;
        }
        selfie = await uploadedSelfie(host, (action as Extract<FlowAction, { type: 'upload' }>).files);
      }
      // The selfie must hold exactly one face before anything is built on it.
      const face = await host.pool.get('face', 'liveness');
      await host.rt.selfieEmbedding(face, selfie.image);
      host.data.selfie = selfie;
      const outcome = selfie.outcome;
      const summary = outcome
        ? { mode: 'active' as const, state: outcome.state, challenges: outcome.transcript.sequence.order, reason: outcome.reason, ...(outcome.diagnostics ? { diagnostics: outcome.diagnostics } : {}) }
        : { mode: 'selfie' as const, state: 'skipped' as const, challenges: [], reason: null };
      await host.data.events!.append('liveness.completed', { mode: summary.mode, state: summary.state });
      host.set({ liveness: summary });
      host.complete('liveness');
      return;
    } catch (error) {
      if (error instanceof HandoffRequested || signal.aborted) throw error;
      const coded = asEkycError(error);
      if (!coded.recoverable) throw coded;
      await recoverCapture(host, coded, 'liveness', signal);
    }
  }
}

async function uploadedSelfie(host: FlowHost, files: readonly Blob[]): Promise<Selfie> {
  host.progress({ kind: 'processing', step: 'liveness', task: 'upload.decode', done: 0, total: 1 });
  const image = await host.deps.images.decode(files[0]!);
  host.progress({ kind: 'processing', step: 'liveness', task: 'upload.decode', done: 1, total: 1 });
  return { image, source: 'upload', capturedAt: host.deps.now().toISOString(), outcome: null };
}

async function cameraLiveness(host: FlowHost, signal: AbortSignal): Promise<{ kind: 'captured'; selfie: Selfie } | { kind: 'action'; action: FlowAction }> {
  const pending = host.inbox.wait(['upload', ...host.handoffType()], signal);
  try {
    // The workers load (and the tracker runs its first, slow inference) before the camera opens:
    // the light is on only while frames are judged, and the first frame is judged within a few
    // frames of the camera starting. Opening the camera first measured 2.3 s of load plus the
    // first inference with the camera running unjudged (e2e/flow.spec.ts, docs/liveness.md).
    const workers = await raceAction(Promise.all([host.pool.get('liveness', 'liveness'), host.pool.get('face', 'liveness')]), pending);
    if ('action' in workers) return actionOrHandoff(workers.action);
    const camera = await host.openCamera('liveness', 'user', signal);
    const [tracker, face] = workers.value;
    const session = host.data.resolved!.session;
    const capture = host.deps.livenessCapture({
      video: camera.video, client: tracker, nonce: session.nonce, sessionId: session.sessionId,
      config: host.rt.coreLiveness.livenessConfig({ challengeCount: session.config.livenessChallengeCount }),
      embedFace: host.rt.faceEmbedderFrom(face), signal,
    });
    let challenge: coreLiveness.ChallengeProgress | null = null;
    let state: coreLiveness.LivenessState = 'waiting';
    capture.addEventListener('challenge', (event) => {
      const prompt = event.prompt;
      state = prompt.state === 'waiting' ? 'waiting' : 'active';
      challenge = prompt.kind === null ? null : { kind: prompt.kind, index: prompt.index, count: prompt.count, attempt: prompt.attempt, state: prompt.state === 'waiting' ? 'active' : prompt.state, progress: prompt.progress };
    });
    capture.addEventListener('track', (event) => {
      const track = event.track;
      const landmarks: number[] = [];
      if (track.landmarks) for (let i = 0; i + 1 < track.landmarks.length; i += 3) landmarks.push(track.landmarks[i]!, track.landmarks[i + 1]!);
      const box = track.box ? { x: track.box.x * track.frameWidth, y: track.box.y * track.frameHeight, width: track.box.width * track.frameWidth, height: track.box.height * track.frameHeight } : null;
      host.dispatch('guidance', {
        source: 'liveness', step: 'liveness', codes: [...track.guidance], face: box ? { box, landmarks } : null,
        frame: { width: track.frameWidth, height: track.frameHeight }, challenge, state,
      });
    });
    try {
      const outcome = await raceAction(capture.result, pending);
      if ('action' in outcome) return actionOrHandoff(outcome.action);
      const neutral = outcome.value.keyframes.find((keyframe) => keyframe.role === 'neutral') ?? outcome.value.keyframes[0];
      if (!neutral) throw new EkycError('face_not_found', 'The liveness capture ended without a keyframe.');
      return { kind: 'captured', selfie: { image: host.rt.copyImage(neutral.image), source: 'camera', capturedAt: host.deps.now().toISOString(), outcome: outcome.value } };
    } finally {
      capture.stop();
    }
  } finally {
    pending.cancel();
    host.releaseCamera();
  }
}
