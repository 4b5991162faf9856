/**
 * Merges two (or more) OCR engines' readings of the MRZ per character, guided by the check digits.
 *
 * Each line is aligned across engines into columns; each column holds a score per character (the
 * engines' probabilities, alternatives included, summed). Readings are generated best-first by flipping
 * the most doubtful columns to their runner-up, and each is given to the MRZ corrector (`readMrz`).
 * Every valid result is then scored against the columns as a whole (what it asks the engines to have
 * misread), so the choice never depends on which candidate string produced it. The cheapest valid result
 * wins only when no different valid result is nearly as cheap; otherwise the read is refused as
 * ambiguous. Fields holding a character the engines gave weak evidence for, and that no check digit
 * confirms (names, mostly), are reported uncertain.
 */
import { readMrz, type MrzReadOptions, type MrzReadResult } from '../mrz/read.ts';
import { fieldAt, MRZ_FORMATS } from '../mrz/formats.ts';
import type { MrzOutputFieldName } from '../mrz/parse.ts';
import type { EngineMrzRead, OcrCharRead, OcrLineRead } from './ocr-read.ts';
import { lineLengthConflicts, refuseForLineLength, witnessedLineLengths } from './line-length.ts';
import { solveErasures, type ErasureInput } from './erasure.ts';
import { fillErasuresFromPrinted, type PrintedErasureFill, type PrintedValues } from './printed-erasures.ts';
import { settleDoubtsFromPrinted } from './printed-doubts.ts';
import { isCheckBlindPair } from './check-blind.ts';
import { isAllowed } from '../mrz/charset.ts';

/** Score for "this engine has no character here" (engines drop characters more often than they add them). */
const GAP_WEIGHT = 0.5;
/** Doubtful columns considered for flips, over all lines. */
const MAX_DOUBTFUL = 12;
/** Flips combined in one candidate. */
const MAX_FLIPS = 3;
/** readMrz calls per merge (each is ~0.1 ms on a clean read); UNREAD_FILLER_CANDIDATES more where a column was not read. */
export const MERGE_MAX_CANDIDATES = 160;
/** At most this many more readMrz calls per merge: the cheapest flip sets again with the unread columns as the filler (`render` with `fillerAt`). */
const UNREAD_FILLER_CANDIDATES = 40;
/** A runner-up valid result closer than this (in column-score units) makes the read ambiguous. */
const AMBIGUITY_MARGIN = 0.35;
/**
 * A runner-up valid result closer than this, but not within AMBIGUITY_MARGIN, that keeps the engines'
 * own top character at a position where the chosen reading changed it, flags the fields they differ in,
 * checked ones included: the check digits pass both readings, so they do not prove that change, and
 * less than one column's worth of evidence separates the two. (Without the condition on the engines'
 * top character, 24 more of the 40 mild documents of that set were flagged, and the slow path this sent
 * a strong TD2 to refused it as ambiguous.)
 * Found on a fresh tuning set (seed 21000, strong TD1 121020): the cell reader read `B5YO132OO` for the
 * document number `B5Y013200`; the two O/0 swaps at weights 7 and 3 cancel mod 10 in the number's digit
 * and in the composite (24 x 10), PP-OCR's `0` outvoted one of them, and the right reading (one more
 * flip, at a column the cell reader gave O 1.16 against 0 0.29) stood 0.6 behind: valid, wrong, unflagged.
 */
const CHECK_BLIND_MARGIN = 1;
/**
 * A chosen character with less than this share of its column's score is weak evidence. Only fields no
 * check digit covers are flagged by it, so it is strict: any real dissent among the engines (one of two
 * engines reading a letter the other dropped) flags the name.
 */
const WEAK_SHARE = 0.8;
/** In a checked field, a character with less support than this was the corrector's, not the engines'. */
const UNSUPPORTED_SHARE = 0.5;
/**
 * A position the corrector leaves uncertain in a checked field (a confusable character the check digit
 * cannot tell apart, e.g. S/5 in a document number) is confirmed when the engines agree on it: at least
 * this share of its column, from evidence worth at least CONFIRM_TOTAL (two engines reading it with
 * good confidence; one engine alone never confirms), and its alternatives under CONFIRM_RIVAL.
 */
const CONFIRM_SHARE = 0.9;
const CONFIRM_TOTAL = 1.5;
const CONFIRM_RIVAL = 0.05;
/**
 * An engine's filler look-alike (PP-OCR reads blurred `<` as `K` or `A`) also votes for `<`, at
 * FILLER_LOOKALIKE_ALT of its confidence, when another engine reads `<` in the same column at least
 * FILLER_SURE confidently. The letter keeps its whole vote, so the column stays split and a name there
 * is flagged: a real letter another engine mistook for `<` is never silently dropped. Measured on the
 * strong eval set: a TD3 whose every filler PP-OCR read as `A`/`K` (both variants, 2 x 1) outvoted the
 * cell reader's sure `<` (1.5) and was refused as ambiguous.
 */
const FILLER_SURE = 0.85;
const FILLER_LOOKALIKE_ALT = 0.5;

/**
 * A checked character the check digits cannot tell from a rival also in its column (check-blind.ts:
 * `0`/`U`, `6`/`G`, `8`/`S`...) stands on what the engines saw alone. Where the rival holds at least
 * THIN_RIVAL_SHARE of the chosen character's score, one engine is not enough: two engines must each
 * read the chosen character, at SECOND_READ_CONFIDENCE or more, or its fields are flagged. Where an
 * engine saw the glyph washed out (`faded`), not even two are: every engine reads the same washed-out
 * pixels, so they agree on the rest of the glyph, not on the glyph, and the field is flagged. Found on a
 * fresh set (seed 17000, strong TD1 117000): a glare veil over the top of a `0` in the document number
 * left a `U`-shaped rest; the cell reader read `U` (0.77), and so did PP-OCR when asked (its span read
 * `JPNMT0C4XUX<9<<`); every check digit passed it: valid, wrong, unflagged.
 */
const THIN_RIVAL_SHARE = 0.5;
const SECOND_READ_CONFIDENCE = 0.5;

/**
 * A column where no engine read a character with at least this much confidence (all of them summed,
 * weights included) was not read at all: its pixels were lost (a glare core clipped to white, a blot, a
 * stamp). The cell reader gives such cells ~0 confidence; PP-OCR skips them.
 */
const UNREAD_SUPPORT = 0.15;

/**
 * Look-alike pairs a general-purpose engine confuses in OCR-B but the print draws apart (OCR-B's `0` is
 * a narrow oval, its `O` a wide round; `5` and `8` are open and closed where `S` and `B` are not), so the
 * measuring engine, which matches each cell against the OCR-B glyphs themselves, decides between them.
 */
const SHAPE_PAIRS: ReadonlyMap<string, string> = new Map([['O', '0'], ['0', 'O'], ['S', '5'], ['5', 'S'], ['B', '8'], ['8', 'B']]);
/** The measuring engine's own share of a pair at which its call stands (S/5 and B/8: 0.9 or more on each of 665 such cells of 132 recorded strong tuning documents, never the other member on top). */
const SHAPE_SURE = 0.9;
/** A pair read with less of the measuring engine's confidence than this (both members summed) decides nothing. */
const SHAPE_MIN = 0.3;
/**
 * The measuring engine read `O` where the `0` glyph holds at least this share of the pair: a `0`. A true
 * `0` draws the wide `O` template close (under strong blur read `O` at 0.50-0.75), while a true `O`
 * hardly draws the narrow `0`. On 132 recorded strong tuning documents (all of 150000, 154000 and
 * 162000, and TD1 misses of older sets): a true `O`'s `0` share 0.06 at most (237 cells); every true `0`
 * read `O` held 0.18-0.49 (44 cells), so 0.12 was taken. Session 22's 1,940 recorded documents (mild and
 * strong, sets 234000-322000 and a stress set) showed true `0`s read `O` with less: 46 of 387 such cells
 * under 0.12, 6 under 0.07, the least at 0.035; true `O` read `O` held 0.028 at most (3,323 cells). At
 * 0.12 the shape call took PP-OCR's and tesseract.js's `0` for `O` there: mild TD2 314006's number
 * `F4K230R9` read `F4K23OR9` (`0` at 0.08), the corrector made it `FGK23OR9`, refused as ambiguous;
 * dates flagged for nothing on ten others. 0.065 stays over the older sets' 0.06.
 */
const ZERO_SHARE = 0.065;

/**
 * What the measuring engine's cell says between a look-alike pair (SHAPE_PAIRS), or undefined where it
 * says nothing: a glyph seen washed out, one read too weakly, or one split between the pair.
 */
export function shapeCall(c: OcrCharRead): string | undefined {
  const partner = SHAPE_PAIRS.get(c.char);
  if (!partner || c.faded) return undefined;
  const own = c.confidence;
  const other = c.alternatives.find((a) => a.char === partner)?.confidence ?? 0;
  if (own + other < SHAPE_MIN) return undefined;
  if (c.char === 'O') return other / (own + other) >= ZERO_SHARE ? '0' : 'O';
  return own / (own + other) >= SHAPE_SURE ? c.char : undefined;
}

/**
 * Columns where the measuring engine's shape call (shapeCall) took the other engines' votes for the
 * pair's other member, and that member had been the column's top: the engines disagreed, the shape
 * decided, and the fields there are flagged. Found on tuning set 150000 (strong TD1 250000, number
 * `G40580B0<`): the cell reader read `5` 0.95 and `8` 0.90 where PP-OCR and tesseract.js read `S`, `B`,
 * and its `O` cells held `0` at 0.22-0.28 where every engine read `O`; several mixes of O/0, S/5 and
 * B/8 passed the number's and the composite digit, and the read was refused as ambiguous.
 */
const shapeDecided = new WeakSet<Column>();

/** One aligned position: score per character (`''` = no character). */
export type Column = ReadonlyMap<string, number>;

/** What the engines read themselves at one aligned position: each one's own character, and whether any saw it faded. */
export interface ColumnEvidence {
  readonly reads: readonly { readonly char: string; readonly confidence: number }[];
  readonly faded: boolean;
}

export interface MergeOptions extends MrzReadOptions {
  /** Weight per engine name (default 1 each). */
  readonly engineWeights?: Readonly<Record<string, number>>;
  /** Per engine name, the letters it reads for a `<` filler (see FILLER_SURE). */
  readonly fillerLookalikes?: Readonly<Record<string, string>>;
  /**
   * Engines whose line length is a measurement of the line (a fixed-pitch cell reader): a valid reading
   * with a line shorter than one of them read it, at an MRZ layout length, is refused (line-length.ts).
   */
  readonly lengthWitnesses?: readonly string[];
  /**
   * Values printed in the visual zone of the page (or a TD1's front): where no reading is valid, lost
   * characters of checked fields are filled from them when the field's read check digit verifies it
   * (printed-erasures.ts); where the reading is valid but doubts its number or a date, the printed
   * value replaces it when they differ only where the engines did not see clearly (printed-doubts.ts).
   */
  readonly printed?: PrintedValues;
}

/** One engine's reading of a line, as the merge weighs it. */
export interface WeightedLineRead {
  readonly line: OcrLineRead;
  readonly weight: number;
  /** Letters this engine reads for a `<` filler. */
  readonly fillerLookalikes?: string;
  /** This engine's cells are the line's measured positions (a length witness: MergeOptions.lengthWitnesses). */
  readonly measured?: boolean;
  /** The engine the read is a variant of (`ppocr` for `ppocr#1`): variants of one engine are no independent witnesses. */
  readonly family?: string;
}

export interface MergedMrzRead {
  /** The chosen reading, or the best invalid one when none is valid. `valid` is false when ambiguous. */
  readonly result: MrzReadResult;
  /** The result is valid, not ambiguous, and chosen clear of every other valid reading. */
  readonly valid: boolean;
  /** Output fields to show as unconfirmed: the corrector's plus those with weak OCR evidence. */
  readonly uncertainFields: readonly MrzOutputFieldName[];
  /** Another valid reading scored within the margin: refused. */
  readonly ambiguous: boolean;
  /** How far the chosen reading departs from the engines' evidence (0 = what they read). */
  readonly cost: number;
  /** Columns where the engines' top characters differ. */
  readonly disagreements: number;
  /** readMrz calls made. */
  readonly candidates: number;
  /**
   * Per line of `result.corrected`, the positions no engine read (see UNREAD_SUPPORT: a glare core
   * clipped to white, a blot) or that no engine's character aligns to: what stands there is the
   * corrector's or a check digit's, not something seen. Empty lines when nothing was chosen.
   */
  readonly unread: readonly (readonly number[])[];
  /** Positions of `result.corrected` filled from a printed value (MergeOptions.printed); empty otherwise. */
  readonly printedFilled: PrintedErasureFill['filled'];
  /**
   * Per line of `result.corrected`, the read positions where an engine also offered another character
   * with some support (RIVAL_SHARE of the column's): position -> those characters. The visual-zone fill
   * takes a printed name's letter there (viz-fill.ts); nothing else uses them.
   */
  readonly rivals: readonly Readonly<Record<number, string>>[];
  /**
   * Per line of `result.corrected`, the read positions (not in `unread`) where the measuring engine saw
   * the glyph washed out and matched nothing to it (WASHED_OUT): what stands there is another engine's
   * reading of washed-out pixels. The visual-zone fill may put a printed name's letter there
   * (viz-fill.ts); nothing else uses them.
   */
  readonly washedOut: readonly (readonly number[])[];
  /**
   * Per line of `result.corrected`, the read positions where the measuring engine saw the glyph faded
   * yet matched a glyph to it (at FADED_GUESS_CONFIDENCE or more): what is left of a glyph a core washed
   * out can be another glyph's shape. The visual-zone fill may put a printed name's letter there; one
   * that agrees with the print still counts as read (viz-fill.ts); nothing else uses them.
   */
  readonly fadedRead: readonly (readonly number[])[];
}

/**
 * Least share of a column's support for a character other than the chosen one to count as a rival
 * there (`MergedMrzRead.rivals`). 250026 (strong TD2, `MOHAMMED` printed, read `MUHAMMED`): the `O`
 * was the cell reader's third choice at 0.09 under a glare veil, 8.5% of its column. A rival only
 * lets a certain printed name fill the position, and a filled field stays uncertain.
 */
const RIVAL_SHARE = 0.05;

function rivalsOf(column: Column, chosen: string): string {
  const total = columnTotal(column);
  let out = '';
  if (total <= 0) return out;
  for (const [ch, score] of column) if (ch !== '' && ch !== chosen && score >= RIVAL_SHARE * total) out += ch;
  return out;
}

function engineColumnVote(line: OcrLineRead, index: number, weight: number, add: (ch: string, s: number) => void, asFiller = false): void {
  const c = line.chars[index];
  if (!c) return;
  add(c.char, weight * c.confidence);
  if (asFiller) add('<', weight * c.confidence * FILLER_LOOKALIKE_ALT);
  for (const alt of c.alternatives) if (alt.char !== c.char) add(alt.char, weight * alt.confidence);
}

/**
 * Global alignment (Needleman-Wunsch) of two strings: index pairs, -1 for a gap. A match scores 1, or
 * `matchWeight(j)` for `b`'s character j (a character its engine was unsure of draws less).
 */
export function alignStrings(a: string, b: string, matchWeight: (j: number) => number = () => 1): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  const match = (i: number, j: number): number => (a[i] === b[j] ? matchWeight(j) : 0);
  const score: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = 1; i <= n; i++) score[i]![0] = -i;
  for (let j = 1; j <= m; j++) score[0]![j] = -j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const diag = score[i - 1]![j - 1]! + match(i - 1, j - 1);
      score[i]![j] = Math.max(diag, score[i - 1]![j]! - 1, score[i]![j - 1]! - 1);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && score[i]![j] === score[i - 1]![j - 1]! + match(i - 1, j - 1)) { pairs.push([i - 1, j - 1]); i--; j--; }
    else if (i > 0 && score[i]![j] === score[i - 1]![j]! - 1) { pairs.push([i - 1, -1]); i--; }
    else { pairs.push([-1, j - 1]); j--; }
  }
  return pairs.reverse();
}

/**
 * Columns of one MRZ line read by several engines (the first engine is the alignment reference), and
 * how many columns the engines' own characters differ in.
 */
export function alignLine(reads: readonly WeightedLineRead[]): { columns: Column[]; disagreements: number; evidence: ColumnEvidence[] } {
  const first = reads[0];
  if (!first) return { columns: [], disagreements: 0, evidence: [] };
  // Columns as index tuples, one per engine, built by aligning each engine to the first.
  let rows: number[][] = [...first.line.text].map((_, i) => [i]);
  for (let e = 1; e < reads.length; e++) {
    const refText = rows.map((r) => (r[0]! >= 0 ? first.line.text[r[0]!]! : '\u0000')).join('');
    const pairs = alignStrings(refText, reads[e]!.line.text, alignmentWeight(reads[e]!));
    const next: number[][] = [];
    for (const [ri, ei] of pairs) {
      if (ri >= 0) next.push([...rows[ri]!, ei]);
      else next.push([...new Array<number>(e).fill(-1), ei]);
    }
    rows = next;
  }
  let disagreements = 0;
  const columns = rows.map((row) => {
    const own = new Set(row.map((index, e) => (index < 0 ? '' : reads[e]!.line.chars[index]?.char ?? '')));
    if (own.size > 1) disagreements++;
    const column = new Map<string, number>();
    const add = (ch: string, s: number): void => { column.set(ch, (column.get(ch) ?? 0) + s); };
    const sureFiller = row.some((index, e) => {
      const c = index >= 0 ? reads[e]!.line.chars[index] : undefined;
      return c?.char === '<' && c.confidence >= FILLER_SURE;
    });
    row.forEach((index, e) => {
      const r = reads[e]!;
      if (index < 0) { add('', r.weight * GAP_WEIGHT); return; }
      const own = r.line.chars[index]?.char ?? '';
      engineColumnVote(r.line, index, r.weight, add, sureFiller && own !== '' && own !== '<' && (r.fillerLookalikes?.includes(own) ?? false));
    });
    applyShapeCall(column, row.flatMap((index, e) => (reads[e]!.measured && index >= 0 ? [reads[e]!.line.chars[index]!] : [])));
    return column;
  });
  const evidence = rows.map((row): ColumnEvidence => {
    const own = row.map((index, e) => (index >= 0 ? reads[e]!.line.chars[index] : undefined)).filter((c): c is OcrCharRead => c !== undefined);
    return { reads: own.map((c) => ({ char: c.char, confidence: c.confidence })), faded: own.some((c) => c.faded === true) };
  });
  const ownReads = rows.map((row) => row.flatMap((index, e) => {
    const c = index >= 0 ? reads[e]!.line.chars[index] : undefined;
    return c ? [{ c, measured: reads[e]!.measured === true, lookalikes: reads[e]!.fillerLookalikes ?? '', family: reads[e]!.family ?? String(e) }] : [];
  }));
  markFillerRunGuesses(columns, ownReads);
  rows.forEach((_, i) => {
    const own = ownReads[i]!;
    const washedOut = own.some((x) => x.measured && x.c.faded === true && x.c.confidence < FADED_GUESS_CONFIDENCE);
    // Washed out for the visual-zone fill (see washedOutCell) also: a cell the measuring engine matched
    // nothing to where another engine emitted nothing either.
    const blank = own.some((x) => x.measured && x.c.confidence < UNREAD_SUPPORT) && rows[i]!.some((index, e) => index < 0 && !reads[e]!.measured);
    if (washedOut || blank) washedOutCell.add(columns[i]!);
    else if (own.some((x) => x.measured && x.c.faded === true)) fadedReadCell.add(columns[i]!);
    if (washedOut && own.every((x) => x.c.confidence < FADED_GUESS_CONFIDENCE)) fadedUnread.add(columns[i]!);
    if (own.some((x) => x.measured) && isUnreadColumn(columns[i]!)) measuredUnread.add(columns[i]!);
    if (own.some((x) => x.measured)) measuredCell.add(columns[i]!);
    if (own.some((x) => x.measured) && own.every((x) => !x.measured || x.c.faded === true)) fadedOnlyCell.add(columns[i]!);
    readFamilies.set(columns[i]!, new Set(own.filter((x) => x.c.char !== '').map((x) => x.family)).size);
    if (own.some((x) => x.measured && x.c.char === '<' && x.c.confidence >= FILLER_SURE && x.c.faded !== true)) {
      sureFillerCell.set(columns[i]!, new Set(own.filter((x) => !x.measured && x.c.char !== '<' && x.c.char !== '' && !readsFillerAsLetter(x)).map((x) => x.c.char)));
    }
    const sureLetter = own.find((x) => x.measured && x.c.char !== '<' && x.c.confidence >= FILLER_SURE && x.c.faded !== true);
    if (sureLetter) sureLetterCell.set(columns[i]!, sureLetter.c.char);
  });
  return { columns, disagreements, evidence };
}

/**
 * What a match with each of an engine's characters is worth in the alignment: a measuring engine's cell
 * read under UNREAD_SUPPORT (a glare core's cell, guessed at ~0) half a match, so a character another
 * engine read goes to a cell the measuring engine read it in where there is one. Found on set 166000
 * (strong TD3 266002): PP-OCR read `D5083`, dropping the glare-erased `<660`; the cell reader read
 * those cells `<NDLJ` at 0, and its guessed `D` drew PP-OCR's `D` (the nationality, which it read
 * sure three cells before) so the erased cells fell on both sides of it and the birth date shifted.
 * Such a cell still matches: under a core's rim the cell reader's weak guess is often right (117031's
 * `N` of `ANNA` at 0.03, beside the lost `A`), and PP-OCR's `N` belongs there, not in the lost cell.
 */
function alignmentWeight(read: WeightedLineRead): (j: number) => number {
  if (!read.measured) return () => 1;
  return (j) => ((read.line.chars[j]?.confidence ?? 0) < UNREAD_SUPPORT ? 0.5 : 1);
}

/** Moves a look-alike pair's votes to the measuring engine's shape call (shapeCall), marking the column when that changed its top. */
function applyShapeCall(column: Map<string, number>, measured: readonly (OcrCharRead | undefined)[]): void {
  const cell = measured.find((c): c is OcrCharRead => c !== undefined);
  const call = cell ? shapeCall(cell) : undefined;
  const partner = call ? SHAPE_PAIRS.get(call) : undefined;
  if (!call || !partner || !column.has(partner)) return;
  // Not `ranked`: it keeps each column's first ranking, and this one is about to change.
  let top = '';
  for (const [ch, score] of column) if (score > (column.get(top) ?? -Infinity)) top = ch;
  column.set(call, (column.get(call) ?? 0) + column.get(partner)!);
  column.delete(partner);
  if (top !== call) shapeDecided.add(column);
}

/**
 * Columns where the measuring engine (the fixed-pitch cell reader) saw the glyph washed out (`faded`)
 * and no engine read anything there with FADED_GUESS_CONFIDENCE or more: not read (isUnreadColumn),
 * whatever the weak guesses sum to. Found on tuning sets 17000 and 21000: under a glare core's rim the
 * cell reader read `K` at 0 (faded) and PP-OCR `N` at 0.17 (with `L` and `H` at 0.13 and 0.12): 0.42 in
 * all, so the column counted as read and `KOWALSNA` stood there (117017, flagged); MRV-A 121033's
 * `<CH` of `CRUZ<<CHIDI` read `4LH` at 0-0.19, faded. A position counted as read is never filled from
 * the visual zone (viz-fill.ts fills only positions no engine read).
 */
const FADED_GUESS_CONFIDENCE = 0.25;
const fadedUnread = new WeakSet<Column>();
/**
 * Columns where the measuring engine saw the glyph washed out (`faded`) and matched no glyph to it
 * (under FADED_GUESS_CONFIDENCE), whatever the other engines read there (`MergedMrzRead.washedOut`).
 * Also (session 18, #11 strong) where it matched nothing (under
 * UNREAD_SUPPORT, faded or not) and another engine emitted nothing either: two engines saw no glyph,
 * and what a third put there is its own (266002 of set 166000, strong TD3: `OR<<SIOB` under a core,
 * PP-OCR skipped the cells, the cell reader matched nothing, and tesseract.js's `ANCLKLCLS`, its reading
 * of the line's fillers shifted into them, stood there). A cell matched to nothing where every engine
 * read a character is not: the cell reader's grid one cell off at a line's start (274003 of set
 * 174000, MRV-A) matches nothing along a name PP-OCR read whole, and those letters must count as read.
 * A general-purpose engine reads a cell a glare core clipped to paper as the filler, confidently:
 * tuning sets 154000 and 174000 (strong MRV-B 254004, TD3 274037), `LUCAS`, `CHIDI` lost, PP-OCR and
 * tesseract.js read `<` there at 0.88-0.99 where the cell reader saw faded cells it read at 0; and
 * where PP-OCR dropped such cells, its next letter aligned into one (274004, `U` of `CRUZ<<JOAO`
 * stood on the `J`'s faded cell). Such a position is not in `unread` (an engine did read it), so the
 * merge's own rules do not change; only the visual-zone fill may take a printed letter there.
 */
const washedOutCell = new WeakSet<Column>();
/**
 * Columns where the measuring engine saw the glyph faded yet matched a glyph to it (`MergedMrzRead.fadedRead`):
 * what a core left of a glyph can be another glyph's shape (278019 of set 178000, strong MRV-B: the `B`
 * of `SIOBHAN` kept its stem and base, read `L` at 0.90 faded by the cell reader and `L` at 0.51 by
 * PP-OCR, and the printed `SIOBHAN` could not fill it). Kept apart from washedOutCell: a faded glyph
 * read as the print has it is still evidence for the print (117031 of set 17000: `ANNA<MARIA`'s faded
 * `AN` and `MA` vouch for the one letter filled; counted as washed out, the fill had too little).
 */
const fadedReadCell = new WeakSet<Column>();
/**
 * Columns every measuring read saw faded (several frames' cell reads when frames are fused): no clear
 * sight of the glyph, whatever was matched to it (see ALPHANUMERIC_CHECKED).
 */
const fadedOnlyCell = new WeakSet<Column>();

/**
 * Checked fields that may hold letters and digits alike (dates hold digits only). A check digit weighs a
 * character by its value mod 10, so it cannot tell `0` from `A`, `K`, `U` or the filler, `4` from `E`,
 * `O`, `Y`, and so on; what a glare core left of a glyph can take any of those shapes. Such a field with
 * a character where the measuring engine saw the glyph only faded (fadedOnlyCell: in no frame clearly)
 * is reported uncertain. Found under moving glare (stress `glare`, mild TD3 906037): the number's `0`
 * lost its top, read `U` by PP-OCR at 0.98 and by the cell reader at 0.65 faded; both check digits
 * passed: valid, wrong, unflagged.
 */
const ALPHANUMERIC_CHECKED: ReadonlySet<MrzOutputFieldName> = new Set(['documentNumber', 'optionalData']);

/**
 * Columns no engine read where a measuring engine has a cell: a position of the line whose ink was lost
 * (a glare core), not a character some engine invented. Another engine's gap there says it saw nothing,
 * not that nothing is there, so a reading that drops the column pays for a whole column (lineCost):
 * the chosen reading keeps the position (the filler or a guess, flagged, listed in `unread`) and what
 * follows it is not shifted. Found on tuning set 17000 (strong TD2 117031): a core over the second `A`
 * of `ANNA<MARIA`; the cell reader read that cell at 0, PP-OCR skipped it, and the merge dropped the
 * column: `ANN<MARIA<`, the rest of the names shifted left, no position left for the visual-zone fill.
 */
const measuredUnread = new WeakSet<Column>();
/**
 * Columns where the measuring engine read `<` at FILLER_SURE or more, unfaded, each with the letters
 * another engine read there as themselves: not `<`, nor a letter it reads for the filler
 * (readsFillerAsLetter). A valid rival holding a letter there that no engine read as itself (`A`, `K`:
 * the check digits weigh them as `<`, see check-blind.ts) differs from the chosen reading only in what
 * a general-purpose engine made of an OCR-B chevron: its fields are flagged, and the read is not
 * refused for it. Found on tuning sets 150000 and 154000 (strong TD1 250000, 254000): with the number
 * settled, PP-OCR's `A` in the optional data's padding and tesseract.js's `K` (`<` its runner-up) in
 * the number's stood 0.18-0.23 behind, inside AMBIGUITY_MARGIN. A third engine's other letter there
 * says nothing for the rival's: on set 234000 (strong TD1 334025) tesseract.js read the whole of line 1
 * as garbage (`X`, `R` over the padding), PP-OCR's `K` (both variants) stood 0.29 behind, and a read
 * right character for character was refused as ambiguous.
 */
const sureFillerCell = new WeakMap<Column, ReadonlySet<string>>();
/**
 * Columns where the measuring engine read a character other than `<` at FILLER_SURE or more, unfaded:
 * the character. A valid rival holding `<` there where that character is check-blind with it (`K`, `A`,
 * `U`, `0`) differs from the chosen reading only in what the digits cannot weigh and the cell reader saw
 * clearly: its fields are flagged, and the read is not refused for it. Found on tuning set 154000 (strong
 * TD1 254000): the cell reader read the number `KGW8349CS` at 0.97-1.00 and tesseract.js `KK` for `<K`
 * (`<` its runner-up); the rival `<GW8349CS` stood 0.18 behind and the read was refused.
 */
const sureLetterCell = new WeakMap<Column, string>();
/** How many engines (variants of one engine counted once) read a character in each column. */
const readFamilies = new WeakMap<Column, number>();
/** Columns where a measuring engine has a cell: a position of the line, whatever the other engines' gaps say. */
const measuredCell = new WeakSet<Column>();

/**
 * Columns inside a run of filler where the measuring engine (the cell reader) has a cell it saw no ink
 * in (read under FADED_GUESS_CONFIDENCE) and the only letter another engine read there is one it reads
 * for the filler: one of its `fillerLookalikes` (PP-OCR's `K`, `A`), or a letter it holds `<` as the
 * runner-up of. Nothing there was seen as a letter: the letter's vote goes to the filler (the padding
 * the run asks for) and the column is not read (isUnreadColumn: its fields are flagged, its position is
 * listed in `unread` for the visual-zone fill). A real letter there (a one-letter name between fillers)
 * is never silently replaced: the same reads stand for padding misread, and the field is flagged. An
 * engine's extra character where the measuring engine has no cell, inside the run, votes for the filler
 * too, but is no position, so it is not marked unread (it would lengthen the line). Found on the stress
 * set 81000 (`small`, mild TD1): optional data `<<<<<<<<<<<<<<<` where the cell reader read `L7K` at 0
 * (faded), PP-OCR skipped the cells and tesseract.js read `K` (0.46, `<` 0.41) there and one cell on:
 * the merge kept `K`, flagged, wrong. The run's neighbours are the nearest columns some engine read: a
 * cell beside it that no engine read (a glare core's middle) says nothing either way. Found on tuning set
 * 105000 (strong MRV-A 205028): PP-OCR's `KKA` in the given names' padding beside a cell only the cell
 * reader's `W` at 0 stood in; with that cell as the left neighbour the run had no filler on its left.
 * Without filler on both sides, the run is taken for padding only where two engines (not two variants
 * of one) each read one of their own filler letters and no letter is common to them: a real letter is
 * read as itself by at least one of them, while a chevron is misread by each in its own way. Found on
 * tuning set 174000 (strong MRV-A 274003): `V<JPN` with the cell reader's cells lost at the line's
 * start (`X` at 0); PP-OCR read `K` (both variants), tesseract.js `L` (`<` its runner-up); the merge
 * kept `VK`, flagged, wrong.
 */
const fillerRunGuess = new WeakSet<Column>();

/** Two or more engines read a filler letter of their own here, and no letter is common to all of them. */
function fillerReadApart(own: readonly OwnRead[]): boolean {
  const byFamily = new Map<string, Set<string>>();
  for (const x of own) {
    if (x.measured || !readsFillerAsLetter(x)) continue;
    byFamily.set(x.family, (byFamily.get(x.family) ?? new Set<string>()).add(x.c.char));
  }
  if (byFamily.size < 2) return false;
  const [first, ...rest] = [...byFamily.values()];
  return ![...first!].some((ch) => rest.every((letters) => letters.has(ch)));
}

interface OwnRead { readonly c: OcrCharRead; readonly measured: boolean; readonly lookalikes: string; readonly family: string }

/** A letter an engine read that stands for the filler as well: its look-alike, or one with `<` as its own runner-up. */
function readsFillerAsLetter(x: OwnRead): boolean {
  if (x.c.char === '<' || x.c.char === '') return false;
  return x.lookalikes.includes(x.c.char) || x.c.alternatives.some((a) => a.char === '<');
}

function markFillerRunGuesses(columns: readonly Column[], ownReads: readonly (readonly OwnRead[])[]): void {
  const measuring = ownReads.some((own) => own.some((x) => x.measured));
  const candidate = ownReads.map((own) => {
    const others = own.filter((x) => !x.measured);
    return (own.some((x) => x.measured && (x.c.confidence < FADED_GUESS_CONFIDENCE)) || (measuring && !own.some((x) => x.measured)))
      && others.some(readsFillerAsLetter)
      && others.every((x) => x.c.char === '<' || readsFillerAsLetter(x));
  });
  /** The column's strongest character other than a gap is the filler (a run of padding). */
  const isFiller = (i: number): boolean => {
    let best = '';
    let bestScore = -1;
    for (const [ch, score] of columns[i]!) if (ch !== '' && score > bestScore) { best = ch; bestScore = score; }
    return best === '<';
  };
  /** From `i` on in `step`'s direction, the first column some engine read (a neighbour no engine read is no evidence of the run). */
  const nearestRead = (i: number, step: 1 | -1): number => {
    let k = i;
    while (k >= 0 && k < columns.length && readScore(columns[k]!) < UNREAD_SUPPORT) k += step;
    return k;
  };
  for (let i = 0; i < columns.length; i++) {
    if (!candidate[i]) continue;
    let end = i;
    while (end + 1 < columns.length && candidate[end + 1]) end++;
    const left = nearestRead(i - 1, -1);
    const right = nearestRead(end + 1, 1);
    const leftFiller = left >= 0 && isFiller(left);
    const rightFiller = right >= columns.length || isFiller(right);
    const readApart = ownReads.slice(i, end + 1).every(fillerReadApart);
    if ((leftFiller && rightFiller) || readApart) {
      for (let k = i; k <= end; k++) {
        const column = columns[k] as Map<string, number>;
        for (const x of ownReads[k]!) {
          if (x.measured || !readsFillerAsLetter(x)) continue;
          column.set('<', (column.get('<') ?? 0) + (column.get(x.c.char) ?? 0));
          column.set(x.c.char, 0);
        }
        // A column the measuring engine has no cell in is an engine's extra character, not a position: not unread.
        if (ownReads[k]!.some((x) => x.measured)) fillerRunGuess.add(column);
      }
    }
    i = end;
  }
}

/** Columns are never changed once built: each is ranked once (a merge scores up to 160 candidates against them). */
const rankings = new WeakMap<Column, Array<[string, number]>>();

function ranked(column: Column): Array<[string, number]> {
  let r = rankings.get(column);
  if (!r) {
    r = [...column.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    rankings.set(column, r);
  }
  return r;
}

/** What the engines read in a column, all characters summed (gaps left out). */
function readScore(column: Column): number {
  let read = 0;
  for (const [ch, score] of column) if (ch !== '') read += score;
  return read;
}

/** No engine read a character here (see UNREAD_SUPPORT). */
export function isUnreadColumn(column: Column): boolean {
  if (fadedUnread.has(column) || fillerRunGuess.has(column)) return true;
  return readScore(column) < UNREAD_SUPPORT;
}

function columnTotal(column: Column): number {
  let t = 0;
  for (const v of column.values()) t += v;
  return t;
}

/** The character a column holds the most support for (a gap counts as none). */
function topChar(column: Column): string | undefined {
  let top: string | undefined;
  let best = 0;
  for (const [ch, v] of column) if (ch !== '' && v > best) { best = v; top = ch; }
  return top;
}

/**
 * What a final line asks of the engines: per column, the best score minus the score of the character
 * the line puts there (normalised by the column total), via an alignment of the line to the columns.
 */
export function lineCost(columns: readonly Column[], line: string): { cost: number; perChar: number[]; columnOf: number[] } {
  const best = columns.map((c) => ranked(c)[0]?.[0] ?? '');
  const refText = best.map((ch) => (ch === '' ? '\u0000' : ch)).join('');
  const pairs = alignStrings(refText, line);
  let cost = 0;
  const perChar = new Array<number>(line.length).fill(1);
  const columnOf = new Array<number>(line.length).fill(-1);
  let nextChar = 0;
  for (const [ci, li] of pairs) {
    const column = ci >= 0 ? columns[ci]! : undefined;
    const total = column ? Math.max(1e-9, columnTotal(column)) : 1;
    const top = column ? ranked(column)[0]![1] / total : 0;
    const ch = li >= 0 ? line[li]! : '';
    const share = column ? (column.get(ch) ?? 0) / total : 0;
    // A measured cell no engine read, dropped: see measuredUnread.
    cost += column ? (li < 0 && measuredUnread.has(column) ? 1 : top - share) : 1;
    if (li >= 0) { perChar[li] = Math.min(perChar[li]!, share); columnOf[li] = ci; nextChar = li + 1; }
    else if (column && share < WEAK_SHARE) {
      // A character the engines read was dropped here: the characters either side are in doubt.
      if (nextChar > 0) perChar[nextChar - 1] = Math.min(perChar[nextChar - 1]!, share);
      if (nextChar < line.length) perChar[nextChar] = Math.min(perChar[nextChar]!, share);
    }
  }
  return { cost, perChar, columnOf };
}

interface Flip { line: number; column: number; char: string; penalty: number }

function doubtfulFlips(linesColumns: readonly Column[][]): Flip[] {
  const flips: Flip[] = [];
  linesColumns.forEach((columns, line) => columns.forEach((column, ci) => {
    const r = ranked(column);
    if (r.length < 2) return;
    const total = Math.max(1e-9, columnTotal(column));
    const penalty = (r[0]![1] - r[1]![1]) / total;
    flips.push({ line, column: ci, char: r[1]![0], penalty });
  }));
  return flips.sort((a, b) => a.penalty - b.penalty).slice(0, MAX_DOUBTFUL);
}

/** Flip sets of size 0..MAX_FLIPS, cheapest first, at most `limit`. */
function flipSets(flips: readonly Flip[], limit: number): Flip[][] {
  const sets: Array<{ set: Flip[]; cost: number }> = [{ set: [], cost: 0 }];
  const grow = (start: number, set: Flip[], cost: number): void => {
    if (set.length === MAX_FLIPS) return;
    for (let i = start; i < flips.length; i++) {
      const next = [...set, flips[i]!];
      sets.push({ set: next, cost: cost + flips[i]!.penalty });
      grow(i + 1, next, cost + flips[i]!.penalty);
    }
  };
  grow(0, [], 0);
  return sets.sort((a, b) => a.cost - b.cost).slice(0, limit).map((s) => s.set);
}

/**
 * The reading a flip set renders: each column's best character, or the flip's. With `fillerAt`, the
 * filler stands in those columns (per line) instead: columns no engine read (see UNREAD_SUPPORT) that
 * some engine placed a character in (the cell reader measures every cell, glare core or not). A glare
 * core over padding leaves the cell reader guessing letters at ~0 confidence and PP-OCR skipping the
 * cells: no reading the columns render puts the padding back, and a letter guessed there passes for the
 * field's content. Found on tuning sets 17000 and 21000 (strong TD1 121010: optional data `<<<<<` under
 * the core read `D4293`, valid with the field flagged, wrong; 117025 refused).
 */
function render(linesColumns: readonly Column[][], flips: readonly Flip[], fillerAt?: readonly ReadonlySet<number>[]): string[] {
  return linesColumns.map((columns, line) => columns.map((column, ci) => {
    if (fillerAt?.[line]?.has(ci)) return '<';
    const flip = flips.find((f) => f.line === line && f.column === ci);
    return flip ? flip.char : (ranked(column)[0]?.[0] ?? '');
  }).join(''));
}

/** Per line, the columns no engine read that some engine placed a character in (what `render` fills with the filler). */
function unreadPlaced(linesColumns: readonly Column[][]): Array<Set<number>> {
  return linesColumns.map((columns) => {
    const out = new Set<number>();
    columns.forEach((column, ci) => { if (isUnreadColumn(column) && [...column.keys()].some((k) => k !== '')) out.add(ci); });
    return out;
  });
}

/**
 * How many characters of `line` other than the filler are guesses: standing where no engine read
 * anything, or where none offered them. Of two readings with equal support, the one with fewer wins:
 * what they differ in is then decided for the padding ICAO fills a field with. Set 286000 (mild TD1
 * 286030): under glare the cell reader matched `4` at 0 after the number's check digit and tesseract.js
 * read `S`, `D`; `0` and `<` (check-blind) cost the same there, and `0` came first.
 */
function guessedCount(columns: readonly Column[], line: string, columnOf: readonly number[]): number {
  let n = 0;
  for (let c = 0; c < line.length; c++) {
    const column = columns[columnOf[c] ?? -1];
    if (column && line[c] !== '<' && (isUnreadColumn(column) || !isOffered(column, line[c]!))) n++;
  }
  return n;
}

/** Some engine read the character here, or offered it as an alternative, with any confidence at all. */
function isOffered(column: Column, char: string): boolean {
  return (column.get(char) ?? 0) > 0;
}

function fieldsAt(result: MrzReadResult, line: number, column: number): MrzOutputFieldName[] {
  const out: MrzOutputFieldName[] = [];
  for (const [name, field] of Object.entries(result.fields)) {
    if (field?.ranges.some((r) => r.line === line && column >= r.start && column < r.end)) out.push(name as MrzOutputFieldName);
  }
  return out;
}

/** The output fields a check digit covers (every field with a character in its ranges). */
function fieldsCoveredBy(result: MrzReadResult, check: { readonly covers: readonly { line: number; start: number; end: number }[] }): MrzOutputFieldName[] {
  const out: MrzOutputFieldName[] = [];
  for (const r of check.covers) for (let k = r.start; k < r.end; k++) out.push(...fieldsAt(result, r.line, k));
  return out;
}

/**
 * The name fields when a position is the `<<` between surname and given names (in no field's range): a
 * reading that differs there splits the names differently, which no check digit covers. Measured on the
 * strong eval set: PP-OCR's `OKAFOR<APIOTR` against the cell reader's `OKAFOR<<PIOTR` refused a TD3 as
 * ambiguous that differed in nothing else.
 */
function nameSeparatorFields(result: MrzReadResult, line: number, column: number): MrzOutputFieldName[] {
  const surname = result.fields.surname?.ranges[0];
  const given = result.fields.givenNames?.ranges[0];
  if (!surname || surname.line !== line) return [];
  const end = given && given.line === line ? given.end : surname.end + 2;
  return column >= surname.end && column < end ? ['surname', 'givenNames'] : [];
}

/**
 * Output fields where `other` (a reading of the same shape) differs from `result`: the field holding
 * each differing position, the names at their separator, and for a check digit's own position the
 * fields its digit covers.
 */
function differingFields(result: MrzReadResult, other: readonly string[]): Set<MrzOutputFieldName> {
  const out = new Set<MrzOutputFieldName>();
  const spec = result.format ? MRZ_FORMATS[result.format] : undefined;
  result.corrected.forEach((line, l) => {
    for (let c = 0; c < line.length; c++) {
      if (line[c] === other[l]![c]) continue;
      const fields = [...fieldsAt(result, l, c), ...nameSeparatorFields(result, l, c)];
      for (const check of spec?.checks ?? []) {
        if (check.line !== l || check.position !== c) continue;
        fields.push(...fieldsCoveredBy(result, check));
      }
      for (const f of fields) out.add(f);
    }
  });
  return out;
}

/**
 * Fields whose own check digit the engines did not read (under UNSUPPORTED_SHARE of its column): the
 * digit standing there is the corrector's, computed to fit the field, so it verifies nothing, and a
 * misread in the field passes. The composite is left out: each field it covers keeps its own digit.
 * Found on the camera-order glare set (seed 45000, mild MRV-A 45008): a hotspot clipped an expiry's
 * last digit and its check digit to white; PP-OCR read `270207<`, the cell reader nothing it trusted,
 * and the corrector wrote check digit 6 to fit `270207`: valid, wrong, unflagged (truth 270209, 8).
 */
function unreadCheckDigitFields(result: MrzReadResult, costs: readonly ({ perChar: number[] } | undefined)[]): Set<MrzOutputFieldName> {
  const out = new Set<MrzOutputFieldName>();
  const spec = result.format ? MRZ_FORMATS[result.format] : undefined;
  for (const check of spec?.checks ?? []) {
    if (check.check === 'composite') continue;
    const perChar = costs[check.line]?.perChar;
    if (!perChar || check.position >= perChar.length) continue;
    if ((perChar[check.position] ?? 0) >= UNSUPPORTED_SHARE) continue;
    for (const f of fieldsCoveredBy(result, check)) out.add(f);
  }
  return out;
}

/** Fields no check digit covers: evidence for them comes from the engines alone. */
export const UNCHECKED_FIELDS: ReadonlySet<MrzOutputFieldName> = new Set(['surname', 'givenNames', 'sex', 'nationality', 'issuingState', 'documentCode', 'optionalData2']);

/**
 * The reading erasure decoding gives (erasure.ts): each line as the engines read it, with a position
 * kept for every column no engine read; solved only when the corrector accepts the filled reading
 * without changing any character a check digit covers, and its lines are as long as measured.
 */
/**
 * Each line as the engines read it, with a position for every column no engine read (its best guess
 * standing there), and the positions lost. With `measuredPositions`, a column where the measuring engine
 * has a cell is a position even where the other engines' gaps outweigh what was read there (a glare
 * core's rim: 117034 of tuning set 17000 lost the nationality's `R` so to a gap of 0.35 against `4` at 0.33).
 */
function erasureForm(linesColumns: readonly Column[][], measuredPositions = false, fillerGuess = false): ErasureInput {
  const lines: string[] = [];
  const erased: number[][] = [];
  for (const columns of linesColumns) {
    let text = '';
    const unread: number[] = [];
    for (const column of columns) {
      const guess = (): string => ranked(column).find(([ch]) => ch !== '')?.[0] ?? '<';
      if (isUnreadColumn(column)) {
        unread.push(text.length);
        text += fillerGuess ? '<' : guess();
      } else {
        const top = ranked(column)[0]?.[0] ?? '';
        text += top === '' && measuredPositions && measuredCell.has(column) ? guess() : top;
      }
    }
    lines.push(text);
    erased.push(unread);
  }
  const support = lines.map((line, l) => lineCost(linesColumns[l]!, line).perChar);
  return { lines, erased, supported: (l, c) => (support[l]?.[c] ?? 0) >= UNSUPPORTED_SHARE };
}

function solveUnreadColumns(linesColumns: readonly Column[][], witnesses: ReturnType<typeof witnessedLineLengths>, options: MrzReadOptions): { result: MrzReadResult; cost: number; fields: MrzOutputFieldName[] } | undefined {
  const solution = solveErasures(erasureForm(linesColumns));
  if (!solution) return undefined;
  const result = readMrz(solution.lines, options);
  if (!result.valid || lineLengthConflicts(result.corrected, witnesses).length > 0) return undefined;
  const checked = (l: number, c: number): boolean => solution.spec.checks.some((k) => (k.line === l && k.position === c) || k.covers.some((r) => r.line === l && c >= r.start && c < r.end));
  if (result.corrected.some((line, l) => [...line].some((ch, c) => checked(l, c) && ch !== solution.lines[l]![c]))) return undefined;
  let cost = 0;
  result.corrected.forEach((line, l) => { cost += lineCost(linesColumns[l]!, line).cost; });
  const fields = new Set<MrzOutputFieldName>();
  for (const f of solution.filled) for (const name of fieldsAt(result, f.line, f.column)) fields.add(name);
  // A solved check digit stands for the field it covers.
  for (const f of solution.filled) {
    const check = solution.spec.checks.find((k) => k.line === f.line && k.position === f.column);
    for (const name of check ? fieldsCoveredBy(result, check) : []) fields.add(name);
  }
  return { result, cost, fields: [...fields] };
}

/**
 * The reading printed-erasures.ts gives: lost positions of checked fields filled from the printed values
 * their read characters and check digits verify. Kept when the corrector accepts it without changing any
 * character a check digit covers and its lines are as long as measured.
 *
 * The positions no engine read are tried with their best guesses first, then all as the filler: a
 * field no digit covers that lost cells to the same core holds noise at ~0 confidence, which the
 * corrector refuses (a nationality `D<A`), while its padding is the filler (strong TD3 266002 of set
 * 166000: the core took `<660` of `D<<6605083`; the printed birth date filled `66`, and `D<<` stood
 * only with the filler in the nationality's lost cells; the field stays flagged, as every unread one).
 */
function fillUnreadFromPrinted(linesColumns: readonly Column[][], witnesses: ReturnType<typeof witnessedLineLengths>, options: MrzReadOptions, printed: PrintedValues): { result: MrzReadResult; cost: number; fields: MrzOutputFieldName[]; filled: PrintedErasureFill['filled'] } | undefined {
  for (const fillerGuess of [false, true]) {
    const found = fillFromPrintedForm(erasureForm(linesColumns, true, fillerGuess), linesColumns, witnesses, options, printed);
    if (found) return found;
  }
  return undefined;
}

/** One erasure form (erasureForm) filled from the printed values, and kept on the conditions above. */
function fillFromPrintedForm(form: ErasureInput, linesColumns: readonly Column[][], witnesses: ReturnType<typeof witnessedLineLengths>, options: MrzReadOptions, printed: PrintedValues): { result: MrzReadResult; cost: number; fields: MrzOutputFieldName[]; filled: PrintedErasureFill['filled'] } | undefined {
  const fill = fillErasuresFromPrinted(form.lines, form.erased, form.supported, printed);
  if (!fill) return undefined;
  const result = readMrz(fill.lines, options);
  if (!result.valid || lineLengthConflicts(result.corrected, witnesses).length > 0) return undefined;
  const spec = result.format ? MRZ_FORMATS[result.format] : undefined;
  const checked = (l: number, c: number): boolean => spec?.checks.some((k) => (k.line === l && k.position === c) || k.covers.some((r) => r.line === l && c >= r.start && c < r.end)) ?? true;
  if (result.corrected.some((line, l) => [...line].some((ch, c) => checked(l, c) && ch !== fill.lines[l]![c]))) return undefined;
  let cost = 0;
  result.corrected.forEach((line, l) => { cost += lineCost(linesColumns[l]!, line).cost; });
  const fields = new Set<MrzOutputFieldName>();
  for (const f of fill.filled) for (const name of fieldsAt(result, f.line, f.column)) fields.add(name);
  return { result, cost, fields: [...fields], filled: fill.filled };
}

/**
 * Checked fields holding a character with a check-blind rival in its column that an engine saw faded,
 * or that one engine alone vouches for against a rival standing close (see THIN_RIVAL_SHARE).
 */
function checkBlindDoubts(result: MrzReadResult, linesColumns: readonly Column[][], linesEvidence: readonly ColumnEvidence[][], costs: readonly ({ columnOf: number[] } | undefined)[]): Set<MrzOutputFieldName> {
  const out = new Set<MrzOutputFieldName>();
  const spec = result.format ? MRZ_FORMATS[result.format] : undefined;
  if (!spec) return out;
  result.corrected.forEach((line, l) => {
    const columnOf = costs[l]?.columnOf;
    if (!columnOf) return;
    for (let c = 0; c < line.length; c++) {
      const kind = fieldAt(spec, l, c)?.kind;
      const fields = fieldsAt(result, l, c).filter((f) => !UNCHECKED_FIELDS.has(f));
      const column = linesColumns[l]?.[columnOf[c] ?? -1];
      const evidence = linesEvidence[l]?.[columnOf[c] ?? -1];
      if (!kind || fields.length === 0 || !column || !evidence) continue;
      const chosen = line[c]!;
      let rival = 0;
      for (const [ch, score] of column) if (score > 0 && isCheckBlindPair(chosen, ch) && isAllowed(kind, ch)) rival = Math.max(rival, score);
      if (rival === 0) continue;
      const thin = rival >= THIN_RIVAL_SHARE * (column.get(chosen) ?? 0);
      const readers = evidence.reads.filter((r) => r.char === chosen && r.confidence >= SECOND_READ_CONFIDENCE).length;
      if (evidence.faded || (thin && readers < 2)) for (const f of fields) out.add(f);
    }
  });
  return out;
}

/** Merges engine readings of the same MRZ lines (same line order in each) into one checked reading. */
export function mergeMrzReads(reads: readonly EngineMrzRead[], options: MergeOptions = {}): MergedMrzRead {
  const lineCount = Math.max(0, ...reads.map((r) => r.lines.length));
  const linesColumns: Column[][] = [];
  const linesEvidence: ColumnEvidence[][] = [];
  let disagreements = 0;
  for (let l = 0; l < lineCount; l++) {
    const perEngine = reads
      .filter((r) => r.lines[l] !== undefined)
      .map((r): WeightedLineRead => ({ line: r.lines[l]!, weight: options.engineWeights?.[r.engine] ?? 1, fillerLookalikes: options.fillerLookalikes?.[r.engine], measured: options.lengthWitnesses?.includes(r.engine) ?? false, family: r.engine.split('#')[0] }));
    const aligned = alignLine(perEngine);
    linesColumns.push(aligned.columns);
    linesEvidence.push(aligned.evidence);
    disagreements += aligned.disagreements;
  }
  const readOptions: MrzReadOptions = options;
  const seen = new Map<string, { result: MrzReadResult; cost: number; guesses: number }>();
  let candidates = 0;
  let bestInvalid: MrzReadResult | undefined;
  // A valid reading with a line shorter than a measuring engine read it at an MRZ length is not a
  // reading of this document (characters lost under glare; see line-length.ts): never chosen, never a rival.
  const witnesses = witnessedLineLengths(reads, options.lengthWitnesses ?? []);
  let shortened: MrzReadResult | undefined;
  const consider = (lines: string[]): void => {
    const nonEmpty = lines.filter((l) => l.length > 0);
    candidates++;
    const result = readMrz(nonEmpty, readOptions);
    if (!result.valid) { bestInvalid ??= result; return; }
    const conflicts = lineLengthConflicts(result.corrected, witnesses);
    if (conflicts.length > 0) { shortened ??= refuseForLineLength(result, conflicts); return; }
    const key = result.corrected.join('\n');
    if (seen.has(key)) return;
    let cost = 0;
    let guesses = 0;
    result.corrected.forEach((line, i) => {
      if (!linesColumns[i]) { cost += line.length; return; }
      const c = lineCost(linesColumns[i]!, line);
      cost += c.cost;
      guesses += guessedCount(linesColumns[i]!, line, c.columnOf);
    });
    seen.set(key, { result, cost, guesses });
  };
  const unreadAt = unreadPlaced(linesColumns);
  const anyUnread = unreadAt.some((u) => u.size > 0);
  let filledTried = 0;
  for (const set of flipSets(doubtfulFlips(linesColumns), MERGE_MAX_CANDIDATES - reads.length)) {
    consider(render(linesColumns, set));
    if (anyUnread && filledTried++ < UNREAD_FILLER_CANDIDATES) consider(render(linesColumns, set, unreadAt));
  }
  // Each engine alone, as read (its own line lengths).
  for (const r of reads) consider(r.lines.map((l) => l.text));

  // Equal support, fewer characters guessed where nothing was read first (a letter there costs what the filler does).
  const valid: Array<{ result: MrzReadResult; cost: number; guesses?: number }> = [...seen.values()].sort((a, b) => a.cost - b.cost || a.guesses - b.guesses);
  // No valid reading: characters no engine read may still be solved from the check digits.
  const solved = valid.length === 0 ? solveUnreadColumns(linesColumns, witnesses, readOptions) : undefined;
  if (solved) valid.push(solved);
  // Still none: lost characters of checked fields may be the page's printed values (printed-erasures.ts).
  const fromPrinted = valid.length === 0 && options.printed ? fillUnreadFromPrinted(linesColumns, witnesses, readOptions, options.printed) : undefined;
  if (fromPrinted) valid.push(fromPrinted);
  const best = valid[0];
  if (!best) {
    const result = shortened ?? bestInvalid ?? readMrz([], readOptions);
    return { result, valid: false, uncertainFields: [], ambiguous: false, cost: Infinity, disagreements, candidates, unread: [], printedFilled: [], rivals: [], washedOut: [], fadedRead: [] };
  }
  const uncertain = new Set<MrzOutputFieldName>(best.result.uncertainFields);
  // Checked fields whose every corrector-uncertain position the engines confirm are certain.
  const costs = best.result.corrected.map((line, l) => (linesColumns[l] ? lineCost(linesColumns[l]!, line) : undefined));
  const openPositions = new Map<MrzOutputFieldName, number>();
  for (const u of best.result.uncertain) {
    const fields = fieldsAt(best.result, u.line, u.column);
    const c = costs[u.line];
    const columns = linesColumns[u.line];
    let confirmed = false;
    if (c && columns && fields.length > 0 && fields.every((f) => !UNCHECKED_FIELDS.has(f))) {
      const column = columns[c.columnOf[u.column] ?? -1];
      if (column) {
        const total = Math.max(1e-9, columnTotal(column));
        const share = (column.get(best.result.corrected[u.line]![u.column]!) ?? 0) / total;
        const rival = Math.max(0, ...[...u.alternatives].map((a) => (column.get(a) ?? 0) / total));
        confirmed = share >= CONFIRM_SHARE && total >= CONFIRM_TOTAL && rival <= CONFIRM_RIVAL;
      }
    }
    for (const f of fields) if (!confirmed) openPositions.set(f, (openPositions.get(f) ?? 0) + 1);
    for (const f of fields) if (!openPositions.has(f)) openPositions.set(f, 0);
  }
  for (const [f, open] of openPositions) if (open === 0 && !UNCHECKED_FIELDS.has(f)) uncertain.delete(f);
  // Valid readings nearly as well supported: a difference under a check digit refuses the read (two
  // readings both pass the digits); a difference only in fields no digit covers marks those uncertain.
  // So does one where the chosen reading's filler stands in a column no engine read and fillers run
  // from there to the end of its field (the field's padding, hidden by glare): what was there cannot be
  // seen, and the filler is a guess the field is flagged for, not a value the read stands on. Likewise
  // where some engine read a character there but neither the filler nor the rival's character is among
  // what any engine offered: both are guesses (mild TD1 286030, see guessedCount: `0` or `<` after the
  // number's check digit; 290015: the cell reader's `KA` at 0 where tesseract.js read `ER`).
  const unreadPadding = (l: number, c: number, fields: readonly MrzOutputFieldName[], rivalChar: string): boolean => {
    const line = best.result.corrected[l]!;
    const column = linesColumns[l]?.[costs[l]?.columnOf[c] ?? -1];
    if (line[c] !== '<' || !column || fields.length === 0) return false;
    if (!isUnreadColumn(column) && (isOffered(column, '<') || isOffered(column, rivalChar))) return false;
    return fields.every((f) => best.result.fields[f]?.ranges.some((r) => r.line === l && c >= r.start && c < r.end && line.slice(c, r.end).split('').every((ch) => ch === '<')));
  };
  // Where the rival keeps what the engines read (their top character) and the chosen reading does not:
  // the chosen reading's change there rests on check digits that pass the rival too.
  const overridesEngines = (other: readonly string[]): boolean => best.result.corrected.some((line, l) => {
    const columns = linesColumns[l];
    const columnOf = costs[l]?.columnOf;
    if (!columns || !columnOf) return false;
    for (let c = 0; c < line.length; c++) {
      if (line[c] === other[l]![c]) continue;
      const column = columns[columnOf[c] ?? -1];
      const top = column ? ranked(column)[0]?.[0] : undefined;
      if (top !== undefined && top === other[l]![c] && top !== line[c]) return true;
    }
    return false;
  });
  // The chosen reading's `<` stands where the measuring engine is sure of it and the rival has a filler look-alike the digits cannot tell from it (sureFillerCell).
  const lookalikeOfSureFiller = (l: number, c: number, rivalChar: string): boolean => {
    const column = linesColumns[l]?.[costs[l]?.columnOf[c] ?? -1];
    if (column === undefined || !isCheckBlindPair(best.result.corrected[l]![c]!, rivalChar)) return false;
    if (best.result.corrected[l]![c] === '<') return sureFillerCell.get(column)?.has(rivalChar) === false;
    return rivalChar === '<' && sureLetterCell.get(column) === best.result.corrected[l]![c];
  };
  let ambiguous = false;
  for (const rival of valid.slice(1)) {
    const gap = rival.cost - best.cost;
    if (gap >= CHECK_BLIND_MARGIN) break;
    const a = best.result.corrected;
    const b = rival.result.corrected;
    const sameShape = a.length === b.length && a.every((line, i) => line.length === b[i]!.length);
    if (gap >= AMBIGUITY_MARGIN) {
      if (sameShape && overridesEngines(b)) for (const f of differingFields(best.result, b)) uncertain.add(f);
      continue;
    }
    if (!sameShape) { ambiguous = true; break; }
    a.forEach((line, l) => {
      for (let c = 0; c < line.length; c++) {
        if (line[c] === b[l]![c]) continue;
        const fields = fieldsAt(best.result, l, c);
        if (fields.length === 0) fields.push(...nameSeparatorFields(best.result, l, c));
        if ((fields.length === 0 || fields.some((f) => !UNCHECKED_FIELDS.has(f))) && !unreadPadding(l, c, fields, b[l]![c]!) && !lookalikeOfSureFiller(l, c, b[l]![c]!)) ambiguous = true;
        else for (const f of fields) uncertain.add(f);
      }
    });
    if (ambiguous) break;
  }
  // Checked fields: one correction is what a check digit proves (docs/mrz.md: with one confusion the
  // corrector is never wrong outside `uncertain`); two or more characters the engines did not read
  // (or dropped) in one field can pass a mod-10 digit by chance, so the field is reported uncertain.
  // The proof also needs the field's other characters read right, which one engine alone does not
  // vouch for: a character it misread as one it is not confused with (`K` read `X` at 0.97) fails the
  // digit as a confusion would, and a confusable character elsewhere, flipped, then passes it 1 time in
  // 10 per flip tried. So one correction of what one engine alone read flags its field too. Found on
  // set 270000 (mild MRV-B 270014, no composite digit): the cell reader alone read the number
  // `X719R108<` (`K` as `X`, `8` at 0.99); the corrector's `8` -> `B` passed the number's digit: valid,
  // wrong, unflagged. Flagged, the fast path has PP-OCR read the line too.
  const unsupported = new Map<MrzOutputFieldName, number>();
  const oneEngineCorrected = new Set<MrzOutputFieldName>();
  best.result.corrected.forEach((line, l) => {
    costs[l]?.perChar.forEach((share, position) => {
      if (share >= WEAK_SHARE) return;
      const column = linesColumns[l]?.[costs[l]!.columnOf[position] ?? -1];
      // The character's own share of its column (`share` is also lowered beside a dropped character).
      const ownShare = column ? (column.get(line[position]!) ?? 0) / Math.max(1e-9, columnTotal(column)) : 0;
      const oneEngineOverridden = column !== undefined && ownShare < UNSUPPORTED_SHARE && !isUnreadColumn(column) && readFamilies.get(column) === 1;
      for (const f of fieldsAt(best.result, l, position)) {
        if (UNCHECKED_FIELDS.has(f)) { uncertain.add(f); continue; }
        if (share < UNSUPPORTED_SHARE) unsupported.set(f, (unsupported.get(f) ?? 0) + 1);
        if (oneEngineOverridden) oneEngineCorrected.add(f);
      }
    });
  });
  for (const [f, n] of unsupported) if (n >= 2) uncertain.add(f);
  for (const f of oneEngineCorrected) uncertain.add(f);
  // Whatever stands where no engine read anything was not seen: the padding assumed there
  // (`render` with `fillerAt`), or a digit the corrector wrote from the check digit in its place.
  // And where the measuring engine's shape call overrode the other engines' top character (shapeDecided).
  // An alphanumeric checked field's character on a glyph seen only faded is in doubt too (ALPHANUMERIC_CHECKED).
  best.result.corrected.forEach((line, l) => {
    const columns = linesColumns[l];
    const columnOf = costs[l]?.columnOf;
    if (!columns || !columnOf) return;
    for (let c = 0; c < line.length; c++) {
      const column = columns[columnOf[c] ?? -1];
      if (!column) continue;
      if (isUnreadColumn(column) || shapeDecided.has(column)) for (const f of fieldsAt(best.result, l, c)) uncertain.add(f);
      else if (fadedOnlyCell.has(column)) for (const f of fieldsAt(best.result, l, c)) if (ALPHANUMERIC_CHECKED.has(f)) uncertain.add(f);
    }
  });
  for (const f of unreadCheckDigitFields(best.result, costs)) uncertain.add(f);
  for (const f of checkBlindDoubts(best.result, linesColumns, linesEvidence, costs)) uncertain.add(f);
  // Characters solved from a check digit are the digit's, not something seen: their fields say so.
  for (const f of solved?.fields ?? []) uncertain.add(f);
  for (const f of fromPrinted?.fields ?? []) uncertain.add(f);
  // Surname and given names are one run of characters split at its first `<<`: a doubt anywhere in it
  // may move the split (glare over the separator read `MARTIN<SALKI` for `MARTIN<<YUKI`: the given
  // names came out empty, a field with no character of its own to flag), so a doubt in either flags both.
  if (uncertain.has('surname') || uncertain.has('givenNames')) { uncertain.add('surname'); uncertain.add('givenNames'); }
  // Per position of the chosen reading: unread, or read with the rivals an engine offered beside it,
  // or read by other engines where the measuring engine saw the glyph washed out.
  const unread: number[][] = [];
  const rivals: Record<number, string>[] = [];
  const washedOut: number[][] = [];
  const fadedRead: number[][] = [];
  best.result.corrected.forEach((line, l) => {
    const columns = linesColumns[l];
    const columnOf = costs[l]?.columnOf;
    const lineUnread: number[] = [];
    const lineRivals: Record<number, string> = {};
    const lineWashed: number[] = [];
    const lineFaded: number[] = [];
    for (let c = 0; c < line.length; c++) {
      const column = columns && columnOf ? columns[columnOf[c] ?? -1] : undefined;
      if (!column || isUnreadColumn(column)) {
        lineUnread.push(c);
        continue;
      }
      const others = rivalsOf(column, line[c]!);
      if (others) lineRivals[c] = others;
      if (washedOutCell.has(column)) lineWashed.push(c);
      if (fadedReadCell.has(column)) lineFaded.push(c);
    }
    unread.push(lineUnread);
    rivals.push(lineRivals);
    washedOut.push(lineWashed);
    fadedRead.push(lineFaded);
  });
  const accepted = !ambiguous && !best.result.ambiguous;
  // A doubted number or date the printed page settles (printed-doubts.ts); the field stays uncertain.
  // Not seen clearly (no read; the measuring engine saw it washed out or only faded), or read as `ch`.
  const agrees = (l: number, c: number, ch: string): boolean => {
    const column = linesColumns[l]?.[costs[l]?.columnOf[c] ?? -1];
    return !column || isUnreadColumn(column) || washedOutCell.has(column) || fadedOnlyCell.has(column) || topChar(column) === ch;
  };
  const settled = accepted && options.printed ? settleDoubtsFromPrinted(best.result, [...uncertain], agrees, options.printed, readOptions, (r) => lineLengthConflicts(r.corrected, witnesses).length === 0) : undefined;
  return {
    result: settled?.result ?? best.result,
    valid: accepted,
    uncertainFields: [...uncertain],
    ambiguous,
    cost: best.cost,
    disagreements,
    candidates,
    unread,
    printedFilled: settled ? settled.filled : fromPrinted && best === fromPrinted ? fromPrinted.filled : [],
    rivals,
    washedOut,
    fadedRead,
  };
}
