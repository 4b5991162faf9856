import { html, nothing, type PropertyValues } from 'lit';
import { EkycError, type document as coreDocument } from '@ekyc/core';
import type {
  CameraDetail, CancelDetail, CompleteDetail, ConsentText, FlowErrorDetail, FlowState, FlowThresholds, GuidanceDetail,
  HandoffDetail, ProgressDetail, RecoveryAction, ReviewData, SessionSource, StepDetail, StepId, VerificationFlowApi,
  VerificationFlowOptions,
} from '@ekyc/flow';
import type { BackendPreference } from '@ekyc/workers';
import { consentTexts } from '../consent/consent-text.ts';
import type { ConsentAcceptDetail } from '../consent/ekyc-consent.ts';
import type { DocumentGuidance } from '../document-capture/ekyc-document-capture.ts';
import type { ReviewConfirmDetail } from '../document-review/ekyc-document-review.ts';
import type { RecoverDetail } from '../error-screen/ekyc-error-screen.ts';
import type { LivenessGuidance } from '../liveness/ekyc-liveness.ts';
import { EkycElement } from '../shared/ekyc-element.ts';
import type { UploadDetail } from '../shared/file-picker.ts';
import { baseStyles } from '../shared/styles.ts';
import { flowStyles } from './ekyc-flow.styles.ts';
import { handoffTokenFromHash, sessionSourceFrom } from './session-source.ts';

/** Builds the flow; the default loads `VerificationFlow` from `@ekyc/flow` on the first `start()`. */
export type FlowFactory = (options: VerificationFlowOptions) => VerificationFlowApi | Promise<VerificationFlowApi>;

/** `ekyc-error`: the flow's error, with the code to pick your own text by. */
export type FlowElementErrorDetail = FlowErrorDetail;

/** The flow's own events, re-dispatched by the element under these names. */
const FORWARDED = { step: 'ekyc-step', progress: 'ekyc-progress', guidance: 'ekyc-guidance', complete: 'ekyc-complete', error: 'ekyc-error', cancel: 'ekyc-cancel' } as const;

const defaultFactory: FlowFactory = async (options) => {
  // Loaded on start only: a page that shows the element but never starts it loads no flow code.
  // The `verification` entry, not the package root: the root re-exports the transport (idb, which
  // has side effects), and the bundler then loads the post-consent chunk eagerly with this one.
  const { VerificationFlow } = await import('@ekyc/flow/verification');
  return new VerificationFlow(options);
};

const list = (value: string | null): string[] | undefined => value === null ? undefined : value.split(/[\s,]+/).filter((item) => item.length > 0);
const listConverter = { fromAttribute: list, toAttribute: (value: readonly string[] | undefined) => value?.join(' ') ?? null };

/** Which screen shows: derived from the flow's state, plus a way forward the user picked on an error screen. */
type View =
  | { kind: 'idle' }
  | { kind: 'consent' }
  | { kind: 'capture'; step: StepId }
  | { kind: 'liveness' }
  | { kind: 'upload'; upload: 'document' | 'selfie' | 'all' }
  | { kind: 'review' }
  | { kind: 'handoff' }
  | { kind: 'error'; error: FlowErrorDetail }
  | { kind: 'processing'; step: StepId | null }
  | { kind: 'result' }
  | { kind: 'declined' };

/**
 * @tagname ekyc-flow
 * @summary Runs a whole verification (session, consent, document, review, selfie with liveness, face match, evidence, submit, result) with upload and continue-on-phone ways out of every camera dead end.
 *
 * @slot idle - Shown before `start()` (e.g. your own start button).
 *
 * @event {CustomEvent<StepDetail>} ekyc-step - A step began: `step`, `previous`, `index`, `total`, `awaiting`, `captureMode`.
 * @event {CustomEvent<ProgressDetail>} ekyc-progress - Models loading (bytes) or work in progress.
 * @event {CustomEvent<GuidanceDetail>} ekyc-guidance - Live capture feedback (codes, quad or face, challenge).
 * @event {CustomEvent<CompleteDetail>} ekyc-complete - The flow ended: session id, evidence id, delivery, decision.
 * @event {CustomEvent<FlowElementErrorDetail>} ekyc-error - An error: `code`, `message` (for developers), `recoverable`, `step`, `actions`.
 * @event {CustomEvent<CancelDetail>} ekyc-cancel - The user cancelled or declined the consent.
 *
 * @csspart base - The wrapper.
 * @csspart steps - "Step n of m".
 * @csspart view - The current step's element (also exposes that element's own parts via `exportparts`).
 *
 * @cssproperty --ekyc-color-primary - Buttons and links of every step.
 * @cssproperty --ekyc-color-text - Text colour.
 * @cssproperty --ekyc-color-surface - Background.
 * @cssproperty --ekyc-font-family - Font.
 * @cssproperty --ekyc-radius - Corner radius.
 * @cssproperty --ekyc-focus-ring - Outline of the focused control.
 * @cssproperty --ekyc-max-width - Width of the content column.
 */
export class EkycFlow extends EkycElement {
  static override styles = [baseStyles, flowStyles];
  static override properties = {
    verifierUrl: { type: String, attribute: 'verifier-url' },
    sessionId: { type: String, attribute: 'session-id' },
    sessionUrl: { type: String, attribute: 'session-url' },
    token: { type: String },
    handoffToken: { type: String, attribute: 'handoff-token' },
    session: { attribute: false },
    steps: { converter: listConverter },
    acceptedDocuments: { attribute: 'accepted-documents', converter: listConverter },
    thresholds: { type: Object },
    assetBaseUrl: { type: String, attribute: 'asset-base-url' },
    backend: { type: String },
    capture: { type: String },
    handoffUrl: { type: String, attribute: 'handoff-url' },
    controller: { type: String },
    retentionDays: { type: Number, attribute: 'retention-days' },
    policyUrl: { type: String, attribute: 'policy-url' },
    consent: { attribute: false },
    autostart: { type: Boolean },
    flowFactory: { attribute: false },
  };

  static {
    // Internal view state: reactive, but no attribute and not part of the public API.
    for (const name of ['state', 'stream', 'guidance', 'progress', 'review', 'handoff', 'choice']) this.createProperty(name, { state: true });
  }

  /** The verifier's base URL as the page reaches it. */
  declare verifierUrl: string | undefined;
  declare sessionId: string | undefined;
  /** `<verifier>/sessions/<id>`: the verifier URL and session id in one. */
  declare sessionUrl: string | undefined;
  /** The session's client token (`POST /sessions` answer). */
  declare token: string | undefined;
  /** The phone side of a handoff; default the `#ekyc-handoff=` fragment of the page URL. */
  declare handoffToken: string | undefined;
  /** A session object, e.g. `{ config: {...} }` for use without a verifier; wins over the attributes. */
  declare session: SessionSource | undefined;
  /** Steps to run (space or comma separated), e.g. `consent document-front liveness result`; default all. */
  declare steps: StepId[] | undefined;
  /** Narrows the session's accepted documents, e.g. `passport id_card`. */
  declare acceptedDocuments: coreDocument.DocumentType[] | undefined;
  /** On-device thresholds (JSON in the attribute). */
  declare thresholds: FlowThresholds | undefined;
  /** Where `npm run assets` put `models/` and `wasm/`; default `/ekyc/`. */
  declare assetBaseUrl: string;
  /** `auto` (default), `webgpu` or `wasm`. */
  declare backend: BackendPreference | undefined;
  /** `camera` (default) or `upload`: skip the camera from the start. */
  declare capture: 'camera' | 'upload' | undefined;
  /** The page a phone opens for a handoff; default this page. */
  declare handoffUrl: string | undefined;
  /** Who receives the evidence, shown in the consent. */
  declare controller: string | undefined;
  /** How long the evidence is kept, shown in the consent (days). */
  declare retentionDays: number;
  /** Link to the full privacy notice. */
  declare policyUrl: string | undefined;
  /** The consent text to record; default the text `<ekyc-consent>` shows, in every built-in locale. */
  declare consent: ConsentText | undefined;
  /** Starts as soon as the element is connected. */
  declare autostart: boolean;
  /** Builds the flow (tests, or your own subclass of `VerificationFlow`). */
  declare flowFactory: FlowFactory;

  private declare state: FlowState | null;
  private declare stream: MediaStream | null;
  private declare guidance: GuidanceDetail | null;
  private declare progress: ProgressDetail | null;
  private declare review: ReviewData | null;
  private declare handoff: HandoffDetail | null;
  /** A way forward picked on an error screen that needs a screen of its own (upload). */
  private declare choice: 'upload' | null;

  private flow: VerificationFlowApi | null = null;
  private unsubscribe: (() => void) | null = null;
  private pendingSelfie: File | null = null;
  private linkToken: string | null = null;
  /** The last run ended because the consent was declined (a "start again" screen shows). */
  private declined = false;
  private lastViewKey = '';
  private viewsShown = 0;

  constructor() {
    super();
    this.assetBaseUrl = '/ekyc/';
    this.retentionDays = 30;
    this.autostart = false;
    this.flowFactory = defaultFactory;
    this.state = null;
    this.clearView();
  }

  /** The running flow, for actions the element does not offer; null before `start()`. */
  get verificationFlow(): VerificationFlowApi | null {
    return this.flow;
  }

  /** The flow's state, as last rendered. */
  get flowState(): FlowState | null {
    return this.state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.autostart) void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Removed from the page: nothing may keep running, the camera least of all.
    this.teardown();
  }

  /** The options the flow is built with, from the attributes and properties. */
  flowOptions(): VerificationFlowOptions {
    const session = sessionSourceFrom({
      session: this.session, verifierUrl: this.verifierUrl, sessionId: this.sessionId, sessionUrl: this.sessionUrl, token: this.token,
      handoffToken: this.handoffToken ?? this.takeHandoffToken(),
    });
    if (!session) {
      throw new EkycError('invalid_argument', 'ekyc-flow needs a session: verifier-url with session-id and token, session-url with token, a handoff token, or the session property.');
    }
    const consent = this.consent ?? {
      id: 'ekyc-elements-consent',
      version: '1',
      text: consentTexts({ controller: this.controller, retentionDays: this.retentionDays, strings: this.strings }),
    };
    const options: VerificationFlowOptions = { session, assetBaseUrl: this.assetBaseUrl, consent, locale: this.resolvedLocale };
    if (this.steps) options.steps = this.steps;
    if (this.acceptedDocuments) options.acceptedDocuments = this.acceptedDocuments;
    if (this.thresholds) options.thresholds = this.thresholds;
    if (this.backend) options.backend = this.backend;
    if (this.capture) options.capture = this.capture;
    if (this.handoffUrl) options.handoffUrl = this.handoffUrl;
    return options;
  }

  /**
   * The token of a handoff link this page was opened with, kept for restarts and removed from the
   * address bar, so reloading or sharing the page does not show a used token.
   */
  private takeHandoffToken(): string | null {
    this.linkToken ??= handoffTokenFromHash(globalThis.location?.hash ?? '');
    if (this.linkToken && globalThis.location?.hash && globalThis.history?.replaceState) {
      globalThis.history.replaceState(globalThis.history.state, '', globalThis.location.pathname + globalThis.location.search);
    }
    return this.linkToken;
  }

  /**
   * Starts a verification (a finished or running one is reset first). Resolves with the final state;
   * never rejects: failures arrive as `ekyc-error` and in the state.
   */
  async start(): Promise<FlowState | null> {
    this.teardown();
    let flow: VerificationFlowApi;
    try {
      flow = await this.flowFactory(this.flowOptions());
    } catch (error) {
      const code = error instanceof EkycError ? error.code : 'invalid_argument';
      const detail: FlowErrorDetail = { code, message: error instanceof Error ? error.message : String(error), recoverable: false, step: null, actions: [] };
      this.emit('ekyc-error', detail);
      return null;
    }
    this.attach(flow);
    return flow.start();
  }

  /** Stops everything (camera included) and goes back to before `start()`. */
  reset(): void {
    this.flow?.reset();
    this.clearView();
    this.state = this.flow?.state ?? null;
  }

  /** Cancels the running verification (`ekyc-cancel` follows). */
  cancel(): void {
    this.flow?.cancel();
  }

  private attach(flow: VerificationFlowApi): void {
    this.flow = flow;
    const on = <T>(name: string, handler: (detail: T) => void): (() => void) => {
      const listener = (event: Event): void => handler((event as CustomEvent<T>).detail);
      flow.addEventListener(name, listener);
      return () => flow.removeEventListener(name, listener);
    };
    const offs = [
      ...Object.entries(FORWARDED).map(([name, forwarded]) => on(name, (detail: unknown) => this.emit(forwarded, detail))),
      on<StepDetail>('step', (detail) => this.stepBegan(detail)),
      on<CameraDetail>('camera', (detail) => { this.stream = detail.stream; }),
      on<GuidanceDetail>('guidance', (detail) => { this.guidance = detail; }),
      on<ProgressDetail>('progress', (detail) => { this.progress = detail; }),
      on<ReviewData>('review', (detail) => { this.review = detail; }),
      on<HandoffDetail>('handoff', (detail) => { this.handoff = detail; }),
      on<CompleteDetail>('complete', () => { this.stream = null; }),
      on<CancelDetail>('cancel', (detail) => {
        this.stream = null;
        this.declined = detail.reason === 'consent_declined';
      }),
      on<FlowState>('state', (detail) => {
        this.state = detail;
        this.handOverSelfie();
      }),
    ];
    this.unsubscribe = () => offs.forEach((off) => off());
    this.state = flow.state;
  }

  private stepBegan(detail: StepDetail): void {
    this.choice = null;
    this.guidance = null;
    if (detail.step !== detail.previous) this.progress = null;
  }

  /**
   * A selfie chosen on the combined upload screen goes to the selfie step once it waits for one. The
   * flow registers its wait right after announcing the state, so the hand-over runs in a microtask.
   */
  private handOverSelfie(): void {
    if (!this.pendingSelfie) return;
    queueMicrotask(() => {
      const flow = this.flow;
      const selfie = this.pendingSelfie;
      if (!flow || !selfie || flow.state.step !== 'liveness' || (flow.state.awaiting !== 'upload' && flow.state.awaiting !== 'capture')) return;
      this.pendingSelfie = null;
      this.act((f) => f.useUpload(selfie));
    });
  }

  private teardown(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.flow?.dispose();
    this.flow = null;
    this.clearView();
  }

  private clearView(): void {
    this.declined = false;
    this.stream = null;
    this.guidance = null;
    this.progress = null;
    this.review = null;
    this.handoff = null;
    this.choice = null;
    this.pendingSelfie = null;
  }

  /** Calls a flow action; a refusal (the flow no longer waits for it, e.g. a double click) is reported, not thrown. */
  private act(action: (flow: VerificationFlowApi) => unknown): void {
    const flow = this.flow;
    if (!flow) return;
    try {
      const result = action(flow);
      if (result instanceof Promise) result.catch((error: unknown) => this.reportActionError(error));
    } catch (error) {
      this.reportActionError(error);
    }
  }

  private reportActionError(error: unknown): void {
    // The flow reports its own failures as `error` events; an action refused by the state is a UI race, logged for developers only.
    if (error instanceof EkycError && error.code === 'invalid_argument') console.warn('ekyc-flow: action refused', error.message);
  }

  private view(): View {
    const s = this.state;
    if (!s || s.status === 'idle') return { kind: 'idle' };
    if (s.status === 'complete') return { kind: 'result' };
    if (s.status === 'cancelled') return this.declined ? { kind: 'declined' } : { kind: 'idle' };
    if (s.status === 'failed' || s.status === 'disposed') {
      return s.error ? { kind: 'error', error: { ...s.error, actions: s.error.actions.length > 0 ? s.error.actions : ['restart'] } } : { kind: 'idle' };
    }
    const uploadKind = (): 'document' | 'selfie' | 'all' => s.step === 'liveness' ? 'selfie' : s.step === 'document-front' && s.plan.includes('liveness') ? 'all' : 'document';
    if (this.choice === 'upload') return { kind: 'upload', upload: uploadKind() };
    switch (s.awaiting) {
      case 'consent': return { kind: 'consent' };
      case 'capture': return s.step === 'liveness' ? { kind: 'liveness' } : { kind: 'capture', step: s.step ?? 'document-front' };
      case 'upload': return { kind: 'upload', upload: uploadKind() };
      case 'review': return { kind: 'review' };
      case 'handoff': return { kind: 'handoff' };
      case 'error': return s.error ? { kind: 'error', error: s.error } : { kind: 'processing', step: s.step };
      default: return s.step === 'result' && s.result ? { kind: 'result' } : { kind: 'processing', step: s.step };
    }
  }

  private viewKey(view: View): string {
    switch (view.kind) {
      case 'capture': return `capture:${view.step}`;
      case 'upload': return `upload:${view.upload}`;
      case 'error': return `error:${view.error.code}`;
      case 'processing': return 'processing';
      default: return view.kind;
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const key = this.viewKey(this.view());
    if (key === this.lastViewKey) return;
    this.lastViewKey = key;
    if (key === 'idle') {
      this.viewsShown = 0;
      return;
    }
    // The first screen after start() keeps the page's focus; every later one takes it to its heading.
    if (this.viewsShown++ === 0 && !this.matches(':focus-within')) return;
    const current = this.renderRoot.querySelector<HTMLElement>('[data-view]');
    if (current && 'focusHeading' in current) void (current as EkycElement).focusHeading();
    else current?.querySelector<HTMLElement>('[data-heading]')?.focus();
  }

  private onRecover(action: RecoveryAction): void {
    switch (action) {
      case 'retry': {
        const code = this.state?.error?.code ?? '';
        this.act((flow) => (code.startsWith('camera_') ? flow.retryCamera() : flow.retry()));
        break;
      }
      case 'upload': this.choice = 'upload'; break;
      case 'handoff': this.act((flow) => flow.startHandoff()); break;
      case 'restart': void this.start(); break;
    }
  }

  /** `ekyc-upload` of the capture and upload screens (Lit calls it with this element as `this`). */
  private onUpload({ detail }: CustomEvent<UploadDetail>): void {
    const step = this.state?.step;
    if (step === 'liveness') {
      if (detail.selfie) this.act((flow) => flow.useUpload(detail.selfie!));
      return;
    }
    if (detail.selfie) this.pendingSelfie = detail.selfie;
    if (detail.document.length > 0) this.act((flow) => flow.useUpload(detail.document));
  }

  private renderView(view: View) {
    const locale = this.resolvedLocale;
    const strings = this.strings;
    const s = this.state;
    const modelProgress = this.progress?.kind === 'model' && this.progress.state === 'loading' ? this.progress : null;
    const status = modelProgress ? html`<ekyc-progress slot="status" .locale=${locale} .strings=${strings} .progress=${modelProgress}></ekyc-progress>` : nothing;
    switch (view.kind) {
      case 'idle':
        return html`<slot name="idle"></slot>`;
      case 'consent':
        return html`<ekyc-consent data-view part="view" exportparts="base,heading,section,actions,accept,decline" .locale=${locale} .strings=${strings}
          .controller=${this.controller} .retentionDays=${this.retentionDays} .policyUrl=${this.policyUrl}
          @ekyc-consent-accept=${(e: CustomEvent<ConsentAcceptDetail>) => this.act((flow) => flow.grantConsent(e.detail.locale))}
          @ekyc-consent-decline=${() => this.act((flow) => flow.declineConsent())}></ekyc-consent>`;
      case 'capture': {
        const guidance = this.guidance?.source === 'quality' && this.guidance.step === view.step ? this.guidance as DocumentGuidance : null;
        return html`<ekyc-document-capture data-view part="view" exportparts="stage,video,overlay,guidance,countdown,upload" keep-stream-on-disconnect
          .locale=${locale} .strings=${strings} .side=${view.step === 'document-back' ? 'back' : 'front'} .stream=${this.stream} .guidance=${guidance}
          @ekyc-upload=${this.onUpload}>${status}</ekyc-document-capture>`;
      }
      case 'liveness': {
        const guidance = this.guidance?.source === 'liveness' ? this.guidance as LivenessGuidance : null;
        return html`<ekyc-liveness data-view part="view" exportparts="stage,video,overlay,guidance,step" keep-stream-on-disconnect
          .locale=${locale} .strings=${strings} .stream=${this.stream} .guidance=${guidance}>${status}</ekyc-liveness>`;
      }
      case 'upload':
        return html`<ekyc-upload data-view part="view" exportparts="picker,choose,submit" .locale=${locale} .strings=${strings} .kind=${view.upload}
          @ekyc-upload=${this.onUpload}></ekyc-upload>`;
      case 'review':
        return html`<ekyc-document-review data-view part="view" exportparts="field,uncertain,confirm,retake" .locale=${locale} .strings=${strings}
          .data=${this.review ?? s?.review ?? null}
          @ekyc-review-confirm=${(e: CustomEvent<ReviewConfirmDetail>) => this.act((flow) => flow.confirmReview(e.detail.edits))}
          @ekyc-review-retake=${() => this.act((flow) => flow.retake())}></ekyc-document-review>`;
      case 'handoff':
        return html`<ekyc-handoff data-view part="view" exportparts="qr,link,copy,status" .locale=${locale} .strings=${strings}
          .handoff=${this.handoff ?? s?.handoff ?? null}
          @ekyc-handoff-renew=${() => this.act((flow) => flow.startHandoff())}
          @ekyc-handoff-cancel=${() => this.act((flow) => flow.cancelHandoff())}></ekyc-handoff>`;
      case 'error':
      case 'declined': {
        const { code, actions } = view.kind === 'error' ? view.error : { code: 'consent_declined', actions: ['restart'] };
        return html`<ekyc-error-screen data-view part="view" exportparts="message,actions,action" .locale=${locale} .strings=${strings}
          .code=${code} .actions=${actions}
          @ekyc-recover=${(e: CustomEvent<RecoverDetail>) => this.onRecover(e.detail.action)}></ekyc-error-screen>`;
      }
      case 'result':
        return html`<ekyc-result data-view part="view" exportparts="icon,message,reference" .locale=${locale} .strings=${strings}
          .result=${s?.result ?? null}></ekyc-result>`;
      case 'processing':
        return html`<div data-view class="processing" part="view">
          <h2 data-heading tabindex="-1">${this.t('loading.processing')}</h2>
          <ekyc-progress .locale=${locale} .strings=${strings} .progress=${this.progress}></ekyc-progress>
        </div>`;
    }
  }

  override render() {
    const view = this.view();
    const s = this.state;
    const index = s?.step ? s.plan.indexOf(s.step) : -1;
    return html`
      <div part="base" class="base" lang=${this.resolvedLocale}>
        ${index >= 0 && view.kind !== 'result' && view.kind !== 'idle'
          ? html`<p class="steps muted" part="steps">${this.t('common.step', { current: index + 1, total: s!.plan.length })}</p>`
          : nothing}
        ${this.renderView(view)}
      </div>`;
  }
}
