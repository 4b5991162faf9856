/**
 * Cross-frame character fusion on the camera path. Glare hotspots and a moving hand clip different
 * characters in different frames: no single frame may read every character, while every character is
 * read clearly in some frame. The engines' readings of several frames (every engine read each frame's
 * merge weighed, alternatives, confidences and faded marks included) are merged as one set of voters
 * under the check digits (merge.ts, unchanged rules), then each character of the result is held to the
 * frames one by one: it must have been read clearly, as it stands, in at least `minClearReads` frames,
 * seen as it stands in at least `minSeenReads` frames (the clear ones count), and read clearly as
 * anything else in none, or in one frame only where OUTVOTED_BY frames read it clearly as it stands (a
 * frame whose alignment slipped: a thin vote, flagged). A frame saw a character when its engines put the largest share of the cell's
 * score on it (SEEN_SHARE, SEEN_SUPPORT), none of them seeing the glyph washed out; it read it clearly
 * at CLEAR_SHARE and CLEAR_SUPPORT. A character the corrector or an erasure solve put where no frame
 * read it clearly is never accepted, and neither is a cell frames read clearly as different characters
 * (outvoted as above aside): the fused reading is refused with those cells' fields flagged, and the camera reads on. Earlier frames
 * of the same document that left the merged window (`heldFrames`) are held to as well: their reads count
 * toward a character, and their clear misreads against it. In a run of fillers, an engine's gap is no
 * vote against the filler (the aligner puts a shorter run's gaps anywhere in it), though it is against
 * another character read there. Where the field holds
 * letters only, a 0 read counts for the letter O, and where it holds digits only, an O for 0 (`asKind`).
 * A letter or digit a frame read clearly where the fused reading has no position (a dropped character, what
 * follows shifted) refuses it too (`frameReads`' `unplaced`).
 * A run of fillers that separates name parts is held to the frames as a whole: fewer than `minSeenReads`
 * frames seeing every filler of it, or a frame reading a filler clearly beside it where the reading has
 * none, refuses the reading (a filler put into or taken out of the run, the rest of the names shifted,
 * would otherwise pass: see `separatorsUnseenWhole`).
 * An accepted reading's fields holding a position decided by a thin vote (read clearly in one frame only,
 * seen by some frame as another character, or outvoted) are reported uncertain (`thin`).
 */
import type { CharKind } from '../mrz/charset.ts';
import { fieldAt, MRZ_FORMATS } from '../mrz/formats.ts';
import type { MrzOutputFieldName } from '../mrz/parse.ts';
import type { MrzReadOptions, MrzReadResult } from '../mrz/read.ts';
import { alignLine, isUnreadColumn, lineCost, mergeMrzReads, type MergedMrzRead, type WeightedLineRead } from './merge.ts';
import type { EngineMrzRead, OcrLineRead } from './ocr-read.ts';

/** What one frame's read carries for fusion: the engine reads its merge weighed, with the weights it used. */
export interface MrzFrameEvidence {
  readonly reads: readonly EngineMrzRead[];
  readonly engineWeights?: Readonly<Record<string, number>>;
  readonly fillerLookalikes?: Readonly<Record<string, string>>;
  readonly lengthWitnesses?: readonly string[];
}

/**
 * One frame offered for fusion. (A frame's own valid reading is not asked for: where it differs from the
 * fused one at a cell it read clearly, that is a conflict; elsewhere it is its corrector's guess. Glare
 * over a document number's two characters was solved from the check digit into a valid, flagged, wrong
 * number in a unit test's frame.)
 */
export interface FusionFrame {
  readonly evidence: MrzFrameEvidence;
}

/** The MRZ lines a frame's engines read (the most any engine read; 0 with no read). */
export function frameLineCount(frame: FusionFrame): number {
  return Math.max(0, ...frame.evidence.reads.map((r) => r.lines.length));
}

export interface FusionOptions extends MrzReadOptions {
  /** Frames that must each read a character clearly as it stands (default 1). */
  readonly minClearReads?: number;
  /** Frames that must each see a character as it stands, clear reads included (default 2, the vote's `stableFrames`). */
  readonly minSeenReads?: number;
  /**
   * Earlier frames of the same document, not merged, that each character is held to as well (their clear
   * and seen reads count, and so do their contradictions): a filler read clearly only in a frame that
   * left the merged window still stands read.
   */
  readonly heldFrames?: readonly FusionFrame[];
}

/** A character of the fused reading, with the frames that read its cell clearly. */
export interface FusedCell {
  readonly line: number;
  readonly column: number;
  /** The fused reading's character. */
  readonly char: string;
  /** Per frame (index into the frames given, then the held frames), the character it read clearly there, or null. */
  readonly clear: readonly (string | null)[];
  /** Per frame, the character it saw there (clearly or not), or null. */
  readonly seen: readonly (string | null)[];
}

export interface FrameFusion {
  /** The check-digit merge of every frame's engine reads. */
  readonly merged: MergedMrzRead;
  /** Valid, and every character read clearly in enough frames and contradicted in none. */
  readonly accepted: boolean;
  /** Frames fused. */
  readonly frames: number;
  /** Cells frames read clearly as different characters. */
  readonly conflicts: readonly FusedCell[];
  /** Cells too few frames read clearly or saw as the fused character (none may have read them). */
  readonly unsupported: readonly FusedCell[];
  /**
   * Cells of an accepted reading decided by thin votes: read clearly in one frame only, seen by a frame
   * as another character, or read clearly as another by one frame outvoted (OUTVOTED_BY).
   */
  readonly thin: readonly FusedCell[];
  /** Characters a frame read clearly where the fused reading has no position (see `frameReads`), with the frame's index. */
  readonly unplaced: readonly (UnplacedRead & { readonly frame: number })[];
  /** The merge's uncertain fields, plus the fields holding a conflicting, unsupported or thin cell. */
  readonly uncertainFields: readonly MrzOutputFieldName[];
  /** Why a fused reading was refused (absent when accepted). */
  readonly refusal?: 'too_few_frames' | 'line_count' | 'not_valid' | 'unclear_cells';
}

/** Share of a cell's score one character must hold in a frame for the frame to have read it clearly. */
const CLEAR_SHARE = 0.75;
/**
 * Score (engine weight x confidence, summed) that character must reach: one engine alone at a fair
 * confidence (the cell reader at 0.5, weight 1.5; PP-OCR at 0.75), never a glyph read at a guess.
 */
const CLEAR_SUPPORT = 0.75;
/**
 * A frame saw a character when it holds at least SEEN_SHARE of the cell's score and SEEN_SUPPORT in all:
 * the engines lean to it, short of a clear read (a blurred filler PP-OCR also reads as `K`).
 */
const SEEN_SHARE = 0.5;
const SEEN_SUPPORT = 0.3;

/**
 * Frames that must read a position clearly, as it stands, for it not to be a thin vote (fewer, or a frame
 * leaning to another character, flags the position's fields on an accepted reading).
 */
const THIN_CLEAR_READS = 2;

/**
 * Frames that must read a position clearly as it stands for one frame's clear read of another character
 * there to be outvoted (a thin vote, its fields flagged) rather than a conflict.
 */
const OUTVOTED_BY = 3;
// Tuning streams 320511 and 320513 (mild): a held frame read a filler clearly as the D beside it, a name's
// padding as N and a check digit's 6 as `<` (its line one column shifted there), against 5-6 frames each.

/** What one frame's engines read at a cell of the fused reading: the character they lean to, and whether clearly. */
export interface CellRead { readonly char: string; readonly clear: boolean }

/**
 * The character a read of `ch` stands for in a cell of `kind`: the letter O where only letters stand, the
 * digit 0 where only digits do (the engines confuse the two; the corrector reads each by the field's kind).
 */
function asKind(ch: string, kind: CharKind | undefined): string {
  if (kind === 'alpha' && ch === '0') return 'O';
  if (kind === 'numeric' && ch === 'O') return '0';
  return ch;
}

/** A character a frame's engines read clearly where the fused reading has no position: between `column - 1` and `column` of `line`. */
export interface UnplacedRead { readonly line: number; readonly column: number; readonly char: string }

/** Below this confidence a cell reader's cell read nothing (as the merge's FADED_GUESS_CONFIDENCE and lower). */
const BLIND_CELL_CONFIDENCE = 0.1;

/**
 * A line read as it stands, less its faded marks when no cell of it was read above BLIND_CELL_CONFIDENCE:
 * the cell reader's grid then sat on none of the glyphs (a wash of glare over part of a line leaves the
 * rest read), so where it saw no ink says nothing of the glyphs. Tuning stream 301507 strong: in three
 * frames the cell reader read all 36 cells of line 2 at 0 and marked 18-21 faded, while PP-OCR (both
 * reads) and tesseract.js read the line right at 0.92-0.99; the faded marks left those frames' fillers
 * unseen, and too few frames saw them.
 */
function withoutBlindFades(line: OcrLineRead): OcrLineRead {
  if (!line.chars.some((c) => c.faded) || line.chars.some((c) => c.confidence >= BLIND_CELL_CONFIDENCE)) return line;
  return { ...line, chars: line.chars.map(({ faded: _, ...c }) => c) };
}

/** Share of a line's characters read at BLIND_CELL_CONFIDENCE or above under which the read saw too little of the line to align. */
const BLIND_LINE_SIGHTED_SHARE = 0.5;

/**
 * A line read with fewer than half of its characters at BLIND_CELL_CONFIDENCE or above: a read that saw
 * next to none of the glyphs. Left
 * out of a frame's alignment where another engine read the line: its characters are still aligned, and a
 * blind read longer than the others shifts theirs against the reading's positions. Tuning stream 330500
 * strong (TD1): the cell reader read line 1's 30 cells all at 0.00 while PP-OCR read `A<ESPE0E<3<<...`
 * (25 characters, glare over `Z63CR`); aligned to the junk, PP-OCR's characters sat five columns late, so
 * the frame read the document number's `0` clearly as `<` and refused every window that held it. 330505
 * strong: nine sure fillers among 21 junk cells at 0.00 pulled PP-OCR's `CAS` of `LUCAS` two cells late.
 */
function isBlindLine(line: OcrLineRead): boolean {
  return line.chars.length > 0 && line.chars.filter((c) => c.confidence >= BLIND_CELL_CONFIDENCE).length < BLIND_LINE_SIGHTED_SHARE * line.chars.length;
}

/** What the engines lean to in one aligned column (null: a gap, nothing, or no leaning), and whether clearly. */
function leaning(column: ReadonlyMap<string, number>, kind: CharKind | undefined, gapsVote: boolean): CellRead | null {
  const scores = new Map<string, number>();
  for (const [ch, score] of column) {
    if (ch === '' && !gapsVote) continue;
    const as = asKind(ch, kind);
    scores.set(as, (scores.get(as) ?? 0) + score);
  }
  let total = 0;
  let top: [string, number] = ['', 0];
  for (const [ch, score] of scores) {
    total += score;
    if (score > top[1]) top = [ch, score];
  }
  if (top[0] === '' || top[1] < SEEN_SUPPORT || top[1] < SEEN_SHARE * total) return null;
  return { char: top[0], clear: top[1] >= CLEAR_SUPPORT && top[1] >= CLEAR_SHARE * total };
}

/**
 * What one frame's engines read against `reading`: per line, per character, what they saw at that cell
 * (`cells`, as `cellReads`), and the characters other than a filler they read clearly in a column the
 * reading has no position for (`unplaced`): a letter or digit every engine of a frame read that a fused
 * reading dropped, shifting what follows (tuning stream 301509 strong: `ANNA<MARIA` fused as
 * `NNA<MARIA<`, each character of it read somewhere, the dropped `A` read clearly in three frames).
 */
export function frameReads(evidence: MrzFrameEvidence, reading: readonly string[], kindAt?: (line: number, column: number) => CharKind | undefined): { cells: (CellRead | null)[][]; unplaced: UnplacedRead[]; unplacedFillers: UnplacedRead[] } {
  const unplaced: UnplacedRead[] = [];
  const unplacedFillers: UnplacedRead[] = [];
  const cells = reading.map((line, l) => {
    const engines = evidence.reads
      .filter((r) => r.lines[l] !== undefined)
      .map((r): WeightedLineRead => ({ line: withoutBlindFades(r.lines[l]!), weight: evidence.engineWeights?.[r.engine] ?? 1, fillerLookalikes: evidence.fillerLookalikes?.[r.engine] }));
    const sighted = engines.filter((e) => !isBlindLine(e.line));
    const perEngine = sighted.length > 0 ? sighted : engines;
    const out = new Array<CellRead | null>(line.length).fill(null);
    if (perEngine.length === 0) return out;
    const { columns, evidence: seen } = alignLine(perEngine);
    const { columnOf } = lineCost(columns, line);
    for (let c = 0; c < line.length; c++) {
      const column = columns[columnOf[c] ?? -1];
      if (!column || isUnreadColumn(column) || seen[columnOf[c]!]?.faded) continue;
      // In a run of fillers, where an engine that read the run shorter has its gaps is the aligner's
      // choice, not a glyph it skipped: its gap is no vote against the filler there. It still counts
      // against a letter there: one engine's letter where the others read nothing is no clear read
      // (tuning stream 301500 strong: PP-OCR's A of LENA aligned into the padding refused the filler).
      const inFillerRun = line[c] === '<' && (line[c - 1] === '<' || line[c + 1] === '<');
      const kind = kindAt?.(l, c);
      const read = leaning(column, kind, !inFillerRun);
      out[c] = inFillerRun && read && read.char !== '<' ? leaning(column, kind, true) : read;
    }
    const placed = new Set(columnOf);
    let next = 0;
    columns.forEach((column, i) => {
      while (next < line.length && (columnOf[next] ?? -1) < i) next++;
      if (placed.has(i) || isUnreadColumn(column) || seen[i]?.faded) return;
      // Between two placed columns the cell's kind is unknown: the read is taken as it stands.
      const read = leaning(column, undefined, true);
      if (read?.clear) (read.char === '<' ? unplacedFillers : unplaced).push({ line: l, column: next, char: read.char });
    });
    return out;
  });
  return { cells, unplaced, unplacedFillers };
}

/**
 * Per line of `reading`, per character, what one frame's engines saw at that cell (null: nothing, a glyph
 * washed out, or no leaning). `kindAt`: the character kind of a cell's field, where known (see `asKind`).
 */
export function cellReads(evidence: MrzFrameEvidence, reading: readonly string[], kindAt?: (line: number, column: number) => CharKind | undefined): (CellRead | null)[][] {
  return frameReads(evidence, reading, kindAt).cells;
}

/** A run of fillers of a line of the reading: columns `start` to `end` (exclusive). */
interface FillerRun { readonly line: number; readonly start: number; readonly end: number }

/** The runs of fillers between two other characters of `reading` with a position in the names field: the runs that separate name parts. */
function nameSeparators(reading: readonly string[], inNames: (line: number, column: number) => boolean): FillerRun[] {
  return reading.flatMap((line, l) => [...line.matchAll(/(?<=[^<])<+(?=[^<])/g)]
    .map((run) => ({ line: l, start: run.index, end: run.index + run[0].length }))
    .filter((run) => Array.from({ length: run.end - run.start }, (_, k) => run.start + k).some((c) => inNames(l, c))));
}

/**
 * The positions (`line:column`) of the runs of fillers that separate two parts of the names (between two
 * other characters, a position of the run in the names field) that fewer than `minSeen` frames saw whole,
 * every filler of the run seen as a filler. There a run's length is the name, and it is read as a letter
 * is: a merge that put one filler more into the run than the frames read (`ERIKSSON<<<LENA` for
 * `ERIKSSON<<LENA`, the rest of the line one cell later, no check digit over it) has each position seen
 * by some frames, since each frame's alignment leaves its missing filler as a gap somewhere in the run
 * and a gap in a run is no vote, while no frame saw the run that long (tuning stream 320500 mild, a merge
 * variant's fused reading of frames 5-6; 320515 mild `P<D<<<TANAKA<<<SIOBHAN`). Other runs are left to
 * the check digits and the fields' fixed places: the padding before TD1's final check digit, under
 * glare, is seen whole by no frame (tuning 310500 strong) and no merge can lengthen it unseen.
 */
function separatorsUnseenWhole(runs: readonly FillerRun[], perFrame: readonly (readonly (readonly (CellRead | null)[])[])[], minSeen: number): Set<string> {
  const out = new Set<string>();
  for (const { line, start, end } of runs) {
    const whole = perFrame.filter((lines) => {
      const cells = lines[line] ?? [];
      for (let c = start; c < end; c++) if (cells[c]?.char !== '<') return false;
      return true;
    }).length;
    if (whole < minSeen) for (let c = start; c < end; c++) out.add(`${line}:${c}`);
  }
  return out;
}

/** The output fields a position stands in, or whose check digit it is. */
function fieldsOfPosition(result: MrzReadResult, line: number, column: number): MrzOutputFieldName[] {
  const inRange = (r: { line: number; start: number; end: number }, l: number, c: number): boolean => r.line === l && c >= r.start && c < r.end;
  const at = (l: number, c: number): MrzOutputFieldName[] => Object.entries(result.fields).filter(([, f]) => f?.ranges.some((r) => inRange(r, l, c))).map(([name]) => name as MrzOutputFieldName);
  const out = new Set(at(line, column));
  const spec = result.format ? MRZ_FORMATS[result.format] : undefined;
  for (const check of spec?.checks ?? []) {
    if (check.line !== line || check.position !== column) continue;
    for (const r of check.covers) for (let k = r.start; k < r.end; k++) for (const f of at(r.line, k)) out.add(f);
  }
  return [...out];
}

/** Merges the engine reads of several frames of one document and holds each character to the frames (see the module comment). */
export function fuseFrames(frames: readonly FusionFrame[], options: FusionOptions = {}): FrameFusion {
  const reads: EngineMrzRead[] = [];
  const engineWeights: Record<string, number> = {};
  const fillerLookalikes: Record<string, string> = {};
  const lengthWitnesses: string[] = [];
  frames.forEach(({ evidence }, i) => {
    for (const r of evidence.reads) {
      const name = `${r.engine}@${i}`;
      reads.push({ engine: name, lines: r.lines });
      engineWeights[name] = evidence.engineWeights?.[r.engine] ?? 1;
      const lookalikes = evidence.fillerLookalikes?.[r.engine];
      if (lookalikes) fillerLookalikes[name] = lookalikes;
      if (evidence.lengthWitnesses?.includes(r.engine)) lengthWitnesses.push(name);
    }
  });
  const { minClearReads: _clear, minSeenReads: _seen, heldFrames: _held, ...readOptions } = options;
  return holdToFrames(mergeMrzReads(reads, { ...readOptions, engineWeights, fillerLookalikes, lengthWitnesses }), frames, options);
}

/**
 * Holds a merge of `frames`' engine reads to the frames (and `options.heldFrames`), character by
 * character (see the module comment): `fuseFrames` after its merge, exported so that a merge's reading
 * can be judged as it stands.
 */
export function holdToFrames(merged: MergedMrzRead, frames: readonly FusionFrame[], options: FusionOptions = {}): FrameFusion {
  const minClear = Math.max(1, Math.floor(options.minClearReads ?? 1));
  const minSeen = Math.max(minClear, Math.floor(options.minSeenReads ?? 2));
  const { heldFrames = [] } = options;
  const refused = (refusal: NonNullable<FrameFusion['refusal']>, extra: Partial<FrameFusion> = {}): FrameFusion => ({
    merged, accepted: false, frames: frames.length, conflicts: [], unsupported: [], thin: [], unplaced: [], uncertainFields: merged.uncertainFields, refusal, ...extra,
  });
  if (frames.length < 2) return refused('too_few_frames');
  const lineCounts = new Set(frames.map(frameLineCount));
  if (lineCounts.size > 1) return refused('line_count');
  if (!merged.valid) return refused('not_valid');
  const reading = merged.result.corrected;
  const lineCount = reading.length;
  const held = heldFrames.filter((f) => frameLineCount(f) === lineCount);
  const spec = merged.result.format ? MRZ_FORMATS[merged.result.format] : undefined;
  const kindAt = (l: number, c: number): CharKind | undefined => (spec ? fieldAt(spec, l, c)?.kind : undefined);
  const framesRead = [...frames, ...held].map((f) => frameReads(f.evidence, reading, kindAt));
  const perFrame = framesRead.map((f) => f.cells);
  const unplaced = framesRead.flatMap((f, frame) => f.unplaced.map((u) => ({ ...u, frame })));
  const conflicts: FusedCell[] = [];
  const unsupported: FusedCell[] = [];
  const thin: FusedCell[] = [];
  const flagged = new Set<MrzOutputFieldName>(merged.uncertainFields);
  const thinFields = new Set<MrzOutputFieldName>();
  const separators = nameSeparators(reading, (l, c) => (spec ? fieldAt(spec, l, c)?.field === 'names' : false));
  const runsUnseen = separatorsUnseenWhole(separators, perFrame, minSeen);
  // A filler a frame read clearly where the reading has none, beside a run that separates name parts: the
  // frame read that run longer (`TANAKA<SIOBHAN` fused for `TANAKA<<SIOBHAN`, the rest one cell earlier).
  const inSeparator = (l: number, c: number): boolean => separators.some((r) => r.line === l && c >= r.start && c < r.end);
  for (const [frame, f] of framesRead.entries()) {
    for (const u of f.unplacedFillers) if (inSeparator(u.line, u.column - 1) || inSeparator(u.line, u.column)) unplaced.push({ ...u, frame });
  }
  reading.forEach((line, l) => {
    for (let c = 0; c < line.length; c++) {
      const reads = perFrame.map((lines) => lines[l]?.[c] ?? null);
      const clear = reads.map((r) => (r?.clear ? r.char : null));
      const seen = reads.map((r) => r?.char ?? null);
      const cell: FusedCell = { line: l, column: c, char: line[c]!, clear, seen };
      const clearFor = clear.filter((ch) => ch === line[c]).length;
      const against = clear.filter((ch) => ch !== null && ch !== line[c]).length;
      if (against > 0 && !(against === 1 && clearFor >= OUTVOTED_BY)) conflicts.push(cell);
      else if (clearFor < minClear || seen.filter((ch) => ch === line[c]).length < minSeen || runsUnseen.has(`${l}:${c}`)) unsupported.push(cell);
      else {
        const leansElsewhere = seen.some((ch) => ch !== null && ch !== line[c]);
        if (clearFor >= THIN_CLEAR_READS && !leansElsewhere && against === 0) continue;
        thin.push(cell);
        for (const f of fieldsOfPosition(merged.result, l, c)) thinFields.add(f);
        continue;
      }
      for (const f of fieldsOfPosition(merged.result, l, c)) flagged.add(f);
    }
  });
  for (const u of unplaced) {
    for (const c of [u.column - 1, u.column]) if (c >= 0 && c < reading[u.line]!.length) for (const f of fieldsOfPosition(merged.result, u.line, c)) flagged.add(f);
  }
  if (conflicts.length > 0 || unsupported.length > 0 || unplaced.length > 0) return refused('unclear_cells', { conflicts, unsupported, unplaced, uncertainFields: [...flagged] });
  for (const f of thinFields) flagged.add(f);
  // As the merge does: the two name fields share one run of letters and fillers, so they are flagged together.
  if (flagged.has('surname') || flagged.has('givenNames')) { flagged.add('surname'); flagged.add('givenNames'); }
  return { merged, accepted: true, frames: frames.length, conflicts, unsupported, thin, unplaced, uncertainFields: [...flagged] };
}
