/**
 * A document side by camera: camera + quality worker until auto-capture, then frames read until the
 * MRZ is stable (capture/document-reading.ts), or an action (upload, handoff) first; the camera is
 * released at once. Runs after consent (loaded with ./runtime.ts).
 */
import type { FrameVoteProgress, VotedDocument } from '../capture/document-reading.ts';
import type { FlowAction } from './actions.ts';
import type { FlowHost } from './flow-host.ts';
import { actionOrHandoff, raceAction } from './step-actions.ts';
import type { GuidanceDetail } from './types.ts';

export async function cameraDocument(host: FlowHost, step: 'document-front' | 'document-back', signal: AbortSignal): Promise<{ kind: 'read'; voted: VotedDocument } | { kind: 'action'; action: FlowAction }> {
  // The upload button shows while the camera is still opening (getUserMedia can take seconds, or
  // wait on a permission prompt): the flow listens for it from the start, so a file chosen then is
  // taken, not refused as an action nobody waits for.
  const pending = host.inbox.wait(['upload', ...host.handoffType()], signal);
  try {
    const opening = host.openCamera(step, 'environment', signal);
    const opened = await raceAction(opening, pending);
    if ('action' in opened) {
      // The camera may open after the action: stop it then, so no track stays live.
      opening.then((late) => (host.camera === late ? host.releaseCamera() : late.stop()), () => undefined);
      return actionOrHandoff(opened.action);
    }
    const camera = opened.value;
    const quality = await raceAction(host.pool.get('quality', step), pending);
    if ('action' in quality) return actionOrHandoff(quality.action);
    // An upload chosen meanwhile needs no quality worker: it does not wait for its configuration either.
    const configured = await raceAction(quality.value.configure(host.options.thresholds?.quality ?? {}), pending);
    if ('action' in configured) return actionOrHandoff(configured.action);
    const thresholds = configured.value;
    const capture = host.deps.documentCapture({ video: camera.video, quality: quality.value, signal });
    capture.addEventListener('assessment', (event) => {
      const detail: GuidanceDetail = { source: 'quality', step, ...host.rt.qualityGuidance(event.assessment, thresholds.stableFramesToCapture) };
      host.dispatch('guidance', detail);
    });
    const outcome = await raceAction(capture.captured, pending).finally(() => capture.stop());
    if ('action' in outcome) return actionOrHandoff(outcome.action);
    const document = await raceAction(host.pool.get('document', step), pending);
    if ('action' in document) return actionOrHandoff(document.action);
    host.progress({ kind: 'processing', step, task: 'document.read', done: 0, total: 1 });
    const onFrame = (progress: FrameVoteProgress): void => void host.rt.readingGuidance(step, progress, thresholds.stableFramesToCapture, (detail) => host.dispatch('guidance', detail));
    const reading = host.rt.startReading({
      reader: document.value, first: host.rt.capturedFrame(outcome.value), next: host.deps.documentFrames({ video: camera.video, quality: quality.value }),
      readOptions: { includeRectified: true }, signal, onFrame,
    }, { now: () => host.deps.now().getTime() });
    const voted = await raceAction(reading.result, pending).finally(() => reading.stop());
    if ('action' in voted) return actionOrHandoff(voted.action);
    host.progress({ kind: 'processing', step, task: 'document.read', done: 1, total: 1 });
    return { kind: 'read', voted: voted.value };
  } finally {
    pending.cancel();
    host.releaseCamera();
  }
}
