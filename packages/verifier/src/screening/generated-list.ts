/** A screening list for tests and measurements: seeded syllable names, never a real person. */
import type { ScreeningList } from './list.ts';

export function generatedList(count: number, fixed: ScreeningList['entries'] = [], seed = 7): ScreeningList {
  let state = seed;
  const next = (): number => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648; };
  const syllables = ['ka', 'lo', 'mi', 'dra', 'ven', 'tor', 'sul', 'bex', 'ny', 'qua', 'rho', 'zet', 'pim', 'gar', 'fel', 'wu'];
  const word = (parts: number): string => Array.from({ length: parts }, () => syllables[Math.floor(next() * syllables.length)]).join('');
  const capital = (text: string): string => text[0]!.toUpperCase() + text.slice(1);
  const entries: ScreeningList['entries'] = Array.from({ length: count }, (_, index) => ({
    id: `GEN-${index}`,
    names: [`${capital(word(2))} ${capital(word(3))}`],
    birthDates: next() < 0.7 ? [`19${40 + Math.floor(next() * 60)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`] : [],
    nationalities: next() < 0.6 ? ['UTO'] : [],
    category: next() < 0.5 ? 'sanctions' : 'pep',
  }));
  return { format: 'ekyc-screening-list', version: 1, id: 'test-list-1', entries: [...fixed, ...entries] };
}

