import { html, svg, nothing } from 'lit';
import type { GuidanceDetail } from '@ekyc/flow';
import { EkycElement } from '../shared/ekyc-element.ts';
import { LiveAnnouncer } from '../shared/announcer.ts';
import { DEFAULT_FRAME, stopStream } from '../shared/camera.ts';
import { takeFiles, type UploadDetail } from '../shared/file-picker.ts';
import { baseStyles, stageStyles } from '../shared/styles.ts';
import { documentCaptureStyles } from './ekyc-document-capture.styles.ts';

/** The document capture's live feedback, as the flow's `guidance` event gives it. */
export type DocumentGuidance = Extract<GuidanceDetail, { source: 'quality' }>;

/** ID-1 card width over height (85.60 x 53.98 mm); a passport page (125 x 88) fits the same frame. */
const CARD_ASPECT = 85.6 / 53.98;

/** The frame guide: the largest ID-1 rectangle within 84% of the frame, centred. */
export function guideRect(width: number, height: number): { x: number; y: number; width: number; height: number } {
  const w = Math.min(width * 0.84, height * 0.84 * CARD_ASPECT);
  const h = w / CARD_ASPECT;
  return { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h };
}

/**
 * @tagname ekyc-document-capture
 * @summary Live document capture: the camera preview with a document frame, the detected outline, guidance and auto-capture feedback, and an upload fallback.
 *
 * @slot status - Shown above the preview, e.g. an `<ekyc-progress>` while the models load.
 *
 * @event {CustomEvent<UploadDetail>} ekyc-upload - The user picked a photo of the document instead of the camera.
 *
 * @csspart base - The wrapper.
 * @csspart heading - The title (front or back).
 * @csspart stage - The box holding the video and its overlay.
 * @csspart video - The camera preview.
 * @csspart overlay - The SVG overlay (frame guide, shade, detected outline).
 * @csspart guidance - The guidance message under the preview.
 * @csspart countdown - The auto-capture progress bar.
 * @csspart upload - The upload button.
 *
 * @cssproperty --ekyc-color-guide - The frame guide's stroke.
 * @cssproperty --ekyc-color-detected - The detected document outline.
 * @cssproperty --ekyc-color-overlay - The shade outside the frame guide.
 * @cssproperty --ekyc-color-success - Guidance background and progress once the framing is good.
 * @cssproperty --ekyc-stage-aspect - Aspect ratio of the preview box (default 16 / 9).
 */
export class EkycDocumentCapture extends EkycElement {
  static override styles = [baseStyles, stageStyles, documentCaptureStyles];
  static override properties = {
    side: { type: String },
    stream: { attribute: false },
    guidance: { attribute: false },
    captured: { type: Boolean },
    hideUpload: { type: Boolean, attribute: 'hide-upload' },
    keepStreamOnDisconnect: { type: Boolean, attribute: 'keep-stream-on-disconnect' },
  };

  /** Which side is asked for. */
  declare side: 'front' | 'back';
  /** The camera stream to preview (the flow's `camera` event); the element never opens a camera itself. */
  declare stream: MediaStream | null;
  /** The latest quality feedback: codes, detected quad, frame size, auto-capture countdown. */
  declare guidance: DocumentGuidance | null;
  /** The side has been captured. */
  declare captured: boolean;
  /** Hides the "upload a photo instead" button. */
  declare hideUpload: boolean;
  /**
   * By default the stream's tracks are stopped when the element leaves the page, so a camera is never
   * left on behind a removed preview. Set this when the owner keeps the stream for another view.
   */
  declare keepStreamOnDisconnect: boolean;

  private readonly announcer = new LiveAnnouncer(this);

  constructor() {
    super();
    this.side = 'front';
    this.stream = null;
    this.guidance = null;
    this.captured = false;
    this.hideUpload = false;
    this.keepStreamOnDisconnect = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    const video = this.renderRoot.querySelector('video');
    if (video) video.srcObject = null;
    if (!this.keepStreamOnDisconnect) stopStream(this.stream);
  }

  /** The message for the current state: captured, reading after the capture, holding for auto-capture, the first code, or the instructions. */
  guidanceText(): string {
    if (this.captured) return this.t('capture.captured');
    const g = this.guidance;
    const code = g?.codes[0];
    if (!g || !code) return this.t('capture.instructions');
    // Frames are still read after the photo: the document must stay where it is (a framing problem still shows its own message).
    if (g.reading && code === 'good') return this.t('capture.reading');
    if (code === 'good' && g.countdown.stable > 0) return this.t('capture.holding');
    return this.t(`quality.${code}`);
  }

  protected override willUpdate(): void {
    this.announcer.announce(this.guidanceText());
  }

  private pick(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  }

  private picked(event: Event): void {
    const files = takeFiles(event.target as HTMLInputElement);
    if (files.length > 0) this.emit<UploadDetail>('ekyc-upload', { document: files, selfie: null });
  }

  private renderOverlay() {
    const frame = this.guidance?.frame ?? DEFAULT_FRAME;
    const { width, height } = frame;
    const guide = guideRect(width, height);
    const radius = guide.width * 0.04;
    const good = this.captured || this.guidance?.codes[0] === 'good';
    const quad = this.guidance?.quad;
    const shade = `M0 0H${width}V${height}H0Z M${guide.x} ${guide.y}h${guide.width}v${guide.height}h${-guide.width}Z`;
    return html`
      <svg class="overlay" part="overlay" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMidYMid meet" aria-hidden="true" focusable="false">
        ${svg`<path class="shade" d=${shade}></path>
        <rect class="guide ${good ? 'good' : ''}" x=${guide.x} y=${guide.y} width=${guide.width} height=${guide.height} rx=${radius}></rect>
        ${quad ? svg`<polygon class="detected" points=${quad.map((p) => `${p.x},${p.y}`).join(' ')}></polygon>` : nothing}`}
      </svg>`;
  }

  override render() {
    const text = this.guidanceText();
    const good = this.captured || this.guidance?.codes[0] === 'good';
    const countdown = this.guidance?.countdown;
    return html`
      <section part="base" class="base" lang=${this.resolvedLocale} aria-labelledby="title">
        <h2 id="title" part="heading" data-heading tabindex="-1">${this.t(this.side === 'back' ? 'capture.title.back' : 'capture.title.front')}</h2>
        <p class="muted">${this.t('capture.instructions')}</p>
        <slot name="status"></slot>
        <div class="stage" part="stage">
          <video part="video" aria-hidden="true" .srcObject=${this.stream} .muted=${true} autoplay playsinline></video>
          ${this.renderOverlay()}
        </div>
        <p class="guidance ${good ? 'good' : ''}" part="guidance" aria-hidden="true">${text}</p>
        ${countdown && countdown.stable > 0 && !this.captured
          ? html`<progress class="countdown" part="countdown" max=${countdown.needed} .value=${countdown.stable} aria-label=${this.t('capture.holding')}></progress>`
          : nothing}
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcer.text}</div>
        ${this.hideUpload ? nothing : html`
          <div class="actions">
            <button type="button" part="upload" @click=${() => this.pick()}>${this.t('capture.upload')}</button>
            <input type="file" accept="image/*" hidden aria-hidden="true" tabindex="-1" @change=${(e: Event) => this.picked(e)} />
          </div>`}
      </section>`;
  }
}
