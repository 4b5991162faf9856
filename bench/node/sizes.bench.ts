/**
 * Bytes each step of <ekyc-flow> transfers, raw and gzip, from the prebuilt browser bundle of
 * @ekyc/elements and the self-hosted assets (scripts/size-check.mjs: the same numbers `npm run size`
 * checks against its budgets). Needs `npm run build` (and `npm run assets`, which bench runs).
 * A file counts once, at the first step that loads it; face-match reuses the face worker.
 */
// @ts-expect-error -- a plain ESM script without types; its results are shaped below.
import { BUDGETS, measureSizes } from '../../scripts/size-check.mjs';
import type { BenchResult } from '../types.ts';

interface StepSize { step: string; raw: number; gzip: number; jsRaw: number; jsGzip: number }
interface Sizes { steps: StepSize[]; total: StepSize; firstStep: { raw: number; gzip: number } }

const MB = 1024 * 1024;
const KB = 1024;

export default async function run(): Promise<BenchResult[]> {
  const sizes = (await measureSizes()) as Sizes;
  const budgets = BUDGETS as Record<string, { gzip: number; goal?: number }>;
  const results: BenchResult[] = [{
    suite: 'sizes', name: 'first-step JS (idle + consent), gzip', unit: 'KB', value: sizes.firstStep.gzip / KB, runs: 1,
    target: '<= 80 KB', notes: `${(sizes.firstStep.raw / KB).toFixed(1)} KB raw`,
  }];
  for (const s of [...sizes.steps, sizes.total]) {
    const goal = budgets[s.step]?.goal;
    results.push({
      suite: 'sizes', name: `${s.step}: transfer, gzip`, unit: 'MB', value: s.gzip / MB, runs: 1,
      ...(goal ? { target: `<= ${(goal / MB >= 1 ? `${goal / MB} MB` : `${goal / KB} KB`)}` } : {}),
      notes: `${(s.raw / MB).toFixed(2)} MB raw; JS ${(s.jsGzip / KB).toFixed(1)} KB gzip of ${(s.jsRaw / KB).toFixed(1)} KB`,
    });
  }
  return results;
}
