import { describe, expect, it } from 'vitest';
import { consentText, consentTexts } from './consent-text.ts';

describe('consent text', () => {
  it('says what, why, how long and by whom, in every built-in locale', () => {
    const texts = consentTexts({ controller: 'Example Bank', retentionDays: 30 });
    expect(Object.keys(texts).sort()).toEqual(['en', 'es', 'fr']);
    for (const text of Object.values(texts)) {
      expect(text.split('\n')).toHaveLength(10);
      expect(text).toContain('Example Bank');
      expect(text).toContain('30');
    }
  });

  it('changes with an override, so the recorded hash follows the text shown', () => {
    const plain = consentText('en', { retentionDays: 30 });
    const overridden = consentText('en', { retentionDays: 30, strings: { 'consent.why.body': 'To open your account.' } });
    expect(overridden).not.toBe(plain);
    expect(overridden).toContain('To open your account.');
  });
});
