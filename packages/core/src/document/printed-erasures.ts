/**
 * Checked MRZ fields whose characters no engine read (a glare core clipped them to white), filled from
 * the values printed in the visual zone of the same page, and kept only where the field's own check
 * digit, read by the engines, verifies the fill.
 *
 * The erasure solve (erasure.ts) can restore one lost digit of a date from its check digit; two lost
 * digits, or one lost letter of a document number, have several solutions, and the read is refused. The
 * page prints the same number and dates. A printed value fills a field's lost positions when:
 * - the field's check digit was read (not itself lost) and supported by the engines;
 * - every position of the field an engine did read holds the printed value's character;
 * - the filled field passes that check digit;
 * - exactly one printed value does all of this (the dates are offered without their labels: a label lost
 *   to blur leaves the value on the page, and the digits read and the check digit pick among them).
 * Every field filled is reported uncertain by the merge (its positions were not read) and is reported
 * as coming from the visual zone. The reading it gives must still pass the MRZ corrector as every other
 * candidate (composite digit included, where the layout has one).
 */
import { checkDigitOfRanges } from '../mrz/check-digit.ts';
import { detectFormat, type MrzCheckSpec } from '../mrz/formats.ts';
import { solveErasures } from './erasure.ts';

/** Values printed in the visual zone, in MRZ form. */
export interface PrintedValues {
  /** Document numbers, separators removed, upper case. */
  readonly documentNumbers: readonly string[];
  /** Dates as YYMMDD, whichever field they were printed for (or none: a value whose label was not read). */
  readonly dates: readonly string[];
}

export interface PrintedErasureFill {
  readonly lines: string[];
  /** The positions filled from a printed value, with the guess that stood there. */
  readonly filled: readonly { readonly line: number; readonly column: number; readonly was: string; readonly char: string }[];
}

const FILLABLE: ReadonlySet<MrzCheckSpec['check']> = new Set(['documentNumber', 'birthDate', 'expiryDate']);

/**
 * The reading with every lost position of a checked field filled from the one printed value its read
 * characters and check digit verify (then the rest solved from the check digits where erasure.ts can);
 * null when no position was filled.
 */
export function fillErasuresFromPrinted(lines: readonly string[], erased: readonly (readonly number[])[], supported: (line: number, column: number) => boolean, printed: PrintedValues): PrintedErasureFill | null {
  const spec = detectFormat(lines.map((l) => l.replace(/[^A-Z0-9<]/g, '<')));
  if (!spec || lines.length !== spec.lineCount) return null;
  const isErased = (line: number, column: number): boolean => erased[line]?.includes(column) ?? false;
  const out = lines.map((l) => [...l]);
  const filled: Array<PrintedErasureFill['filled'][number]> = [];
  for (const check of spec.checks) {
    const range = check.covers[0];
    if (!FILLABLE.has(check.check) || check.covers.length !== 1 || !range) continue;
    const lost: number[] = [];
    for (let c = range.start; c < range.end; c++) if (isErased(range.line, c)) lost.push(c);
    if (lost.length === 0 || isErased(check.line, check.position) || !supported(check.line, check.position)) continue;
    const length = range.end - range.start;
    const offered = check.check === 'documentNumber'
      ? printed.documentNumbers.filter((v) => v.length <= length).map((v) => v.padEnd(length, '<'))
      : printed.dates.filter((v) => /^\d{6}$/.test(v) && v.length === length);
    const fits = new Set(offered.filter((value) => {
      for (let c = range.start; c < range.end; c++) if (!isErased(range.line, c) && out[range.line]![c] !== value[c - range.start]) return false;
      const trial = out.map((l) => l.join(''));
      trial[range.line] = trial[range.line]!.slice(0, range.start) + value + trial[range.line]!.slice(range.end);
      return String(checkDigitOfRanges(trial, check.covers)) === trial[check.line]![check.position];
    }));
    if (fits.size !== 1) continue;
    const value = [...fits][0]!;
    for (const c of lost) {
      filled.push({ line: range.line, column: c, was: out[range.line]![c]!, char: value[c - range.start]! });
      out[range.line]![c] = value[c - range.start]!;
    }
  }
  if (filled.length === 0) return null;
  const text = out.map((l) => l.join(''));
  // Positions still lost elsewhere (another field's single digit): solved from the check digits where they can be.
  const remaining = erased.map((cols, line) => cols.filter((c) => !filled.some((f) => f.line === line && f.column === c)));
  const solved = remaining.some((r) => r.length > 0) ? solveErasures({ lines: text, erased: remaining, supported: (l, c) => supported(l, c) || filled.some((f) => f.line === l && f.column === c) }) : null;
  return { lines: solved ? [...solved.lines] : text, filled };
}
