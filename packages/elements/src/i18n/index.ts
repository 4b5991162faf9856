export { en, type MessageKey, type Messages } from './en.ts';
export { fr } from './fr.ts';
export { es } from './es.ts';
export { CATALOGS, LOCALES, format, formatBytes, resolveLocale, translate, type BuiltInLocale, type MessageOverrides, type MessageParams } from './translate.ts';
export { ERROR_MESSAGE_KEYS, errorMessageKey } from './error-messages.ts';
