import { html, nothing } from 'lit';
import type { ReviewData, ReviewEdits, ReviewField } from '@ekyc/flow';
import { errorMessageKey } from '../i18n/index.ts';
import { EkycElement } from '../shared/ekyc-element.ts';
import { baseStyles } from '../shared/styles.ts';
import { documentReviewStyles } from './ekyc-document-review.styles.ts';

/** `ekyc-review-confirm`: the fields are right; `edits` holds only the fields the user changed. */
export interface ReviewConfirmDetail {
  edits: ReviewEdits;
}

/** Fields in the order a document prints them. */
export const REVIEW_ORDER: readonly ReviewField[] = [
  'surname', 'givenNames', 'documentNumber', 'nationality', 'birthDate', 'sex', 'expiryDate', 'issuingState', 'documentCode',
];

/** Fields a user may correct (recorded as the visual-zone reading; the MRZ is never edited). */
export const EDITABLE_FIELDS: ReadonlySet<ReviewField> = new Set<keyof ReviewEdits>(['surname', 'givenNames', 'documentNumber', 'birthDate', 'expiryDate']);

/**
 * @tagname ekyc-document-review
 * @summary Shows the data read from the document, highlights the fields the reader was unsure of, lets the user correct the printed ones and confirm.
 *
 * @event {CustomEvent<ReviewConfirmDetail>} ekyc-review-confirm - The user confirmed; `detail.edits` holds the corrected fields only.
 * @event {CustomEvent<Record<string, never>>} ekyc-review-retake - The user wants to capture the document again.
 *
 * @csspart base - The wrapper.
 * @csspart heading - The title.
 * @csspart field - Each field's box.
 * @csspart uncertain - Added to the boxes of fields to check.
 * @csspart confirm - The confirm button.
 * @csspart retake - The retake button.
 *
 * @cssproperty --ekyc-color-warning - Text and rule of uncertain fields.
 * @cssproperty --ekyc-color-warning-surface - Background of uncertain fields.
 * @cssproperty --ekyc-color-surface-alt - Background of the other fields.
 */
export class EkycDocumentReview extends EkycElement {
  static override styles = [baseStyles, documentReviewStyles];
  static override properties = {
    data: { attribute: false },
    hideRetake: { type: Boolean, attribute: 'hide-retake' },
  };

  /** What the flow read (its `review` event). */
  declare data: ReviewData | null;
  /** Hides the retake button. */
  declare hideRetake: boolean;

  constructor() {
    super();
    this.data = null;
    this.hideRetake = false;
  }

  /** The corrections typed so far (fields whose input differs from what was read). */
  edits(): ReviewEdits {
    const edits: ReviewEdits = {};
    for (const input of this.renderRoot.querySelectorAll<HTMLInputElement>('input[name]')) {
      const field = input.name as keyof ReviewEdits;
      const read = this.data?.fields[field] ?? '';
      const value = input.value.trim();
      if (value !== read) edits[field] = value;
    }
    return edits;
  }

  confirm(): void {
    this.emit<ReviewConfirmDetail>('ekyc-review-confirm', { edits: this.edits() });
  }

  private renderField(field: ReviewField) {
    const value = this.data?.fields[field] ?? null;
    const uncertain = this.data?.uncertain.includes(field) ?? false;
    const label = this.t(`field.${field}`);
    const badge = uncertain ? html`<span class="badge" id=${`${field}-check`}>${this.t('review.uncertain')}</span>` : nothing;
    const part = uncertain ? 'field uncertain' : 'field';
    if (EDITABLE_FIELDS.has(field)) {
      return html`<div class="field ${uncertain ? 'uncertain' : ''}" part=${part}>
        <label for=${`field-${field}`}>${label}</label>${badge}
        <input id=${`field-${field}`} name=${field} .value=${value ?? ''} autocomplete="off" spellcheck="false"
          aria-describedby=${uncertain ? `${field}-check` : nothing} />
      </div>`;
    }
    return html`<div class="field ${uncertain ? 'uncertain' : ''}" part=${part}>
      <span class="label">${label}</span>${badge}
      <span class="value">${value ?? this.t('review.empty')}</span>
    </div>`;
  }

  override render() {
    const data = this.data;
    // Only issues the user can act on are named; fraud cues share the generic wording and are not shown here.
    const issues = [...new Set((data?.issues ?? []).map(errorMessageKey))].filter((key) => key !== 'error.not_verified');
    return html`
      <section part="base" class="base" lang=${this.resolvedLocale} aria-labelledby="title">
        <h2 id="title" part="heading" data-heading tabindex="-1">${this.t('review.title')}</h2>
        <p class="muted">${this.t('review.intro')}</p>
        ${issues.map((key) => html`<p class="issue" role="alert">${this.t(key)}</p>`)}
        <form class="fields" @submit=${(e: Event) => { e.preventDefault(); this.confirm(); }}>
          ${data?.documentType ? html`<div class="field" part="field"><span class="label">${this.t('field.documentType')}</span><span class="value">${this.t(`doctype.${data.documentType}`)}</span></div>` : nothing}
          ${REVIEW_ORDER.filter((field) => EDITABLE_FIELDS.has(field) || data?.fields[field] !== undefined).map((field) => this.renderField(field))}
          <div class="actions">
            <button type="submit" class="primary" part="confirm">${this.t('review.confirm')}</button>
            ${this.hideRetake ? nothing : html`<button type="button" part="retake" @click=${() => this.emit('ekyc-review-retake', {})}>${this.t('review.retake')}</button>`}
          </div>
        </form>
      </section>`;
  }
}
