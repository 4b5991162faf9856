import { html } from 'lit';
import { EkycElement } from '../shared/ekyc-element.ts';
import { baseStyles } from '../shared/styles.ts';
import { CONSENT_SECTIONS, normalizeText } from './consent-text.ts';
import { consentStyles } from './ekyc-consent.styles.ts';

/** `ekyc-consent-accept`: the user agreed to the text shown, in this locale. */
export interface ConsentAcceptDetail {
  locale: string;
  /** The text as shown (headings and paragraphs, one per line, slots included): hash it for the evidence. */
  text: string;
}

/**
 * @tagname ekyc-consent
 * @summary Explains what is captured, why, for how long and by whom, and asks for consent before anything is captured.
 *
 * @slot heading - Replaces the title.
 * @slot intro - Replaces the introduction.
 * @slot what - Replaces what is captured.
 * @slot why - Replaces why it is captured.
 * @slot retention - Replaces how long the evidence is kept.
 * @slot controller - Replaces who receives the evidence.
 * @slot what-title - Replaces the heading of what is captured.
 * @slot why-title - Replaces the heading of why.
 * @slot retention-title - Replaces the heading of how long.
 * @slot controller-title - Replaces the heading of by whom.
 *
 * @event {CustomEvent<ConsentAcceptDetail>} ekyc-consent-accept - The user agreed; `detail.text` is the text shown.
 * @event {CustomEvent<Record<string, never>>} ekyc-consent-decline - The user declined.
 *
 * @csspart base - The wrapper.
 * @csspart heading - The title.
 * @csspart section - Each of the four explanations.
 * @csspart actions - The button row.
 * @csspart accept - The agree button.
 * @csspart decline - The decline button.
 *
 * @cssproperty --ekyc-color-primary - Buttons, links and the sections' left rule.
 * @cssproperty --ekyc-color-text - Text colour.
 * @cssproperty --ekyc-color-surface - Background.
 * @cssproperty --ekyc-font-family - Font.
 * @cssproperty --ekyc-radius - Corner radius of buttons.
 * @cssproperty --ekyc-focus-ring - Outline of the focused control.
 */
export class EkycConsent extends EkycElement {
  static override styles = [baseStyles, consentStyles];
  static override properties = {
    controller: { type: String },
    retentionDays: { type: Number, attribute: 'retention-days' },
    policyUrl: { type: String, attribute: 'policy-url' },
  };

  /** Who receives the evidence (the data controller), e.g. `Example Bank`. */
  declare controller: string | undefined;
  /** How long the evidence is kept, in days. */
  declare retentionDays: number;
  /** Link to the full privacy notice, opened in a new tab. */
  declare policyUrl: string | undefined;

  constructor() {
    super();
    this.retentionDays = 30;
  }

  /** The text shown now, slots included, one line per heading and paragraph. */
  shownText(): string {
    const slots = ['heading', 'intro', ...CONSENT_SECTIONS.flatMap((s) => [`${s.slot}-title`, s.slot])];
    return slots.map((name) => {
      const slot = this.renderRoot.querySelector<HTMLSlotElement>(`slot[name="${name}"]`);
      const text = slot ? slot.assignedNodes({ flatten: true }).map((node) => node.textContent ?? '').join('') : '';
      return normalizeText(text);
    }).join('\n');
  }

  /** Agrees, as the accept button does. */
  accept(): void {
    this.emit<ConsentAcceptDetail>('ekyc-consent-accept', { locale: this.resolvedLocale, text: this.shownText() });
  }

  /** Declines, as the decline button does. */
  decline(): void {
    this.emit<Record<string, never>>('ekyc-consent-decline', {});
  }

  override render() {
    const params = { controller: this.controller ?? this.t('consent.default_controller'), days: this.retentionDays };
    return html`
      <section part="base" class="base" lang=${this.resolvedLocale} aria-labelledby="title">
        <h2 id="title" part="heading" data-heading tabindex="-1"><slot name="heading">${this.t('consent.title')}</slot></h2>
        <p><slot name="intro">${this.t('consent.intro', params)}</slot></p>
        ${CONSENT_SECTIONS.map((section) => html`
          <div class="section" part="section">
            <h3><slot name=${`${section.slot}-title`}>${this.t(section.title)}</slot></h3>
            <p><slot name=${section.slot}>${this.t(section.body, params)}</slot></p>
          </div>`)}
        ${this.policyUrl ? html`<p><a href=${this.policyUrl} target="_blank" rel="noopener noreferrer">${this.t('consent.policy')}</a></p>` : null}
        <div class="actions" part="actions">
          <button type="button" class="primary" part="accept" @click=${() => this.accept()}>${this.t('consent.accept')}</button>
          <button type="button" part="decline" @click=${() => this.decline()}>${this.t('consent.decline')}</button>
        </div>
      </section>`;
  }
}
