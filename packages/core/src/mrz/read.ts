/**
 * Reads an MRZ from OCR output: cleans the text, picks the layout, fixes line lengths, undoes OCR
 * confusions guided by the check digits, then parses. Never throws.
 */
import { correctGrid, type MrzCorrection, type MrzUncertainPosition } from './correct.ts';
import { parseMrz, type MrzIssue, type MrzParseOptions, type MrzParseResult } from './parse.ts';
import { candidateLayouts, cleanOcrLines, lengthFixes, type LengthEdit, type OcrLine } from './normalize.ts';
import type { MrzFormatSpec } from './formats.ts';

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
}

/** Length fixes to try per line (each fix is a full correction run). */
const LENGTH_FIXES_PER_LINE = 3;
const MAX_LAYOUT_TRIES = 12;

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

function attempt(spec: MrzFormatSpec, lines: OcrLine[], edits: readonly (readonly LengthEdit[])[], options: MrzReadOptions): Attempt {
  const grid = correctGrid(spec, lines, { maxChanges: options.maxCorrections ?? 4, margin: options.margin ?? 0 });
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
  };
}

function hasCheckedContent(spec: MrzFormatSpec, line: number): boolean {
  return spec.checks.some((c) => c.line === line || c.covers.some((r) => r.line === line));
}

function isGood(a: Attempt): boolean {
  return a.result.valid && !a.ambiguous;
}

/** Reads OCR text (a string with line breaks, or lines). Never throws. */
export function readMrz(input: string | readonly string[], options: MrzReadOptions = {}): MrzReadResult {
  let lines: OcrLine[];
  try {
    lines = cleanOcrLines(input);
  } catch {
    lines = [];
  }
  const attempts: Attempt[] = [];
  for (const layout of candidateLayouts(lines)) {
    const fixesPerLine = layout.lines.map((l, i) => {
      const fixes = lengthFixes(l, layout.spec.lineLength, LENGTH_FIXES_PER_LINE);
      // No check digit can choose between fixes of a names-only line: take the likeliest.
      return hasCheckedContent(layout.spec, i) ? fixes : fixes.slice(0, 1);
    });
    for (const combo of product(fixesPerLine, MAX_LAYOUT_TRIES)) {
      attempts.push(attempt(layout.spec, combo.map((f) => f.chars), combo.map((f) => f.edits), options));
    }
  }
  if (attempts.length === 0) return fromParse(parseMrz(lines.map((l) => l.map((c) => c.ch).join('')), options));

  const good = attempts.filter(isGood);
  let chosen: Attempt;
  let ambiguous = false;
  if (good.length > 0) {
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
  if (ambiguous) errors.push({ code: 'mrz_ambiguous', message: 'Several readings of the MRZ are equally plausible.' });
  const valid = chosen.result.valid && !ambiguous;
  return {
    ...chosen.result,
    valid,
    errors,
    corrected: chosen.corrected,
    corrections: chosen.corrections,
    uncertain: chosen.uncertain,
    ambiguous,
    confidence: valid ? confidenceOf(chosen) : 0,
  };
}

/** Heuristic: check-verified fixes cost little, unverified ones and doubtful positions more. */
function confidenceOf(a: Attempt): number {
  const verified = a.corrections.length - a.unverified - a.lengthEdits;
  return Math.max(0, 0.97 ** verified * 0.85 ** a.unverified * 0.95 ** a.lengthEdits * 0.7 ** a.uncertain.length);
}

function fromParse(result: MrzParseResult): MrzReadResult {
  return { ...result, corrected: result.lines, corrections: [], uncertain: [], ambiguous: false, confidence: 0 };
}
