import { expect, test } from '@playwright/test';
import type { LicenceResult, VisualZoneResult } from './pages/document.ts';

/** Printed fields the reader must return right or flag uncertain, never silently wrong. */
const FIELDS = ['surname', 'givenNames', 'birthDate', 'expiryDate', 'documentNumber', 'sex', 'nationality'] as const;
/** What an EU-layout driving licence prints under 1, 2, 3, 4a, 4b and 5. */
const LICENCE_FIELDS = ['surname', 'givenNames', 'birthDate', 'issueDate', 'expiryDate', 'documentNumber'] as const;

function checkNoSilentError(r: VisualZoneResult): { right: number } {
  let right = 0;
  for (const f of FIELDS) {
    const read = r.viz.visualZone!.fields[f];
    if (!read || read.uncertain) continue;
    expect(read.value, `${f} is certain, so it must be right`).toBe(r.truth.viz[f]);
    right++;
  }
  return { right };
}

test.describe('printed visual zone (PP-OCRv4 det + rec, tesseract.js second read) on synthetic documents', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/e2e/pages/document.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
  });

  test('reads the printed fields of a TD3 page and finds them consistent with its MRZ', async ({ page }) => {
    const r = await page.evaluate(() => window.documentTest.readVisualZone({ format: 'TD3', seed: 1002, level: 'mild' }));
    expect(r.viz.visualZone!.labels).toBeGreaterThanOrEqual(6);
    expect(checkNoSilentError(r).right).toBeGreaterThanOrEqual(5);
    expect(r.viz.visualZone!.fields.birthDate?.value).toBe(r.truth.viz.birthDate);
    expect(r.crossCheck?.signal).toBeNull();
    // Dates sit under MRZ check digits: both zones certain, so they are compared.
    expect(r.crossCheck?.fields.birthDate).toBe('match');
    expect(r.crossCheck?.fields.expiryDate).toBe('match');
    expect(r.crossCheck?.mismatches).toEqual([]);
  });

  test('a TD1 card: the front\'s printed fields against the back\'s MRZ (two images)', async ({ page }) => {
    const r = await page.evaluate(() => window.documentTest.readVisualZone({ format: 'TD1', seed: 1000, level: 'mild' }));
    expect(r.viz.mrzFound).toBe(false);
    expect(r.mrz.mrz?.valid).toBe(true);
    expect(checkNoSilentError(r).right).toBeGreaterThanOrEqual(5);
    expect(r.crossCheck?.signal).toBeNull();
    expect(r.crossCheck?.fields.birthDate).toBe('match');
    // Names: compared when the MRZ reading is sure of them, otherwise uncertain (never a mismatch here).
    expect(['match', 'uncertain']).toContain(r.crossCheck?.fields.surname);
  });

  test('a printed surname that differs from the MRZ is reported as a mismatch signal', async ({ page }) => {
    const r = await page.evaluate(() => window.documentTest.readVisualZone({ format: 'TD3', seed: 1002, level: 'mild', vizOverrides: { surname: 'HARRISON' } }));
    expect(r.viz.visualZone!.fields.surname?.value).toBe('HARRISON');
    expect(r.crossCheck?.signal).toBe('document_viz_mrz_mismatch');
    expect(r.crossCheck?.mismatches).toContain('surname');
  });

  test('a card printed without an MRZ still yields its fields', async ({ page }) => {
    const r = await page.evaluate(() => window.documentTest.readVisualZone({ format: 'TD2', seed: 1001, level: 'mild', omitMrz: true }));
    expect(r.viz.mrzFound).toBe(false);
    expect(r.viz.mrz).toBeNull();
    expect(r.crossCheck).toBeNull();
    const { right } = checkNoSilentError(r);
    expect(right).toBeGreaterThanOrEqual(5);
    expect(r.viz.visualZone!.fields.surname?.value).toBe(r.truth.viz.surname);
  });

  test('an EU driving licence (numbered fields, no MRZ): fields by their numbers, document checks on them', async ({ page }) => {
    const r: LicenceResult = await page.evaluate(() => window.documentTest.readLicence({ seed: 7000, level: 'mild' }));
    expect(r.read.mrzFound).toBe(false);
    const viz = r.read.visualZone!;
    expect(viz.layout).toBe('numbered');
    let right = 0;
    for (const f of LICENCE_FIELDS) {
      const read = viz.fields[f];
      if (!read || read.uncertain) continue;
      expect(read.value, `${f} is certain, so it must be right`).toBe(r.truth.viz[f]);
      expect(read.labelKey).toBeDefined();
      right++;
    }
    expect(right).toBeGreaterThanOrEqual(5);
    // The checks see only certain fields; this card (issued 2020, valid 10 years) passes them.
    expect(r.checks!.fields.expiryDate).toMatchObject({ source: 'viz', uncertain: false, value: r.truth.viz.expiryDate });
    expect(r.checks!.failures).toEqual([]);
  });

  test('a licence printed with a past expiry date is reported expired', async ({ page }) => {
    const r: LicenceResult = await page.evaluate(() => window.documentTest.readLicence({ seed: 7000, level: 'mild', vizOverrides: { expiryDate: '2025-12-03' } }));
    expect(r.read.visualZone!.fields.expiryDate).toMatchObject({ value: '2025-12-03', uncertain: false });
    expect(r.checks!.failures.map((f) => f.code)).toEqual(['document_expired']);
  });
});
