import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM script without types.
import { BUDGETS, checkBudgets } from './size-check.mjs';

interface Size { step: string; raw: number; gzip: number; jsRaw?: number; jsGzip?: number }
const check = checkBudgets as (sizes: { steps: Size[]; total: Size; firstStep: Size }, budgets?: Record<string, { gzip: number; goal?: number }>) => { over: Size[]; missed: Size[] };
const budgets = BUDGETS as Record<string, { gzip: number; goal?: number }>;

const KB = 1024;
const within = (step: string): Size => ({ step, raw: 0, gzip: budgets[step]!.gzip });

describe('size budgets', () => {
  const base = { steps: ['idle', 'document', 'document-read', 'liveness'].map(within), total: within('total'), firstStep: within('first-step-js') };

  it('has a budget for the first-step JS, each step that loads a worker, and the total', () => {
    expect(Object.keys(budgets).sort()).toEqual(['document', 'document-read', 'first-step-js', 'idle', 'liveness', 'total']);
    expect(budgets['first-step-js']!.goal).toBe(80 * KB);
  });

  it('holds the full flow to the 25 MB goal of issue #17: the budget itself is under it', () => {
    expect(budgets.total!.goal).toBe(25 * 1024 * KB);
    expect(budgets.total!.gzip).toBeLessThanOrEqual(budgets.total!.goal!);
  });

  it('passes at exactly the budget and fails one byte over it', () => {
    expect(check(base).over).toEqual([]);
    const firstStep = { ...base.firstStep, gzip: budgets['first-step-js']!.gzip + 1 };
    expect(check({ ...base, firstStep }).over.map((s) => s.step)).toEqual(['first-step-js']);
  });

  it('reports a missed goal without failing', () => {
    // A budget looser than its goal (the first-step budget is now under its goal, so set one here).
    const loose = { ...budgets, 'first-step-js': { gzip: 120 * KB, goal: 80 * KB } };
    const result = check({ ...base, firstStep: { ...base.firstStep, gzip: 100 * KB } }, loose);
    expect(result.over).toEqual([]);
    expect(result.missed.map((s) => s.step)).toContain('first-step-js');
  });
});
