import { describe, expect, it } from 'vitest';
import { checkVisualZoneDocument } from './viz-checks.ts';
import { assembleVisualZone, type VizTextBox } from './viz-fields.ts';

const box = (text: string, x: number, y: number, width: number, confidence = 0.95): VizTextBox => ({ x, y, width, height: 30, text, confidences: [...text].map(() => confidence) });

/** A licence front as PP-OCR reads it; `expiry` and `birth` printed as given, `expiryConfidence` for the 4b value. */
function licence(birth: string, expiry: string, expiryConfidence = 0.95) {
  return assembleVisualZone([
    box('1. MUSTERMANN', 396, 168, 260), box('2. ERIKA', 396, 222, 150), box(`3. ${birth} BERLIN`, 396, 276, 330),
    box('4a. 19.01.2016', 396, 330, 220), box('4b.', 396, 384, 40), box(expiry, 444, 384, 170, expiryConfidence), box('5. B072RRE2I55', 396, 438, 250),
  ], { referenceYear: 2026 });
}
const policy = { minimumAge: 18, referenceDate: new Date('2026-06-01T00:00:00Z'), acceptedDocuments: ['driving_licence' as const] };

describe('checkVisualZoneDocument (a licence read from its printed fields)', () => {
  it('passes a valid licence and says every field came from the visual zone', () => {
    const r = checkVisualZoneDocument(licence('12.03.1985', '18.01.2031'), { type: 'driving_licence' }, policy);
    expect(r.failures).toEqual([]);
    expect(r.fields.expiryDate).toMatchObject({ value: '2031-01-18', source: 'viz', uncertain: false });
    expect(r.unverified).toEqual([]);
  });
  it('finds an expired licence and an under-age holder', () => {
    const r = checkVisualZoneDocument(licence('12.03.2000', '18.01.2026'), { type: 'driving_licence' }, { ...policy, minimumAge: 30 });
    expect(r.failures.map((f) => f.code).sort()).toEqual(['document_expired', 'document_holder_under_age']);
  });
  it('never decides on a doubted expiry: the date is unreadable, not valid', () => {
    const r = checkVisualZoneDocument(licence('12.03.1985', '18.01.2031', 0.5), { type: 'driving_licence' }, policy);
    expect(r.fields.expiryDate).toMatchObject({ value: '2031-01-18', uncertain: true, reasons: ['low_confidence'] });
    expect(r.facts.expiryDate).toBeNull();
    expect(r.failures).toEqual([{ code: 'document_dates_unreadable', field: 'expiryDate' }]);
    expect(r.unverified).toEqual(['expiryDate']);
  });
  it('an unknown issuing state fails an accepted-countries policy as unreadable, never as accepted', () => {
    const r = checkVisualZoneDocument(licence('12.03.1985', '18.01.2031'), { type: 'driving_licence' }, { ...policy, acceptedCountries: ['D'] });
    expect(r.failures.map((f) => f.code)).toEqual(['document_country_unreadable']);
    expect(checkVisualZoneDocument(licence('12.03.1985', '18.01.2031'), { type: 'driving_licence', issuingState: 'D' }, { ...policy, acceptedCountries: ['D'] }).failures).toEqual([]);
  });
});
