/** The consent record: which text (by hash), in which locale, when. Nothing is captured before it exists. */
import { sha256Hex } from '@ekyc/core';
import type { ConsentRecord, ConsentText } from './types.ts';

/** The text for a locale: exact tag, then its language, then `en`, then the first one given. */
export function consentTextFor(text: ConsentText, locale: string): { locale: string; text: string } {
  const entries = Object.entries(text.text);
  const exact = entries.find(([tag]) => tag.toLowerCase() === locale.toLowerCase());
  const language = entries.find(([tag]) => tag.toLowerCase() === locale.split('-')[0]!.toLowerCase());
  const chosen = exact ?? language ?? entries.find(([tag]) => tag === 'en') ?? entries[0];
  if (!chosen) return { locale, text: '' };
  return { locale: chosen[0], text: chosen[1] };
}

export async function consentRecord(text: ConsentText, locale: string, now: Date): Promise<ConsentRecord> {
  const shown = consentTextFor(text, locale);
  return {
    textId: text.id,
    textVersion: text.version,
    textSha256: await sha256Hex(new TextEncoder().encode(shown.text)),
    locale: shown.locale,
    scopes: [...(text.scopes ?? ['identity_verification'])],
    grantedAt: now.toISOString(),
  };
}
