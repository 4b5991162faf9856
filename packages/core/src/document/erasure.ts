/**
 * Erasure decoding with the check digits: a character no engine read (a glare core clipped the cell to
 * white) inside a field a check digit covers is solved from that digit, when the solution is unique and
 * a second equation (the composite digit) still verifies the reading afterwards.
 *
 * A check digit is a weighted sum mod 10 with weights 7, 3, 1, all invertible mod 10: one missing digit
 * of a numeric field (a date, or the check digit itself) has exactly one solution. An alphanumeric
 * position (a document number) has three to five (`0`, `A`, `K`, `U` and `<` all count 0 mod 10): not
 * solved. The composite digit covers the same characters with the same weights mod 10, so it cannot pick
 * between those either; what it does is catch a second error elsewhere that the solve would have
 * absorbed (nine times in ten), so a layout without one (MRV-A, MRV-B) is never solved. The solve is
 * right only when every other character it rests on is; those must be supported by the engines, and the
 * fields solved are reported uncertain all the same.
 */
import { checkDigitOfRanges } from '../mrz/check-digit.ts';
import { isAllowed } from '../mrz/charset.ts';
import { detectFormat, fieldAt, type MrzCheckSpec, type MrzFormatSpec } from '../mrz/formats.ts';

/** One position of the MRZ grid. */
export interface GridPosition {
  readonly line: number;
  readonly column: number;
}

export interface ErasureSolution {
  readonly spec: MrzFormatSpec;
  /** The lines with every erased position filled. */
  readonly lines: readonly string[];
  /** What was put where, and the check digit that decided it (null: a position no digit covers, filled with the best guess). */
  readonly filled: readonly { readonly line: number; readonly column: number; readonly char: string; readonly check: MrzCheckSpec['check'] | null }[];
}

export interface ErasureInput {
  /** The reading with a character at every position, erased ones included (their guess). */
  readonly lines: readonly string[];
  /** Per line, the positions no engine read. */
  readonly erased: readonly (readonly number[])[];
  /** Whether the engines support the character standing at a position that is not erased. */
  readonly supported: (line: number, column: number) => boolean;
}

const DIGITS = '0123456789';

function covers(check: MrzCheckSpec, line: number, column: number): boolean {
  return check.covers.some((r) => r.line === line && column >= r.start && column < r.end);
}

function positionsOf(check: MrzCheckSpec): GridPosition[] {
  const out: GridPosition[] = [{ line: check.line, column: check.position }];
  for (const r of check.covers) for (let c = r.start; c < r.end; c++) out.push({ line: r.line, column: c });
  return out;
}

function kindAt(spec: MrzFormatSpec, line: number, column: number): string | undefined {
  if (spec.checks.some((c) => c.line === line && c.position === column)) return 'numeric';
  return fieldAt(spec, line, column)?.kind;
}

/**
 * The unique filling of the erased positions that every field check digit demands, or null when any
 * erased position lies where no field digit decides it alone (composite-only data, two erasures under
 * one digit, an alphanumeric position), when a character the solve rests on is unsupported or not of its
 * position's kind, or when the layout has no composite digit to verify the result.
 */
export function solveErasures(input: ErasureInput): ErasureSolution | null {
  const spec = detectFormat(input.lines.map((l) => l.replace(/[^A-Z0-9<]/g, '<')));
  if (!spec || input.lines.length !== spec.lineCount) return null;
  const composite = spec.checks.find((c) => c.check === 'composite');
  if (!composite) return null;
  const erased = input.erased.flatMap((cols, line) => cols.map((column) => ({ line, column })));
  if (erased.length === 0) return null;
  const isErased = (line: number, column: number): boolean => input.erased[line]?.includes(column) ?? false;
  if (isErased(composite.line, composite.position)) return null;
  const fieldChecks = spec.checks.filter((c) => c !== composite);
  const lines = input.lines.map((l) => [...l]);
  const filled: Array<ErasureSolution['filled'][number]> = [];
  for (const e of erased) {
    const check = fieldChecks.find((c) => (c.line === e.line && c.position === e.column) || covers(c, e.line, e.column));
    if (check) continue;
    // No field digit covers it: a composite-only position cannot be solved (nothing would verify it);
    // a position no digit covers at all (a name, the sex) keeps the engines' guess, and the merge flags it.
    if (covers(composite, e.line, e.column)) return null;
    filled.push({ ...e, char: lines[e.line]![e.column]!, check: null });
  }
  for (const check of fieldChecks) {
    const at = positionsOf(check).filter((p) => isErased(p.line, p.column));
    if (at.length === 0) continue;
    if (at.length > 1) return null;
    const target = at[0]!;
    if (kindAt(spec, target.line, target.column) !== 'numeric') return null;
    // A digit that may be `<` over an empty field (TD3 personal number): `<` and `0` weigh the same.
    if (check.fillerWhenEmpty) return null;
    // Every other character the digit rests on: read, supported, and of its position's kind.
    for (const p of positionsOf(check)) {
      if (p.line === target.line && p.column === target.column) continue;
      const kind = kindAt(spec, p.line, p.column);
      const ch = lines[p.line]![p.column]!;
      if (!input.supported(p.line, p.column) || !kind || !isAllowed(kind === 'numeric' ? 'numeric' : 'alphanumeric', ch)) return null;
    }
    const solutions = [...DIGITS].filter((d) => {
      lines[target.line]![target.column] = d;
      const digit = checkDigitOfRanges(lines.map((l) => l.join('')), check.covers);
      return String(digit) === lines[check.line]![check.position];
    });
    if (solutions.length !== 1) return null;
    lines[target.line]![target.column] = solutions[0]!;
    filled.push({ ...target, char: solutions[0]!, check: check.check });
  }
  // The composite rests on every character it covers: those read must be supported too.
  for (const p of positionsOf(composite)) if (!isErased(p.line, p.column) && !input.supported(p.line, p.column)) return null;
  const out = lines.map((l) => l.join(''));
  // The second equation: the composite digit must hold over the solved reading.
  if (String(checkDigitOfRanges(out, composite.covers)) !== out[composite.line]![composite.position]) return null;
  return { spec, lines: out, filled };
}
