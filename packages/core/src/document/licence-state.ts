/**
 * The issuing state of an EU driving licence, read from its print. Directive 2006/126/EC, Annex I
 * puts the issuing Member State's distinguishing sign (the international vehicle sign of the 1968
 * Vienna Convention: `D`, `F`, `PL`, `IRL`...) "in negative in a blue rectangle and encircled by
 * twelve yellow stars" at the top left of side 1, and the title "driving licence" in the language(s)
 * of that state beside it. The sign names one state; the title names a language, which narrows the
 * states to a few. Pure: the worker reads the sign and the titles, this decides what they say.
 */

/**
 * Distinguishing sign to ISO 3166-1 alpha-3 (the code `acceptedCountries` and the MRZ use; ICAO 9303
 * writes Germany `D`, see `sameCountry`). EU and EEA states that issue the EU model, the UK before
 * and after 2021, and `UT`: the fictional Utopia (`UTO`) of the ICAO specimens, which the testkit prints.
 */
export const DISTINGUISHING_SIGNS: Readonly<Record<string, string>> = {
  A: 'AUT', B: 'BEL', BG: 'BGR', CY: 'CYP', CZ: 'CZE', D: 'DEU', DK: 'DNK', E: 'ESP', EST: 'EST', F: 'FRA',
  FIN: 'FIN', GR: 'GRC', H: 'HUN', HR: 'HRV', I: 'ITA', IRL: 'IRL', L: 'LUX', LT: 'LTU', LV: 'LVA', M: 'MLT',
  NL: 'NLD', P: 'PRT', PL: 'POL', RO: 'ROU', S: 'SWE', SK: 'SVK', SLO: 'SVN', IS: 'ISL', FL: 'LIE', N: 'NOR',
  GB: 'GBR', UK: 'GBR', UT: 'UTO',
};

/**
 * The title in each language (letters only, lower case, accents dropped) and the states that print
 * it as their national title. A title in a language several states share (German, French, Dutch,
 * English) narrows without deciding.
 */
const NATIONAL_TITLES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['fuhrerschein', ['DEU', 'AUT', 'LUX', 'LIE', 'BEL']],
  ['permisdeconduire', ['FRA', 'BEL', 'LUX']],
  ['rijbewijs', ['NLD', 'BEL']],
  ['patentediguida', ['ITA']],
  ['prawojazdy', ['POL']],
  ['permisodeconduccion', ['ESP']],
  ['cartadeconducao', ['PRT']],
  ['korkort', ['SWE']],
  ['ajokortti', ['FIN']],
  ['korekort', ['DNK']],
  ['forerkort', ['NOR']],
  ['okuskirteini', ['ISL']],
  ['vozackadozvola', ['HRV']],
  ['ridicskyprukaz', ['CZE']],
  ['vodicskypreukaz', ['SVK']],
  ['vezetoiengedely', ['HUN']],
  ['permisdeconducere', ['ROU']],
  ['vozniskodovoljenje', ['SVN']],
  ['vairuotojopazymejimas', ['LTU']],
  ['vaditajaaplieciba', ['LVA']],
  ['juhiluba', ['EST']],
  ['ceadunastiomana', ['IRL']],
  ['licenzjatasewqan', ['MLT']],
  ['drivinglicence', ['IRL', 'MLT', 'GBR', 'UTO']],
  ['drivinglicense', ['IRL', 'MLT', 'GBR', 'UTO']],
];

const letters = (text: string): string => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]/g, '');

/** ISO alpha-3 of a distinguishing sign as printed (`D`, ` pl `), or null when no state uses it. */
export function countryOfSign(sign: string): string | null {
  return DISTINGUISHING_SIGNS[sign.trim().toUpperCase()] ?? null;
}

/** The states whose national title `text` is (exactly, by its letters), or null for no title. */
export function statesOfTitle(text: string): readonly string[] | null {
  const l = letters(text);
  if (l.length < 5) return null;
  for (const [title, states] of NATIONAL_TITLES) if (l === title) return states;
  return null;
}

/**
 * One country code for comparing: fillers dropped, and ICAO 9303's `D` (Germany, in every German
 * MRZ) taken as ISO 3166-1 `DEU`, so a session listing either accepts both a passport and a licence.
 */
export function canonicalCountry(code: string): string {
  const c = code.replace(/<+$/, '').toUpperCase();
  return c === 'D' ? 'DEU' : c;
}

export function sameCountry(a: string, b: string): boolean {
  return canonicalCountry(a) === canonicalCountry(b);
}

export type IssuingStateUncertainty =
  /** No sign was read in the emblem (the emblem not found, or nothing legible in it). */
  | 'sign_not_found'
  /** Text was read in the emblem, but no state uses it as its sign. */
  | 'sign_unknown'
  /** The second engine read another sign (or nothing). */
  | 'engines_disagree'
  /** The card's title is in a language the sign's state does not print its title in. */
  | 'title_disagrees'
  /** Neither a second engine nor the title stands behind the sign. */
  | 'unconfirmed';

export interface IssuingStateReading {
  /** ISO 3166-1 alpha-3; null when nothing names a state. */
  readonly value: string | null;
  /** The sign as read by the first engine (letters only), null when none. */
  readonly sign: string | null;
  /** The first engine's lowest character confidence on the sign, 0 when none. */
  readonly confidence: number;
  /** True: the checks must not use `value` (review shows it unconfirmed). */
  readonly uncertain: boolean;
  readonly reasons: readonly IssuingStateUncertainty[];
}

export interface IssuingStateEvidence {
  /** The first engine's read of the emblem's text, with per-character confidences; null when none. */
  readonly sign: { readonly text: string; readonly confidences: readonly number[] } | null;
  /** The second engine's read of the same crop; undefined when no second engine ran. */
  readonly secondSign?: string | null;
  /** The card's national title as read (the largest title on the card); null when none was read. */
  readonly title: string | null;
}

/**
 * What the print says about the issuing state. The sign is certain when it is a known sign, a second
 * witness confirms it (the second engine reads the same letters, or the title is in the state's
 * language) and nothing contradicts it (another sign from the second engine, a title in another
 * state's language). A title alone never decides: several states share most languages, and a title
 * naming one state (`PRAWO JAZDY`) is reported as that state, uncertain.
 */
/**
 * What OCR gives for the letters of a sign that are not letters: a sign holds capitals only, and a lone
 * bold `I` (Italy) reads as a bar or a digit (PP-OCR read it `1` or nothing on the synthetic emblem).
 */
const SIGN_LOOKALIKES: Readonly<Record<string, string>> = { '1': 'I', l: 'I', '|': 'I', '!': 'I', ']': 'I', '[': 'I', '0': 'O', '5': 'S', '8': 'B', '2': 'Z' };

/** A sign's letters as read: look-alikes mapped, then capitals only. */
export function signLetters(text: string): string {
  return [...text.trim()].map((c) => SIGN_LOOKALIKES[c] ?? c).join('').toUpperCase().replace(/[^A-Z]/g, '');
}

export function readIssuingState(evidence: IssuingStateEvidence): IssuingStateReading {
  const titleStates = evidence.title === null ? null : statesOfTitle(evidence.title);
  const first = evidence.sign === null ? '' : signLetters(evidence.sign.text);
  const second = evidence.secondSign === undefined ? undefined : signLetters(evidence.secondSign ?? '');
  // The first engine's read, else the second's (PP-OCR read nothing on a lone bold `I`): one engine
  // alone then needs the title to confirm it.
  const sign = first || second || '';
  const confidence = first && evidence.sign!.confidences.length ? Math.min(...evidence.sign!.confidences) : 0;
  if (!sign) {
    const value = titleStates?.length === 1 ? titleStates[0]! : null;
    return { value, sign: null, confidence: 0, uncertain: true, reasons: ['sign_not_found'] };
  }
  const value = countryOfSign(sign);
  if (value === null) return { value: null, sign, confidence, uncertain: true, reasons: ['sign_unknown'] };
  const reasons: IssuingStateUncertainty[] = [];
  if (first && second !== undefined && second !== first) reasons.push('engines_disagree');
  if (titleStates !== null && !titleStates.includes(value)) reasons.push('title_disagrees');
  const confirmed = (first !== '' && second === first) || (titleStates !== null && titleStates.includes(value));
  if (reasons.length === 0 && !confirmed) reasons.push('unconfirmed');
  return { value, sign, confidence, uncertain: reasons.length > 0, reasons };
}

/**
 * The card's national title among the boxes read: the tallest box whose text is a title (the model
 * prints the national title large and the other languages small, in the background or a subtitle).
 */
export function nationalTitle(boxes: ReadonlyArray<{ readonly text: string; readonly height: number }>): string | null {
  let best: { text: string; height: number } | null = null;
  for (const b of boxes) if (statesOfTitle(b.text) !== null && (best === null || b.height > best.height)) best = b;
  return best?.text ?? null;
}
