import { describe, expect, it } from 'vitest';
import { checkBlindRivals, isCheckBlindPair } from './check-blind.ts';
import { computeCheckDigit } from '../mrz/check-digit.ts';

describe('checkBlindRivals', () => {
  it('lists the characters of equal value mod 10: 0, A, K, U and the filler', () => {
    expect([...checkBlindRivals('0')].sort().join('')).toBe('<AKU');
    expect(checkBlindRivals('G')).toContain('6');
    expect(checkBlindRivals('S')).toContain('8');
    expect(checkBlindRivals('?')).toBe('');
  });

  it('names exactly the swaps no check digit sees', () => {
    const text = 'MT0C4X0X<';
    for (const a of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<') {
      const swapped = text.slice(0, 6) + a + text.slice(7);
      expect(computeCheckDigit(swapped) === computeCheckDigit(text)).toBe(a === '0' || isCheckBlindPair('0', a));
    }
  });
});
