import { html, nothing } from 'lit';
import type { ProgressDetail } from '@ekyc/flow';
import { EkycElement } from '../shared/ekyc-element.ts';
import { baseStyles } from '../shared/styles.ts';
import { byteRange } from './byte-range.ts';
import { progressStyles } from './ekyc-progress.styles.ts';

/**
 * @tagname ekyc-progress
 * @summary Progress while models load (with their byte sizes) or while the device processes.
 *
 * @csspart base - The wrapper.
 * @csspart label - What is happening.
 * @csspart bytes - "3.1 of 9.8 MB": bytes received, as the workers download.
 * @csspart bar - The native progress bar.
 *
 * @cssproperty --ekyc-color-primary - The bar's colour.
 */
export class EkycProgress extends EkycElement {
  static override styles = [baseStyles, progressStyles];
  static override properties = {
    progress: { attribute: false },
  };

  /** The flow's `progress` detail: `model` (bytes) or `processing` (units done, total or null). */
  declare progress: ProgressDetail | null;

  constructor() {
    super();
    this.progress = null;
  }

  override render() {
    const p = this.progress;
    const model = p?.kind === 'model';
    const label = this.t(model ? 'loading.models' : 'loading.processing');
    const max = p ? (p.kind === 'model' ? p.bytesTotal : p.total) : null;
    const value = p ? (p.kind === 'model' ? p.bytesLoaded : p.done) : null;
    const locale = this.resolvedLocale;
    return html`
      <div part="base" class="base" lang=${locale}>
        <div class="row">
          <span part="label" id="label">${label}</span>
          ${model && p.bytesTotal > 0
            ? html`<span part="bytes" class="muted">${this.t('loading.bytes', byteRange(locale, p.bytesLoaded, p.bytesTotal))}</span>`
            : nothing}
        </div>
        ${max !== null && max > 0 && value !== null
          ? html`<progress part="bar" aria-labelledby="label" max=${max} .value=${Math.min(value, max)}></progress>`
          : html`<progress part="bar" aria-labelledby="label"></progress>`}
      </div>`;
  }
}
