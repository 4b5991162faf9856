import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { auc, tarAtFar } from './face-roc.mjs';

describe('face ROC statistics', () => {
  it('AUC is 1 for separated scores, 0.5 for identical ones and counts ties half', () => {
    expect(auc([0.8, 0.9], [0.1, 0.2, 0.3])).toBe(1);
    expect(auc([0.5, 0.5], [0.5, 0.5])).toBe(0.5);
    expect(auc([0.2, 0.9], [0.5])).toBe(0.5);
  });

  it('TAR at FAR picks the threshold above the allowed impostors', () => {
    const impostor = Array.from({ length: 100 }, (_, i) => i / 100);
    const r = tarAtFar([0.985, 0.975, 0.5], impostor, 0.01);
    expect(r.threshold).toBe(0.98);
    expect(r.tar).toBeCloseTo(1 / 3);
    expect(tarAtFar([1], impostor, 0.001).resolvable).toBe(false);
  });
});
