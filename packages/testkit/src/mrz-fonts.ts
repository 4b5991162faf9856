/**
 * MRZ print variants for measuring readers beyond the one font their templates know: OCR-B printed
 * heavier or lighter, OCR-B's other cut, and other faces standing in for old documents: a monospace
 * sans, a typewriter face and the other OCR face. Only fonts from Debian packages, each installed by
 * .ci/run when absent: `fonts-ocr-b`, `fonts-dejavu-core`, `fonts-freefont-ttf` (FreeMono, a Courier
 * clone) and `fonts-ocr-a`. Files are given as paths; the page loads them as FontFaces.
 */
import type { MrzPrint } from './mrz-document.ts';

export interface MrzFontVariant {
  /** What it stands for on a real document. */
  readonly description: string;
  /** The font file (Debian path). */
  readonly file: string;
  /** The family name the page registers the file under. */
  readonly family: string;
  readonly print?: MrzPrint;
}

const OCRB = '/usr/share/fonts/opentype/ocr-b/OCRB.otf';
const DEJAVU_MONO = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
const DEJAVU_MONO_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf';
const FREE_MONO = '/usr/share/fonts/truetype/freefont/FreeMono.ttf';
const FREE_MONO_BOLD = '/usr/share/fonts/truetype/freefont/FreeMonoBold.ttf';
const OCRA = '/usr/share/fonts/truetype/ocr-a/OCRA.ttf';
/**
 * Courier's 10 pitch is 12 pt: a 4.23 mm em, whose 0.6 em advance is ICAO's 2.54 mm pitch and whose
 * cap height (0.563 em in FreeMono) is OCR-B's 2.4 mm at the generator's 3.4 mm em (0.701 em).
 */
const COURIER_TEN_PITCH = { sizeMm: 4.23 } as const;

/**
 * OCR-B's stroke at the generator's size is about 0.35 mm (ISO 1073-2 size I); the weight variants add
 * or take ink at each side: thin 0.23 mm (a fine laser engraving), bold 0.45 mm, heavy 0.55 mm (ink
 * spread on an inkjet-printed page).
 */
export const MRZ_FONT_VARIANTS: Readonly<Record<string, MrzFontVariant>> = {
  ocrb: { description: 'OCR-B as the templates (Debian fonts-ocr-b)', file: OCRB, family: 'OCR-B' },
  'ocrb-thin': { description: 'OCR-B, strokes 0.06 mm thinner each side', file: OCRB, family: 'OCR-B', print: { strokeMm: -0.06 } },
  'ocrb-bold': { description: 'OCR-B, strokes 0.05 mm heavier each side', file: OCRB, family: 'OCR-B', print: { strokeMm: 0.05 } },
  'ocrb-heavy': { description: 'OCR-B, strokes 0.1 mm heavier each side', file: OCRB, family: 'OCR-B', print: { strokeMm: 0.1 } },
  'ocrb-small': { description: 'OCR-B at 90% size and a 2.4 mm pitch', file: OCRB, family: 'OCR-B', print: { sizeMm: 3.06, pitchMm: 2.4 } },
  'ocrb-sharp': { description: "OCR-B's sharp-cornered cut (OCRBS.otf)", file: '/usr/share/fonts/opentype/ocr-b/OCRBS.otf', family: 'OCR-B Sharp' },
  'dejavu-mono': { description: 'DejaVu Sans Mono: another monospace face (an old document)', file: DEJAVU_MONO, family: 'DejaVu Mono Eval' },
  'dejavu-mono-bold': { description: 'DejaVu Sans Mono Bold', file: DEJAVU_MONO_BOLD, family: 'DejaVu Mono Bold Eval' },
  courier: { description: 'FreeMono (Courier) at 10 pitch: a typewriter face, thin serifed strokes (an old typed document)', file: FREE_MONO, family: 'FreeMono Eval', print: COURIER_TEN_PITCH },
  'courier-bold': { description: 'FreeMono Bold at 10 pitch: a typewriter face struck heavier', file: FREE_MONO_BOLD, family: 'FreeMono Bold Eval', print: COURIER_TEN_PITCH },
  'ocr-a': { description: 'OCR-A (ISO 1073-1): the other OCR face, not ICAO\'s', file: OCRA, family: 'OCR-A Eval' },
};
