/**
 * Check-digit-guided OCR correction. Reads the layout tables (character kinds, check digit
 * coverage) and finds the MRZ that needs the fewest OCR confusions undone while satisfying every
 * check digit. When two readings need equally few, the result is ambiguous and never valid.
 */
import { FILLER, KIND_CHARS, charValue, isAllowed, type CharKind } from './charset.ts';
import type { MrzRange } from './check-digit.ts';
import { FILLER_MISREADS, confusableWith, letterForDigit } from './confusions.ts';
import { isIcaoCountryCode } from './countries.ts';
import { isPlausibleYymmdd } from './dates.ts';
import type { MrzFieldName, MrzFieldSpec, MrzFormatSpec } from './formats.ts';
import type { OcrLine } from './normalize.ts';
import { SearchBudget } from './budget.ts';

export interface MrzCorrection {
  /** 0-based line and column in the corrected lines. */
  readonly line: number;
  readonly column: number;
  /** What the OCR engine read ('' for an inserted filler). */
  readonly from: string;
  /** What the corrected MRZ holds ('' for a removed character). */
  readonly to: string;
}

/** A position whose character no check digit can confirm against a confusable alternative. */
export interface MrzUncertainPosition {
  readonly line: number;
  readonly column: number;
  readonly alternatives: string;
}

export interface GridCorrection {
  readonly lines: string[];
  readonly corrections: MrzCorrection[];
  /** Corrections no check digit confirms (names, codes, sex). */
  readonly unverifiedCorrections: number;
  readonly ambiguous: boolean;
  /** The check digits could not be satisfied within the correction budget. */
  readonly unsolved: boolean;
  readonly uncertain: MrzUncertainPosition[];
  /** The search budget ran out during this correction: the result decides nothing. */
  readonly exhausted: boolean;
}

interface Slot {
  readonly line: number;
  readonly column: number;
  readonly kind: CharKind;
  readonly allowed: string;
  readonly field: MrzFieldName | 'check';
  /** Covered by a check digit or is one: the search decides it. */
  readonly verified: boolean;
}

const DIGITS = KIND_CHARS.numeric;
const slotCache = new Map<string, Slot[][]>();

function slotsOf(spec: MrzFormatSpec): Slot[][] {
  const cached = slotCache.get(spec.format);
  if (cached) return cached;
  const verified = Array.from({ length: spec.lineCount }, () => new Array<boolean>(spec.lineLength).fill(false));
  const grid: (Slot | undefined)[][] = Array.from({ length: spec.lineCount }, () => new Array<Slot | undefined>(spec.lineLength));
  for (const check of spec.checks) {
    verified[check.line]![check.position] = true;
    for (const r of check.covers) for (let c = r.start; c < r.end; c++) verified[r.line]![c] = true;
  }
  for (const f of spec.fields) {
    for (let c = f.start; c < f.end; c++) {
      grid[f.line]![c] = { line: f.line, column: c, kind: f.kind, allowed: KIND_CHARS[f.kind], field: f.field, verified: verified[f.line]![c]! };
    }
  }
  for (const check of spec.checks) {
    const fillerAllowed = check.fillerWhenEmpty || (check.check === 'documentNumber' && spec.documentNumberOverflow);
    grid[check.line]![check.position] = { line: check.line, column: check.position, kind: 'numeric', allowed: fillerAllowed ? DIGITS + FILLER : DIGITS, field: 'check', verified: true };
  }
  const slots = grid.map((row) => row.map((s) => s!));
  slotCache.set(spec.format, slots);
  return slots;
}

/** Characters the truth may be at a verified slot, the read first when it is allowed there. */
function optionsAt(slot: Slot, read: string): { keep: boolean; alternatives: string } {
  const keep = slot.allowed.includes(read);
  let alternatives = '';
  for (const ch of confusableWith(read)) if (slot.allowed.includes(ch)) alternatives += ch;
  if (FILLER_MISREADS.includes(read) && slot.allowed.includes(FILLER)) alternatives += FILLER;
  if (!keep && alternatives === '') alternatives = slot.allowed.replace(read, '');
  return { keep, alternatives };
}

// ---------------------------------------------------------------------------------------------
// Check digit constraints as linear forms: sum(weight * value) - digit = 0 (mod 10).

interface Constraint {
  readonly terms: readonly { readonly index: number; readonly weight: number }[];
  readonly digitIndex: number;
  /** Weight of each grid index in the sum (the digit's own index -1): one lookup per change. */
  readonly weightAt: ReadonlyMap<number, number>;
}

const WEIGHTS = [7, 3, 1] as const;

function constraintsOf(spec: MrzFormatSpec, chars: readonly string[], indexOf: (line: number, column: number) => number): Constraint[] {
  const overflow = overflowOf(spec, chars, indexOf);
  return spec.checks.map((check) => {
    let covers: readonly MrzRange[] = check.covers;
    let digitIndex = indexOf(check.line, check.position);
    if (check.check === 'documentNumber' && overflow) {
      covers = [check.covers[0]!, overflow.rest];
      digitIndex = overflow.digitIndex;
    }
    const terms: { index: number; weight: number }[] = [];
    for (const r of covers) for (let c = r.start; c < r.end; c++) terms.push({ index: indexOf(r.line, c), weight: WEIGHTS[terms.length % 3]! });
    const weightAt = new Map<number, number>();
    for (const t of terms) weightAt.set(t.index, (weightAt.get(t.index) ?? 0) + t.weight);
    weightAt.set(digitIndex, (weightAt.get(digitIndex) ?? 0) - 1);
    return { terms, digitIndex, weightAt };
  });
}

/** The overflow structure of a long TD1/TD2 document number, read from the current characters. */
function overflowOf(spec: MrzFormatSpec, chars: readonly string[], indexOf: (line: number, column: number) => number): { rest: MrzRange; digitIndex: number } | undefined {
  if (!spec.documentNumberOverflow) return undefined;
  const check = spec.checks.find((c) => c.check === 'documentNumber')!;
  if (chars[indexOf(check.line, check.position)] !== FILLER) return undefined;
  const optional = spec.fields.find((f) => f.field === 'optionalData')!;
  let end = optional.start;
  while (end < optional.end && chars[indexOf(optional.line, end)] !== FILLER) end++;
  if (end - optional.start < 2) return undefined;
  return { rest: { line: optional.line, start: optional.start, end: end - 1 }, digitIndex: indexOf(optional.line, end - 1) };
}

function mod10(n: number): number {
  return ((n % 10) + 10) % 10;
}

interface Variable {
  readonly index: number;
  /** Characters to try instead of the base character. */
  readonly options: string;
  /** The read is not allowed here: one of the options must be taken. */
  readonly mandatory: boolean;
  /** Change of each constraint's sum per option, mod 10. */
  readonly deltas: readonly (readonly number[])[];
}

function constraintResidues(constraints: readonly Constraint[], chars: readonly string[]): number[] {
  return constraints.map((c) => {
    let sum = -charValue(chars[c.digitIndex]!.charCodeAt(0));
    for (const t of c.terms) sum += t.weight * charValue(chars[t.index]!.charCodeAt(0));
    return mod10(sum);
  });
}

function deltasFor(constraints: readonly Constraint[], index: number, from: string, to: string): number[] {
  const diff = charValue(to.charCodeAt(0)) - charValue(from.charCodeAt(0));
  return constraints.map((c) => mod10((c.weightAt.get(index) ?? 0) * diff));
}

interface SearchOutcome {
  readonly solutions: string[][];
  readonly cost: number;
}

/**
 * Fewest-changes assignments of the variables that zero every residue, up to `maxChanges`.
 * Stops after finding two solutions, or `margin` cost levels past the first solution.
 */
function searchAssignments(base: readonly string[], variables: readonly Variable[], residues: readonly number[], maxChanges: number, margin: number, accept: (chars: string[]) => boolean, budget: SearchBudget): SearchOutcome {
  const mandatory = variables.filter((v) => v.mandatory);
  const optional = variables.filter((v) => !v.mandatory);
  const count = residues.length;
  const sums = residues.slice();
  // The assignment being tried, as a stack of parallel arrays: an object per candidate cost more in GC than the search itself.
  const chosenVars: Variable[] = [];
  const chosenOptions: number[] = [];
  let depth = 0;
  const solutions: string[][] = [];
  const seen = new Set<string>();

  const record = (): void => {
    for (let c = 0; c < count; c++) if (sums[c]! % 10 !== 0) return;
    const chars = base.slice();
    for (let d = 0; d < depth; d++) chars[chosenVars[d]!.index] = chosenVars[d]!.options[chosenOptions[d]!]!;
    if (!accept(chars)) return;
    const key = chars.join('');
    if (!seen.has(key)) { seen.add(key); solutions.push(chars); }
  };

  const apply = (v: Variable, option: number, sign: 1 | -1): void => {
    const d = v.deltas[option]!;
    for (let c = 0; c < count; c++) sums[c] = sums[c]! + sign * d[c]! + (sign < 0 ? 10 : 0);
  };

  const pickOptional = (from: number, left: number): void => {
    if (solutions.length >= 2) return;
    if (left === 0) { record(); return; }
    for (let i = from; i <= optional.length - left; i++) {
      const v = optional[i]!;
      for (let o = 0; o < v.options.length; o++) {
        if (!budget.take()) return;
        apply(v, o, 1);
        chosenVars[depth] = v;
        chosenOptions[depth++] = o;
        pickOptional(i + 1, left - 1);
        depth--;
        apply(v, o, -1);
      }
    }
  };

  const pickMandatory = (i: number, k: number): void => {
    if (solutions.length >= 2) return;
    if (i === mandatory.length) { pickOptional(0, k); return; }
    const v = mandatory[i]!;
    for (let o = 0; o < v.options.length; o++) {
      if (!budget.take()) return;
      apply(v, o, 1);
      chosenVars[depth] = v;
      chosenOptions[depth++] = o;
      pickMandatory(i + 1, k);
      depth--;
      apply(v, o, -1);
    }
  };

  let found = -1;
  for (let k = 0; k + mandatory.length <= maxChanges && k <= optional.length; k++) {
    if (found >= 0 && k > found + margin) break;
    pickMandatory(0, k);
    if (budget.exhausted) break;
    if (found < 0 && solutions.length > 0) {
      found = k;
      // A read the OCR got right needs no margin; a corrected one must beat every other reading by `margin` changes.
      if (k + mandatory.length === 0) break;
    }
  }
  return { solutions, cost: found < 0 ? Infinity : found + mandatory.length };
}

// ---------------------------------------------------------------------------------------------
// Fields no check digit covers: resolved on their own.

function readAlternatives(ch: string, allowed: string): string[] {
  return [...confusableWith(ch), ...(FILLER_MISREADS.includes(ch) ? [FILLER] : [])].filter((a) => allowed.includes(a));
}

interface ShortFieldResolution {
  readonly text: string;
  readonly ambiguous: boolean;
  /** Offsets where a confusable alternative would be just as valid, with those alternatives. */
  readonly uncertain: readonly { readonly offset: number; readonly alternatives: string }[];
}

/** Fewest-changes value of a short field among the confusable readings, or ambiguity. */
function resolveShortField(read: string, allowed: string, isValid: (text: string) => boolean, budget: SearchBudget): ShortFieldResolution {
  const choices = [...read].map((ch) => (allowed.includes(ch) ? [ch, ...readAlternatives(ch, allowed)] : readAlternatives(ch, allowed)));
  let best: string[] = [];
  let bestCost = Infinity;
  const walk = (i: number, text: string, cost: number): void => {
    if (cost > bestCost || !budget.take()) return;
    if (i === choices.length) {
      if (!isValid(text)) return;
      if (cost < bestCost) { bestCost = cost; best = [text]; } else best.push(text);
      return;
    }
    for (const ch of choices[i]!) walk(i + 1, text + ch, cost + (ch === read[i] ? 0 : 1));
  };
  if (!choices.some((c) => c.length === 0)) walk(0, '', 0);
  const text = best[0] ?? read;
  const uncertain: { offset: number; alternatives: string }[] = [];
  for (let i = 0; i < text.length; i++) {
    const others = [read[i]!, ...readAlternatives(read[i]!, allowed)].filter((a) => a !== text[i] && allowed.includes(a));
    const alternatives = others.filter((a) => isValid(text.slice(0, i) + a + text.slice(i + 1))).join('');
    if (alternatives) uncertain.push({ offset: i, alternatives });
  }
  return { text, ambiguous: best.length > 1, uncertain };
}

function isCountryText(text: string): boolean {
  if (!/^[A-Z]+<*$/.test(text)) return false;
  return isIcaoCountryCode(text.replace(/<+$/, ''));
}

/**
 * Names: digits to letters, stray symbols next to fillers to fillers, K/L/C-only tokens after the
 * last name to fillers. A name with no `<<` between its parts has lost its separator, most likely
 * to a K/L/C read for one `<` next to a single filler: the one such letter is taken for the filler;
 * with several, none is. Either way the letters are returned as uncertain offsets.
 */
function fixNames(chars: string[]): { offset: number; alternatives: string }[] {
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (isAllowed('alpha', ch)) continue;
    const letter = letterForDigit(ch);
    if (letter) chars[i] = letter;
    else if (chars[i - 1] === FILLER || chars[i + 1] === FILLER || i === chars.length - 1) chars[i] = FILLER;
  }
  const text = chars.join('');
  const tokens = [...text.matchAll(/[^<]+/g)];
  let lastReal = -1;
  tokens.forEach((t, i) => { if (/[^KLC]/.test(t[0])) lastReal = i; });
  for (const t of tokens.slice(lastReal + 1)) {
    // A token that runs to the end of the field may be a truncated name: left alone.
    if (t.index + t[0].length === chars.length) continue;
    for (let i = 0; i < t[0].length; i++) chars[t.index + i] = FILLER;
  }
  return restoreSeparator(chars);
}

function restoreSeparator(chars: string[]): { offset: number; alternatives: string }[] {
  const used = chars.join('').replace(/<+$/, '');
  if (used.includes('<<') || !used.includes(FILLER)) return [];
  const isLetter = (i: number): boolean => i >= 0 && i < used.length && used[i] !== FILLER;
  const suspects: number[] = [];
  for (let i = 0; i < used.length; i++) {
    if (!FILLER_MISREADS.includes(used[i]!)) continue;
    // A letter at the edge of a name part, next to a single filler (`NAMEK<NEXT` or `NAME<KNEXT`),
    // that leaves at least two letters of its part (`DE<LA<ROSA` keeps its `L`).
    const endsPart = used[i + 1] === FILLER && isLetter(i - 1) && isLetter(i - 2) && isLetter(i + 2);
    const startsPart = used[i - 1] === FILLER && isLetter(i + 1) && isLetter(i + 2) && isLetter(i - 2);
    if (endsPart || startsPart) suspects.push(i);
  }
  if (suspects.length === 1) {
    const at = suspects[0]!;
    const read = chars[at]!;
    chars[at] = FILLER;
    return [{ offset: at, alternatives: read }];
  }
  return suspects.map((offset) => ({ offset, alternatives: FILLER }));
}

export interface CorrectGridOptions {
  /** Most confusions undone among check-digit-covered characters (default 4). */
  readonly maxChanges?: number;
  /**
   * A corrected reading is accepted only when no other reading needs at most this many more
   * changes (default 0: the fewest-changes reading when it is unique). 1 or more trades recoveries for safety against several confusions; 0 accepts the fewest-changes reading when it is unique.
   */
  readonly margin?: number;
  /** Shared by every correction of one read (default: a fresh `MRZ_SEARCH_BUDGET`). */
  readonly budget?: SearchBudget;
}

/** Corrects fixed-length lines of a known layout. */
export function correctGrid(spec: MrzFormatSpec, lines: readonly OcrLine[], options: CorrectGridOptions = {}): GridCorrection {
  const slots = slotsOf(spec);
  const width = spec.lineLength;
  const indexOf = (line: number, column: number): number => line * width + column;
  const budget = options.budget ?? new SearchBudget();
  const reads = lines.flatMap((l) => l.map((c) => c.ch));
  const chars = reads.slice();
  let ambiguous = false;
  const uncertainUnverified: MrzUncertainPosition[] = [];

  for (const f of spec.fields) {
    if (slots[f.line]![f.start]!.verified) continue;
    const at = indexOf(f.line, f.start);
    const segment = chars.slice(at, at + f.end - f.start);
    const resolved = resolveUnverified(spec, f, segment, budget);
    ambiguous ||= resolved.ambiguous;
    for (const u of resolved.uncertain ?? []) uncertainUnverified.push({ line: f.line, column: f.start + u.offset, alternatives: u.alternatives });
    if (f.field === 'names') {
      for (let i = 0; i < segment.length; i++) {
        if (resolved.uncertain?.some((u) => u.offset === i)) continue;
        const alternatives = confusableWith(segment[i]!).replace(resolved.chars[i]!, '').replace(/[^A-Z]/g, '');
        if (segment[i] !== resolved.chars[i] && alternatives) uncertainUnverified.push({ line: f.line, column: f.start + i, alternatives });
      }
    }
    for (let i = 0; i < resolved.chars.length; i++) chars[at + i] = resolved.chars[i]!;
  }

  const pending: PendingVariable[] = [];
  for (const row of slots) {
    for (const slot of row) {
      if (!slot.verified) continue;
      const index = indexOf(slot.line, slot.column);
      const { keep, alternatives } = optionsAt(slot, reads[index]!);
      if (!keep) chars[index] = alternatives[0]!;
      if (!keep && alternatives.length > 1) pending.push({ index, options: alternatives, mandatory: true });
      else if (keep && alternatives.length > 0) pending.push({ index, options: alternatives, mandatory: false });
    }
  }
  const variants = overflowVariants(spec, chars, reads, pending, indexOf);
  const solved = variants.map((v) => ({ extra: v.extra, ...solveVerified(spec, v.chars, v.pending, reads, options, indexOf, budget) }));
  const feasible = solved.filter((v) => !v.unsolved);
  const bestCost = Math.min(...feasible.map((v) => v.cost + v.extra));
  const best = feasible.filter((v) => v.cost + v.extra === bestCost);
  const chosen = best[0] ?? solved[0]!;
  const unsolved = chosen.unsolved;
  ambiguous ||= chosen.ambiguous || new Set(best.map((v) => v.final.join(''))).size > 1;
  const final = chosen.final;
  const uncertain: MrzUncertainPosition[] = [...uncertainUnverified, ...chosen.uncertain];

  const corrections: MrzCorrection[] = [];
  let unverifiedCorrections = 0;
  for (let i = 0; i < final.length; i++) {
    const line = Math.floor(i / width);
    const ocr = lines[line]![i % width]!;
    if (ocr.read === '' || (final[i] === reads[i] && ocr.normalized !== true)) continue;
    corrections.push({ line, column: i % width, from: ocr.read, to: final[i]! });
    if (!slots[line]![i % width]!.verified) unverifiedCorrections++;
  }
  const out: string[] = [];
  for (let l = 0; l < spec.lineCount; l++) out.push(final.slice(l * width, (l + 1) * width).join(''));
  return { lines: out, corrections, unverifiedCorrections, ambiguous, unsolved, uncertain, exhausted: budget.exhausted };
}

interface PendingVariable { readonly index: number; readonly options: string; readonly mandatory: boolean }

interface VerifiedSolution {
  readonly final: string[];
  readonly cost: number;
  readonly ambiguous: boolean;
  readonly unsolved: boolean;
  readonly uncertain: MrzUncertainPosition[];
}

/**
 * Structures to try for a long TD1/TD2 document number: as read, and with each K/L/C inside the
 * overflow taken as the filler that ends it (one change each).
 */
function overflowVariants(spec: MrzFormatSpec, chars: string[], reads: readonly string[], pending: readonly PendingVariable[], indexOf: (line: number, column: number) => number): { chars: string[]; pending: readonly PendingVariable[]; extra: number }[] {
  const variants = [{ chars, pending, extra: 0 }];
  const current = overflowOf(spec, chars, indexOf);
  if (!current) return variants;
  const optional = spec.fields.find((f) => f.field === 'optionalData')!;
  const end = current.digitIndex + 1;
  for (let index = indexOf(optional.line, optional.start) + 2; index < end; index++) {
    if (!FILLER_MISREADS.includes(reads[index]!)) continue;
    const variant = chars.slice();
    variant[index] = FILLER;
    variants.push({ chars: variant, pending: pending.filter((p) => p.index !== index), extra: 1 });
  }
  return variants;
}

function solveVerified(spec: MrzFormatSpec, chars: string[], pending: readonly PendingVariable[], reads: readonly string[], options: CorrectGridOptions, indexOf: (line: number, column: number) => number, budget: SearchBudget): VerifiedSolution {
  const width = spec.lineLength;
  // Every option of every variable is a candidate evaluated (its effect on each check digit).
  for (const p of pending) {
    for (let o = 0; o < p.options.length; o++) {
      if (!budget.take()) return { final: chars, cost: Infinity, ambiguous: false, unsolved: true, uncertain: [] };
    }
  }
  const constraints = constraintsOf(spec, chars, indexOf);
  // A mandatory variable takes one of its options; each costs one change, the first included.
  const variables: Variable[] = pending.map((p) => ({
    index: p.index,
    options: p.options,
    mandatory: p.mandatory,
    deltas: [...p.options].map((o) => deltasFor(constraints, p.index, chars[p.index]!, o)),
  }));
  const residues = constraintResidues(constraints, chars);
  const datesOk = (candidate: string[]): boolean => spec.fields.every((f) => {
    if (f.field !== 'birthDate' && f.field !== 'expiryDate') return true;
    const at = indexOf(f.line, f.start);
    return isPlausibleYymmdd(candidate.slice(at, at + 6).join(''));
  });
  const outcome = searchAssignments(chars, variables, residues, options.maxChanges ?? 4, options.margin ?? 0, (candidate) => datesOk(candidate) && sameOverflow(spec, chars, candidate, indexOf), budget);
  const unsolved = outcome.solutions.length === 0;
  const ambiguous = outcome.solutions.length > 1;
  const final = outcome.solutions[0] ?? chars;

  const uncertain: MrzUncertainPosition[] = [];
  if (!unsolved) {
    const finalResidues = constraintResidues(constraints, final);
    for (const v of variables) {
      let alternatives = '';
      const candidates = (v.mandatory ? '' : reads[v.index]!) + v.options;
      for (const o of candidates) {
        if (o === final[v.index]) continue;
        const d = deltasFor(constraints, v.index, final[v.index]!, o);
        if (d.every((x, c) => mod10(x + finalResidues[c]!) === 0)) alternatives += o;
      }
      if (alternatives) uncertain.push({ line: Math.floor(v.index / width), column: v.index % width, alternatives });
    }
  }

  return { final, cost: outcome.cost, ambiguous, unsolved, uncertain };
}

/** A solution must keep the long-document-number structure the constraints were built for. */
function sameOverflow(spec: MrzFormatSpec, before: readonly string[], after: readonly string[], indexOf: (line: number, column: number) => number): boolean {
  if (!spec.documentNumberOverflow) return true;
  const a = overflowOf(spec, before, indexOf);
  const b = overflowOf(spec, after, indexOf);
  return a?.digitIndex === b?.digitIndex;
}

function resolveUnverified(spec: MrzFormatSpec, f: MrzFieldSpec, segment: string[], budget: SearchBudget): { chars: string[]; ambiguous: boolean; uncertain?: ShortFieldResolution['uncertain'] } {
  const read = segment.join('');
  switch (f.field) {
    case 'names': {
      const chars = segment.slice();
      const uncertain = fixNames(chars);
      return { chars, ambiguous: false, uncertain };
    }
    case 'issuingState':
    case 'nationality': {
      const r = resolveShortField(read, KIND_CHARS.alpha, isCountryText, budget);
      return { chars: [...r.text], ambiguous: r.ambiguous, uncertain: r.uncertain };
    }
    case 'documentCode': {
      const r = resolveShortField(read, KIND_CHARS.alpha, (t) => spec.documentCodeFirst.includes(t[0]!) && isAllowed('alpha', t[1]!), budget);
      return { chars: [...r.text], ambiguous: r.ambiguous, uncertain: r.uncertain };
    }
    case 'sex': {
      const r = resolveShortField(read, KIND_CHARS.sex, (t) => isAllowed('sex', t), budget);
      return { chars: [...r.text], ambiguous: r.ambiguous, uncertain: r.uncertain };
    }
    default: {
      // Unverified optional data (MRV-A/B, TD1 line 2): only characters that cannot stand there are replaced.
      const chars = segment.map((ch) => (isAllowed(f.kind, ch) ? ch : ([...confusableWith(ch)].find((a) => isAllowed(f.kind, a)) ?? ch)));
      return { chars, ambiguous: false };
    }
  }
}
