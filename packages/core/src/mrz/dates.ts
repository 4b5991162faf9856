/** MRZ dates (YYMMDD) to ISO dates, inferring the century. */

export interface CenturyOptions {
  /** "Now" for century inference and validity checks; defaults to the current date. */
  readonly referenceDate?: Date;
  /**
   * An expiry date is placed in the century that puts it within this many years of the reference
   * date, past or future (default 50).
   */
  readonly expiryWindowYears?: number;
}

const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function twoDigits(text: string, at: number): number {
  const high = text.charCodeAt(at) - 48;
  const low = text.charCodeAt(at + 1) - 48;
  if (high < 0 || high > 9 || low < 0 || low > 9) return -1;
  return high * 10 + low;
}

function iso(year: number, month: number, day: number): string {
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** Days since 1970-01-01 of a calendar date, for comparisons without Date objects. */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

/** The reference date as a comparable number YYYYMMDD. */
function referenceDay(options: CenturyOptions): { year: number; ymd: number } {
  const now = options.referenceDate ?? new Date();
  const year = now.getUTCFullYear();
  return { year, ymd: year * 10_000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate() };
}

function parseParts(text: string): { yy: number; month: number; day: number } | undefined {
  if (text.length !== 6) return undefined;
  const yy = twoDigits(text, 0);
  const month = twoDigits(text, 2);
  const day = twoDigits(text, 4);
  if (yy < 0 || month < 1 || month > 12 || day < 1) return undefined;
  return { yy, month, day };
}

/** True when YYMMDD is a calendar date in at least one century (29 February needs a leap year). */
export function isPlausibleYymmdd(text: string): boolean {
  const parts = parseParts(text);
  if (!parts) return false;
  return parts.day <= daysInMonth(parts.month === 2 && parts.day === 29 && parts.yy % 4 !== 0 ? 1 : 2000 + parts.yy, parts.month);
}

/** Birth date: the latest century that does not put the date in the future. Undefined when not a date. */
export function birthDateToIso(text: string, options: CenturyOptions = {}): string | undefined {
  const parts = parseParts(text);
  if (!parts) return undefined;
  const ref = referenceDay(options);
  let year = Math.floor(ref.year / 100) * 100 + parts.yy;
  if (year * 10_000 + parts.month * 100 + parts.day > ref.ymd) year -= 100;
  if (parts.day > daysInMonth(year, parts.month)) return undefined;
  return iso(year, parts.month, parts.day);
}

/** Expiry date: the century that puts it within the expiry window around the reference date. */
export function expiryDateToIso(text: string, options: CenturyOptions = {}): string | undefined {
  const parts = parseParts(text);
  if (!parts) return undefined;
  const ref = referenceDay(options);
  const window = options.expiryWindowYears ?? 50;
  const base = Math.floor(ref.year / 100) * 100 + parts.yy;
  const candidates = [base - 100, base, base + 100];
  const year = candidates.find((y) => y - ref.year >= -window && y - ref.year < window) ?? base;
  if (parts.day > daysInMonth(year, parts.month)) return undefined;
  return iso(year, parts.month, parts.day);
}
