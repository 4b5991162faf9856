import { document as coreDocument } from '@ekyc/core';
import { describe, expect, it } from 'vitest';
import { decideSides, type ReadSide } from './document.ts';
import type { DocumentRead } from '@ekyc/workers';
import { asLicenceRead, isLicenceRead, licenceReadArtifact, licenceReviewData, needsVisualZone } from './licence.ts';

const box = (text: string, x: number, y: number, width: number, confidence = 0.95): coreDocument.VizTextBox => ({ x, y, width, height: 30, text, confidences: [...text].map(() => confidence) });

/** A licence front's visual zone as core assembles it from PP-OCR boxes; the expiry printed as given. */
function licenceZone(expiry: string, expiryConfidence = 0.95) {
  return coreDocument.assembleVisualZone([
    box('DRIVING LICENCE', 205, 51, 343), box('1. MUSTERMANN', 396, 168, 260), box('2. ERIKA', 396, 222, 150), box('3. 12.03.1985 BERLIN', 396, 276, 330),
    box('4a. 19.01.2016', 396, 330, 220), box('4b.', 396, 384, 40), box(expiry, 444, 384, 170, expiryConfidence), box('5. B072RRE2I55', 396, 438, 250),
  ], { referenceYear: 2026 });
}
const policy = { acceptedDocuments: ['passport', 'driving_licence'] as const, acceptedCountries: [], minimumAge: 18, referenceDate: new Date('2026-06-01T00:00:00Z') };

/** An MRZ reading as the document worker sums it up, valid or not (check digits failed). */
const mrzReading = (valid: boolean): NonNullable<DocumentRead['mrz']> => ({ valid, format: valid ? 'TD3' : null, fields: {}, uncertainFields: [], corrected: [], ambiguous: false, errors: valid ? [] : ['check digit'] }) as unknown as NonNullable<DocumentRead['mrz']>;

describe('driving licence in the flow', () => {
  it('asks for the visual zone only for a side without a valid MRZ when licences are accepted', () => {
    expect(needsVisualZone({ mrzFound: false, mrz: null }, ['passport', 'driving_licence'])).toBe(true);
    expect(needsVisualZone({ mrzFound: false, mrz: null }, ['passport', 'id_card'])).toBe(false);
    expect(needsVisualZone({ mrzFound: true, mrz: mrzReading(true) }, ['driving_licence'])).toBe(false);
    // A licence's printed rows taken for MRZ lines (mild seed 7001): their reading fails its check digits.
    expect(needsVisualZone({ mrzFound: true, mrz: mrzReading(false) }, ['passport', 'driving_licence'])).toBe(true);
    expect(needsVisualZone({ mrzFound: true, mrz: mrzReading(false) }, ['passport', 'id_card'])).toBe(false);
    expect(needsVisualZone({ mrzFound: false, mrz: null, visualZone: { ...licenceZone('18.01.2031'), texts: [], timings: { detectMs: 0, recognizeMs: 0, secondReadMs: 0 } } }, ['driving_licence'])).toBe(false);
  });
  it('reviews a licence from its printed fields, with the document checks on them', () => {
    const visualZone = { ...licenceZone('18.01.2031'), texts: [], timings: { detectMs: 0, recognizeMs: 0, secondReadMs: 0 } };
    expect(isLicenceRead({ mrzFound: false, visualZone })).toBe(true);
    const review = licenceReviewData({ visualZone }, { crop: null }, policy);
    expect(review).toMatchObject({ documentType: 'driving_licence', format: null, valid: false, issues: [], uncertain: ['issuingState'], portraitFound: false });
    expect(review.fields).toEqual({ surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'B072RRE2I55', birthDate: '1985-03-12', expiryDate: '2031-01-18', issuingState: null });
    expect(review.checked?.fields.expiryDate?.source).toBe('viz');
  });
  it('an expired licence is an issue; a doubted expiry is unreadable and shown as uncertain, never passed', () => {
    const expired = licenceReviewData({ visualZone: { ...licenceZone('18.01.2026'), texts: [], timings: { detectMs: 0, recognizeMs: 0, secondReadMs: 0 } } }, null, policy);
    expect(expired.issues).toEqual(['document_expired']);
    const doubted = licenceReviewData({ visualZone: { ...licenceZone('18.01.2031', 0.4), texts: [], timings: { detectMs: 0, recognizeMs: 0, secondReadMs: 0 } } }, null, policy);
    expect(doubted.uncertain).toEqual(['expiryDate', 'issuingState']);
    expect(doubted.fields.expiryDate).toBe('2031-01-18');
    expect(doubted.issues).toEqual(['document_dates_unreadable']);
  });
  it('checks the issuing state read from the emblem against the accepted countries, a doubted one as unreadable', () => {
    const sign = (text: string, secondSign: string) => coreDocument.readIssuingState({ sign: { text, confidences: [0.97] }, secondSign, title: null });
    const zone = (state: coreDocument.IssuingStateReading) => ({ ...licenceZone('18.01.2031'), issuingState: state, texts: [], timings: { detectMs: 0, recognizeMs: 0, secondReadMs: 0 } });
    const accepting = { ...policy, acceptedCountries: ['DEU'] };
    const german = licenceReviewData({ visualZone: zone(sign('D', 'D')) }, null, accepting);
    expect(german.fields.issuingState).toBe('DEU');
    expect(german.uncertain).toEqual([]);
    expect(german.issues).toEqual([]);
    expect(licenceReviewData({ visualZone: zone(sign('F', 'F')) }, null, accepting).issues).toEqual(['document_country_not_accepted']);
    const doubted = licenceReviewData({ visualZone: zone(sign('D', 'O')) }, null, accepting);
    expect(doubted.uncertain).toEqual(['issuingState']);
    expect(doubted.issues).toEqual(['document_country_unreadable']);
  });
  it('writes the printed fields and the state for the verifier, doubted ones listed', () => {
    const visualZone = { ...licenceZone('18.01.2031', 0.4), issuingState: coreDocument.readIssuingState({ sign: { text: 'PL', confidences: [0.9, 0.9] }, secondSign: 'PL', title: 'PRAWO JAZDY' }), texts: [], timings: { detectMs: 0, recognizeMs: 0, secondReadMs: 0 } };
    expect(licenceReadArtifact({ mrzFound: false, visualZone })).toEqual({
      type: 'ekyc.licence.read', layout: 'numbered', sign: 'PL', uncertain: ['expiryDate'],
      fields: { surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'B072RRE2I55', birthDate: '1985-03-12', issueDate: '2016-01-19', expiryDate: '2031-01-18', issuingState: 'POL' },
    });
    expect(licenceReadArtifact({ mrzFound: true, visualZone })).toBeNull();
    expect(licenceReadArtifact(null)).toBeNull();
  });
  it('keeps a numbered read without a valid MRZ as a licence: MRZ-like lines on its printed rows are dropped', () => {
    const visualZone = { ...licenceZone('18.01.2031'), texts: [], timings: { detectMs: 0, recognizeMs: 0, secondReadMs: 0 } };
    const read = (mrzFound: boolean, mrz: DocumentRead['mrz'], zone = visualZone) => ({ mrzFound, mrz, visualZone: zone, lines: [] }) as unknown as DocumentRead;
    const withLines = asLicenceRead(read(true, mrzReading(false)));
    expect(withLines).toMatchObject({ mrzFound: false, mrz: null });
    expect(isLicenceRead(withLines)).toBe(true);
    expect(licenceReadArtifact(withLines)).toMatchObject({ type: 'ekyc.licence.read', fields: { surname: 'MUSTERMANN' } });
    expect(decideSides([{ index: 0, source: 'upload', capturedAt: '2026-06-01T00:00:00Z', width: 1012, height: 638, read: withLines, rectified: null }], ['passport', 'driving_licence'])).toEqual({ kind: 'done' });
    // A valid MRZ stays the document's; a labelled page (a passport's visual zone) keeps its unreadable MRZ.
    const valid = read(true, mrzReading(true));
    expect(asLicenceRead(valid)).toBe(valid);
    const labelled = read(true, mrzReading(false), { ...visualZone, layout: 'labelled' });
    expect(asLicenceRead(labelled)).toBe(labelled);
  });
  it('no visual zone: nothing was read', () => {
    expect(licenceReviewData({}, null, policy).issues).toEqual(['document_mrz_not_found']);
  });
  it('one side is enough for a licence; a side without MRZ or numbered fields still asks for more', () => {
    const side = (read: Partial<ReadSide['read']>): ReadSide => ({ index: 0, source: 'upload', capturedAt: '2026-06-01T00:00:00Z', width: 1012, height: 638, read: { mrzFound: false, mrz: null, ...read } as ReadSide['read'], rectified: null });
    const visualZone = { ...licenceZone('18.01.2031'), texts: [], timings: { detectMs: 0, recognizeMs: 0, secondReadMs: 0 } };
    expect(decideSides([side({ visualZone })], ['id_card', 'driving_licence'])).toEqual({ kind: 'done' });
    expect(decideSides([side({})], ['id_card', 'driving_licence'])).toEqual({ kind: 'need_other_side' });
    expect(decideSides([side({})], ['passport', 'driving_licence'])).toEqual({ kind: 'not_read', code: 'document_mrz_not_found' });
  });
});
