/** Document policy checks on parsed MRZ dates: expired, under age, expiry further out than any real document. */
import { dayNumber } from './dates.ts';

function parseIso(iso: string): { year: number; month: number; day: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
}

function utcParts(date: Date): { year: number; month: number; day: number } {
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** True when the document expired before the reference date (valid through its expiry day). Undefined for a malformed date. */
export function isExpired(expiryIso: string, referenceDate: Date = new Date()): boolean | undefined {
  const e = parseIso(expiryIso);
  if (!e) return undefined;
  const now = utcParts(referenceDate);
  return dayNumber(e.year, e.month, e.day) < dayNumber(now.year, now.month, now.day);
}

/** Age in whole years on the reference date (a 29 February birthday counts on 1 March in other years). */
export function ageOn(birthIso: string, referenceDate: Date = new Date()): number | undefined {
  const b = parseIso(birthIso);
  if (!b) return undefined;
  const now = utcParts(referenceDate);
  const hadBirthday = now.month > b.month || (now.month === b.month && now.day >= b.day);
  return now.year - b.year - (hadBirthday ? 0 : 1);
}

/** True when the holder is younger than `minimumAge` years on the reference date. */
export function isUnderAge(birthIso: string, minimumAge: number, referenceDate: Date = new Date()): boolean | undefined {
  const age = ageOn(birthIso, referenceDate);
  return age === undefined ? undefined : age < minimumAge;
}

/** True when the expiry lies more than `maxValidityYears` after the reference date: no genuine document is valid that long. */
export function exceedsMaxValidity(expiryIso: string, maxValidityYears: number, referenceDate: Date = new Date()): boolean | undefined {
  const e = parseIso(expiryIso);
  if (!e) return undefined;
  const now = utcParts(referenceDate);
  return dayNumber(e.year, e.month, e.day) > dayNumber(now.year + maxValidityYears, now.month, now.day);
}

export interface MrzPolicy {
  /** Holders younger than this fail (e.g. 18). */
  readonly minimumAge?: number;
  /** Expiry further out than this fails (default 10 years, the longest ICAO passport validity). */
  readonly maxValidityYears?: number;
  readonly referenceDate?: Date;
}

export type MrzPolicyFailure = 'expired' | 'under_age' | 'validity_too_long' | 'date_unreadable';

/** Policy failures of a document's birth and expiry dates (ISO, as parseMrz gives them). */
export function checkMrzPolicy(dates: { birthDate: string | null | undefined; expiryDate: string | null | undefined }, policy: MrzPolicy = {}): MrzPolicyFailure[] {
  const failures: MrzPolicyFailure[] = [];
  const ref = policy.referenceDate ?? new Date();
  if (!dates.expiryDate) failures.push('date_unreadable');
  else {
    if (isExpired(dates.expiryDate, ref)) failures.push('expired');
    if (exceedsMaxValidity(dates.expiryDate, policy.maxValidityYears ?? 10, ref)) failures.push('validity_too_long');
  }
  if (policy.minimumAge !== undefined) {
    if (!dates.birthDate) failures.push('date_unreadable');
    else if (isUnderAge(dates.birthDate, policy.minimumAge, ref)) failures.push('under_age');
  }
  return [...new Set(failures)];
}
