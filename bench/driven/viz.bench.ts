/**
 * Visual zone (printed fields) speed: `DocumentClient.read(page, { visualZone: true })` in the document
 * worker on WASM, on clean rendered pages (bench/driven/pages/viz.ts: TD3 page, TD2 page, TD1 front,
 * 12 px/mm), after one warm-up read. Driven from Node so each number carries the machine's load.
 */
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import type { BenchResult } from '../types.ts';
import { median } from '../types.ts';
import { checkViteAssets, loadNow, loadRange, type DrivenContext } from './flow-run.ts';
import type { VizSample } from './pages/viz.ts';

const ROUNDS = Number(process.env['EKYC_BENCH_VIZ_ROUNDS'] ?? 2);

export default async function run(ctx: DrivenContext): Promise<BenchResult[]> {
  checkViteAssets(ctx);
  const loads = [loadNow()];
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  let samples: VizSample[];
  let warmUpMs: number;
  try {
    const page = await browser.newPage();
    await page.goto(new URL('bench/driven/pages/viz.html', ctx.baseUrl).href);
    await page.locator('body[data-ready=true]').waitFor({ state: 'attached', timeout: 120_000 });
    ({ samples, warmUpMs } = await page.evaluate((rounds) => window.vizBench.run(rounds), ROUNDS));
  } finally {
    await browser.close();
  }
  loads.push(loadNow());
  const load = loadRange(loads);
  const m = (pick: (s: VizSample) => number, set = samples): number => median(set.map(pick));
  const perPage = [...new Set(samples.map((s) => s.page))].map((page) => {
    const set = samples.filter((s) => s.page === page);
    return `${page} ${Math.round(m((s) => s.visualZoneMs, set))} ms (${m((s) => s.boxes, set)} boxes, ${m((s) => s.fieldsRight, set)}/${set[0]!.fieldsPrinted} fields right, ${m((s) => s.fieldsCertain, set)} certain)`;
  }).join('; ');
  const row = (name: string, pick: (s: VizSample) => number, notes: string): BenchResult => ({ suite: 'viz', name, unit: 'ms', value: m(pick), runs: samples.length, notes: `${notes}${notes ? '; ' : ''}${load}` });
  return [
    row('visual zone read (detect + recognise + tesseract.js confirm), per page', (s) => s.visualZoneMs, perPage),
    row('visual zone: text detection (ppocr-det)', (s) => s.detectMs, ''),
    row('visual zone: recognition of every box (ppocr-rec)', (s) => s.recognizeMs, ''),
    row('visual zone: tesseract.js confirmation of the fields', (s) => s.secondReadMs, ''),
    row('whole read with visual zone (rectify + MRZ + visual zone)', (s) => s.totalMs, `warm-up read (loads ppocr-det) ${Math.round(warmUpMs)} ms`),
  ];
}
