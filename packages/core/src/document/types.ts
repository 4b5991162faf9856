/** Document types as a session's accepted list names them, and how an MRZ tells them. */
import type { MrzFormat } from '../mrz/formats.ts';

export type DocumentType = 'passport' | 'id_card' | 'residence_permit' | 'visa' | 'driving_licence';

export const DOCUMENT_TYPES: readonly DocumentType[] = ['passport', 'id_card', 'residence_permit', 'visa', 'driving_licence'];

/**
 * The document type an MRZ declares. ICAO 9303 fixes only the first letter (P passport, V visa,
 * I/A/C official travel documents); a second letter R on an I/A/C card is the EU residence permit
 * convention (Council Regulation 1030/2002 uses `IR`/`AR`), `RP` on some others.
 */
export function documentTypeFromMrz(format: MrzFormat, documentCode: string): DocumentType | null {
  const code = documentCode.replace(/<+$/, '');
  if (format === 'MRVA' || format === 'MRVB') return code.startsWith('V') ? 'visa' : null;
  if (code.startsWith('P')) return 'passport';
  if (code === 'RP' || (/^[IAC]R$/.test(code))) return 'residence_permit';
  if (/^[IAC]/.test(code)) return 'id_card';
  return null;
}
