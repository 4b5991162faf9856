/**
 * The generic MRZ engine: walks a layout table of formats.ts over exact MRZ lines and returns every
 * field with its value, raw text, validity and character ranges. It never throws: problems are
 * reported as typed errors in the result. OCR output goes through correct.ts first.
 */
import type { EkycErrorCode } from '../errors.ts';
import { FILLER, isAllowedCode } from './charset.ts';
import { checkDigitOfRanges, type MrzRange } from './check-digit.ts';
import { isIcaoCountryCode } from './countries.ts';
import { birthDateToIso, expiryDateToIso, type CenturyOptions } from './dates.ts';
import { detectFormat, type MrzCheckName, type MrzCheckSpec, type MrzFieldName, type MrzFieldSpec, type MrzFormat, type MrzFormatSpec } from './formats.ts';

/** Fields of a parsed MRZ, as integrators see them (names split into surname and given names). */
export type MrzOutputFieldName = Exclude<MrzFieldName, 'names'> | 'surname' | 'givenNames';

export const MRZ_OUTPUT_FIELDS: readonly MrzOutputFieldName[] = [
  'documentCode', 'issuingState', 'surname', 'givenNames', 'documentNumber', 'nationality',
  'birthDate', 'sex', 'expiryDate', 'optionalData', 'optionalData2',
];

export interface MrzField {
  readonly name: MrzOutputFieldName;
  /** Clean value: fillers trimmed, names with spaces, dates as ISO `YYYY-MM-DD`; null when unreadable. */
  readonly value: string | null;
  /** The characters as they stand in the MRZ. */
  readonly raw: string;
  readonly valid: boolean;
  /** Where the field stands, for overlays (a long TD1 document number spans two ranges). */
  readonly ranges: readonly MrzRange[];
}

export interface MrzNamesInfo {
  /** The name field is full up to its last position, so the holder's name may be cut short. */
  readonly truncated: boolean;
}

export interface MrzCheckDigitResult {
  readonly check: MrzCheckName;
  /** The digit in the MRZ. */
  readonly actual: string;
  /** The digit computed from the covered text; null when that text holds invalid characters. */
  readonly expected: string | null;
  readonly valid: boolean;
  readonly position: MrzRange;
  readonly covers: readonly MrzRange[];
}

export interface MrzIssue {
  readonly code: EkycErrorCode;
  /** Developer text, PII-free: names a field or check, never its content. */
  readonly message: string;
  readonly field?: MrzOutputFieldName;
  readonly check?: MrzCheckName;
}

export interface MrzParseResult {
  readonly format: MrzFormat | null;
  readonly valid: boolean;
  /** Every field of the layout; fields the layout lacks (e.g. optionalData2 outside TD1) are absent. */
  readonly fields: Partial<Record<MrzOutputFieldName, MrzField>>;
  readonly names: MrzNamesInfo;
  readonly checks: readonly MrzCheckDigitResult[];
  readonly errors: readonly MrzIssue[];
  /** The lines the result was read from. */
  readonly lines: readonly string[];
}

export type MrzParseOptions = CenturyOptions;

/** Fields whose validity comes from their own check digit (reported as mrz_check_digit). */
const CHECKED_FIELDS: ReadonlySet<MrzFieldName> = new Set(['documentNumber', 'birthDate', 'expiryDate', 'optionalData']);

const NO_NAMES: MrzNamesInfo = { truncated: false };

function unsupported(lines: readonly string[]): MrzParseResult {
  return {
    format: null,
    valid: false,
    fields: {},
    names: NO_NAMES,
    checks: [],
    errors: [{ code: 'mrz_unsupported_format', message: 'The lines are not TD1 (3x30), TD2 (2x36), TD3 (2x44), MRV-A (2x44) or MRV-B (2x36).' }],
    lines,
  };
}

function rangeOf(spec: MrzRange): MrzRange {
  return { line: spec.line, start: spec.start, end: spec.end };
}

function allowedText(kind: MrzFieldSpec['kind'], raw: string): boolean {
  for (let i = 0; i < raw.length; i++) if (!isAllowedCode(kind, raw.charCodeAt(i))) return false;
  return true;
}

function trimFillers(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 60) end--;
  return text.slice(0, end);
}

function fillersToSpaces(text: string): string {
  return text.split(FILLER).filter((part) => part.length > 0).join(' ');
}

/** Where a long document number continues in optional data: rest of the number, its check digit, then `<`. */
interface Overflow {
  readonly rest: string;
  readonly checkDigit: string;
  readonly range: MrzRange;
  readonly remainder: string;
}

function findOverflow(spec: MrzFormatSpec, lines: readonly string[]): Overflow | undefined {
  if (!spec.documentNumberOverflow) return undefined;
  const numberCheck = spec.checks.find((c) => c.check === 'documentNumber')!;
  if (lines[numberCheck.line]![numberCheck.position] !== FILLER) return undefined;
  const optional = spec.fields.find((f) => f.field === 'optionalData')!;
  const text = lines[optional.line]!.slice(optional.start, optional.end);
  const stop = text.indexOf(FILLER);
  const segment = stop < 0 ? text : text.slice(0, stop);
  if (segment.length < 2) return undefined;
  return {
    rest: segment.slice(0, -1),
    checkDigit: segment.slice(-1),
    range: { line: optional.line, start: optional.start, end: optional.start + segment.length },
    remainder: text.slice(segment.length + 1),
  };
}

function checkCharIsValid(spec: MrzCheckSpec, lines: readonly string[], actual: string, expected: number): boolean {
  if (actual === FILLER) return spec.fillerWhenEmpty && spec.covers.every((r) => trimFillers(lines[r.line]!.slice(r.start, r.end)) === '');
  return expected >= 0 && actual.charCodeAt(0) - 48 === expected;
}

/** Parses exact MRZ lines (A-Z, 0-9, `<`; no OCR clean-up). Never throws. */
export function parseMrz(input: readonly string[], options: MrzParseOptions = {}): MrzParseResult {
  const lines = input;
  // Resolve "now" once: dates are read twice per MRZ.
  if (options.referenceDate === undefined) options = { ...options, referenceDate: new Date() };
  const spec = detectFormat(lines);
  if (!spec) return unsupported(lines);
  const errors: MrzIssue[] = [];
  const fields: Partial<Record<MrzOutputFieldName, MrzField>> = {};
  const overflow = findOverflow(spec, lines);

  const checks: MrzCheckDigitResult[] = [];
  const checkValid: Partial<Record<MrzCheckName, boolean>> = {};
  for (const checkSpec of spec.checks) {
    const actual = lines[checkSpec.line]![checkSpec.position]!;
    let expected: number;
    let valid: boolean;
    let covers = checkSpec.covers;
    if (checkSpec.check === 'documentNumber' && overflow) {
      const numberRange = covers[0]!;
      covers = [numberRange, { ...overflow.range, end: overflow.range.end - 1 }];
      expected = checkDigitOfRanges(lines, covers);
      valid = expected >= 0 && overflow.checkDigit.charCodeAt(0) - 48 === expected;
    } else {
      expected = checkDigitOfRanges(lines, covers);
      valid = checkCharIsValid(checkSpec, lines, actual, expected);
    }
    checkValid[checkSpec.check] = valid;
    const position: MrzRange = checkSpec.check === 'documentNumber' && overflow
      ? { line: overflow.range.line, start: overflow.range.end - 1, end: overflow.range.end }
      : { line: checkSpec.line, start: checkSpec.position, end: checkSpec.position + 1 };
    checks.push({ check: checkSpec.check, actual: checkSpec.check === 'documentNumber' && overflow ? overflow.checkDigit : actual, expected: expected >= 0 ? String(expected) : null, valid, position, covers });
    if (!valid) errors.push({ code: 'mrz_check_digit', message: `The ${checkSpec.check} check digit does not match.`, check: checkSpec.check });
  }

  let names: MrzNamesInfo = NO_NAMES;
  for (const fieldSpec of spec.fields) {
    const raw = lines[fieldSpec.line]!.slice(fieldSpec.start, fieldSpec.end);
    const charsOk = allowedText(fieldSpec.kind, raw);
    if (!charsOk) errors.push({ code: 'mrz_invalid_characters', message: `Field ${fieldSpec.field} holds characters its kind does not allow.`, field: outputName(fieldSpec.field) });
    if (fieldSpec.field === 'names') {
      names = { truncated: raw[raw.length - 1] !== FILLER };
      addNames(fields, raw, fieldSpec, charsOk, errors);
      continue;
    }
    const field = readField(spec, fieldSpec, raw, charsOk, checkValid, overflow, options);
    if (charsOk && hasImpossibleValue(field, fieldSpec)) {
      errors.push({ code: 'mrz_invalid_field', message: `Field ${field.name} has an impossible value.`, field: field.name });
    }
    fields[field.name] = field;
  }
  return { format: spec.format, valid: errors.length === 0, fields, names, checks, errors, lines };
}

function outputName(name: MrzFieldName): MrzOutputFieldName {
  return name === 'names' ? 'surname' : name;
}

/** A field wrong for another reason than its check digit (which is reported on its own). */
function hasImpossibleValue(field: MrzField, fieldSpec: MrzFieldSpec): boolean {
  if (field.value === null) return true;
  if (field.name === 'documentNumber' && field.value === '') return true;
  return !field.valid && !CHECKED_FIELDS.has(fieldSpec.field);
}

function addNames(fields: Partial<Record<MrzOutputFieldName, MrzField>>, raw: string, fieldSpec: MrzFieldSpec, charsOk: boolean, errors: MrzIssue[]): void {
  const separator = raw.indexOf('<<');
  const surnameRaw = separator < 0 ? raw : raw.slice(0, separator);
  const givenRaw = separator < 0 ? '' : raw.slice(separator + 2);
  const surnameValue = fillersToSpaces(surnameRaw);
  const valid = charsOk && surnameValue.length > 0;
  if (charsOk && !valid) errors.push({ code: 'mrz_invalid_field', message: 'Field surname is empty.', field: 'surname' });
  const surnameRange = { line: fieldSpec.line, start: fieldSpec.start, end: fieldSpec.start + surnameRaw.length };
  const givenStart = separator < 0 ? fieldSpec.end : fieldSpec.start + separator + 2;
  fields.surname = { name: 'surname', value: charsOk ? surnameValue : null, raw: surnameRaw, valid, ranges: [surnameRange] };
  fields.givenNames = {
    name: 'givenNames',
    value: charsOk ? fillersToSpaces(givenRaw) : null,
    raw: givenRaw,
    valid: charsOk,
    ranges: [{ line: fieldSpec.line, start: givenStart, end: fieldSpec.end }],
  };
}

function readField(
  spec: MrzFormatSpec,
  fieldSpec: MrzFieldSpec,
  raw: string,
  charsOk: boolean,
  checkValid: Partial<Record<MrzCheckName, boolean>>,
  overflow: Overflow | undefined,
  options: MrzParseOptions,
): MrzField {
  const name = outputName(fieldSpec.field);
  const ranges = [rangeOf(fieldSpec)];
  if (!charsOk) return { name, value: null, raw, valid: false, ranges };
  switch (fieldSpec.field) {
    case 'documentCode': {
      const valid = spec.documentCodeFirst.includes(raw[0]!) && raw[0] !== FILLER;
      return { name, value: trimFillers(raw), raw, valid, ranges };
    }
    case 'issuingState':
    case 'nationality': {
      const code = trimFillers(raw);
      return { name, value: code, raw, valid: isIcaoCountryCode(code), ranges };
    }
    case 'documentNumber': {
      if (overflow) {
        return { name, value: raw + overflow.rest, raw: raw + overflow.rest, valid: checkValid.documentNumber === true, ranges: [...ranges, { ...overflow.range, end: overflow.range.end - 1 }] };
      }
      return { name, value: trimFillers(raw), raw, valid: checkValid.documentNumber === true && trimFillers(raw).length > 0, ranges };
    }
    case 'birthDate':
    case 'expiryDate': {
      const value = fieldSpec.field === 'birthDate' ? birthDateToIso(raw, options) : expiryDateToIso(raw, options);
      return { name, value: value ?? null, raw, valid: value !== undefined && checkValid[fieldSpec.field] === true, ranges };
    }
    case 'sex':
      return { name, value: raw, raw, valid: true, ranges };
    case 'optionalData': {
      if (overflow) {
        const start = overflow.range.end + 1;
        return { name, value: trimFillers(overflow.remainder), raw: overflow.remainder, valid: checkValid.optionalData !== false, ranges: [{ line: fieldSpec.line, start: Math.min(start, fieldSpec.end), end: fieldSpec.end }] };
      }
      return { name, value: trimFillers(raw), raw, valid: checkValid.optionalData !== false, ranges };
    }
    case 'optionalData2':
      return { name, value: trimFillers(raw), raw, valid: true, ranges };
    case 'names':
      return { name, value: null, raw, valid: false, ranges };
  }
}
