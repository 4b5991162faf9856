/** What an OCR engine returns for one MRZ line, in a shape both engines can fill. */

export interface OcrAlternative {
  readonly char: string;
  /** 0..1 */
  readonly confidence: number;
}

export interface OcrCharRead {
  /** One character of A-Z, 0-9, `<` (other glyphs are allowed; the MRZ corrector folds or rejects them). */
  readonly char: string;
  /** 0..1: the engine's probability for `char`. */
  readonly confidence: number;
  /** Other readings of the same glyph, best first, each with its probability. */
  readonly alternatives: readonly OcrAlternative[];
  /**
   * The engine saw this glyph's ink washed out over part of it (a veil of glare, a hologram's sheen): what
   * it read may be what is left of another character. In a checked field, with a rival the check digits
   * cannot tell from it in the same column, the merge flags the field: another engine reads the same
   * washed-out pixels, so even its agreement does not settle it (merge.ts, check-blind.ts).
   */
  readonly faded?: boolean;
}

export interface OcrLineRead {
  readonly text: string;
  /** One entry per character of `text`. */
  readonly chars: readonly OcrCharRead[];
}

/** One engine's reading of every MRZ line of a document, top to bottom. */
export interface EngineMrzRead {
  readonly engine: string;
  readonly lines: readonly OcrLineRead[];
}

/** Builds a line read from text alone (every character at `confidence`, no alternatives). */
export function lineFromText(text: string, confidence = 1): OcrLineRead {
  return { text, chars: [...text].map((char) => ({ char, confidence, alternatives: [] })) };
}
