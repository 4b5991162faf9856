import { ERROR_CODES, type EkycErrorCode } from '@ekyc/core';
import { describe, expect, it } from 'vitest';
import { CATALOGS, en, errorMessageKey, format, formatBytes, resolveLocale, translate, type MessageKey } from './index.ts';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('message catalogs', () => {
  it('has English plus at least two more locales, each with every key and the same placeholders', () => {
    expect(Object.keys(CATALOGS).length).toBeGreaterThanOrEqual(3);
    for (const [locale, catalog] of Object.entries(CATALOGS)) {
      expect(Object.keys(catalog).sort(), locale).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as MessageKey[]) {
        expect(catalog[key].trim().length, `${locale} ${key}`).toBeGreaterThan(0);
        expect(placeholders(catalog[key]), `${locale} ${key}`).toEqual(placeholders(en[key]));
      }
    }
  });

  it('translates the other locales, not copies English (beyond proper names and codes)', () => {
    for (const locale of ['fr', 'es']) {
      const same = (Object.keys(en) as MessageKey[]).filter((key) => CATALOGS[locale]![key] === en[key]);
      expect(same, locale).toEqual(same.filter((key) => key === 'doctype.visa' || key === 'field.documentType'));
    }
  });

  it('resolves tags to a built-in catalog by primary language, else English', () => {
    expect(resolveLocale('fr-CA')).toBe('fr');
    expect(resolveLocale('es_MX')).toBe('es');
    expect(resolveLocale('de')).toBe('en');
    expect(resolveLocale(undefined)).toBe('en');
  });

  it('fills placeholders, lets any key be overridden, and leaves unknown placeholders visible', () => {
    expect(translate('fr', 'common.step', { current: 2, total: 7 })).toBe('Étape 2 sur 7');
    expect(translate('fr', 'consent.title', undefined, { 'consent.title': 'Bienvenue' })).toBe('Bienvenue');
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('writes byte sizes in the locale', () => {
    expect(formatBytes('en', 10_480_000)).toBe('10.5 MB');
    expect(formatBytes('fr', 10_480_000)).toBe('10,5\u202fMo');
    expect(formatBytes('en', 420_000)).toBe('420 kB');
  });
});

describe('error messages', () => {
  it('gives every core error code a message in every catalog', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      const key = errorMessageKey(code);
      for (const catalog of Object.values(CATALOGS)) expect(catalog[key], code).toBeTruthy();
    }
  });

  it('shows one generic message for every fraud or integrity signal, never its cause', () => {
    const fraud: EkycErrorCode[] = [
      'face_continuity_broken', 'document_viz_mrz_mismatch', 'document_validity_too_long', 'liveness_transcript_invalid',
      'evidence_signature_invalid', 'evidence_chain_broken', 'evidence_hash_mismatch', 'evidence_nonce_replayed', 'evidence_key_mismatch',
    ];
    for (const code of fraud) expect(errorMessageKey(code), code).toBe('error.not_verified');
    // The generic text names no check in any language.
    for (const catalog of Object.values(CATALOGS)) expect(catalog['error.not_verified']).not.toMatch(/face|visage|cara|liveness|MRZ|signature|firma|document/i);
  });

  it('names what the user can fix: an unreadable or expired document, a blurred face, a lost connection', () => {
    expect(errorMessageKey('document_mrz_unreadable')).toBe('error.document_unreadable');
    expect(errorMessageKey('document_expired')).toBe('error.document_expired');
    expect(errorMessageKey('face_blurry')).toBe('error.face_unclear');
    expect(errorMessageKey('transport_failed')).toBe('error.network');
    expect(errorMessageKey('a_code_from_a_newer_verifier')).toBe('error.not_verified');
  });
});
