/**
 * The built-in screening over a generated list (fictitious names only, seeded): transliterated
 * names match, date of birth and nationality break ties, dissimilar names do not hit, the list
 * file is validated, and a hit escalates the decision whatever the score.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { risk } from '@ekyc/core';
import { loadScreeningList, parseScreeningList, type ScreeningList } from './list.ts';
import { ListScreening, NAME_CANDIDATE, NAME_STRONG } from './matcher.ts';
import { nameSimilarity, normalizeName } from './names.ts';
import { generatedList } from './generated-list.ts';
import { screeningFindings } from './signal.ts';

const FIXED: ScreeningList['entries'] = [
  { id: 'FIX-MUELLER', names: ['Greta Müller'], birthDates: ['1961-03-05'], nationalities: ['UTO'], category: 'sanctions' },
  { id: 'FIX-CYRILLIC', names: ['Дмитрий Воронцов'], birthDates: ['1970'], nationalities: [], category: 'pep' },
  // Same name, two people: the date of birth decides.
  { id: 'FIX-ILSE-1950', names: ['Ilse Brandtner'], birthDates: ['1950-01-01'], nationalities: [], category: 'sanctions' },
  { id: 'FIX-ILSE-1980', names: ['Ilse Brandtner'], birthDates: ['1980-07-07'], nationalities: [], category: 'sanctions' },
  // Borderline spellings (Jaro-Winkler 0.88-0.95): nationality decides when the date is unknown.
  { id: 'FIX-OMAR', names: ['Omar Tessaly'], birthDates: [], nationalities: ['UTO'], category: 'pep' },
];

describe('ListScreening', () => {
  const screening = new ListScreening(generatedList(500, FIXED));
  const screen = (names: string[], birthDate: string | null = null, nationality: string | null = null) => screening.screen({ names, birthDate, nationality });
  const hitIds = async (...args: Parameters<typeof screen>) => (await screen(...args)).matches.map((match) => match.entryId);

  it('matches transliterated names: Müller as MUELLER (ICAO) and MULLER, Cyrillic as its Latin reading', async () => {
    expect(await hitIds(['GRETA MUELLER'])).toEqual(['FIX-MUELLER']);
    expect(await hitIds(['GRETA MULLER'], '1961-03-05', 'UTO')).toEqual(['FIX-MUELLER']);
    expect(await hitIds(['MUELLER GRETA'])).toEqual(['FIX-MUELLER']);
    expect(await hitIds(['DMITRIY VORONTSOV'], '1970-11-02')).toEqual(['FIX-CYRILLIC']);
    const result = await screen(['GRETA MUELLER'], '1961-03-05', 'UTO');
    expect(result.matches[0]).toMatchObject({ listId: 'test-list-1', category: 'sanctions', nameScore: 1, birthDate: 'match', nationality: 'match' });
    // Every entry is compared once: a bound in entries, not time.
    expect(result.compared).toBe(505);
  });

  it('lets date of birth and nationality break ties', async () => {
    expect(await hitIds(['ILSE BRANDTNER'], '1980-07-07')).toEqual(['FIX-ILSE-1980']);
    expect(await hitIds(['ILSE BRANDTNER'], '1950-01-01')).toEqual(['FIX-ILSE-1950']);
    expect(await hitIds(['ILSE BRANDTNER'], '1966-06-06')).toEqual([]);
    expect((await hitIds(['ILSE BRANDTNER'])).sort()).toEqual(['FIX-ILSE-1950', 'FIX-ILSE-1980']);
    expect(await hitIds(['GRETA MUELLER'], '1961-03-05', 'XXA')).toEqual(['FIX-MUELLER']); // a matching date outweighs another nationality
    expect(await hitIds(['GRETA MUELLER'], null, 'XXA')).toEqual([]);
    // Borderline spelling: only with a corroborating nationality (or date).
    const borderline = nameSimilarity(normalizeName('OMER TASSALI'), normalizeName('Omar Tessaly'));
    expect(borderline).toBeGreaterThanOrEqual(NAME_CANDIDATE);
    expect(borderline).toBeLessThan(NAME_STRONG);
    expect(await hitIds(['OMER TASSALI'], null, 'UTO')).toEqual(['FIX-OMAR']);
    expect(await hitIds(['OMER TASSALI'], null, 'XXB')).toEqual([]);
    expect(await hitIds(['OMER TASSALI'])).toEqual([]);
  });

  it('does not hit dissimilar names, whatever the date and nationality', async () => {
    for (const name of ['ANNA MARIA ERIKSSON', 'PETER OLSEN', 'HANS GRUBER', 'GRETA', 'MUELLER']) {
      expect(await hitIds([name], '1961-03-05', 'UTO')).toEqual([]);
    }
  });

  it('refuses a malformed list with invalid_argument, naming the fields', () => {
    expect(() => parseScreeningList({ format: 'ekyc-screening-list', version: 2, id: 'x', entries: [] })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => parseScreeningList({ ...generatedList(0), entries: [{ id: 'a', names: [], category: 'pep' }] })).toThrow(/entries\.0\.names/);
    expect(() => parseScreeningList({ ...generatedList(0), entries: [FIXED[0], FIXED[0]] })).toThrow(/repeats an entry id/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ekyc-screening-'));
    writeFileSync(path.join(dir, 'bad.json'), '{ not json');
    expect(() => loadScreeningList(path.join(dir, 'bad.json'))).toThrow(/VERIFIER_SCREENING_LIST/);
    writeFileSync(path.join(dir, 'list.json'), JSON.stringify(generatedList(3, FIXED)));
    expect(new ListScreening(loadScreeningList(path.join(dir, 'list.json'))).size).toBe(8);
  });

  it('escalates a perfect score on a hit; a clear result scores the sanctions signal 1', async () => {
    const all = risk.RISK_SIGNALS.map((name): risk.RiskSignal => ({ name, score: 1, status: 'scored', source: 'server', reasonCodes: [], details: {} }));
    const hit = screeningFindings(await screen(['GRETA MUELLER'], '1961-03-05', 'UTO'), null);
    const decision = risk.decideRisk(all.map((signal) => (signal.name === 'sanctions' ? hit.signal : signal)), hit.hardRules);
    expect(decision.scoreOutcome).toBe('approve');
    expect(decision.outcome).toBe('escalate');
    expect(decision.reasonCodes).toContain('screening_hit');
    expect(risk.USER_MESSAGES[decision.outcome]).toBe(risk.USER_MESSAGES.review);
    const clear = screeningFindings(await screen(['PETER OLSEN']), null);
    expect(clear).toMatchObject({ signal: { status: 'scored', score: 1 }, hardRules: [] });
    expect(screeningFindings(null, 'subject_absent').signal).toMatchObject({ status: 'missing', reasonCodes: ['screening_subject_absent'] });
  });
});
