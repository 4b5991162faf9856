/**
 * ICAO 9303 MRZ layouts as data. One generic engine (parse.ts) walks these tables, the generator
 * (create.ts) fills them and the OCR corrector (correct.ts) reads the character kinds and check
 * digit coverage from them. Adding a layout means adding a table here, not a code path.
 * Positions are 0-based; `end` is exclusive.
 */
import type { CharKind } from './charset.ts';
import type { MrzRange } from './check-digit.ts';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB';

export type MrzFieldName =
  | 'documentCode'
  | 'issuingState'
  | 'names'
  | 'documentNumber'
  | 'nationality'
  | 'birthDate'
  | 'sex'
  | 'expiryDate'
  | 'optionalData'
  | 'optionalData2';

export type MrzCheckName = 'documentNumber' | 'birthDate' | 'expiryDate' | 'optionalData' | 'composite';

export interface MrzFieldSpec extends MrzRange {
  readonly field: MrzFieldName;
  readonly kind: CharKind;
}

export interface MrzCheckSpec {
  readonly check: MrzCheckName;
  readonly line: number;
  readonly position: number;
  /** Ranges the digit is computed over, in order. */
  readonly covers: readonly MrzRange[];
  /** The digit may be `<` when every covered character is `<` (TD3 personal number). */
  readonly fillerWhenEmpty: boolean;
}

export interface MrzFormatSpec {
  readonly format: MrzFormat;
  readonly lineCount: number;
  readonly lineLength: number;
  /** Characters the document code may start with. */
  readonly documentCodeFirst: string;
  readonly fields: readonly MrzFieldSpec[];
  readonly checks: readonly MrzCheckSpec[];
  /**
   * Document numbers longer than 9 characters: the document number check digit position holds `<`,
   * the rest of the number, then its check digit, open `optionalData` (ICAO 9303 parts 5 and 6).
   */
  readonly documentNumberOverflow: boolean;
}

function field(fieldName: MrzFieldName, kind: CharKind, line: number, start: number, end: number): MrzFieldSpec {
  return { field: fieldName, kind, line, start, end };
}

function check(name: MrzCheckName, line: number, position: number, covers: readonly MrzRange[], fillerWhenEmpty = false): MrzCheckSpec {
  return { check: name, line, position, covers, fillerWhenEmpty };
}

function range(line: number, start: number, end: number): MrzRange {
  return { line, start, end };
}

/** Second line shared by TD3/MRV-A (44) and TD2/MRV-B (36) up to the expiry check digit. */
function twoLineDataFields(): MrzFieldSpec[] {
  return [
    field('documentNumber', 'alphanumeric', 1, 0, 9),
    field('nationality', 'alpha', 1, 10, 13),
    field('birthDate', 'numeric', 1, 13, 19),
    field('sex', 'sex', 1, 20, 21),
    field('expiryDate', 'numeric', 1, 21, 27),
  ];
}

function twoLineDataChecks(): MrzCheckSpec[] {
  return [
    check('documentNumber', 1, 9, [range(1, 0, 9)]),
    check('birthDate', 1, 19, [range(1, 13, 19)]),
    check('expiryDate', 1, 27, [range(1, 21, 27)]),
  ];
}

function firstLineFields(length: number): MrzFieldSpec[] {
  return [field('documentCode', 'alpha', 0, 0, 2), field('issuingState', 'alpha', 0, 2, 5), field('names', 'alpha', 0, 5, length)];
}

export const TD1: MrzFormatSpec = {
  format: 'TD1',
  lineCount: 3,
  lineLength: 30,
  documentCodeFirst: 'ACI',
  fields: [
    field('documentCode', 'alpha', 0, 0, 2),
    field('issuingState', 'alpha', 0, 2, 5),
    field('documentNumber', 'alphanumeric', 0, 5, 14),
    field('optionalData', 'alphanumeric', 0, 15, 30),
    field('birthDate', 'numeric', 1, 0, 6),
    field('sex', 'sex', 1, 7, 8),
    field('expiryDate', 'numeric', 1, 8, 14),
    field('nationality', 'alpha', 1, 15, 18),
    field('optionalData2', 'alphanumeric', 1, 18, 29),
    field('names', 'alpha', 2, 0, 30),
  ],
  checks: [
    check('documentNumber', 0, 14, [range(0, 5, 14)]),
    check('birthDate', 1, 6, [range(1, 0, 6)]),
    check('expiryDate', 1, 14, [range(1, 8, 14)]),
    check('composite', 1, 29, [range(0, 5, 30), range(1, 0, 7), range(1, 8, 15), range(1, 18, 29)]),
  ],
  documentNumberOverflow: true,
};

export const TD2: MrzFormatSpec = {
  format: 'TD2',
  lineCount: 2,
  lineLength: 36,
  documentCodeFirst: 'ACI',
  fields: [...firstLineFields(36), ...twoLineDataFields(), field('optionalData', 'alphanumeric', 1, 28, 35)],
  checks: [...twoLineDataChecks(), check('composite', 1, 35, [range(1, 0, 10), range(1, 13, 20), range(1, 21, 35)])],
  documentNumberOverflow: true,
};

export const TD3: MrzFormatSpec = {
  format: 'TD3',
  lineCount: 2,
  lineLength: 44,
  documentCodeFirst: 'P',
  fields: [...firstLineFields(44), ...twoLineDataFields(), field('optionalData', 'alphanumeric', 1, 28, 42)],
  checks: [
    ...twoLineDataChecks(),
    check('optionalData', 1, 42, [range(1, 28, 42)], true),
    check('composite', 1, 43, [range(1, 0, 10), range(1, 13, 20), range(1, 21, 43)]),
  ],
  documentNumberOverflow: false,
};

export const MRVA: MrzFormatSpec = {
  format: 'MRVA',
  lineCount: 2,
  lineLength: 44,
  documentCodeFirst: 'V',
  fields: [...firstLineFields(44), ...twoLineDataFields(), field('optionalData', 'alphanumeric', 1, 28, 44)],
  checks: twoLineDataChecks(),
  documentNumberOverflow: false,
};

export const MRVB: MrzFormatSpec = {
  format: 'MRVB',
  lineCount: 2,
  lineLength: 36,
  documentCodeFirst: 'V',
  fields: [...firstLineFields(36), ...twoLineDataFields(), field('optionalData', 'alphanumeric', 1, 28, 36)],
  checks: twoLineDataChecks(),
  documentNumberOverflow: false,
};

export const MRZ_FORMATS: Readonly<Record<MrzFormat, MrzFormatSpec>> = { TD1, TD2, TD3, MRVA, MRVB };

/**
 * The layout for lines of these lengths, told apart by the document code where two layouts share a
 * shape (a visa starts with `V`). `undefined` for any other shape.
 */
export function detectFormat(lines: readonly string[]): MrzFormatSpec | undefined {
  const first = lines[0];
  if (first === undefined || lines.some((line) => line.length !== first.length)) return undefined;
  if (lines.length === 3 && first.length === 30) return TD1;
  if (lines.length !== 2) return undefined;
  const isVisa = first.startsWith('V');
  if (first.length === 44) return isVisa ? MRVA : TD3;
  if (first.length === 36) return isVisa ? MRVB : TD2;
  return undefined;
}

export function fieldSpec(spec: MrzFormatSpec, name: MrzFieldName): MrzFieldSpec | undefined {
  return spec.fields.find((f) => f.field === name);
}

/** The field that holds position `column` of line `line` (0-based), if any (a check digit is in none). */
export function fieldAt(spec: MrzFormatSpec, line: number, column: number): MrzFieldSpec | undefined {
  return spec.fields.find((f) => f.line === line && column >= f.start && column < f.end);
}
