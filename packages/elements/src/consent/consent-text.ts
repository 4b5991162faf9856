import { LOCALES, translate, type MessageKey, type MessageOverrides } from '../i18n/index.ts';

export interface ConsentTextOptions {
  /** Who receives the evidence (the data controller), as shown to the user. */
  controller?: string;
  /** How long the evidence is kept, in days. */
  retentionDays: number;
  strings?: MessageOverrides;
}

/** The consent's sections in reading order: a slot name and its message keys. */
export const CONSENT_SECTIONS = [
  { slot: 'what', title: 'consent.what.title', body: 'consent.what.body' },
  { slot: 'why', title: 'consent.why.title', body: 'consent.why.body' },
  { slot: 'retention', title: 'consent.retention.title', body: 'consent.retention.body' },
  { slot: 'controller', title: 'consent.controller.title', body: 'consent.controller.body' },
] as const satisfies readonly { slot: string; title: MessageKey; body: MessageKey }[];

/** Runs of white space as one space, trimmed: the text as a reader sees it, however it was laid out. */
export const normalizeText = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * The consent exactly as `<ekyc-consent>` shows it by default, one line per heading and paragraph.
 * Its SHA-256 is what the evidence records, so this function and the element's `shownText()` agree.
 */
export function consentText(locale: string, options: ConsentTextOptions): string {
  const t = (key: MessageKey): string => translate(locale, key, {
    controller: options.controller ?? translate(locale, 'consent.default_controller', undefined, options.strings),
    days: options.retentionDays,
  }, options.strings);
  const lines = [t('consent.title'), t('consent.intro')];
  for (const section of CONSENT_SECTIONS) lines.push(t(section.title), t(section.body));
  return lines.map(normalizeText).join('\n');
}

/** The text in every built-in locale, for `VerificationFlowOptions.consent.text`. */
export function consentTexts(options: ConsentTextOptions): Record<string, string> {
  return Object.fromEntries(LOCALES.map((locale) => [locale, consentText(locale, options)]));
}
