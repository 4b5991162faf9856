import { en, type MessageKey, type Messages } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';

/** Built-in catalogs by primary language subtag. */
export const CATALOGS: Readonly<Record<string, Messages>> = { en, fr, es };
export type BuiltInLocale = 'en' | 'fr' | 'es';
export const LOCALES = Object.keys(CATALOGS) as BuiltInLocale[];

/** Overrides for any key, e.g. `{ 'consent.title': 'Avant tout' }`; missing keys fall back to the catalog. */
export type MessageOverrides = Partial<Record<MessageKey, string>>;

/** The built-in catalog for a BCP 47 tag: exact primary language, else English. */
export function resolveLocale(tag: string | null | undefined): BuiltInLocale {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return Object.hasOwn(CATALOGS, primary) ? (primary as BuiltInLocale) : 'en';
}

export type MessageParams = Readonly<Record<string, string | number>>;

/** `{name}` placeholders filled from params; an unknown placeholder stays visible (a bug shows, not hides). */
export function format(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

export function translate(locale: string | null | undefined, key: MessageKey, params?: MessageParams, overrides?: MessageOverrides): string {
  const template = overrides?.[key] ?? CATALOGS[resolveLocale(locale)]?.[key] ?? en[key];
  return format(template, params);
}

/** Bytes as the locale writes them, in kB or MB (decimal units, as download sizes are shown). */
export function formatBytes(locale: string, bytes: number): string {
  const mb = bytes >= 1e6;
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: mb ? 'megabyte' : 'kilobyte',
    maximumFractionDigits: mb ? 1 : 0,
  }).format(mb ? bytes / 1e6 : bytes / 1e3);
}
