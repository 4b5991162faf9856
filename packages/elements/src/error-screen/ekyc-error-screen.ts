import { html, nothing } from 'lit';
import type { RecoveryAction } from '@ekyc/flow';
import { errorMessageKey, type MessageKey } from '../i18n/index.ts';
import { EkycElement } from '../shared/ekyc-element.ts';
import { baseStyles } from '../shared/styles.ts';
import { errorScreenStyles } from './ekyc-error-screen.styles.ts';

/** `ekyc-recover`: the way forward the user chose. */
export interface RecoverDetail {
  action: RecoveryAction;
}

const CAMERA_CODES = new Set(['camera_denied', 'camera_not_found', 'camera_in_use', 'camera_unsupported']);
type CameraCode = 'camera_denied' | 'camera_not_found' | 'camera_in_use' | 'camera_unsupported';

/** The order the ways forward are offered in, most direct first. */
const ACTION_ORDER: readonly RecoveryAction[] = ['retry', 'upload', 'handoff', 'restart'];

/**
 * @tagname ekyc-error-screen
 * @summary A dead end with ways out: camera denied, no camera, camera busy (each with its own text) or any other error code, with retry, upload and continue-on-phone.
 *
 * @slot help - Extra help under the message (e.g. how to allow the camera in your app's browser).
 *
 * @event {CustomEvent<RecoverDetail>} ekyc-recover - The user chose a way forward: `retry`, `upload`, `handoff` or `restart`.
 *
 * @csspart base - The wrapper.
 * @csspart heading - The title.
 * @csspart message - The explanation.
 * @csspart actions - The button column.
 * @csspart action - Each button.
 * @csspart action-retry - The retry button (also `action-upload`, `action-handoff`, `action-restart`).
 *
 * @cssproperty --ekyc-color-danger - The icon.
 * @cssproperty --ekyc-color-primary - Buttons.
 */
export class EkycErrorScreen extends EkycElement {
  static override styles = [baseStyles, errorScreenStyles];
  static override properties = {
    code: { type: String },
    actions: { attribute: false },
  };

  /** An error code from `@ekyc/core` (docs/errors.md). Text comes from the code, never from a message. */
  declare code: string;
  /** The ways forward to offer; default retry, upload and handoff for camera errors, retry otherwise. */
  declare actions: readonly RecoveryAction[] | undefined;

  constructor() {
    super();
    this.code = 'camera_not_found';
  }

  get offeredActions(): RecoveryAction[] {
    const camera = CAMERA_CODES.has(this.code);
    const wanted = this.actions ?? (camera ? (this.code === 'camera_unsupported' ? ['upload', 'handoff'] : ['retry', 'upload', 'handoff']) : ['retry']);
    return ACTION_ORDER.filter((action) => wanted.includes(action));
  }

  private texts(): { title: MessageKey; body: MessageKey; retry: MessageKey } {
    if (CAMERA_CODES.has(this.code)) {
      const code = this.code as CameraCode;
      return { title: `camera.${code}.title`, body: `camera.${code}.body`, retry: 'camera.retry' };
    }
    return { title: 'error.step_title', body: errorMessageKey(this.code), retry: 'common.retry' };
  }

  override render() {
    const texts = this.texts();
    const labels: Record<RecoveryAction, MessageKey> = { retry: texts.retry, upload: 'camera.upload', handoff: 'camera.handoff', restart: 'common.restart' };
    const actions = this.offeredActions;
    return html`
      <section part="base" class="base" lang=${this.resolvedLocale} aria-labelledby="title" aria-describedby="message">
        <svg class="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true" focusable="false"><circle cx="12" cy="12" r="9" /><path d="M12 7.5v5.5M12 16.5v.5" /></svg>
        <h2 id="title" part="heading" data-heading tabindex="-1">${this.t(texts.title)}</h2>
        <p id="message" part="message">${this.t(texts.body)}</p>
        <slot name="help"></slot>
        ${actions.length > 0 ? html`<div class="actions" part="actions">
          ${actions.map((action, i) => html`<button type="button" class=${i === 0 ? 'primary' : ''} part="action action-${action}" data-action=${action}
            @click=${() => this.emit<RecoverDetail>('ekyc-recover', { action })}>${this.t(labels[action])}</button>`)}
        </div>` : nothing}
      </section>`;
  }
}
