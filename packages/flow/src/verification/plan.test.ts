import { describe, expect, it } from 'vitest';
import { EkycError } from '@ekyc/core';
import { planSteps, withBack } from './plan.ts';
import { STEP_IDS } from './types.ts';

describe('planSteps', () => {
  it('runs every step but the back by default; submit only with a verifier', () => {
    expect(planSteps(undefined, true)).toEqual(STEP_IDS.filter((s) => s !== 'document-back'));
    expect(planSteps(undefined, false)).not.toContain('submit');
  });

  it('adds the required steps back, keeps the fixed order, and pulls in the reading with any document step', () => {
    expect(planSteps(['result', 'document-review'], true)).toEqual(['session', 'consent', 'document-front', 'document-read', 'document-review', 'evidence', 'submit', 'result']);
    expect(planSteps(['liveness'], false)).toEqual(['session', 'consent', 'liveness', 'evidence']);
  });

  it('refuses face match without its inputs, and unknown steps', () => {
    expect(() => planSteps(['face-match', 'liveness'], true)).toThrow(EkycError);
    expect(() => planSteps(['nope' as never], true)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it('puts the back right after the front, once', () => {
    const plan = withBack(planSteps(undefined, true));
    expect(plan.slice(2, 5)).toEqual(['document-front', 'document-back', 'document-read']);
    expect(withBack(plan)).toEqual(plan);
  });
});
