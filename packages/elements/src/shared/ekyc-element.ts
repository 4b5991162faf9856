import { LitElement, type PropertyDeclarations } from 'lit';
import { dispatch } from './dispatch.ts';
import { resolveLocale, translate, type MessageKey, type MessageOverrides, type MessageParams } from '../i18n/index.ts';

/**
 * What every element shares: its language (`locale`, else the nearest `lang`, else the browser's),
 * per-key text overrides (`strings`), typed events, and a heading that receives focus when a step
 * begins. Elements hold view state only.
 */
export class EkycElement extends LitElement {
  static override properties: PropertyDeclarations = {
    locale: { type: String, reflect: true },
    strings: { attribute: false },
  };

  /** BCP 47 tag; `en`, `fr` and `es` are built in, other tags fall back to English. */
  declare locale: string | undefined;
  /** Overrides for any message key, e.g. `{ 'consent.title': 'Welcome' }`. */
  declare strings: MessageOverrides | undefined;

  /** The tag the text is in: `locale`, else the closest `lang` in the light DOM, else the browser's. */
  get resolvedLocale(): string {
    const tag = this.locale ?? this.closest('[lang]')?.getAttribute('lang') ?? globalThis.navigator?.language ?? 'en';
    return resolveLocale(tag);
  }

  protected t(key: MessageKey, params?: MessageParams): string {
    return translate(this.resolvedLocale, key, params, this.strings);
  }

  /** Dispatches a bubbling, composed `CustomEvent` with a typed detail. */
  protected emit<T>(name: string, detail: T): boolean {
    return dispatch(this, name, detail);
  }

  /** Moves focus to the element's heading, so a screen reader reads where the user now is. */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    const heading = this.renderRoot.querySelector<HTMLElement>('[data-heading]');
    heading?.focus({ preventScroll: false });
  }
}
