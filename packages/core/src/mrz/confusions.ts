/** Characters OCR engines confuse on MRZ text (OCR-B), as pairs: a read of one may be the other. */
const CONFUSABLE_PAIRS: readonly (readonly [string, string])[] = [
  ['O', '0'], ['I', '1'], ['B', '8'], ['S', '5'], ['Z', '2'], ['G', '6'], ['D', '0'],
];

/** Letters Tesseract and similar engines return for the filler `<`. */
export const FILLER_MISREADS = 'KLC';

const ALTERNATIVES: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const [a, b] of CONFUSABLE_PAIRS) {
    map.set(a, (map.get(a) ?? '') + b);
    map.set(b, (map.get(b) ?? '') + a);
  }
  return map;
})();

/** What the true character may be when OCR read `read` (excluding `read` itself and the filler). */
export function confusableWith(read: string): string {
  return ALTERNATIVES.get(read) ?? '';
}

/** Best letter for a digit read in a name, where no check digit can decide (O is far likelier than D). */
export function letterForDigit(read: string): string | undefined {
  const letters = confusableWith(read).replace(/[^A-Z]/g, '');
  return letters.includes('O') ? 'O' : letters[0];
}
