/**
 * A valid MRZ reading whose number or date the merge doubts, set right from the value printed for it.
 *
 * Glare over a TD1 number leaves some glyphs only faded; the engines' guesses there can pass the
 * number's check digit (a check digit cannot tell `0` from `A`, `K`, `U`, or catch two changes that
 * cancel), so the reading comes out valid with the number flagged, and wrong: `YJJC729C` for
 * `YJ61729C` (controlled glare on TD1 604005). The printed page (a TD1's front, a passport's own page)
 * holds the number as the engines could not see it. A printed value replaces the read one when:
 * - the field is uncertain in the merge (a valid, unflagged field is never touched);
 * - where the two differ, the engines either did not see the glyph clearly (no read, or the measuring
 *   engine saw it faded or washed out) or read the printed character there themselves (the corrector
 *   changed it to make its guesses elsewhere pass: `0` -> `O` beside three lost glyphs);
 * - the reading with it passes the corrector unchanged and unambiguous (own check digit, composite);
 * - exactly one printed value does all of this.
 * The field stays uncertain and its filled positions are reported (`MergedMrzRead.printedFilled`), so
 * it is shown as coming from the visual zone and left out of the cross-check.
 */
import { readMrz, type MrzReadOptions, type MrzReadResult } from '../mrz/read.ts';
import type { MrzOutputFieldName } from '../mrz/parse.ts';
import type { PrintedErasureFill, PrintedValues } from './printed-erasures.ts';

/** Checked fields the printed page also holds. */
const PRINTABLE: readonly MrzOutputFieldName[] = ['documentNumber', 'birthDate', 'expiryDate'];

/** Whether a reading has a doubted field a printed value could settle (the printed page is worth reading for it). */
export function hasPrintableDoubt(uncertainFields: readonly MrzOutputFieldName[]): boolean {
  return uncertainFields.some((f) => PRINTABLE.includes(f));
}

/**
 * The reading with each doubted printable field replaced by the one printed value that fits (see
 * above), and the positions replaced; undefined when none fits. `agrees(line, column, char)` says
 * whether the engines' evidence at a position of `result` allows `char` there (not seen clearly, or
 * read as `char`). `accept` may veto a reading (line lengths a measuring engine contradicts).
 */
export function settleDoubtsFromPrinted(
  result: MrzReadResult,
  uncertainFields: readonly MrzOutputFieldName[],
  agrees: (line: number, column: number, char: string) => boolean,
  printed: PrintedValues,
  options: MrzReadOptions,
  accept: (result: MrzReadResult) => boolean = () => true,
): { result: MrzReadResult; filled: PrintedErasureFill['filled'] } | undefined {
  let current = result;
  const filled: Array<PrintedErasureFill['filled'][number]> = [];
  for (const name of PRINTABLE) {
    if (!uncertainFields.includes(name)) continue;
    const range = current.fields[name]?.ranges[0];
    if (!range || current.fields[name]!.ranges.length !== 1) continue;
    const length = range.end - range.start;
    const read = current.corrected[range.line]!.slice(range.start, range.end);
    const offered = name === 'documentNumber'
      ? printed.documentNumbers.filter((v) => v.length <= length).map((v) => v.padEnd(length, '<'))
      : printed.dates.filter((v) => v.length === length && /^\d+$/.test(v));
    const fits = new Map<string, MrzReadResult>();
    for (const value of new Set(offered)) {
      if (value === read) continue;
      if (![...value].every((ch, i) => ch === read[i] || agrees(range.line, range.start + i, ch))) continue;
      const lines = [...current.corrected];
      lines[range.line] = lines[range.line]!.slice(0, range.start) + value + lines[range.line]!.slice(range.end);
      const trial = readMrz(lines, options);
      if (!trial.valid || trial.ambiguous || trial.corrected.some((line, l) => line !== lines[l]) || !accept(trial)) continue;
      fits.set(value, trial);
    }
    if (fits.size !== 1) continue;
    const [value, trial] = [...fits][0]!;
    for (let i = 0; i < length; i++) {
      if (value[i] !== read[i]) filled.push({ line: range.line, column: range.start + i, was: read[i]!, char: value[i]! });
    }
    current = trial;
  }
  return filled.length > 0 ? { result: current, filled } : undefined;
}
