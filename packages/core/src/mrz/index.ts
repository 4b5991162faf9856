export { computeCheckDigit, type MrzRange } from './check-digit.ts';
export { MRZ_FORMATS, detectFormat, type MrzFormat, type MrzFormatSpec, type MrzFieldSpec, type MrzCheckSpec, type MrzFieldName, type MrzCheckName } from './formats.ts';
export type { CharKind as MrzCharKind } from './charset.ts';
export { ICAO_COUNTRY_CODES, SPECIMEN_COUNTRY_CODES, isIcaoCountryCode, icaoSpecialCodeName } from './countries.ts';
export { createMrz, type MrzFieldValues } from './create.ts';
export { parseMrz, MRZ_OUTPUT_FIELDS, type MrzParseResult, type MrzParseOptions, type MrzField, type MrzOutputFieldName, type MrzCheckDigitResult, type MrzIssue, type MrzNamesInfo } from './parse.ts';
export { birthDateToIso, expiryDateToIso, type CenturyOptions } from './dates.ts';
export { readMrz, type MrzReadOptions, type MrzReadResult } from './read.ts';
export type { MrzCorrection, MrzUncertainPosition } from './correct.ts';
