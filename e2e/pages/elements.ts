import '@ekyc/elements';
import { consentText, type EkycElement, type EkycFlow } from '@ekyc/elements';
import type { HandoffInfo, ProgressDetail } from '@ekyc/flow';
import { worker } from './quality-kit.ts';
import { FLOW_SCREENS, showFlowScreen } from './flow-screens.ts';
import { RESULT, SPECIMEN_REVIEW, base64, documentBlob, paintedStream, selfieBlob, type PaintedStream } from './elements-fixtures.ts';
import { passportOnDesk, type DeskFrame } from './passport-desk-frame.ts';

/** Every policy violation the page sees (the policy is enforced by the page's meta tag). */
const violations: { directive: string; blocked: string; disposition: string; sample: string }[] = [];
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push({ directive: event.effectiveDirective, blocked: event.blockedURI, disposition: event.disposition, sample: event.sample });
});

/** Every event an element dispatched (name and a JSON-safe detail), in order. */
const events: { name: string; detail: unknown }[] = [];
const EVENT_NAMES = [
  'ekyc-consent-accept', 'ekyc-consent-decline', 'ekyc-upload', 'ekyc-review-confirm', 'ekyc-review-retake', 'ekyc-recover',
  'ekyc-handoff-renew', 'ekyc-handoff-cancel', 'ekyc-step', 'ekyc-complete', 'ekyc-error', 'ekyc-cancel',
];
const jsonSafe = (detail: unknown): unknown => JSON.parse(JSON.stringify(detail, (_key, value: unknown) => {
  if (value instanceof File) return { file: value.name, type: value.type, size: value.size };
  if (value instanceof MediaStream) return { stream: value.id };
  return value;
}) ?? 'null');
for (const name of EVENT_NAMES) document.addEventListener(name, (event) => events.push({ name, detail: jsonSafe((event as CustomEvent).detail) }));

/** Streams the page opened or made, to check they are released. */
const streams: MediaStream[] = [];
const realGetUserMedia = navigator.mediaDevices?.getUserMedia?.bind(navigator.mediaDevices);
if (realGetUserMedia) {
  // An observer around the real call: records the stream, changes nothing.
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await realGetUserMedia(constraints);
    streams.push(stream);
    return stream;
  };
}

/** A camera-like stream painted on a canvas (elements-fixtures.ts), kept to check it is released. */
async function canvasStream(kind: 'document' | 'scene', seed = 3): Promise<PaintedStream> {
  const painted = await paintedStream(kind, seed);
  streams.push(painted.stream);
  return painted;
}

const MODEL_PROGRESS: ProgressDetail = {
  kind: 'model', step: 'document-front', worker: 'quality', state: 'loading',
  assets: [{ id: 'opencv', bytesTotal: 10_480_000, bytesLoaded: 10_480_000 }, { id: 'ppocr-rec', bytesTotal: 10_800_000, bytesLoaded: 0 }],
  bytesLoaded: 10_480_000, bytesTotal: 21_280_000,
};

/** Named screens with the state each shows; `setup` may be async (a camera-like stream, a worker judgement). */
const SCREENS: Record<string, () => Promise<{ tag: keyof HTMLElementTagNameMap; props: Record<string, unknown> }>> = {
  consent: async () => ({ tag: 'ekyc-consent', props: { controller: 'Example Bank', retentionDays: 30, policyUrl: '/privacy' } }),
  'document-front': async () => {
    const { stream, width, height, rgba } = await canvasStream('document');
    const quality = worker();
    await quality.host.ready();
    const still = await quality.analyzeStill({ width, height, data: rgba });
    const quad = still.metrics.document?.corners ?? null;
    return {
      tag: 'ekyc-document-capture',
      props: { side: 'front', stream, guidance: { source: 'quality', step: 'document-front', codes: still.guidance, quad, frame: { width, height }, countdown: { stable: 3, needed: 5 } } },
    };
  },
  'document-back': async () => {
    const { stream, width, height } = await canvasStream('scene', 11);
    return { tag: 'ekyc-document-capture', props: { side: 'back', stream, guidance: { source: 'quality', step: 'document-back', codes: ['no_document'], quad: null, frame: { width, height }, countdown: { stable: 0, needed: 5 } } } };
  },
  'model-loading': async () => ({ tag: 'ekyc-progress', props: { progress: MODEL_PROGRESS } }),
  review: async () => ({ tag: 'ekyc-document-review', props: { data: SPECIMEN_REVIEW } }),
  liveness: async () => {
    const { stream, width, height } = await canvasStream('scene', 41);
    return {
      tag: 'ekyc-liveness',
      props: { stream, guidance: { source: 'liveness', step: 'liveness', codes: [], face: null, frame: { width, height }, challenge: { kind: 'turn_left', index: 1, count: 3, attempt: 0, state: 'active', progress: 0.3 }, state: 'active' } },
    };
  },
  'camera-denied': async () => ({ tag: 'ekyc-error-screen', props: { code: 'camera_denied' } }),
  'camera-not-found': async () => ({ tag: 'ekyc-error-screen', props: { code: 'camera_not_found' } }),
  'camera-busy': async () => ({ tag: 'ekyc-error-screen', props: { code: 'camera_in_use' } }),
  upload: async () => ({ tag: 'ekyc-upload', props: { kind: 'all' } }),
  handoff: async () => ({
    tag: 'ekyc-handoff',
    props: { handoff: { url: `${location.origin}/e2e/pages/elements.html#ekyc-handoff=hx_4Jq9TzWm2cVb8sLk`, expiresAt: '2026-12-02T02:10:00Z', status: 'waiting' } satisfies HandoffInfo },
  }),
  'result-approve': async () => ({ tag: 'ekyc-result', props: { result: RESULT } }),
  'result-reject': async () => ({ tag: 'ekyc-result', props: { result: { ...RESULT, decision: { outcome: 'reject', decidedAt: RESULT.decision!.decidedAt } } } }),
};

const stage = document.getElementById('stage')!;

const api = {
  screens: Object.keys(SCREENS),

  /** Shows one screen (replacing the last) in a locale; resolves once it has rendered. */
  async show(screen: string, locale: string): Promise<void> {
    const setup = SCREENS[screen];
    if (!setup) throw new Error(`no screen ${screen}`);
    const { tag, props } = await setup();
    stage.replaceChildren();
    const element = document.createElement(tag) as EkycElement;
    element.locale = locale;
    Object.assign(element, props);
    stage.append(element);
    await element.updateComplete;
    for (const child of element.renderRoot.querySelectorAll('*')) if (child instanceof HTMLElement && 'updateComplete' in child) await (child as EkycElement).updateComplete;
  },

  /** Mounts an element with properties, for interaction tests. */
  async mount(tag: keyof HTMLElementTagNameMap, props: Record<string, unknown> = {}): Promise<void> {
    stage.replaceChildren();
    const element = document.createElement(tag);
    Object.assign(element, props);
    stage.append(element);
    await (element as EkycElement).updateComplete;
  },

  async mountCapture(kind: 'document' | 'scene'): Promise<string> {
    const { stream } = await canvasStream(kind);
    await api.mount('ekyc-document-capture', { stream });
    return stream.id;
  },

  /** Sets properties on the mounted element and waits for the render. */
  async set(props: Record<string, unknown>): Promise<void> {
    const element = stage.firstElementChild as EkycElement;
    Object.assign(element, props);
    await element.updateComplete;
  },

  /** The live region's successive texts while `codes` are fed as guidance, one every `gapMs`. */
  async announcementsFor(codes: string[], gapMs: number, settleMs: number): Promise<string[]> {
    const element = stage.firstElementChild as EkycElement;
    const region = element.renderRoot.querySelector('[role=status]')!;
    const spoken: string[] = [];
    const observer = new MutationObserver(() => spoken.push(region.textContent ?? ''));
    observer.observe(region, { childList: true, characterData: true, subtree: true });
    for (const code of codes) {
      await api.set({ guidance: { source: 'quality', step: 'document-front', codes: [code], quad: null, frame: { width: 1280, height: 720 }, countdown: { stable: 0, needed: 5 } } });
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    observer.disconnect();
    return spoken.filter((text, i) => text !== '' && text !== spoken[i - 1]);
  },

  removeStage(): void {
    stage.replaceChildren();
  },

  /** readyState of every track of every stream the page opened or made. */
  trackStates(): string[] {
    return streams.flatMap((stream) => stream.getTracks().map((track) => track.readyState));
  },

  consentText(locale: string): string {
    return consentText(locale, { controller: 'Example Bank', retentionDays: 30 });
  },

  shownConsentText(): string {
    return (stage.firstElementChild as HTMLElementTagNameMap['ekyc-consent']).shownText();
  },

  /** Where focus is: the tag of the focused element inside the stage's element, and its text. */
  focused(): { tag: string; text: string; part: string | null } | null {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active ? { tag: active.tagName.toLowerCase(), text: (active.textContent ?? '').trim(), part: active.getAttribute('part') } : null;
  },

  events: () => events.splice(0),
  violations: () => [...violations],

  /** A positive control: an inline style attribute must be refused by the enforced policy. */
  inlineStyleRefused(): Promise<boolean> {
    const before = violations.length;
    const probe = document.createElement('div');
    probe.setAttribute('style', 'color: red');
    document.body.append(probe);
    const refused = getComputedStyle(probe).color !== 'rgb(255, 0, 0)';
    probe.remove();
    return new Promise((resolve) => setTimeout(() => {
      violations.splice(before);
      resolve(refused);
    }, 100));
  },

  flowScreens: FLOW_SCREENS,

  /** `<ekyc-flow>` showing one of its screens from a scripted flow state (flow-screens.ts), in a locale. */
  showFlow: (screen: string, locale: string): Promise<void> => showFlowScreen(stage, screen, locale),

  flow(): EkycFlow | null {
    return stage.querySelector('ekyc-flow');
  },

  /** Puts an `<ekyc-flow>` with these attributes on the page and starts it (not awaited). */
  async startFlow(attributes: Record<string, string>): Promise<void> {
    stage.replaceChildren();
    const flow = document.createElement('ekyc-flow');
    for (const [name, value] of Object.entries(attributes)) flow.setAttribute(name, value);
    stage.append(flow);
    await flow.updateComplete;
    void flow.start();
  },

  /** An `<ekyc-flow>` on a config session (no verifier), started. */
  async startConfigFlow(locale: string): Promise<void> {
    stage.replaceChildren();
    const flow = document.createElement('ekyc-flow');
    flow.setAttribute('locale', locale);
    flow.setAttribute('asset-base-url', '/ekyc/');
    flow.session = { config: {} };
    stage.append(flow);
    await flow.updateComplete;
    void flow.start();
  },

  /** The flow's state in a JSON-safe summary. */
  flowState(): { status: string; step: string | null; awaiting: string | null; error: string | null; completed: string[]; sides: Array<{ side: string; source: string; frames: { used: number; rejected: number; outcome: string } | null }> } | null {
    const state = api.flow()?.flowState;
    return state ? {
      status: state.status, step: state.step, awaiting: state.awaiting, error: state.error?.code ?? null, completed: [...state.completed],
      sides: state.sides.map((s) => ({ side: s.side, source: s.source, frames: s.frames ? { ...s.frames } : null })),
    } : null;
  },

  /**
   * A fake-camera frame: the passport page of `uploadFiles` lying on a dark table, 1280 x 720, at the
   * first width (fraction of the frame) the quality worker judges exactly `good`; RGBA in base64
   * (passport-desk-frame.ts, shared with the flow benches).
   */
  async cameraDocumentFrame(): Promise<DeskFrame> {
    const page = await createImageBitmap(await documentBlob());
    const quality = worker();
    await quality.host.ready();
    return (await passportOnDesk(page, (image) => quality.analyzeStill(image))).frame;
  },

  /** The photos to upload, base64 for the test's file chooser. */
  async uploadFiles(): Promise<{ document: string; selfie: string }> {
    const [doc, selfie] = await Promise.all([documentBlob(), selfieBlob()]);
    return { document: await base64(doc), selfie: await base64(selfie) };
  },
};

declare global {
  interface Window {
    elementsTest: typeof api;
  }
}
window.elementsTest = api;
document.body.dataset['ready'] = 'true';
