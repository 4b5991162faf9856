import { describe, expect, it } from 'vitest';
import { checkDocument } from './checks.ts';
import { canonicalCountry, countryOfSign, nationalTitle, readIssuingState, sameCountry, statesOfTitle } from './licence-state.ts';
import { checkVisualZoneDocument } from './viz-checks.ts';
import { assembleVisualZone, type VizTextBox } from './viz-fields.ts';

const sign = (text: string, confidence = 0.95) => ({ text, confidences: [...text].map(() => confidence) });

describe('distinguishing signs and titles', () => {
  it('maps the sign to ISO 3166-1 alpha-3', () => {
    expect(countryOfSign('D')).toBe('DEU');
    expect(countryOfSign(' pl ')).toBe('POL');
    expect(countryOfSign('IRL')).toBe('IRL');
    expect(countryOfSign('DE')).toBeNull();
  });
  it('names the states of a national title, accents and spaces aside', () => {
    expect(statesOfTitle('FÜHRERSCHEIN')).toContain('DEU');
    expect(statesOfTitle('PRAWO JAZDY')).toEqual(['POL']);
    // The subtitle listing several languages is no national title.
    expect(statesOfTitle('PERMIS DE CONDUIRE FÜHRERSCHEIN PATENTE DI GUIDA')).toBeNull();
    expect(nationalTitle([{ text: 'PERMIS DE CONDUIRE', height: 12 }, { text: 'RIJBEWIJS', height: 30 }, { text: '1. JANSEN', height: 28 }])).toBe('RIJBEWIJS');
  });
  it('takes ICAO D and ISO DEU as one state', () => {
    expect(canonicalCountry('D<<')).toBe('DEU');
    expect(sameCountry('D', 'DEU')).toBe(true);
    expect(sameCountry('FRA', 'DEU')).toBe(false);
  });
});

describe('readIssuingState', () => {
  it('is certain when the second engine reads the same sign', () => {
    expect(readIssuingState({ sign: sign('PL'), secondSign: 'PL', title: null })).toMatchObject({ value: 'POL', uncertain: false, reasons: [] });
  });
  it('is certain when the title is in the state\'s language, without a second engine', () => {
    expect(readIssuingState({ sign: sign('D'), title: 'FÜHRERSCHEIN' })).toMatchObject({ value: 'DEU', uncertain: false });
  });
  it('reads a lone I read as a bar or a digit as I (a sign holds capitals only)', () => {
    expect(readIssuingState({ sign: sign('1'), secondSign: 'I', title: null })).toMatchObject({ value: 'ITA', sign: 'I', uncertain: false });
    expect(readIssuingState({ sign: sign('|'), title: 'PATENTE DI GUIDA' })).toMatchObject({ value: 'ITA', uncertain: false });
  });
  it('takes the second engine\'s sign when the first read nothing, confirmed only by the title', () => {
    expect(readIssuingState({ sign: { text: '', confidences: [] }, secondSign: 'I', title: 'PATENTE DI GUIDA' })).toMatchObject({ value: 'ITA', sign: 'I', uncertain: false });
    expect(readIssuingState({ sign: null, secondSign: 'I', title: null })).toMatchObject({ value: 'ITA', uncertain: true, reasons: ['unconfirmed'] });
    expect(readIssuingState({ sign: null, secondSign: 'I', title: 'PERMIS DE CONDUIRE' })).toMatchObject({ uncertain: true, reasons: ['title_disagrees'] });
  });
  it('doubts a sign nothing confirms', () => {
    expect(readIssuingState({ sign: sign('F'), title: null })).toMatchObject({ value: 'FRA', uncertain: true, reasons: ['unconfirmed'] });
  });
  it('doubts a sign the second engine reads otherwise, even with an agreeing title', () => {
    expect(readIssuingState({ sign: sign('F'), secondSign: 'E', title: 'PERMIS DE CONDUIRE' })).toMatchObject({ value: 'FRA', uncertain: true, reasons: ['engines_disagree'] });
  });
  it('doubts a sign whose state does not print this title (a misread I for an L)', () => {
    expect(readIssuingState({ sign: sign('I'), secondSign: 'I', title: 'PERMIS DE CONDUIRE' })).toMatchObject({ value: 'ITA', uncertain: true, reasons: ['title_disagrees'] });
  });
  it('never names a state from an unknown sign, and names a one-state title only as uncertain', () => {
    expect(readIssuingState({ sign: sign('DE'), secondSign: 'DE', title: null })).toMatchObject({ value: null, uncertain: true, reasons: ['sign_unknown'] });
    expect(readIssuingState({ sign: null, title: 'PRAWO JAZDY' })).toMatchObject({ value: 'POL', uncertain: true, reasons: ['sign_not_found'] });
    expect(readIssuingState({ sign: null, title: null })).toMatchObject({ value: null, uncertain: true });
  });
});

describe('accepted countries on a licence', () => {
  const box = (text: string, x: number, y: number, width: number): VizTextBox => ({ x, y, width, height: 30, text, confidences: [...text].map(() => 0.95) });
  const zone = assembleVisualZone([
    box('1. MUSTERMANN', 396, 168, 260), box('2. ERIKA', 396, 222, 150), box('3. 12.03.1985 BERLIN', 396, 276, 330),
    box('4a. 19.01.2016', 396, 330, 220), box('4b. 18.01.2031', 396, 384, 220), box('5. B072RRE2I55', 396, 438, 250),
  ], { referenceYear: 2026 });
  const policy = { referenceDate: new Date('2026-06-01T00:00:00Z'), acceptedCountries: ['D<<', 'FRA'] };
  it('accepts a certain sign of an accepted state (ICAO D in the list, DEU read)', () => {
    const r = checkVisualZoneDocument({ ...zone, issuingState: readIssuingState({ sign: sign('D'), secondSign: 'D', title: null }) }, { type: 'driving_licence' }, policy);
    expect(r.facts.issuingState).toBe('DEU');
    expect(r.failures).toEqual([]);
  });
  it('refuses a certain sign of another state', () => {
    const r = checkVisualZoneDocument({ ...zone, issuingState: readIssuingState({ sign: sign('PL'), secondSign: 'PL', title: 'PRAWO JAZDY' }) }, { type: 'driving_licence' }, policy);
    expect(r.failures).toEqual([{ code: 'document_country_not_accepted', field: 'issuingState' }]);
  });
  it('says unreadable, never accepted, for a doubted sign of an accepted state', () => {
    const r = checkVisualZoneDocument({ ...zone, issuingState: readIssuingState({ sign: sign('D'), secondSign: 'O', title: null }) }, { type: 'driving_licence' }, policy);
    expect(r.facts.issuingState).toBeNull();
    expect(r.failures).toEqual([{ code: 'document_country_unreadable', field: 'issuingState' }]);
    expect(r.unverified).toEqual(['issuingState']);
  });
  it('checkDocument: a null state under an accepted list is unreadable, not a pass', () => {
    const facts = { type: 'passport' as const, issuingState: null, birthDate: '1980-01-01', expiryDate: '2030-01-01' };
    expect(checkDocument(facts, policy).map((f) => f.code)).toEqual(['document_country_unreadable']);
    expect(checkDocument(facts, { referenceDate: policy.referenceDate })).toEqual([]);
  });
});
