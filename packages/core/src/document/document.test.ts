import { describe, expect, it } from 'vitest';
import { DOCUMENT_SIZES_MM, rectifiedSize, sizeClassFromAspect } from './sizes.ts';
import { captureDpi, checkResolution, wholeImageQuad } from './resolution.ts';
import { documentTypeFromMrz } from './types.ts';
import { assignSides, sideLayout } from './sides.ts';
import { checkDocument } from './checks.ts';
import { crossCheckVisualZone, mrzNameForm } from './cross-check.ts';

describe('sizes', () => {
  it('rectifies ID-1 at 300 DPI to at least 1011 x 638 px', () => {
    expect(rectifiedSize('ID1')).toEqual({ width: 1012, height: 638 });
    const id3 = rectifiedSize('ID3');
    expect(id3.width / 300 * 25.4).toBeGreaterThanOrEqual(125);
    expect(id3.height / 300 * 25.4).toBeGreaterThanOrEqual(88);
  });
  it('refuses a non-positive DPI', () => {
    expect(() => rectifiedSize('ID1', 0)).toThrow(RangeError);
  });
  it('tells ID-1 from the passport page by aspect, either orientation', () => {
    expect(sizeClassFromAspect(856, 540)).toBe('ID1');
    expect(sizeClassFromAspect(540, 856)).toBe('ID1');
    expect(sizeClassFromAspect(1250, 880)).toBe('ID3');
    expect(DOCUMENT_SIZES_MM.ID2.widthMm).toBe(105);
  });
});

describe('resolution', () => {
  it('measures DPI from the quad and fails below the minimum', () => {
    const px = (mm: number, dpi: number): number => (mm / 25.4) * dpi;
    const quad = wholeImageQuad(px(85.6, 200), px(53.98, 200));
    expect(captureDpi(quad, 'ID1')).toBeCloseTo(200, 5);
    expect(checkResolution(quad, 'ID1')).toMatchObject({ ok: false, code: 'document_resolution_low' });
    expect(checkResolution(quad, 'ID1', 150)).toMatchObject({ ok: true, code: null });
  });
  it('is limited by the foreshortened axis', () => {
    const quad = [{ x: 0, y: 0 }, { x: 1200, y: 0 }, { x: 1200, y: 300 }, { x: 0, y: 300 }] as const;
    expect(captureDpi(quad, 'ID1')).toBeCloseTo((300 / 53.98) * 25.4, 5);
  });
});

describe('document types and sides', () => {
  it('maps document codes to types', () => {
    expect(documentTypeFromMrz('TD3', 'P<')).toBe('passport');
    expect(documentTypeFromMrz('TD1', 'ID')).toBe('id_card');
    expect(documentTypeFromMrz('TD1', 'IR')).toBe('residence_permit');
    expect(documentTypeFromMrz('MRVA', 'V<')).toBe('visa');
    expect(documentTypeFromMrz('MRVB', 'P<')).toBeNull();
  });
  it('needs a back only for TD1', () => {
    expect(sideLayout('id_card', 'TD1')).toEqual({ mrzSide: 'back', portraitSide: 'front', backNeeded: true });
    expect(sideLayout('passport', 'TD3').backNeeded).toBe(false);
    expect(sideLayout('driving_licence', null)).toEqual({ mrzSide: null, portraitSide: 'front', backNeeded: false });
  });
  it('assigns a TD1 MRZ side to the back, even with a ghost face on it', () => {
    const a = assignSides([{ mrzFound: true, mrzFormat: 'TD1', faces: 1 }, { mrzFound: false, mrzFormat: null, faces: 2 }]);
    expect(a).toMatchObject({ front: 1, back: 0, missing: [], mrzFormat: 'TD1' });
  });
  it('asks for the back of a TD1 card given only its front', () => {
    const a = assignSides([{ mrzFound: true, mrzFormat: 'TD1', faces: 0 }]);
    expect(a.missing).toEqual(['front']);
    const b = assignSides([{ mrzFound: false, mrzFormat: null, faces: 1 }], { mrzRequired: true });
    expect(b).toMatchObject({ front: 0, back: null });
    expect(b.issues).toContain('no_mrz');
  });
  it('takes a passport page with MRZ and portrait as the only side', () => {
    const a = assignSides([{ mrzFound: true, mrzFormat: 'TD3', faces: 1 }]);
    expect(a).toMatchObject({ front: 0, back: null, missing: [], issues: [] });
  });
});

describe('checkDocument', () => {
  const ref = new Date('2026-06-01T12:00:00Z');
  const base = { type: 'passport' as const, issuingState: 'UTO', birthDate: '1990-01-01', expiryDate: '2030-01-01' };
  it('passes a current document', () => {
    expect(checkDocument(base, { referenceDate: ref, minimumAge: 18 })).toEqual([]);
  });
  it('reports each failure with its own code', () => {
    const codes = (facts: Parameters<typeof checkDocument>[0], policy = {}): string[] =>
      checkDocument(facts, { referenceDate: ref, ...policy }).map((f) => f.code);
    expect(codes({ ...base, expiryDate: '2026-05-31' })).toEqual(['document_expired']);
    expect(codes({ ...base, expiryDate: '2026-06-01' })).toEqual([]);
    expect(codes({ ...base, issueDate: '2026-06-02' })).toEqual(['document_not_yet_valid']);
    expect(codes({ ...base, birthDate: '2008-06-02' }, { minimumAge: 18 })).toEqual(['document_holder_under_age']);
    expect(codes({ ...base, birthDate: '2008-06-01' }, { minimumAge: 18 })).toEqual([]);
    expect(codes({ ...base, expiryDate: '2037-01-01' })).toEqual(['document_validity_too_long']);
    expect(codes({ ...base, expiryDate: '2037-01-01', issueDate: '2026-01-01' }, { maxValidityYears: { passport: 12 } })).toEqual([]);
    expect(codes({ ...base, expiryDate: '2036-01-02', issueDate: '2026-01-01' })).toEqual(['document_validity_too_long']);
    expect(codes(base, { acceptedDocuments: ['id_card'] })).toEqual(['document_type_not_accepted']);
    expect(codes(base, { acceptedCountries: ['D', 'FRA'] })).toEqual(['document_country_not_accepted']);
    expect(codes({ ...base, expiryDate: null })).toEqual(['document_dates_unreadable']);
  });
});

describe('crossCheckVisualZone', () => {
  const mrz = { surname: 'MUELLER', givenNames: 'JOSE MARIA', documentNumber: 'L898902C3', birthDate: '1974-08-12', expiryDate: '2032-04-15' };
  it('matches transliterated and accented printed names', () => {
    expect(mrzNameForm('Müller')).toContain('MUELLER');
    const r = crossCheckVisualZone({ surname: 'Müller', givenNames: 'José-María', documentNumber: 'L898902C3', birthDate: '1974-08-12' }, mrz);
    expect(r.signal).toBeNull();
    expect(r.fields.expiryDate).toBe('missing');
  });
  it('reports a changed printed field as a mismatch signal', () => {
    const r = crossCheckVisualZone({ surname: 'MUELLER', birthDate: '1994-08-12', documentNumber: 'L898902C8' }, mrz);
    expect(r.mismatches).toEqual(['documentNumber', 'birthDate']);
    expect(r.signal).toBe('document_viz_mrz_mismatch');
  });
  it('takes a printed number differing only in look-alikes (O for 0) as unconfirmed, not as a mismatch', () => {
    const r = crossCheckVisualZone({ documentNumber: 'G0980TOP' }, { documentNumber: 'G0980T0P' });
    expect(r.fields.documentNumber).toBe('uncertain');
    expect(r.signal).toBeNull();
    expect(r.compared).toEqual([]);
    // Another digit is another number, look-alikes beside it or not.
    expect(crossCheckVisualZone({ documentNumber: 'G0980TOR' }, { documentNumber: 'G0980T0P' }).signal).toBe('document_viz_mrz_mismatch');
    expect(crossCheckVisualZone({ documentNumber: 'L898902C8' }, { documentNumber: 'L898902C3' }).signal).toBe('document_viz_mrz_mismatch');
  });
  it('accepts a printed name the MRZ truncated', () => {
    expect(crossCheckVisualZone({ surname: 'WOLFESCHLEGELSTEINHAUSEN' }, { surname: 'WOLFESCHLEGELST' }).signal).toBeNull();
  });
});
