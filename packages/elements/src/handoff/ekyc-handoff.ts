import { html, svg, nothing } from 'lit';
import type { HandoffInfo, HandoffStatus } from '@ekyc/flow';
import type { MessageKey } from '../i18n/index.ts';
import { EkycElement } from '../shared/ekyc-element.ts';
import { baseStyles } from '../shared/styles.ts';
import { handoffStyles } from './ekyc-handoff.styles.ts';
import { qrMatrix } from './qr.ts';

const STATUS_TEXT: Record<HandoffStatus, MessageKey> = {
  waiting: 'handoff.waiting',
  opened: 'handoff.opened',
  received: 'handoff.completed',
  decided: 'handoff.completed',
  expired: 'handoff.expired',
  failed: 'error.retry_generic',
};

/**
 * @tagname ekyc-handoff
 * @summary Continue on a phone: a QR code and the short-lived, single-use link, with the phone's progress.
 *
 * @event {CustomEvent<Record<string, never>>} ekyc-handoff-renew - The user asks for a new link (after it expired or failed).
 * @event {CustomEvent<Record<string, never>>} ekyc-handoff-cancel - The user goes back to this device.
 *
 * @csspart base - The wrapper.
 * @csspart heading - The title.
 * @csspart qr - The QR code (SVG).
 * @csspart link - The link text.
 * @csspart copy - The copy button.
 * @csspart status - The phone's progress.
 *
 * @cssproperty --ekyc-color-border - The QR code's frame.
 */
export class EkycHandoff extends EkycElement {
  static override styles = [baseStyles, handoffStyles];
  static override properties = {
    handoff: { attribute: false },
    hideBack: { type: Boolean, attribute: 'hide-back' },
  };

  static {
    // Internal view state: reactive, but no attribute and not part of the public API.
    for (const name of ['copied']) this.createProperty(name, { state: true });
  }

  /** The link and its status (the flow's `handoff` event). */
  declare handoff: HandoffInfo | null;
  /** Hides the "back" button (e.g. on a desktop with no camera at all). */
  declare hideBack: boolean;
  private declare copied: boolean;

  constructor() {
    super();
    this.handoff = null;
    this.hideBack = false;
    this.copied = false;
  }

  private async copy(url: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
      this.copied = true;
    } catch {
      // Clipboard refused (no permission, insecure context): the link stays visible to copy by hand.
      this.copied = false;
    }
  }

  private renderQr(url: string) {
    const { size, path } = qrMatrix(url);
    // 4 modules of quiet zone, as the QR specification asks.
    return html`<svg class="qr" part="qr" viewBox="-4 -4 ${size + 8} ${size + 8}" shape-rendering="crispEdges" role="img" aria-label=${this.t('handoff.qr_label')}>
      ${svg`<rect x="-4" y="-4" width=${size + 8} height=${size + 8} fill="#ffffff"></rect><path d=${path} fill="#000000"></path>`}
    </svg>`;
  }

  override render() {
    const handoff = this.handoff;
    const ended = handoff?.status === 'expired' || handoff?.status === 'failed';
    const expires = handoff ? new Intl.DateTimeFormat(this.resolvedLocale, { timeStyle: 'short' }).format(new Date(handoff.expiresAt)) : '';
    return html`
      <section part="base" class="base" lang=${this.resolvedLocale} aria-labelledby="title">
        <h2 id="title" part="heading" data-heading tabindex="-1">${this.t('handoff.title')}</h2>
        <p>${this.t('handoff.intro')}</p>
        ${handoff && !ended ? html`
          ${this.renderQr(handoff.url)}
          <p class="muted">${this.t('handoff.expires', { time: expires })}</p>
          <div class="link">
            <span class="visually-hidden">${this.t('handoff.link_label')}</span>
            <a class="url" part="link" href=${handoff.url} target="_blank" rel="noopener noreferrer">${handoff.url}</a>
            <button type="button" part="copy" @click=${() => this.copy(handoff.url)}>${this.t(this.copied ? 'handoff.copied' : 'handoff.copy')}</button>
          </div>` : nothing}
        <p class="status ${handoff?.status ?? ''}" part="status" role="status" aria-live="polite">${handoff ? this.t(STATUS_TEXT[handoff.status]) : this.t('loading.processing')}</p>
        <div class="actions">
          ${ended ? html`<button type="button" class="primary" @click=${() => this.emit('ekyc-handoff-renew', {})}>${this.t('handoff.new_link')}</button>` : nothing}
          ${this.hideBack ? nothing : html`<button type="button" @click=${() => this.emit('ekyc-handoff-cancel', {})}>${this.t('common.back')}</button>`}
        </div>
      </section>`;
  }
}
