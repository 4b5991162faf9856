import { expect, test } from '@playwright/test';
import { document as coreDocument } from '@ekyc/core';
import type { LicenceResult } from './pages/document.ts';

/**
 * A licence's issuing state read from its pixels by the real document worker (the EU emblem's sign by
 * PP-OCR and tesseract.js, the national title), and the accepted-countries check on it: the same card
 * printed for three states.
 */
test.describe('driving licence issuing state (EU emblem sign, national title)', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/e2e/pages/document.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
  });

  const policy = { referenceDate: new Date('2026-06-01T00:00:00Z'), minimumAge: 18, acceptedCountries: ['D<<', 'FRA'] };

  for (const [sign, country, accepted] of [['D', 'DEU', true], ['PL', 'POL', false], ['I', 'ITA', false]] as const) {
    test(`reads ${sign} as ${country} and ${accepted ? 'accepts' : 'refuses'} it under [D<<, FRA]`, async ({ page }) => {
      const r: LicenceResult = await page.evaluate((s) => window.documentTest.readLicence({ seed: 7000, level: 'mild', vizOverrides: { issuingState: s } }), sign);
      const state = (r.read.visualZone as { issuingState?: coreDocument.IssuingStateReading }).issuingState;
      expect(state).toMatchObject({ value: country, sign, uncertain: false });
      const checked = coreDocument.checkVisualZoneDocument(r.read.visualZone!, { type: 'driving_licence' }, policy);
      expect(checked.facts.issuingState).toBe(country);
      expect(checked.failures.filter((f) => f.field === 'issuingState').map((f) => f.code)).toEqual(accepted ? [] : ['document_country_not_accepted']);
    });
  }
});
