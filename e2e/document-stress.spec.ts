import { expect, test } from '@playwright/test';

// Real-looking conditions (testkit mrz-stress.ts), read as uploads: the whole image is the document, as
// `eval:mrz --data` reads real specimens. The stamped visa's and the small page's lines were not found
// before the line search looked at the brightest channel and judged a line's width in millimetres; the
// shadow exercises ink measured against its own paper (docs/document.md, "Real-looking conditions").
test.describe('document reading under stamps, shadows and in a photo', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/e2e/pages/document.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
  });

  const cases = [
    { stress: 'stamp', format: 'MRVB', seed: 1004, lines: 2, what: 'a red rectangular stamp across both MRZ lines' },
    { stress: 'small', format: 'TD3', seed: 1002, lines: 2, what: 'a passport page filling about a third of a photo' },
    { stress: 'shadow', format: 'TD1', seed: 1000, lines: 3, what: 'a TD1 back under a cast shadow and a light gradient' },
  ] as const;

  for (const c of cases) {
    test(`finds and reads the MRZ of ${c.what}, never a wrong field reported certain`, async ({ page }) => {
      const r = await page.evaluate((x) => window.documentTest.readSynthetic({ format: x.format, seed: x.seed, level: 'mild', useQuad: false, stress: x.stress }), c);
      expect(r.read.lines).toHaveLength(c.lines);
      const mrz = r.read.mrz!;
      expect(mrz.valid).toBe(true);
      for (const f of ['documentNumber', 'birthDate', 'expiryDate'] as const) expect(mrz.fields[f]).toBe(r.truth.mrzFields[f]);
      for (const [f, v] of Object.entries(r.truth.mrzFields)) if (mrz.fields[f as keyof typeof mrz.fields] !== v) expect(mrz.uncertainFields).toContain(f);
    });
  }

  // A photo as people take them (testkit `photo`): the page small, turned and tilted on a textured table.
  // Read as the whole image its lines are not found; the upload's outline search finds the page and reads
  // it from its rectified crop (docs/document.md, "Real-looking conditions").
  test('reads a visa photographed turned about 25 degrees on fabric through the page outline it finds', async ({ page }) => {
    const c = { format: 'MRVA', seed: 1003, level: 'mild', useQuad: false, stress: 'photo' } as const;
    const r = await page.evaluate((x) => window.documentTest.readSynthetic(x), c);
    expect(r.read.located).toBe('found-quad');
    expect(r.read.outline).toMatchObject({ found: true });
    expect(r.read.timings.outlineMs).toBeGreaterThan(0);
    expect(r.read.lines).toHaveLength(2);
    const mrz = r.read.mrz!;
    expect(mrz.valid).toBe(true);
    for (const f of ['documentNumber', 'birthDate', 'expiryDate'] as const) expect(mrz.fields[f]).toBe(r.truth.mrzFields[f]);
    for (const [f, v] of Object.entries(r.truth.mrzFields)) if (mrz.fields[f as keyof typeof mrz.fields] !== v) expect(mrz.uncertainFields).toContain(f);
    // The same photo read as the whole image (no outline search), as uploads were read before: no MRZ lines found.
    const whole = await page.evaluate((x) => window.documentTest.readSynthetic({ ...x, findOutline: false }), c);
    expect(whole.read.located).toBe('whole-image');
    expect(whole.read.mrzFound).toBe(false);
  });

  test('a read given its quad does not search for an outline', async ({ page }) => {
    const r = await page.evaluate(() => window.documentTest.readSynthetic({ format: 'TD3', seed: 1002, level: 'mild', stress: 'photo' }));
    expect(r.read.located).toBe('given-quad');
    expect(r.read.outline).toBeUndefined();
    expect(r.read.timings.outlineMs).toBeUndefined();
    expect(r.read.mrz?.valid).toBe(true);
  });
});
