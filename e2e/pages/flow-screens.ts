import type { EkycFlow } from '@ekyc/elements';
import {
  assetsOf, type CameraDetail, type FlowErrorDetail, type FlowState, type GuidanceDetail, type HandoffInfo, type ProgressDetail,
  type StepDetail, type StepId, type VerificationFlowApi,
} from '@ekyc/flow';
import { worker } from './quality-kit.ts';
import { RESULT, SPECIMEN_REVIEW, paintedStream } from './elements-fixtures.ts';

/**
 * Every screen of `<ekyc-flow>`, from a flow put straight into the state (and events) that shows it:
 * the element itself renders, in any locale, without loading models or starting a verifier. The
 * camera screens preview a painted stream; the document's guidance (codes and detected corners) is
 * the real quality worker's judgement of that frame. Runs of the real flow: e2e/elements-flow.spec.ts.
 */

const PLAN: readonly StepId[] = ['session', 'consent', 'document-front', 'document-read', 'document-review', 'liveness', 'face-match', 'evidence', 'result'];

type Event = readonly [name: string, detail: unknown];
interface Scene {
  state: Partial<FlowState>;
  /** Dispatched after `step` and before `state`, in order. */
  events?: readonly Event[];
}

/** A flow that is put into one state and stays there; it records the actions the element calls. */
class ScriptedFlow extends EventTarget implements VerificationFlowApi {
  state: FlowState = {
    status: 'idle', step: null, plan: PLAN, completed: [], awaiting: null, captureMode: 'camera', session: null, consent: null,
    sides: [], review: null, liveness: null, faceMatch: null, handoff: null, result: null, error: null,
  };
  readonly actions: string[] = [];
  readonly #streams: MediaStream[] = [];
  #end: ((state: FlowState) => void) | null = null;

  start(): Promise<FlowState> {
    return new Promise((resolve) => { this.#end = resolve; });
  }

  play(scene: Scene): void {
    const step = scene.state.step ?? null;
    const state: FlowState = { ...this.state, status: 'running', ...scene.state };
    if (step) {
      const index = PLAN.indexOf(step);
      const detail: StepDetail = { step, previous: this.state.step, index, total: PLAN.length, awaiting: state.awaiting, captureMode: state.captureMode };
      this.#emit('step', detail);
    }
    for (const [name, detail] of scene.events ?? []) {
      if (name === 'camera' && (detail as CameraDetail).stream) this.#streams.push((detail as CameraDetail).stream!);
      this.#emit(name, detail);
    }
    this.state = { ...state, completed: step ? PLAN.slice(0, Math.max(0, PLAN.indexOf(step))) : [] };
    this.#emit('state', this.state);
  }

  #emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  #stop(): void {
    for (const stream of this.#streams.splice(0)) for (const track of stream.getTracks()) track.stop();
    this.#end?.(this.state);
  }

  reset(): void { this.actions.push('reset'); this.#stop(); }
  cancel(): void { this.actions.push('cancel'); this.#stop(); }
  dispose(): void { this.actions.push('dispose'); this.#stop(); }
  grantConsent(): void { this.actions.push('grantConsent'); }
  declineConsent(): void { this.actions.push('declineConsent'); }
  async useUpload(): Promise<void> { this.actions.push('useUpload'); }
  retryCamera(): void { this.actions.push('retryCamera'); }
  retry(): void { this.actions.push('retry'); }
  retake(): void { this.actions.push('retake'); }
  confirmReview(): void { this.actions.push('confirmReview'); }
  cancelHandoff(): void { this.actions.push('cancelHandoff'); }
  async startHandoff(): Promise<HandoffInfo> {
    this.actions.push('startHandoff');
    return HANDOFF;
  }
}

const HANDOFF: HandoffInfo = { url: `${location.origin}/e2e/pages/elements.html#ekyc-handoff=hx_4Jq9TzWm2cVb8sLk`, expiresAt: '2026-12-02T02:10:00Z', status: 'waiting' };

/** The document worker part-way through its download: the files it lists, the first ones in, the next one half. */
function documentLoading(): ProgressDetail {
  const assets = assetsOf('document');
  const bytesTotal = assets.reduce((sum, a) => sum + a.bytesTotal, 0);
  let left = Math.round(bytesTotal * 0.4);
  const loaded = assets.map((a) => {
    const bytesLoaded = Math.min(a.bytesTotal, left);
    left -= bytesLoaded;
    return { ...a, bytesLoaded };
  });
  return { kind: 'model', step: 'document-front', worker: 'document', state: 'loading', assets: loaded, bytesLoaded: Math.round(bytesTotal * 0.4), bytesTotal };
}

function cameraError(code: FlowErrorDetail['code'], step: StepId): Scene {
  const error: FlowErrorDetail = { code, message: `scripted ${code}`, recoverable: true, step, actions: ['retry', 'upload', 'handoff'] };
  return { state: { step, awaiting: 'error', error }, events: [['error', error]] };
}

const SCENES: Record<string, () => Promise<Scene>> = {
  consent: async () => ({ state: { step: 'consent', awaiting: 'consent' } }),
  'document-camera': async () => {
    const { stream, width, height, rgba } = await paintedStream('document');
    const quality = worker();
    await quality.host.ready();
    const still = await quality.analyzeStill({ width, height, data: rgba });
    const guidance: GuidanceDetail = {
      source: 'quality', step: 'document-front', codes: still.guidance, quad: still.metrics.document?.corners ?? null, frame: { width, height }, countdown: { stable: 3, needed: 5 },
    };
    const camera: CameraDetail = { step: 'document-front', stream, facingMode: 'environment', settings: { width, height, frameRate: 5 } };
    return { state: { step: 'document-front', awaiting: 'capture' }, events: [['camera', camera], ['guidance', guidance], ['progress', documentLoading()]] };
  },
  'camera-denied': async () => cameraError('camera_denied', 'document-front'),
  'camera-not-found': async () => cameraError('camera_not_found', 'document-front'),
  upload: async () => ({ state: { step: 'document-front', awaiting: 'upload', captureMode: 'upload' } }),
  handoff: async () => ({ state: { step: 'document-front', awaiting: 'handoff', handoff: HANDOFF }, events: [['handoff', HANDOFF]] }),
  processing: async () => ({
    state: { step: 'document-read', awaiting: null },
    events: [['progress', { kind: 'processing', step: 'document-read', task: 'document.read', done: 0, total: 1 } satisfies ProgressDetail]],
  }),
  review: async () => ({ state: { step: 'document-review', awaiting: 'review', review: SPECIMEN_REVIEW }, events: [['review', SPECIMEN_REVIEW]] }),
  'liveness-camera': async () => {
    const { stream, width, height } = await paintedStream('scene', 41);
    const guidance: GuidanceDetail = {
      source: 'liveness', step: 'liveness', codes: [], face: null, frame: { width, height },
      challenge: { kind: 'turn_left', index: 1, count: 3, attempt: 0, state: 'active', progress: 0.3 }, state: 'active',
    };
    const camera: CameraDetail = { step: 'liveness', stream, facingMode: 'user', settings: { width, height, frameRate: 5 } };
    return { state: { step: 'liveness', awaiting: 'capture' }, events: [['camera', camera], ['guidance', guidance]] };
  },
  'liveness-failed': async () => cameraError('face_not_found', 'liveness'),
  result: async () => ({ state: { status: 'complete', step: 'result', awaiting: null, result: RESULT }, events: [['complete', RESULT]] }),
  declined: async () => ({ state: { status: 'cancelled', step: null, awaiting: null }, events: [['cancel', { step: 'consent', reason: 'consent_declined' }]] }),
};

export const FLOW_SCREENS = Object.keys(SCENES);

/**
 * Puts an `<ekyc-flow>` in `stage` (replacing what is there) in `locale`, showing `screen`; resolves
 * once it and its step element have rendered. Removing the element disposes the flow, which stops
 * the painted streams.
 */
export async function showFlowScreen(stage: HTMLElement, screen: string, locale: string): Promise<void> {
  const scene = SCENES[screen];
  if (!scene) throw new Error(`no flow screen ${screen}`);
  const prepared = await scene();
  stage.replaceChildren();
  const flow = new ScriptedFlow();
  const element = document.createElement('ekyc-flow') as EkycFlow;
  element.setAttribute('locale', locale);
  element.setAttribute('controller', 'Example Bank');
  element.session = { config: {} };
  element.flowFactory = () => flow;
  stage.append(element);
  await element.updateComplete;
  void element.start();
  // start() attaches the flow after its factory resolved (a microtask); play once attached.
  while (element.verificationFlow !== flow) await new Promise((resolve) => setTimeout(resolve, 0));
  flow.play(prepared);
  await element.updateComplete;
  for (const child of element.renderRoot.querySelectorAll('*')) if ('updateComplete' in child) await (child as EkycFlow).updateComplete;
}
