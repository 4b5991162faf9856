import { html, svg, nothing } from 'lit';
import type { GuidanceDetail } from '@ekyc/flow';
import { EkycElement } from '../shared/ekyc-element.ts';
import { LiveAnnouncer } from '../shared/announcer.ts';
import { DEFAULT_FRAME, stopStream } from '../shared/camera.ts';
import { baseStyles, stageStyles } from '../shared/styles.ts';
import { livenessStyles } from './ekyc-liveness.styles.ts';

/** The liveness step's live feedback, as the flow's `guidance` event gives it. */
export type LivenessGuidance = Extract<GuidanceDetail, { source: 'liveness' }>;

/**
 * The face oval, in frame pixels: centred where core's framing limits want the face (x 0.5, y 0.45 of
 * the frame), a face-shaped ellipse 1.35 times taller than wide, as large as the frame allows.
 */
export function faceOval(width: number, height: number): { cx: number; cy: number; rx: number; ry: number } {
  const rx = Math.min(width * 0.2, (height * 0.42) / 1.35);
  return { cx: width * 0.5, cy: height * 0.45, rx, ry: rx * 1.35 };
}

/**
 * @tagname ekyc-liveness
 * @summary Selfie with active liveness: the front camera preview with a face oval, the landmarks drawn live, and the challenge prompts.
 *
 * @slot status - Shown above the preview, e.g. an `<ekyc-progress>` while the models load.
 *
 * @csspart base - The wrapper.
 * @csspart heading - The title.
 * @csspart stage - The box holding the video and its overlay.
 * @csspart video - The camera preview (mirrored by default).
 * @csspart overlay - The SVG overlay (oval and landmarks).
 * @csspart guidance - The prompt under the preview.
 * @csspart step - "Step n of m" of the challenges.
 *
 * @cssproperty --ekyc-color-guide - The oval's stroke.
 * @cssproperty --ekyc-color-detected - The landmark dots.
 * @cssproperty --ekyc-color-overlay - The shade outside the oval.
 * @cssproperty --ekyc-stage-aspect - Aspect ratio of the preview box (default 16 / 9).
 */
export class EkycLiveness extends EkycElement {
  static override styles = [baseStyles, stageStyles, livenessStyles];
  static override properties = {
    stream: { attribute: false },
    guidance: { attribute: false },
    unmirrored: { type: Boolean },
    hideLandmarks: { type: Boolean, attribute: 'hide-landmarks' },
    keepStreamOnDisconnect: { type: Boolean, attribute: 'keep-stream-on-disconnect' },
  };

  /** The front camera's stream (the flow's `camera` event). */
  declare stream: MediaStream | null;
  /** The latest liveness feedback: codes, face box and landmarks, the challenge in progress, the state. */
  declare guidance: LivenessGuidance | null;
  /** Shows the preview as the camera sees it; by default it is mirrored, as people expect of a selfie. */
  declare unmirrored: boolean;
  /** Hides the landmark dots. */
  declare hideLandmarks: boolean;
  /** Keeps the stream's tracks running when the element leaves the page (by default they are stopped). */
  declare keepStreamOnDisconnect: boolean;

  private readonly announcer = new LiveAnnouncer(this);

  constructor() {
    super();
    this.stream = null;
    this.guidance = null;
    this.unmirrored = false;
    this.hideLandmarks = false;
    this.keepStreamOnDisconnect = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    const video = this.renderRoot.querySelector('video');
    if (video) video.srcObject = null;
    if (!this.keepStreamOnDisconnect) stopStream(this.stream);
  }

  /** A face that cannot be used comes first, then the challenge asked for, then the other framing advice. */
  promptText(): string {
    const g = this.guidance;
    if (!g) return this.t('liveness.instructions');
    if (g.state === 'passed') return this.t('liveness.passed');
    const code = g.codes[0];
    if (code === 'face_not_found' || code === 'face_multiple') return this.t(`face.${code}`);
    if (g.challenge && g.challenge.state === 'active') return this.t(`challenge.${g.challenge.kind}`);
    if (code) return this.t(`face.${code}`);
    return this.t('liveness.instructions');
  }

  protected override willUpdate(): void {
    this.announcer.announce(this.promptText());
  }

  private renderOverlay() {
    const { width, height } = this.guidance?.frame ?? DEFAULT_FRAME;
    const oval = faceOval(width, height);
    const face = this.guidance?.face;
    const good = this.guidance !== null && this.guidance.codes.length === 0 && face !== null && face !== undefined;
    const { cx, cy, rx, ry } = oval;
    // Outer rectangle minus the oval (two arcs), filled even-odd: the shade around the face.
    const shade = `M0 0H${width}V${height}H0Z M${cx - rx} ${cy}a${rx} ${ry} 0 1 0 ${2 * rx} 0a${rx} ${ry} 0 1 0 ${-2 * rx} 0Z`;
    const points = this.hideLandmarks || !face ? [] : face.landmarks;
    const dots = [];
    const r = Math.max(1.5, width / 640);
    for (let i = 0; i + 1 < points.length; i += 2) dots.push(svg`<circle class="landmark" cx=${points[i]!} cy=${points[i + 1]!} r=${r}></circle>`);
    return html`
      <svg class="overlay" part="overlay" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMidYMid meet" aria-hidden="true" focusable="false">
        ${svg`<path class="shade" d=${shade}></path>
        <ellipse class="guide ${good ? 'good' : ''}" cx=${cx} cy=${cy} rx=${rx} ry=${ry}></ellipse>
        ${dots}`}
      </svg>`;
  }

  override render() {
    const challenge = this.guidance?.challenge;
    return html`
      <section part="base" class="base" lang=${this.resolvedLocale} aria-labelledby="title">
        <h2 id="title" part="heading" data-heading tabindex="-1">${this.t('liveness.title')}</h2>
        <p class="muted">${this.t('liveness.instructions')}</p>
        <slot name="status"></slot>
        <div class="stage ${this.unmirrored ? '' : 'mirrored'}" part="stage">
          <video part="video" aria-hidden="true" .srcObject=${this.stream} .muted=${true} autoplay playsinline></video>
          ${this.renderOverlay()}
        </div>
        <p class="guidance prompt" part="guidance" aria-hidden="true">${this.promptText()}</p>
        ${challenge ? html`<p class="step muted" part="step">${this.t('common.step', { current: challenge.index + 1, total: challenge.count })}</p>` : nothing}
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcer.text}</div>
      </section>`;
  }
}
