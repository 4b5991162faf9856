import { EkycError } from '../errors.ts';
import { charValue } from './charset.ts';

const WEIGHTS = [7, 3, 1] as const;

/** A slice of one MRZ line: `start` inclusive, `end` exclusive. */
export interface MrzRange {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Check digit (weights 7-3-1, modulo 10, `<` counts as 0) over text spread over ranges of
 * several lines, without building the concatenated string. Returns -1 on a character outside the MRZ set.
 */
export function checkDigitOfRanges(lines: readonly string[], ranges: readonly MrzRange[]): number {
  let sum = 0;
  let weightIndex = 0;
  for (const range of ranges) {
    const line = lines[range.line];
    if (line === undefined) return -1;
    for (let i = range.start; i < range.end; i++) {
      const value = charValue(line.charCodeAt(i));
      if (value < 0) return -1;
      sum += value * WEIGHTS[weightIndex]!;
      weightIndex = weightIndex === 2 ? 0 : weightIndex + 1;
    }
  }
  return sum % 10;
}

/**
 * The ICAO 9303 check digit of `text` as a character '0'-'9'.
 * Throws EkycError `mrz_invalid_characters` when `text` holds anything but A-Z, 0-9 and `<`.
 */
export function computeCheckDigit(text: string): string {
  const digit = checkDigitOfRanges([text], [{ line: 0, start: 0, end: text.length }]);
  if (digit < 0) throw new EkycError('mrz_invalid_characters', 'Check digit input holds characters outside A-Z, 0-9 and <.');
  return String(digit);
}
