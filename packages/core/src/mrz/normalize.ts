/**
 * Turns raw OCR output into candidate MRZ lines: upper case, no spaces, filler look-alikes to `<`,
 * and lines of the right length for the most likely layout. Every character remembers what the OCR
 * engine read, so corrections can be reported against it.
 */
import { FILLER } from './charset.ts';
import { MRZ_FORMATS, type MrzFormatSpec } from './formats.ts';

/** Characters OCR engines return for the filler `<`. */
const FILLER_LOOKALIKES = new Set(['‹', '≤', '〈', '⟨', '＜']);
/** OCR engines read `<<` as one `«` glyph, and also a single `<`: the layout length decides (`fillerReadings`). */
const DOUBLE_FILLER = '«';

export interface OcrChar {
  /** Character after clean-up (upper case, filler look-alikes mapped). */
  readonly ch: string;
  /** What the OCR engine returned; '' for a filler inserted to fix the line length. */
  readonly read: string;
  /** A non-ASCII read mapped to an MRZ character: reported as a correction even when nothing else changes it. */
  readonly normalized?: boolean;
  /** A `«`: one filler here, or two (`fillerReadings`). */
  readonly double?: boolean;
}

export type OcrLine = readonly OcrChar[];

/** Lines shorter than this are headers, labels or noise, not MRZ lines. */
const MIN_MRZ_LINE = 20;
/** A line may be off by this many characters and still be fixed. */
export const MAX_LENGTH_ERROR = 6;
/** Longer than the longest layout line (44) with its length error: no MRZ line. */
const MAX_MRZ_LINE = 44 + MAX_LENGTH_ERROR;
const MRZ_CHARS = /^[A-Z0-9<]{1,3}$/;
const COMBINING_MARK = /^\p{M}$/u;

/**
 * The MRZ characters a non-ASCII read stands for: compatibility forms folded (fullwidth `Ａ`,
 * ligature `ﬀ` -> `FF`), accents dropped, upper-cased (`ı` -> `I`, `ſ` -> `S`). Undefined when it
 * stands for none (Cyrillic, symbols): such a character stays as read and the corrector must replace it.
 */
function foldNonAscii(read: string): string | undefined {
  if (FILLER_LOOKALIKES.has(read)) return FILLER;
  const folded = read.normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase();
  return MRZ_CHARS.test(folded) ? folded : undefined;
}

function cleanLine(raw: string): OcrChar[] {
  const line: OcrChar[] = [];
  for (const read of raw) {
    // Longer than any MRZ line even with every `«` single: dropped, so not read further.
    if (line.length > MAX_MRZ_LINE) break;
    if (/\s/u.test(read)) continue;
    const code = read.codePointAt(0)!;
    if (code < 128) {
      // ASCII case is OCR noise with no doubt about the letter: folded silently.
      line.push({ ch: read.toUpperCase(), read });
      continue;
    }
    if (read === DOUBLE_FILLER) {
      line.push({ ch: FILLER, read, normalized: true, double: true });
      continue;
    }
    const previous = line[line.length - 1];
    if (COMBINING_MARK.test(read) && previous !== undefined && previous.read !== '') {
      // An accent the OCR engine returned as a separate mark belongs to the letter before it.
      line[line.length - 1] = { ...previous, read: previous.read + read, normalized: true };
      continue;
    }
    const folded = foldNonAscii(read);
    if (folded === undefined) line.push({ ch: read, read });
    else for (const ch of folded) line.push({ ch, read, normalized: true });
  }
  return line;
}

/** Shortest and longest length a line can have, `«` read as one or two fillers. */
function lengthRange(line: OcrLine): { min: number; max: number } {
  let doubles = 0;
  for (const c of line) if (c.double) doubles++;
  return { min: line.length, max: line.length + doubles };
}

/** The MRZ is the last lines of OCR output; no layout has more than this many. */
const MAX_MRZ_LINES = 3;

/**
 * The last OCR lines that may be MRZ lines, at most three (layouts are matched against the last
 * lines). Lines that cannot be (shorter than 20 or longer than 50 characters whatever `«` stands
 * for) are dropped here, before any search; lines above the last three candidates are not cleaned.
 */
export function cleanOcrLines(input: string | readonly string[]): OcrLine[] {
  const rawLines = typeof input === 'string' ? input.split(/\r\n|\r|\n/) : input.flatMap((l) => String(l).split(/\r\n|\r|\n/));
  const lines: OcrLine[] = [];
  for (let i = rawLines.length - 1; i >= 0 && lines.length < MAX_MRZ_LINES; i--) {
    const line = cleanLine(rawLines[i]!);
    const { min, max } = lengthRange(line);
    if (max >= MIN_MRZ_LINE && min <= MAX_MRZ_LINE) lines.unshift(line);
  }
  return lines;
}

/** How far a line is from `length`, `«` read as one or two fillers. */
function lengthError(line: OcrLine, length: number): number {
  const { min, max } = lengthRange(line);
  return length < min ? min - length : length > max ? length - max : 0;
}

/**
 * Readings of a line's `«` glyphs (each one filler or two) that bring it closest to `length`,
 * distinct by text, at most `limit`. Without `«` the line itself.
 */
export function fillerReadings(line: OcrLine, length: number, limit: number): OcrLine[] {
  const doubles: number[] = [];
  line.forEach((c, i) => { if (c.double) doubles.push(i); });
  if (doubles.length === 0) return [line];
  const wanted = Math.min(doubles.length, Math.max(0, length - line.length));
  const out: OcrLine[] = [];
  const seen = new Set<string>();
  // Subsets of the `«` read as two fillers, in lexicographic order, visited at most this often.
  let visits = 64;
  const pick = (from: number, chosen: number[]): void => {
    if (out.length >= limit || visits <= 0) return;
    if (chosen.length === wanted) {
      visits--;
      const twice = new Set(chosen);
      const expanded: OcrChar[] = [];
      line.forEach((c, i) => {
        expanded.push(c);
        if (twice.has(i)) expanded.push({ ch: FILLER, read: '' });
      });
      const text = expanded.map((c) => c.ch).join('');
      if (!seen.has(text)) { seen.add(text); out.push(expanded); }
      return;
    }
    for (let k = from; k <= doubles.length - (wanted - chosen.length); k++) pick(k + 1, [...chosen, doubles[k]!]);
  };
  pick(0, []);
  return out;
}

/** Layouts worth trying for these lines, best first, with the lines that belong to the MRZ. */
export function candidateLayouts(lines: readonly OcrLine[]): { spec: MrzFormatSpec; lines: OcrLine[] }[] {
  const out: { spec: MrzFormatSpec; lines: OcrLine[]; error: number }[] = [];
  for (const spec of Object.values(MRZ_FORMATS)) {
    if (lines.length < spec.lineCount) continue;
    const chosen = lines.slice(lines.length - spec.lineCount);
    const errors = chosen.map((l) => lengthError(l, spec.lineLength));
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
