/**
 * Reads an MRZ from OCR output: cleans the text, picks the layout, fixes line lengths, undoes OCR
 * confusions guided by the check digits, then parses. Never throws.
 */
import { MRZ_SEARCH_BUDGET, SearchBudget } from './budget.ts';
import { correctGrid, type MrzCorrection, type MrzUncertainPosition } from './correct.ts';
import { parseMrz, type MrzIssue, type MrzOutputFieldName, type MrzParseOptions, type MrzParseResult } from './parse.ts';
import { candidateLayouts, cleanOcrLines, fillerReadings, lengthFixes, type LengthFix, type OcrLine } from './normalize.ts';
import type { MrzFormatSpec } from './formats.ts';
import { isExpired } from './validation.ts';

export { MRZ_SEARCH_BUDGET } from './budget.ts';

/**
 * Longest text `readMrz` reads (UTF-16 code units, all lines together): a page of OCR output around
 * an MRZ fits many times over; longer text is refused before any clean-up (`mrz_input_too_large`).
 */
export const MRZ_MAX_INPUT_CHARS = 16_384;

export interface MrzReadOptions extends MrzParseOptions {
  /** Most confusions undone among check-digit-covered characters (default 4). */
  readonly maxCorrections?: number;
  /** See CorrectGridOptions.margin (default 0). */
  readonly margin?: number;
  /**
   * Treat characters no check digit can tell from a confusable alternative (G/6 and K/< in a
   * document number or optional data) as ambiguous, so the result is never valid with them.
   */
  readonly strict?: boolean;
}

export interface MrzReadResult extends MrzParseResult {
  /** The corrected MRZ lines (what `fields` were read from). */
  readonly corrected: readonly string[];
  readonly corrections: readonly MrzCorrection[];
  /** Positions no check digit confirms against a confusable alternative. */
  readonly uncertain: readonly MrzUncertainPosition[];
  /** Several readings were equally plausible: never valid. */
  readonly ambiguous: boolean;
  /** 0..1, heuristic: 1 for a clean valid read, lowered by each correction, 0 when invalid. */
  readonly confidence: number;
  /**
   * Fields holding an `uncertain` position (a position in the name field makes both name fields
   * uncertain: it may move the split). A valid result may have some: show them as unconfirmed.
   */
  readonly uncertainFields: readonly MrzOutputFieldName[];
  /** The expiry date lies before the reference date; null when no expiry date could be read. */
  readonly expired: boolean | null;
  /** Candidates the correction search evaluated, out of `MRZ_SEARCH_BUDGET`; `exhausted` refuses the read. */
  readonly search: { readonly candidates: number; readonly exhausted: boolean };
}

/** Length fixes to try per line (each fix is a full correction run). */
const LENGTH_FIXES_PER_LINE = 3;
/** Readings of a line's `«` glyphs to try. */
const FILLER_READINGS_PER_LINE = 4;
const MAX_LAYOUT_TRIES = 16;

interface Attempt {
  readonly spec: MrzFormatSpec;
  readonly result: MrzParseResult;
  readonly corrected: string[];
  readonly corrections: MrzCorrection[];
  readonly uncertain: MrzUncertainPosition[];
  readonly ambiguous: boolean;
  readonly unsolved: boolean;
  readonly cost: number;
  readonly unverified: number;
  readonly lengthEdits: number;
  readonly exhausted: boolean;
}

function product<T>(lists: readonly (readonly T[])[], limit: number): T[][] {
  let out: T[][] = [[]];
  for (const list of lists) {
    const next: T[][] = [];
    for (const prefix of out) for (const item of list) if (next.length < limit) next.push([...prefix, item]);
    out = next;
  }
  return out;
}

function attempt(spec: MrzFormatSpec, fixes: readonly LengthFix[], options: MrzReadOptions, budget: SearchBudget): Attempt {
  const lines = fixes.map((f) => f.chars);
  const edits = fixes.map((f) => f.edits);
  const grid = correctGrid(spec, lines, { maxChanges: options.maxCorrections ?? 4, margin: options.margin ?? 0, budget });
  const result = parseMrz(grid.lines, options);
  const lengthCorrections: MrzCorrection[] = edits.flatMap((lineEdits, line) => lineEdits.map((e) => ({ line, ...e })));
  const corrections = [...lengthCorrections, ...grid.corrections].sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    spec,
    result,
    corrected: grid.lines,
    corrections,
    uncertain: grid.uncertain,
    ambiguous: grid.ambiguous,
    unsolved: grid.unsolved,
    cost: corrections.length,
    unverified: grid.unverifiedCorrections,
    lengthEdits: lengthCorrections.length,
    exhausted: grid.exhausted,
  };
}

function hasCheckedContent(spec: MrzFormatSpec, line: number): boolean {
  return spec.checks.some((c) => c.line === line || c.covers.some((r) => r.line === line));
}

function isGood(a: Attempt): boolean {
  return a.result.valid && !a.ambiguous;
}

/** Ways to bring one line to the layout length: `«` readings, then length fixes, distinct by text. */
function lineCandidates(line: OcrLine, length: number, checked: boolean): LengthFix[] {
  const out: LengthFix[] = [];
  const seen = new Set<string>();
  for (const reading of fillerReadings(line, length, FILLER_READINGS_PER_LINE)) {
    // No check digit can choose between length fixes of a names-only line: take the likeliest.
    const fixes = lengthFixes(reading, length, LENGTH_FIXES_PER_LINE);
    for (const fix of checked ? fixes : fixes.slice(0, 1)) {
      const text = fix.chars.map((c) => c.ch).join('');
      if (!seen.has(text)) { seen.add(text); out.push(fix); }
    }
  }
  return out;
}

function inputLength(input: string | readonly string[]): number {
  if (typeof input === 'string') return input.length;
  let total = 0;
  for (const line of input) {
    total += String(line).length + 1;
    if (total > MRZ_MAX_INPUT_CHARS) break;
  }
  return total;
}

/** Reads OCR text (a string with line breaks, or lines). Never throws. */
export function readMrz(input: string | readonly string[], options: MrzReadOptions = {}): MrzReadResult {
  if (inputLength(input) > MRZ_MAX_INPUT_CHARS) {
    return refused({ code: 'mrz_input_too_large', message: `The text is longer than ${MRZ_MAX_INPUT_CHARS} characters.` });
  }
  let lines: OcrLine[];
  try {
    lines = cleanOcrLines(input);
  } catch {
    lines = [];
  }
  const budget = new SearchBudget(MRZ_SEARCH_BUDGET);
  const attempts: Attempt[] = [];
  for (const layout of candidateLayouts(lines)) {
    const fixesPerLine = layout.lines.map((l, i) => lineCandidates(l, layout.spec.lineLength, hasCheckedContent(layout.spec, i)));
    for (const combo of product(fixesPerLine, MAX_LAYOUT_TRIES)) {
      if (budget.exhausted) break;
      attempts.push(attempt(layout.spec, combo, options, budget));
    }
  }
  if (attempts.length === 0) {
    const unsupported = parseMrz([], options);
    return { ...fromParse(unsupported), search: { candidates: budget.spent, exhausted: false } };
  }

  const search = { candidates: budget.spent, exhausted: budget.exhausted };
  const good = attempts.filter((a) => isGood(a) && !a.exhausted);
  let chosen: Attempt;
  let ambiguous = false;
  if (good.length > 0 && !budget.exhausted) {
    const best = Math.min(...good.map((a) => a.cost));
    const top = good.filter((a) => a.cost === best);
    const distinct = new Set(top.map((a) => a.corrected.join('\n')));
    chosen = top[0]!;
    ambiguous = distinct.size > 1;
  } else {
    chosen = attempts.find((a) => a.ambiguous) ?? attempts[0]!;
    ambiguous = chosen.ambiguous;
  }
  const strictFailure = options.strict === true && chosen.uncertain.length > 0;
  ambiguous ||= strictFailure;
  const errors: MrzIssue[] = [...chosen.result.errors];
  if (search.exhausted) errors.push({ code: 'mrz_search_exhausted', message: `The correction search evaluated ${MRZ_SEARCH_BUDGET} candidates without a decision.` });
  else if (ambiguous) errors.push({ code: 'mrz_ambiguous', message: 'Several readings of the MRZ are equally plausible.' });
  const valid = chosen.result.valid && !ambiguous && !search.exhausted;
  const expiry = chosen.result.fields.expiryDate?.value;
  return {
    ...chosen.result,
    valid,
    errors,
    corrected: chosen.corrected,
    corrections: chosen.corrections,
    uncertain: chosen.uncertain,
    ambiguous,
    confidence: valid ? confidenceOf(chosen) : 0,
    uncertainFields: uncertainFieldsOf(chosen),
    expired: expiry ? (isExpired(expiry, options.referenceDate ?? new Date()) ?? null) : null,
    search,
  };
}

/** Output fields whose characters hold an uncertain position. */
function uncertainFieldsOf(a: Attempt): MrzOutputFieldName[] {
  const names = a.spec.fields.find((f) => f.field === 'names')!;
  const out = new Set<MrzOutputFieldName>();
  for (const u of a.uncertain) {
    if (u.line === names.line && u.column >= names.start && u.column < names.end) {
      out.add('surname');
      out.add('givenNames');
      continue;
    }
    for (const field of Object.values(a.result.fields)) {
      if (field.ranges.some((r) => r.line === u.line && u.column >= r.start && u.column < r.end)) out.add(field.name);
    }
  }
  return [...out];
}

function refused(issue: MrzIssue): MrzReadResult {
  return {
    ...fromParse(parseMrz([], {})),
    errors: [issue],
    search: { candidates: 0, exhausted: false },
  };
}

/** Heuristic: check-verified fixes cost little, unverified ones and doubtful positions more. */
function confidenceOf(a: Attempt): number {
  const verified = a.corrections.length - a.unverified - a.lengthEdits;
  return Math.max(0, 0.97 ** verified * 0.85 ** a.unverified * 0.95 ** a.lengthEdits * 0.7 ** a.uncertain.length);
}

/** A result with nothing read: no lines are echoed back. */
function fromParse(result: MrzParseResult): Omit<MrzReadResult, 'search'> {
  return { ...result, lines: [], corrected: [], corrections: [], uncertain: [], ambiguous: false, confidence: 0, uncertainFields: [], expired: null };
}
