import { describe, expect, it } from 'vitest';
import { createMrz } from '../mrz/index.ts';
import { checkDocumentRead } from './document.ts';
import { DEFAULT_RESCORE_CONFIG } from './index.ts';

const CARD = { documentCode: 'I', issuingState: 'D', surname: 'MUELLER', givenNames: 'JOERG', documentNumber: 'T22000129', nationality: 'D', birthDate: '640812', sex: 'M', expiryDate: '310101' };
const referenceDate = new Date('2026-06-01T10:05:00Z');
const config = { ...DEFAULT_RESCORE_CONFIG, acceptedDocuments: ['id_card' as const] };
const readWith = (viz?: Record<string, string>) => ({ type: 'ekyc.document.read' as const, mrzLines: createMrz('TD1', CARD), ...(viz ? { viz } : {}) });

describe('checkDocumentRead: printed fields against the MRZ', () => {
  it('matches printed names in their MRZ forms (Ü written UE) and every printed field the MRZ holds', () => {
    const findings = checkDocumentRead(readWith({ surname: 'Müller', givenNames: 'Jörg', documentNumber: 'T22000129', birthDate: '1964-08-12', expiryDate: '2031-01-01', sex: 'M', nationality: 'D' }), config, referenceDate);
    expect(findings.mrzValid).toBe(true);
    expect(findings.vizMismatchedFields).toEqual([]);
    expect(findings.vizMatches).toBe(true);
  });

  it('names each printed field that differs from the MRZ (a modified birth date, another sex)', () => {
    const findings = checkDocumentRead(readWith({ surname: 'MUELLER', birthDate: '1957-08-12', sex: 'F' }), config, referenceDate);
    expect(findings.vizMatches).toBe(false);
    expect(findings.vizMismatchedFields.sort()).toEqual(['birthDate', 'sex']);
  });

  it('compares nothing when no printed field was sent or none is one the MRZ holds', () => {
    expect(checkDocumentRead(readWith(), config, referenceDate).vizMatches).toBeNull();
    expect(checkDocumentRead(readWith({}), config, referenceDate).vizMatches).toBeNull();
    // A nationality printed as a country's name is not compared.
    expect(checkDocumentRead(readWith({ nationality: 'DEUTSCH' }), config, referenceDate).vizMatches).toBeNull();
  });
});
