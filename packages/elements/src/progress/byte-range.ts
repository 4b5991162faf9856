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
  const scale = 10 ** digits;
  const rounded = Math.round((loaded / divisor) * scale) / scale;
  // Rounding must not show the whole total before the last byte came (42.86 of 42.9 shows "42.8").
  const shown = loaded < total && rounded >= Math.round((total / divisor) * scale) / scale ? Math.floor((loaded / divisor) * scale) / scale : rounded;
  return { loaded: number.format(shown), total: withUnit.format(total / divisor) };
}
