import { html, svg, nothing } from 'lit';
import type { ResultSummary } from '@ekyc/flow';
import { EkycElement } from '../shared/ekyc-element.ts';
import { baseStyles } from '../shared/styles.ts';
import { resultStyles } from './ekyc-result.styles.ts';

/** What the user is told at the end: one generic line per outcome, never a signal or a reason. */
export type ResultOutcome = 'approve' | 'review' | 'reject' | 'pending' | 'expired' | 'submitted' | 'local';

/** The outcome shown for a flow result: the verifier's decision when there is one, else what happened to the evidence. */
export function outcomeOf(result: ResultSummary): ResultOutcome {
  // An escalated session is told exactly what a reviewed one is told (core risk.USER_MESSAGES).
  if (result.decision) return result.decision.outcome === 'escalate' ? 'review' : result.decision.outcome;
  if (result.delivery === 'local') return 'local';
  if (result.delivery === 'queued') return 'submitted';
  return 'pending';
}

const ICONS: Record<ResultOutcome, ReturnType<typeof svg>> = {
  approve: svg`<path d="M5 12.5l4.5 4.5L19 7.5" />`,
  submitted: svg`<path d="M5 12.5l4.5 4.5L19 7.5" />`,
  local: svg`<path d="M5 12.5l4.5 4.5L19 7.5" />`,
  review: svg`<path d="M12 7v5l3 2" /><circle cx="12" cy="12" r="9" />`,
  pending: svg`<path d="M12 7v5l3 2" /><circle cx="12" cy="12" r="9" />`,
  reject: svg`<path d="M7 7l10 10M17 7L7 17" />`,
  expired: svg`<path d="M7 7l10 10M17 7L7 17" />`,
};

/**
 * @tagname ekyc-result
 * @summary The end of the flow: a generic message per outcome (verified, under review, not verified, pending, sent), never the reason.
 *
 * @slot actions - Buttons of your own (e.g. "Back to the shop").
 *
 * @csspart base - The wrapper.
 * @csspart heading - The title.
 * @csspart icon - The outcome icon.
 * @csspart message - The message.
 * @csspart reference - The session reference.
 *
 * @cssproperty --ekyc-color-success - Icon of a verified result.
 * @cssproperty --ekyc-color-warning - Icon of a result under review or pending.
 * @cssproperty --ekyc-color-danger - Icon of a rejected or expired result.
 */
export class EkycResult extends EkycElement {
  static override styles = [baseStyles, resultStyles];
  static override properties = {
    result: { attribute: false },
    outcome: { type: String },
    reference: { type: String },
  };

  /** The flow's `complete` detail. Only its decision, delivery and session id are shown. */
  declare result: ResultSummary | null;
  /** Sets the outcome directly (e.g. `expired`); wins over `result`. */
  declare outcome: ResultOutcome | undefined;
  /** A reference for support; default the session id of `result`. */
  declare reference: string | undefined;

  constructor() {
    super();
    this.result = null;
  }

  get shownOutcome(): ResultOutcome {
    return this.outcome ?? (this.result ? outcomeOf(this.result) : 'pending');
  }

  override render() {
    const outcome = this.shownOutcome;
    const reference = this.reference ?? this.result?.sessionId;
    return html`
      <section part="base" class="base ${outcome}" lang=${this.resolvedLocale} aria-labelledby="title">
        <svg class="icon" part="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true" focusable="false">${ICONS[outcome]}</svg>
        <h2 id="title" part="heading" data-heading tabindex="-1">${this.t(`result.title.${outcome}`)}</h2>
        <p part="message">${this.t(`result.body.${outcome}`)}</p>
        ${reference ? html`<p class="reference muted" part="reference">${this.t('result.reference', { id: reference })}</p>` : nothing}
        <div class="actions"><slot name="actions"></slot></div>
      </section>`;
  }
}
