/** Character classes of MRZ positions and the ICAO 9303 character values used by check digits. */

export const FILLER = '<';

/** What a position may hold. The OCR corrector and the validator both read these. */
export type CharKind =
  /** A-Z and the filler: names, country codes, document code. */
  | 'alpha'
  /** 0-9 only: dates, check digits. */
  | 'numeric'
  /** A-Z, 0-9 and the filler: document number, optional data. */
  | 'alphanumeric'
  /** M, F, X or the filler. */
  | 'sex';

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ<';
const DIGITS = '0123456789';

export const KIND_CHARS: Readonly<Record<CharKind, string>> = {
  alpha: ALPHA,
  numeric: DIGITS,
  alphanumeric: DIGITS + ALPHA,
  sex: 'MFX<',
};

/** True when `ch` may stand at a position of this kind. */
export function isAllowed(kind: CharKind, ch: string): boolean {
  return ch.length === 1 && isAllowedCode(kind, ch.charCodeAt(0));
}

/** `isAllowed` on a character code, for hot loops. */
export function isAllowedCode(kind: CharKind, code: number): boolean {
  const digit = code >= 48 && code <= 57;
  const letter = code >= 65 && code <= 90;
  const filler = code === 60;
  switch (kind) {
    case 'alpha': return letter || filler;
    case 'numeric': return digit;
    case 'alphanumeric': return digit || letter || filler;
    case 'sex': return code === 77 || code === 70 || code === 88 || filler;
  }
}

const CODE_0 = 48;
const CODE_9 = 57;
const CODE_A = 65;
const CODE_Z = 90;
const CODE_FILLER = 60;

/** ICAO 9303 value of a character code: digits 0-9, A=10 ... Z=35, `<` = 0; -1 for anything else. */
export function charValue(code: number): number {
  if (code >= CODE_0 && code <= CODE_9) return code - CODE_0;
  if (code >= CODE_A && code <= CODE_Z) return code - CODE_A + 10;
  if (code === CODE_FILLER) return 0;
  return -1;
}

/** True when every character of `text` is A-Z, 0-9 or `<`. */
export function isMrzText(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (charValue(text.charCodeAt(i)) < 0) return false;
  return true;
}
