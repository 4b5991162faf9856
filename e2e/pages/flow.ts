import { VerificationFlow, takeHandoffTokenFromLocation, type FlowState, type HandoffStatus, type ResultSummary, type StepId } from '@ekyc/flow';
import { documentBlob, selfieBlob } from './elements-fixtures.ts';
import { answerEachWait } from './flow-driver.ts';

/**
 * Drives `VerificationFlow` headless (no elements) the way a UI would: it answers every wait from
 * the `state` events (consent, upload, review). The session comes from a real verifier started by
 * the test (reached through a same-origin proxy route); the document is a rendered TD3 page whose
 * portrait is cut from the same photo as the selfie.
 */

export interface FlowRunOptions {
  /** `camera`: each capture step opens the (fake) camera first, lets it run until `cameraMs` of guidance, then switches to the upload. */
  capture: 'camera' | 'upload';
  /** Camera steps: switch to the upload once this many guidance events came (default 3), or after `cameraMs` (default 120 s). */
  guidanceFrames?: number;
  cameraMs?: number;
  /** Leave the liveness step to the camera (a face clip as the fake camera): no selfie upload. */
  livenessByCamera?: boolean;
  seed?: number;
  /** Print these visual-zone values on the passport page instead of its MRZ's (a modified page). */
  printed?: Record<string, string>;
}

interface TimelineEntry { t: number; type: string; step?: StepId | null; detail?: Record<string, unknown> }

export interface FlowRunReport {
  status: FlowState['status'];
  steps: StepId[];
  result: ResultSummary | null;
  error: FlowState['error'];
  timeline: TimelineEntry[];
  /** Per step: ms from start() to the step event, and to the step being ready for the user (waiting). */
  stepAt: Record<string, number>;
  readyAt: Record<string, number>;
  models: Array<{ worker: string; step: string; bytesTotal: number; loadingAt: number; readyAt: number | null }>;
  /** For every camera stream the flow opened: the step, and whether all its tracks had ended by the next step event and by the end. */
  cameras: Array<{ step: string; facingMode: string; endedAtNextStep: boolean | null; endedAtEnd: boolean; guidanceEvents: number }>;
  uploadBytes: { document: number; selfie: number };
}

const flowTest = {
  /** The handoff token in this page's address (the phone side), removed from the address bar; null when none. */
  takeHandoffToken(): string | null {
    return takeHandoffTokenFromLocation();
  },

  /**
   * The desktop side of a handoff: starts the flow, asks for a link at the consent step ("continue on
   * my phone") and resolves with it; the flow keeps following the session, and
   * `desktopResult()` resolves when it completes.
   */
  async startDesktop(verifierBase: string, session: { sessionId: string; clientToken: string }): Promise<{ url: string; expiresAt: string }> {
    const flow = new VerificationFlow({
      session: { verifierUrl: new URL(verifierBase, location.href).href, ...session },
      assetBaseUrl: '/ekyc/', backend: 'wasm', capture: 'upload', statusPollMs: 300, handoffUrl: new URL('/e2e/pages/flow.html', location.href).href,
      consent: { id: 'kyc-consent', version: '2026-01', text: { en: 'We capture your identity document and a selfie to verify your identity.' } },
    });
    const statuses: HandoffStatus[] = [];
    const camerasOpened: string[] = [];
    flow.addEventListener('handoff', (event) => statuses.push(event.detail.status));
    flow.addEventListener('camera', (event) => { if (event.detail.stream) camerasOpened.push(event.detail.step); });
    let asked = false;
    const link = new Promise<{ url: string; expiresAt: string }>((resolve, reject) => {
      flow.addEventListener('state', (event) => {
        const { step, awaiting } = event.detail;
        // At consent: the desktop captures nothing, so it needs no consent of its own; the phone asks for it.
        if (step === 'consent' && awaiting === 'consent' && !asked) {
          asked = true;
          queueMicrotask(() => flow.startHandoff().then(({ url, expiresAt }) => resolve({ url, expiresAt }), reject));
        }
      });
    });
    const done = flow.start().then((final) => ({ status: final.status, result: final.result ? { ...final.result, sealed: null } : null, error: final.error, statuses, camerasOpened }));
    window.desktopDone = done;
    return link;
  },

  desktopResult(): Promise<{ status: string; result: ResultSummary | null; error: FlowState['error']; statuses: HandoffStatus[]; camerasOpened: string[] }> {
    return window.desktopDone!;
  },

  async run(verifierBase: string, session: { sessionId: string; clientToken: string } | { handoffToken: string }, options: FlowRunOptions): Promise<FlowRunReport> {
    const [doc, selfie] = await Promise.all([documentBlob(options.seed ?? 4, options.printed), selfieBlob()]);
    const flow = new VerificationFlow({
      session: { verifierUrl: new URL(verifierBase, location.href).href, ...session },
      assetBaseUrl: '/ekyc/',
      backend: 'wasm',
      locale: 'en-GB',
      capture: options.capture,
      consent: { id: 'kyc-consent', version: '2026-01', text: { en: 'We capture your identity document and a selfie to verify your identity. Example Ltd keeps them for 30 days.' } },
      decisionWaitMs: 120_000,
      statusPollMs: 500,
    });
    const t0 = performance.now();
    const now = (): number => Math.round(performance.now() - t0);
    const timeline: TimelineEntry[] = [];
    const stepAt: Record<string, number> = {};
    const readyAt: Record<string, number> = {};
    const models: FlowRunReport['models'] = [];
    const cameras: Array<{ step: string; facingMode: string; stream: MediaStream; endedAtNextStep: boolean | null; guidanceEvents: number }> = [];
    const steps: StepId[] = [];
    let guidance = 0;
    const guidanceByStep: Record<string, number> = {};

    flow.addEventListener('step', (event) => {
      const { step } = event.detail;
      steps.push(step);
      stepAt[step] ??= now();
      timeline.push({ t: now(), type: 'step', step, detail: { awaiting: event.detail.awaiting } });
      for (const camera of cameras) camera.endedAtNextStep ??= camera.stream.getTracks().every((track) => track.readyState === 'ended');
    });
    flow.addEventListener('progress', (event) => {
      const d = event.detail;
      if (d.kind === 'model') {
        // One entry per load: `loading` repeats as the bytes arrive.
        if (d.state === 'loading') {
          if (!models.some((m) => m.worker === d.worker && m.readyAt === null)) models.push({ worker: d.worker, step: d.step, bytesTotal: d.bytesTotal, loadingAt: now(), readyAt: null });
        }
        else {
          const entry = models.find((m) => m.worker === d.worker && m.readyAt === null);
          if (entry) entry.readyAt = now();
        }
      }
      timeline.push({ t: now(), type: 'progress', detail: { ...d, assets: undefined } as Record<string, unknown> });
    });
    flow.addEventListener('camera', (event) => {
      const { stream, step, facingMode } = event.detail;
      timeline.push({ t: now(), type: 'camera', step, detail: { open: stream !== null, facingMode } });
      if (stream) cameras.push({ step, facingMode, stream, endedAtNextStep: null, guidanceEvents: 0 });
    });
    flow.addEventListener('guidance', (event) => {
      guidance++;
      guidanceByStep[event.detail.step] = (guidanceByStep[event.detail.step] ?? 0) + 1;
      const camera = cameras.at(-1);
      if (camera) camera.guidanceEvents++;
      if (guidance <= 3) timeline.push({ t: now(), type: 'guidance', step: event.detail.step, detail: { source: event.detail.source, codes: event.detail.codes.join(',') } });
    });
    flow.addEventListener('error', (event) => timeline.push({ t: now(), type: 'error', step: event.detail.step, detail: { code: event.detail.code, recoverable: event.detail.recoverable } }));

    // The UI's part: answer each wait once; a camera step runs the camera for a while, then takes the upload.
    const uploads: Partial<Record<StepId, Blob>> = { 'document-front': doc, liveness: selfie };
    const cameraThenUpload = (step: StepId, file: Blob): void => {
      const waitForGuidance = async (): Promise<void> => {
        const started = performance.now();
        const seen = (): number => guidanceByStep[step] ?? 0;
        // Let the camera run until its worker has judged a few frames (guidance events), then switch to the upload.
        while (seen() < (options.guidanceFrames ?? 3) && performance.now() - started < (options.cameraMs ?? 120_000) && flow.state.step === step) await new Promise((r) => setTimeout(r, 100));
        if (flow.state.step === step) await flow.useUpload(file);
      };
      void waitForGuidance();
    };
    answerEachWait(flow, {
      uploads,
      capture: (step) => {
        const file = uploads[step];
        if (file && !(step === 'liveness' && options.livenessByCamera)) cameraThenUpload(step, file);
      },
      onWait: (step) => { readyAt[step] ??= now(); },
    });

    const final = await flow.start();
    flow.dispose();
    return {
      status: final.status, steps, result: final.result ? { ...final.result, sealed: null } : null, error: final.error, timeline, stepAt, readyAt, models,
      cameras: cameras.map(({ stream, ...rest }) => ({ ...rest, endedAtEnd: stream.getTracks().every((track) => track.readyState === 'ended') })),
      uploadBytes: { document: doc.size, selfie: selfie.size },
    };
  },
};

declare global {
  interface Window {
    flowTest: typeof flowTest;
    desktopDone?: Promise<{ status: string; result: ResultSummary | null; error: FlowState['error']; statuses: HandoffStatus[]; camerasOpened: string[] }>;
  }
}
window.flowTest = flowTest;
document.body.dataset.ready = 'true';
