import { expect, test } from '@playwright/test';
import type { SyntheticCase } from './pages/document.ts';

// The synthetic MRZ documents as the reader gets them (testkit renderMrzDocument + degradeDocument,
// stress conditions of mrz-stress.ts) stay pixel for pixel what they were: every eval:mrz number and
// every documented miss is tied to its seed's frame. Digests recorded on 2026-12-03 before the `glare`
// stress condition was added; a deliberate change of the generator records them anew (and says so).
const GOLDEN: ReadonlyArray<Pick<SyntheticCase, 'format' | 'seed' | 'level' | 'stress'> & { digest: string }> = [
  { format: 'TD1', seed: 1000, level: 'mild', digest: 'f8565a77dd99e747547fa53ec810033a257bf3221800e2a94eae124316eb43df 933033fa5a01b21dcea393ecd79e495bcf9adc0871a462e07b077f9106da37b5' },
  { format: 'TD1', seed: 101_000, level: 'strong', digest: 'ecb140dba835127333377de8ef52d93e62d40df7159f73625b3cb72afdb7a4d7 678276cab86c997ad22905e3a84e6608870f05efc7778b03a4c1e12404228622' },
  { format: 'TD2', seed: 1001, level: 'mild', digest: 'dfc208342e583de6042fa2e01fe0869a4d802d5075ebfc3351c5a7f52740032f' },
  { format: 'TD2', seed: 101_001, level: 'strong', digest: '9dcfb053843bb0251e730202960ae7473c5287294c9d86444acba424e866407b' },
  { format: 'TD3', seed: 1002, level: 'mild', digest: '870b7a9df0cba0689cdff1dbfdb4d646ff86e698528ab2de17d0f6eb779abceb' },
  { format: 'TD3', seed: 101_002, level: 'strong', digest: '74f9d518b15b1049cf3150cd0bc302a24e1e1eca700a9e8ad536c8131e53f7b9' },
  { format: 'MRVA', seed: 1003, level: 'mild', digest: 'fab4bb2d832e2e489b2bd0078957a437aa752e617656f096ac8c245e797f80ea' },
  { format: 'MRVA', seed: 101_003, level: 'strong', digest: 'f5a8cbf53c80828c20e3bafcd0601c6c669920a48aca7dfca27794a5cf114e7a' },
  { format: 'MRVB', seed: 1004, level: 'mild', digest: '1ee0b72984632be6460a42b5a3c221b11b7640c9b08490c0234087df14e50ad5' },
  { format: 'MRVB', seed: 101_004, level: 'strong', digest: '818360e63a13d21d4d22a9a5aad9457343a072f684298a68dafaa9aa1e542df4' },
  { format: 'TD1', seed: 1000, level: 'mild', stress: 'stamp', digest: 'b332d8c4aeadae26ad774d803b5e4b68f0319a2477f7232e97649ca134235e71 933033fa5a01b21dcea393ecd79e495bcf9adc0871a462e07b077f9106da37b5' },
  { format: 'TD2', seed: 1001, level: 'mild', stress: 'hologram', digest: '70d73275416ef6f0664236ecb6c1d1d35f5c3d47c06fd53f80fb70840d06a64d' },
  { format: 'TD3', seed: 1002, level: 'mild', stress: 'shadow', digest: '9b3ca59b2874399dce7beffee3c7ea07e79630390a64ee006a2dc484026bd8ac' },
  { format: 'MRVA', seed: 1003, level: 'mild', stress: 'small', digest: '458756f695844da8200ab070c4c840b3ae09c2713757e90e22ed1908df3b797f' },
  { format: 'MRVB', seed: 1004, level: 'mild', stress: 'photo', digest: '559898f9bf62f1d71c724aeedffc3cef99c50fc6b5bfc6db98b7c60ddec21942' },
];

test.describe('synthetic document frames', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/e2e/pages/document.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
  });

  test('existing seeds, levels and stress conditions render bit-identically', async ({ page }) => {
    for (const { digest, ...c } of GOLDEN) {
      const got = await page.evaluate((x) => window.documentTest.frameDigest(x), c);
      expect(got, JSON.stringify(c)).toBe(digest);
    }
  });
  test('the glare condition: each hotspot\'s core is clipped white in the frame the reader gets (after noise and JPEG), at both levels', async ({ page }) => {
    for (const level of ['mild', 'strong'] as const) {
      for (let seed = 45_100; seed < 45_104; seed++) {
        const cores = await page.evaluate((x) => window.documentTest.glareCores(x), { format: 'TD3' as const, seed, level });
        expect(cores.length).toBeGreaterThanOrEqual(1);
        // 255 out of the sensor (degrade.test.ts); JPEG's colour conversion and quantisation may round a clipped block a level or two down.
        for (const core of cores) expect(core.darkest, `${level} ${seed} ${JSON.stringify(core)}`).toBeGreaterThanOrEqual(253);
      }
    }
  });
});
