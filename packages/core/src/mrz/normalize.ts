/**
 * Turns raw OCR output into candidate MRZ lines: upper case, no spaces, filler look-alikes to `<`,
 * and lines of the right length for the most likely layout. Every character remembers what the OCR
 * engine read, so corrections can be reported against it.
 */
import { FILLER } from './charset.ts';
import { MRZ_FORMATS, type MrzFormatSpec } from './formats.ts';

/** Characters OCR engines return for the filler `<`; `«` stands for two of them. */
const FILLER_LOOKALIKES = new Set(['‹', '≤', '〈', '⟨', '＜']);
const DOUBLE_FILLER = '«';

export interface OcrChar {
  /** Character after clean-up (upper case, filler look-alikes mapped). */
  readonly ch: string;
  /** What the OCR engine returned; '' for a filler inserted to fix the line length. */
  readonly read: string;
}

export type OcrLine = readonly OcrChar[];

/** Lines shorter than this are headers, labels or noise, not MRZ lines. */
const MIN_MRZ_LINE = 20;
/** A line may be off by this many characters and still be fixed. */
export const MAX_LENGTH_ERROR = 6;

export function cleanOcrLines(input: string | readonly string[]): OcrLine[] {
  const rawLines = typeof input === 'string' ? input.split(/\r\n|\r|\n/) : input.flatMap((l) => String(l).split(/\r\n|\r|\n/));
  const lines: OcrLine[] = [];
  for (const raw of rawLines) {
    const line: OcrChar[] = [];
    for (const read of raw) {
      if (/\s/u.test(read)) continue;
      if (read === DOUBLE_FILLER) {
        line.push({ ch: FILLER, read }, { ch: FILLER, read: '' });
        continue;
      }
      const upper = read.toUpperCase();
      line.push({ ch: FILLER_LOOKALIKES.has(read) ? FILLER : upper.length === 1 ? upper : read, read });
    }
    if (line.length >= MIN_MRZ_LINE) lines.push(line);
  }
  return lines;
}

/** Layouts worth trying for these lines, best first, with the lines that belong to the MRZ. */
export function candidateLayouts(lines: readonly OcrLine[]): { spec: MrzFormatSpec; lines: OcrLine[] }[] {
  const out: { spec: MrzFormatSpec; lines: OcrLine[]; error: number }[] = [];
  for (const spec of Object.values(MRZ_FORMATS)) {
    if (lines.length < spec.lineCount) continue;
    const chosen = lines.slice(lines.length - spec.lineCount);
    const errors = chosen.map((l) => Math.abs(l.length - spec.lineLength));
    if (errors.some((e) => e > MAX_LENGTH_ERROR)) continue;
    const first = chosen[0]![0]?.ch;
    const isVisa = first === 'V';
    if ((spec.format === 'MRVA' || spec.format === 'MRVB') !== isVisa && spec.lineCount === 2) continue;
    out.push({ spec, lines: chosen, error: errors.reduce((a, b) => a + b, 0) + (lines.length - spec.lineCount) });
  }
  return out.sort((a, b) => a.error - b.error).map(({ spec, lines: l }) => ({ spec, lines: l }));
}

function fillerRuns(line: OcrLine): { start: number; end: number }[] {
  const runs: { start: number; end: number }[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i]!.ch !== FILLER) { i++; continue; }
    const start = i;
    while (i < line.length && line[i]!.ch === FILLER) i++;
    runs.push({ start, end: i });
  }
  return runs;
}

/** A character added or removed to fix a line length; `column` is in the fixed line. */
export interface LengthEdit {
  readonly column: number;
  readonly from: string;
  readonly to: string;
}

export interface LengthFix {
  readonly chars: OcrLine;
  readonly edits: readonly LengthEdit[];
}

/**
 * Ways to bring a line to `length`: fillers added to or removed from one filler run, or the end
 * padded or cut. Longest runs first: OCR engines mostly lose or add fillers in long runs.
 */
export function lengthFixes(line: OcrLine, length: number, limit: number): LengthFix[] {
  const diff = length - line.length;
  if (diff === 0) return [{ chars: line, edits: [] }];
  const fixes: LengthFix[] = [];
  const runs = fillerRuns(line)
    .filter((r) => diff > 0 || r.end - r.start > -diff)
    .sort((a, b) => (b.end - b.start) - (a.end - a.start) || b.start - a.start);
  const atEnd: LengthFix = diff > 0 ? insertFillers(line, line.length, diff) : removeChars(line, length, -diff);
  for (const run of runs.slice(0, limit)) {
    const fix = diff > 0 ? insertFillers(line, run.end, diff) : removeChars(line, run.end + diff, -diff);
    if (!fixes.some((f) => sameText(f.chars, fix.chars))) fixes.push(fix);
  }
  if (!fixes.some((f) => sameText(f.chars, atEnd.chars))) fixes.push(atEnd);
  return fixes;
}

function insertFillers(line: OcrLine, at: number, count: number): LengthFix {
  const pad: OcrChar[] = Array.from({ length: count }, () => ({ ch: FILLER, read: '' }));
  return {
    chars: [...line.slice(0, at), ...pad, ...line.slice(at)],
    edits: pad.map((_, i) => ({ column: at + i, from: '', to: FILLER })),
  };
}

function removeChars(line: OcrLine, at: number, count: number): LengthFix {
  return {
    chars: [...line.slice(0, at), ...line.slice(at + count)],
    edits: line.slice(at, at + count).map((c) => ({ column: at, from: c.read, to: '' })),
  };
}

function sameText(a: OcrLine, b: OcrLine): boolean {
  return a.length === b.length && a.every((c, i) => c.ch === b[i]!.ch);
}
