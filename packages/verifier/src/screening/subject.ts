/**
 * The person to screen, from the bundle's document reading: the MRZ's names (ICAO transliteration,
 * e.g. MUELLER), the visual zone's names when the device sent them (original script, e.g.
 * Müller), the date of birth and the nationality from the MRZ. Null when the bundle holds no
 * names to screen.
 */
import { readMrz, type EvidenceBundle } from '@ekyc/core';
import { findDocumentRead } from '../rescore/document.ts';
import type { ScreeningSubject } from './types.ts';

/** `referenceDate` resolves two-digit MRZ birth years (the re-scoring uses the evidence's arrival). */
export function screeningSubjectOf(bundle: EvidenceBundle, referenceDate?: Date): ScreeningSubject | null {
  const read = findDocumentRead(bundle);
  if (read === null) return null;
  const mrz = readMrz(read.mrzLines, referenceDate === undefined ? {} : { referenceDate });
  const value = (name: keyof typeof mrz.fields): string | null => mrz.fields[name]?.value ?? null;
  const names: string[] = [];
  const mrzName = [value('givenNames'), value('surname')].filter((part) => part !== null && part !== '').join(' ');
  if (mrzName !== '') names.push(mrzName);
  const vizName = [read.viz?.givenNames, read.viz?.surname].filter((part) => part !== undefined && part !== '').join(' ');
  if (vizName !== '') names.push(vizName);
  if (names.length === 0) return null;
  const birthDate = value('birthDate');
  const nationality = value('nationality');
  return {
    names,
    birthDate: birthDate !== null && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? birthDate : null,
    nationality: nationality !== null && /^[A-Z]{3}$/.test(nationality) ? nationality : null,
  };
}
