/**
 * "12.3 of 42.9 MB": both numbers in the total's unit, the unit written once (after the total), with
 * a fixed number of decimals so the text does not jump in width while the bar moves.
 */
export function byteRange(locale: string, loaded: number, total: number): { loaded: string; total: string } {
  const mb = total >= 1e6;
  const divisor = mb ? 1e6 : 1e3;
  const digits = mb ? 1 : 0;
  const number = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const withUnit = new Intl.NumberFormat(locale, { style: 'unit', unit: mb ? 'megabyte' : 'kilobyte', minimumFractionDigits: digits, maximumFractionDigits: digits });
  // Rounding must not show the whole total before the last byte came (42.86 of 42.9 stays "42.8").
  const shown = loaded < total ? Math.floor((loaded / divisor) * 10 ** digits) / 10 ** digits : total / divisor;
  return { loaded: number.format(shown), total: withUnit.format(total / divisor) };
}
