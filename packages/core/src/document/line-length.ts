/**
 * How long each MRZ line is, as the engines' reads witness it, and the readings that contradict it.
 *
 * OCR-B is printed at a fixed pitch (10 characters per inch, 2.54 mm), and every line of an MRZ layout
 * has the same number of characters: 30 (TD1), 36 (TD2, MRV-B) or 44 (TD3, MRV-A). The number of
 * characters is a physical property of the line (its ink extent over the pitch), not something a
 * recogniser decides. Yet a reading's line length, hence its layout, can come out wrong in three ways,
 * all of them by losing characters:
 * - A CTC recogniser (PP-OCR, tesseract's LSTM) emits nothing where a glare core clipped the glyphs to
 *   white, and collapses a run of `<` whenever it emits no blank between the repeats: its line comes
 *   out short, and when it lands on or near a shorter layout's length (within the corrector's length
 *   tolerance), the corrector reads the document as that layout (an MRV-A 2x44 read as MRV-B 2x36).
 * - The merge aligns every engine to the first one's line: characters only a second, unsure engine
 *   read (the cell reader's ~0-confidence cells under the glare) lose their column to the first
 *   engine's gap, so the rendered line is as short as the first engine's.
 * - The corrector fits lengths by taking fillers out of a run.
 * A recogniser's line length is therefore no measurement: it drops characters, and tesseract also adds
 * them (it reads a `<` as `LK`: a TD1 line of 30 came out 36 long, an MRZ length, on the strong eval
 * set, 101000). The OCR-B cell reader's is one: its line has one character per cell of the grid it
 * fitted to the line's ink at the fixed pitch (`ocrb-reader.ts`), the geometry's count of the line's
 * characters. The merge is told which engines measure (`lengthWitnesses`); a line such an engine read
 * at an MRZ layout length is a witness that the line has at least that many characters, and a reading
 * with a line shorter than its witness is not a reading of this document, whatever its check digits
 * say: MRV-B, TD2 and TD1 lines carry no composite digit, and a check digit over a field rebuilt from
 * dropped characters passes by chance one time in ten.
 *
 * The rule is one-sided on purpose. A witness shorter than the reading says nothing (that engine
 * dropped characters); a reading longer than every witness is left to the check digits and the
 * merge's evidence costs.
 */
import { MRZ_FORMATS } from '../mrz/formats.ts';
import type { MrzReadResult } from '../mrz/read.ts';
import type { EngineMrzRead, OcrLineRead } from './ocr-read.ts';

/** The line lengths of the MRZ layouts, shortest first (30, 36, 44). */
export const MRZ_LAYOUT_LINE_LENGTHS: readonly number[] = [...new Set(Object.values(MRZ_FORMATS).map((f) => f.lineLength))].sort((a, b) => a - b);

/** An engine's read of one line at an MRZ layout length: the line has at least `length` characters. */
export interface LineLengthWitness {
  /** Line index in the engines' reads (top to bottom). */
  readonly line: number;
  readonly length: number;
  /** The engine whose read witnesses it (the first, in read order, at that length). */
  readonly engine: string;
}

/** A line of a reading shorter than what an engine's read of it witnesses. */
export interface LineLengthConflict {
  /** Line index in the reading (`corrected`). */
  readonly line: number;
  readonly length: number;
  readonly witness: LineLengthWitness;
}

/**
 * A measuring engine's letters and digits at this confidence or under, three in four of them: the line is
 * in a face it does not know (see witnessesLength).
 */
const UNKNOWN_FACE_CONFIDENCE = 0.05;

/**
 * Whether a measuring engine's read of a line witnesses the line's length. The cell reader fits its grid
 * to the line by matching its OCR-B templates at candidate pitches, so on a face it does not know the
 * count of its cells measures nothing: FreeMono (Courier) lines of 36 characters came out gridded at 30
 * and 44 cells, and the witness refused readings both recognisers had right (`eval:mrz --fonts
 * courier`). The cell reader says so itself: it discounts the letters and digits of such a line to no
 * confidence (`discountUnfamiliarFace` in ocrb-reader.ts) and keeps its fillers'. Judged on the upper
 * quartile, as the familiarity is, so a glare core wiping out some of a line's cells does not count. A
 * line of fillers only is taken at its word: nothing tells its face.
 *
 * Only the length is in doubt: the merge still reads such a line's cells where it saw ink and where it
 * saw none (an OCR-B line whose grid fell a cell off, discounted the same way, kept a filler the
 * recognisers read as `K`: MRV-A 274003 in viz-fill.test.ts).
 */
export function witnessesLength(line: OcrLineRead): boolean {
  const confidences = line.chars.filter((c) => c.char !== '<').map((c) => c.confidence).sort((a, b) => a - b);
  if (confidences.length === 0) return true;
  return confidences[Math.floor(0.75 * (confidences.length - 1))]! > UNKNOWN_FACE_CONFIDENCE;
}

/**
 * Per line of the reads, the longest MRZ layout length a measuring engine (`engines`: names, e.g. the
 * cell reader's `ocrb#0`) read it at; undefined where none did.
 */
export function witnessedLineLengths(reads: readonly EngineMrzRead[], engines: readonly string[]): (LineLengthWitness | undefined)[] {
  const lineCount = Math.max(0, ...reads.map((r) => r.lines.length));
  return Array.from({ length: lineCount }, (_, line) => {
    let best: LineLengthWitness | undefined;
    for (const r of reads) {
      const read = r.lines[line];
      if (!read || !engines.includes(r.engine) || !witnessesLength(read)) continue;
      const length = read.text.length;
      if (!MRZ_LAYOUT_LINE_LENGTHS.includes(length)) continue;
      if (!best || length > best.length) best = { line, length, engine: r.engine };
    }
    return best;
  });
}

/**
 * The lines of a reading shorter than their witness. A reading of fewer lines than were read stands
 * for the last ones (the corrector takes a layout's lines from the bottom: the MRZ is the lowest text).
 */
export function lineLengthConflicts(corrected: readonly string[], witnesses: readonly (LineLengthWitness | undefined)[]): LineLengthConflict[] {
  const shift = Math.max(0, witnesses.length - corrected.length);
  const out: LineLengthConflict[] = [];
  corrected.forEach((text, line) => {
    const witness = witnesses[line + shift];
    if (witness && text.length < witness.length) out.push({ line, length: text.length, witness });
  });
  return out;
}

/** A valid reading some line of which its witnesses contradict, refused (`mrz_line_length`). */
export function refuseForLineLength(result: MrzReadResult, conflicts: readonly LineLengthConflict[]): MrzReadResult {
  const lines = conflicts.map((c) => `line ${c.line + 1} has ${c.length} characters, ${c.witness.engine} read ${c.witness.length}`).join('; ');
  return {
    ...result,
    valid: false,
    confidence: 0,
    errors: [...result.errors, { code: 'mrz_line_length', message: `A line of the reading is shorter than measured (${lines}).` }],
  };
}
