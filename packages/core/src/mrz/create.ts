import { EkycError } from '../errors.ts';
import { FILLER, isMrzText } from './charset.ts';
import { checkDigitOfRanges } from './check-digit.ts';
import { MRZ_FORMATS, type MrzFieldName, type MrzFieldSpec, type MrzFormat, type MrzFormatSpec } from './formats.ts';

/** Field values for `createMrz`. Text is upper-cased; spaces and hyphens in names become `<`. */
export interface MrzFieldValues {
  /** e.g. `P`, `P<`, `ID`, `I<`, `V`. */
  readonly documentCode: string;
  /** ICAO code without fillers, e.g. `UTO`, `D`. */
  readonly issuingState: string;
  readonly surname: string;
  readonly givenNames: string;
  /** TD1 and TD2 take more than 9 characters (the rest overflows into optional data). */
  readonly documentNumber: string;
  readonly nationality: string;
  /** `YYMMDD` or ISO `YYYY-MM-DD`. */
  readonly birthDate: string;
  /** `M`, `F`, `X` or `<` (unspecified). */
  readonly sex: string;
  /** `YYMMDD` or ISO `YYYY-MM-DD`. */
  readonly expiryDate: string;
  /** TD3: personal number. TD1: optional data of line 1. */
  readonly optionalData?: string;
  /** TD1 only: optional data of line 2. */
  readonly optionalData2?: string;
}

function invalid(message: string, field: string): EkycError {
  return new EkycError('invalid_argument', message, { details: { field } });
}

function toMrzText(value: string, fieldName: string): string {
  const text = value.toUpperCase().replace(/[\s-]+/g, FILLER);
  if (!isMrzText(text)) throw invalid(`Field ${fieldName} holds characters outside A-Z, 0-9 and <.`, fieldName);
  return text;
}

function toYymmdd(value: string, fieldName: string): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const text = iso ? `${iso[1]!.slice(2)}${iso[2]}${iso[3]}` : value;
  if (!/^[0-9<]{6}$/.test(text)) throw invalid(`Field ${fieldName} must be YYMMDD or YYYY-MM-DD.`, fieldName);
  return text;
}

/** Primary and secondary identifiers joined the ICAO way, truncated to the field. */
function namesText(surname: string, givenNames: string, length: number): string {
  const primary = toMrzText(surname.trim(), 'surname');
  const secondary = toMrzText(givenNames.trim(), 'givenNames');
  const joined = secondary.length > 0 ? `${primary}<<${secondary}` : primary;
  return joined.slice(0, length);
}

function put(line: string[], spec: { start: number; end: number }, text: string, fieldName: string): void {
  const width = spec.end - spec.start;
  if (text.length > width) throw invalid(`Field ${fieldName} is longer than ${width} characters.`, fieldName);
  for (let i = 0; i < width; i++) line[spec.start + i] = text[i] ?? FILLER;
}

function fieldText(values: MrzFieldValues, name: MrzFieldName, width: number): string {
  switch (name) {
    case 'documentCode': return toMrzText(values.documentCode, name);
    case 'issuingState': return toMrzText(values.issuingState, name);
    case 'nationality': return toMrzText(values.nationality, name);
    case 'names': return namesText(values.surname, values.givenNames, width);
    case 'documentNumber': return toMrzText(values.documentNumber, name);
    case 'birthDate': return toYymmdd(values.birthDate, name);
    case 'expiryDate': return toYymmdd(values.expiryDate, name);
    case 'sex': return toMrzText(values.sex === '' ? FILLER : values.sex, name);
    case 'optionalData': return toMrzText(values.optionalData ?? '', name);
    case 'optionalData2': return toMrzText(values.optionalData2 ?? '', name);
  }
}

/**
 * Builds MRZ lines with every check digit from field values.
 * Throws EkycError `invalid_argument` when a value does not fit the format.
 */
export function createMrz(format: MrzFormat, values: MrzFieldValues): string[] {
  const spec: MrzFormatSpec | undefined = MRZ_FORMATS[format];
  if (spec === undefined) throw new EkycError('mrz_unsupported_format', 'Unknown MRZ format.', { details: { format } });
  const grid = Array.from({ length: spec.lineCount }, () => new Array<string>(spec.lineLength).fill(FILLER));
  const numberSpec = spec.fields.find((f) => f.field === 'documentNumber')!;
  const numberWidth = numberSpec.end - numberSpec.start;
  const documentNumber = toMrzText(values.documentNumber, 'documentNumber');
  const overflows = documentNumber.length > numberWidth;
  if (overflows && !spec.documentNumberOverflow) {
    throw invalid(`Document numbers of ${format} hold at most ${numberWidth} characters.`, 'documentNumber');
  }

  for (const fieldSpec of spec.fields) {
    const width = fieldSpec.end - fieldSpec.start;
    let text = fieldText(values, fieldSpec.field, width);
    if (overflows && fieldSpec.field === 'documentNumber') text = documentNumber.slice(0, numberWidth);
    if (overflows && fieldSpec.field === 'optionalData') {
      const rest = documentNumber.slice(numberWidth);
      text = `${rest}${checkDigitOfRanges([documentNumber], [{ line: 0, start: 0, end: documentNumber.length }])}<${text}`;
    }
    put(grid[fieldSpec.line]!, fieldSpec, text, fieldSpec.field);
  }
  validateFirstCharacter(spec, grid);

  const lines = grid.map((line) => line.join(''));
  for (const checkSpec of spec.checks) {
    let digit: string;
    if (overflows && checkSpec.check === 'documentNumber') digit = FILLER;
    else if (checkSpec.fillerWhenEmpty && coversOnlyFillers(lines, checkSpec.covers)) digit = FILLER;
    else digit = String(checkDigitOfRanges(lines, checkSpec.covers));
    const line = lines[checkSpec.line]!;
    lines[checkSpec.line] = line.slice(0, checkSpec.position) + digit + line.slice(checkSpec.position + 1);
  }
  return lines;
}

function validateFirstCharacter(spec: MrzFormatSpec, grid: string[][]): void {
  const codeSpec: MrzFieldSpec = spec.fields.find((f) => f.field === 'documentCode')!;
  const first = grid[codeSpec.line]![codeSpec.start]!;
  if (!spec.documentCodeFirst.includes(first)) {
    throw invalid(`A ${spec.format} document code starts with one of ${spec.documentCodeFirst}.`, 'documentCode');
  }
}

function coversOnlyFillers(lines: readonly string[], covers: readonly { line: number; start: number; end: number }[]): boolean {
  return covers.every((r) => /^<*$/.test(lines[r.line]!.slice(r.start, r.end)));
}
