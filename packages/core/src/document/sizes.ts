/** Document formats (ISO/IEC 7810, ICAO 9303) and the pixel size a rectified crop gets. */
import type { MrzFormat } from '../mrz/formats.ts';

export type DocumentSizeClass = 'ID1' | 'ID2' | 'ID3' | 'MRVA' | 'MRVB';

export interface DocumentSizeMm {
  readonly widthMm: number;
  readonly heightMm: number;
}

/** Landscape sizes in millimetres: ISO/IEC 7810 ID-1/2/3 and ICAO 9303-7 visa stickers. */
export const DOCUMENT_SIZES_MM: Readonly<Record<DocumentSizeClass, DocumentSizeMm>> = {
  ID1: { widthMm: 85.6, heightMm: 53.98 },
  ID2: { widthMm: 105, heightMm: 74 },
  ID3: { widthMm: 125, heightMm: 88 },
  MRVA: { widthMm: 120, heightMm: 80 },
  MRVB: { widthMm: 105, heightMm: 74 },
};

/** The physical size an MRZ layout is printed on. */
export const SIZE_OF_MRZ_FORMAT: Readonly<Record<MrzFormat, DocumentSizeClass>> = {
  TD1: 'ID1',
  TD2: 'ID2',
  TD3: 'ID3',
  MRVA: 'MRVA',
  MRVB: 'MRVB',
};

/** Resolution the rectified crop is produced at, and the least a capture must reach to be read. */
export const RECTIFY_DPI = 300;
export const MM_PER_INCH = 25.4;

export interface PixelSize {
  readonly width: number;
  readonly height: number;
}

/** Pixel size of a document rectified at `dpi` (rounded up, so the crop is never below it). */
export function rectifiedSize(size: DocumentSizeClass, dpi: number = RECTIFY_DPI): PixelSize {
  if (!(dpi > 0) || !Number.isFinite(dpi)) throw new RangeError('dpi must be a positive number');
  const mm = DOCUMENT_SIZES_MM[size];
  return { width: Math.ceil((mm.widthMm / MM_PER_INCH) * dpi), height: Math.ceil((mm.heightMm / MM_PER_INCH) * dpi) };
}

/**
 * The size class whose aspect ratio is closest to `width / height` (landscape or portrait), used when
 * the layout is not known yet. ID-2, ID-3 and MRV-B share one aspect (1.42), MRV-A is 1.5, ID-1 1.59:
 * perspective blurs these, so the reader does not rely on the guess (it retries the line search at the
 * other scales); the MRZ layout settles the class.
 */
export function sizeClassFromAspect(width: number, height: number): DocumentSizeClass {
  const aspect = Math.max(width, height) / Math.max(1e-9, Math.min(width, height));
  let best: DocumentSizeClass = 'ID1';
  let bestErr = Infinity;
  for (const cls of ['ID1', 'MRVA', 'ID3'] as const) {
    const mm = DOCUMENT_SIZES_MM[cls];
    const err = Math.abs(Math.log(aspect / (mm.widthMm / mm.heightMm)));
    if (err < bestErr) { bestErr = err; best = cls; }
  }
  return best;
}
