/**
 * Printed visual-zone (VIZ) fields from OCR'd text boxes: which box is a field label, which box holds
 * its value (below the label, or to its right on the same row), and each value normalised (names in
 * upper case, dates to ISO, the document number without separators), with a confidence. Pure: the
 * worker detects and recognises the boxes; this decides what they mean. Layouts that number their
 * fields instead of naming them (EU driving licences) are read through `viz-numbered.ts`.
 */
import { NUMBERED_FIELD_ROW, leadingDateText, splitNumberedSegments, withoutFieldNumber, type NumberedFieldKey, type NumberedSegment } from './viz-numbered.ts';

export type VizFieldName = 'surname' | 'givenNames' | 'birthDate' | 'expiryDate' | 'issueDate' | 'documentNumber' | 'sex' | 'nationality';

export const VIZ_FIELDS: readonly VizFieldName[] = ['surname', 'givenNames', 'birthDate', 'expiryDate', 'issueDate', 'documentNumber', 'sex', 'nationality'];

/** One recognised text box on the rectified document (pixels), with its characters' confidences. */
export interface VizTextBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly text: string;
  /** One per character of `text`, 0..1. */
  readonly confidences: readonly number[];
}

export interface VizField {
  /** Normalised value (ISO date, upper-case name, separators dropped from the number); null when unparseable. */
  readonly value: string | null;
  /** The value box's text as read. */
  readonly raw: string;
  /** 0..1: the least confident character of the value, lowered when the parse had to repair it. */
  readonly confidence: number;
  /** Below the confidence floor, repaired, or unparseable: show as unconfirmed, never compare as certain. */
  readonly uncertain: boolean;
  /** Why it is uncertain. */
  readonly reasons: readonly VizUncertainty[];
  readonly labelBox: Pick<VizTextBox, 'x' | 'y' | 'width' | 'height'>;
  readonly valueBox: Pick<VizTextBox, 'x' | 'y' | 'width' | 'height'>;
  /** The printed field number (`4b`) when the layout numbers its fields (EU driving licence); absent for word labels. */
  readonly labelKey?: NumberedFieldKey;
}

/**
 * `label_uncertain`: a field number read through a look-alike (`Ab.` for `4b.`) that its place on the
 * card does not confirm, or two numbers out of the layout's order. `inconsistent_dates`: birth, issue and
 * expiry dates that cannot all be right (issued before birth, expiring before issue).
 */
export type VizUncertainty = 'low_confidence' | 'repaired' | 'unparseable' | 'ambiguous_date' | 'engines_disagree' | 'label_uncertain' | 'inconsistent_dates';

export interface VisualZoneReading {
  readonly fields: Partial<Record<VizFieldName, VizField>>;
  /** `numbered` when the page numbers its fields (EU driving licence layout), else `labelled`. */
  readonly layout?: 'labelled' | 'numbered';
  /** Boxes recognised as labels (for diagnostics). */
  readonly labels: number;
  /** All text boxes seen. */
  readonly boxes: number;
}

/**
 * Keywords per field, on the label lower-cased with accents and everything but letters dropped.
 * Checked in this order: `prenoms` contains `nom`, so given names come before the surname.
 */
const LABEL_KEYWORDS: ReadonlyArray<[VizFieldName, readonly string[]]> = [
  ['givenNames', ['givenname', 'prenom', 'firstname', 'forename', 'vorname', 'nombres', 'imiona']],
  ['surname', ['surname', 'familyname', 'lastname', 'nachname', 'apellido', 'cognome', 'nazwisko', 'nom']],
  ['birthDate', ['dateofbirth', 'birth', 'naissance', 'geburt', 'nacimiento', 'nascita']],
  ['expiryDate', ['dateofexpiry', 'expiry', 'expiration', 'expires', 'validuntil', 'gultigbis', 'caducidad', 'scadenza']],
  ['issueDate', ['dateofissue', 'issue', 'delivrance', 'ausstellung', 'expedicion', 'rilascio']],
  ['documentNumber', ['documentno', 'documentnumber', 'docno', 'passportno', 'cardno', 'cardnumber', 'passportnumber', 'numerodocument', 'dokumentnummer']],
  ['nationality', ['nationality', 'nationalite', 'staatsangehorigkeit', 'nacionalidad', 'nazionalita']],
  ['sex', ['sex', 'sexe', 'geschlecht', 'sexo', 'sesso']],
];

function letters(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]/g, '');
}

/** Least edits turning `needle` into some substring of `hay` (Sellers' approximate substring match). */
export function substringEditDistance(hay: string, needle: string): number {
  let prev = new Array<number>(hay.length + 1).fill(0);
  for (let i = 1; i <= needle.length; i++) {
    const cur = [i];
    for (let j = 1; j <= hay.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (needle[i - 1] === hay[j - 1] ? 0 : 1));
    prev = cur;
  }
  return Math.min(...prev);
}

/**
 * The field a label names, or null. Keywords of 6+ letters allow one OCR error; shorter ones must be
 * exact. A label is short: text of more than 40 letters is no label.
 */
export function vizLabelField(text: string): VizFieldName | null {
  const l = letters(text);
  if (l.length < 3 || l.length > 40) return null;
  for (const [field, keywords] of LABEL_KEYWORDS) {
    for (const k of keywords) {
      if (k.length >= 6 ? substringEditDistance(l, k) <= 1 : l.includes(k)) return field;
    }
  }
  return null;
}

const MONTHS: ReadonlyArray<readonly string[]> = [
  ['JAN', 'JANV', 'JANVIER', 'JANUARY', 'ENE', 'GEN', 'JANUAR'],
  ['FEB', 'FEV', 'FEVR', 'FEVRIER', 'FEBRUARY', 'FEBRUAR'],
  ['MAR', 'MARS', 'MARCH', 'MAERZ', 'MARZ', 'MARZO'],
  ['APR', 'AVR', 'AVRIL', 'APRIL', 'ABR', 'ABRIL', 'APRILE'],
  ['MAY', 'MAI', 'MAYO', 'MAG', 'MAGGIO'],
  ['JUN', 'JUIN', 'JUNE', 'JUNI', 'JUNIO', 'GIU'],
  ['JUL', 'JUIL', 'JUILLET', 'JULY', 'JULI', 'JULIO', 'LUG'],
  ['AUG', 'AOUT', 'AUGUST', 'AGO', 'AGOSTO'],
  ['SEP', 'SEPT', 'SEPTEMBER', 'SEPTEMBRE', 'SET'],
  ['OCT', 'OCTOBER', 'OCTOBRE', 'OKT', 'OKTOBER', 'OTT'],
  ['NOV', 'NOVEMBER', 'NOVEMBRE'],
  ['DEC', 'DECEMBER', 'DECEMBRE', 'DEZ', 'DEZEMBER', 'DIC'],
];

/** Letters OCR gives for digits in a place that can only hold digits. */
const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = { O: '0', Q: '0', D: '0', I: '1', L: '1', '|': '1', Z: '2', S: '5', B: '8', G: '6', T: '7' };

/** Digits OCR gives for letters of a month's name (`0CT`, `5EP`, `AU6`). */
const LETTER_LOOKALIKES: Readonly<Record<string, string>> = { '0': 'O', '1': 'I', '5': 'S', '8': 'B', '6': 'G', '2': 'Z' };

/**
 * Each 3-letter month name read with one or more of its letters as digits (PP-OCR reads `26 OCT 2029`
 * as `260CT2029`: fresh 206000, strong MRV-B 306009), written back as the name. Only where at least two
 * of its three characters are letters and it does not run into further letters (a word), so a day or a
 * year is never read as a month.
 */
const MONTH_WITH_DIGITS = new RegExp(
  `(?<![A-Z])(${MONTHS.flatMap((names) => names.filter((n) => n.length === 3)).map((name) => [...name].map((c) => {
    const digit = Object.keys(LETTER_LOOKALIKES).find((d) => LETTER_LOOKALIKES[d] === c);
    return digit ? `[${c}${digit}]` : c;
  }).join('')).join('|')})(?![A-Z])`, 'g',
);

function repairMonthDigits(text: string): string {
  return text.replace(MONTH_WITH_DIGITS, (match) => (match.replace(/\d/g, '').length >= 2 ? [...match].map((c) => LETTER_LOOKALIKES[c] ?? c).join('') : match));
}

function monthFromName(word: string): number | null {
  const w = word.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase().replace(/[^A-Z]/g, '');
  if (w.length < 3) return null;
  for (let m = 0; m < 12; m++) if (MONTHS[m]!.includes(w)) return m + 1;
  // One OCR error in a 3-letter abbreviation (AUC, 0CT...): only when exactly one month is that close.
  const near = MONTHS.map((names, m) => (names.some((n) => n.length === w.length && [...n].filter((c, i) => c !== w[i]).length <= 1) ? m + 1 : 0)).filter((m) => m > 0);
  return near.length === 1 ? near[0]! : null;
}

export type DateKind = 'birth' | 'expiry' | 'issue';

export interface PrintedDate {
  /** ISO yyyy-mm-dd, or null. */
  readonly iso: string | null;
  /** Letters were read as digits, or a month name was one letter off. */
  readonly repaired: boolean;
  /** Two readings are possible (a numeric date whose order cannot be told). */
  readonly ambiguous: boolean;
}

function isoOf(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function fullYear(y: string, kind: DateKind, referenceYear: number): number {
  if (y.length === 4) return Number(y);
  const yy = Number(y);
  // Birth dates lie in the past; expiry dates within the next decades; issue dates in the past.
  if (kind === 'expiry') return 2000 + yy;
  return 2000 + yy > referenceYear ? 1900 + yy : 2000 + yy;
}

/**
 * A printed date to ISO: `12 AUG 1974`, `12 AUG/AOUT 74`, `12.08.1974`, `12/08/74`, `1974-08-12`,
 * `12 08 1974`. Numeric dates are read day first (ICAO 9303-4 visual zone); year first when the first
 * group has four digits. Letters where only digits can stand (O, I, S...) are repaired and said so.
 */
export function parsePrintedDate(text: string, kind: DateKind = 'birth', referenceYear = new Date().getUTCFullYear()): PrintedDate {
  const none: PrintedDate = { iso: null, repaired: false, ambiguous: false };
  const read = text.normalize('NFC').toUpperCase().trim();
  const raw = repairMonthDigits(read);
  if (!raw) return none;
  // Tokens: runs of letters, runs of digits (letters next to digits are digit look-alikes when a
  // month name does not fit).
  // `28JUN2024`: a month name run into its numbers (3+ letters, so a lone O for 0 stays put).
  const spaced = raw.replace(/(\d)(\p{L}{3,})/gu, '$1 $2').replace(/(\p{L}{3,})(\d)/gu, '$1 $2');
  const tokens = spaced.split(/[\s./\-,]+/).filter(Boolean);
  let repaired = raw !== read;
  const asDigits = (t: string): string | null => {
    if (/^\d+$/.test(t)) return t;
    if (!/\d/.test(t) && t.length > 2) return null;
    let out = '';
    for (const c of t) {
      if (/\d/.test(c)) out += c;
      else if (DIGIT_LOOKALIKES[c]) { out += DIGIT_LOOKALIKES[c]; repaired = true; } else return null;
    }
    return out;
  };
  let day: string | null = null;
  let month: number | null = null;
  let year: string | null = null;
  const numbers: string[] = [];
  for (const t of tokens) {
    const m = /\d/.test(t) && t.length <= 2 ? null : monthFromName(t);
    if (m !== null && month === null && !/^\d+$/.test(t)) {
      const exact = MONTHS[m - 1]!.includes(t.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Z]/g, ''));
      if (!exact) repaired = true;
      month = m;
      continue;
    }
    // A second month name (bilingual `AUG/AOUT`) is skipped.
    if (month !== null && m !== null && !/\d/.test(t)) continue;
    const d = asDigits(t);
    if (d === null) continue;
    numbers.push(d);
  }
  if (month !== null) {
    // `12 AUG 1974`, or `AUG 12 1974`.
    if (numbers.length < 2) return none;
    const y = numbers.find((n) => n.length === 4) ?? numbers[numbers.length - 1]!;
    day = numbers.find((n) => n !== y && n.length <= 2) ?? null;
    year = y;
    if (!day || (year.length !== 2 && year.length !== 4)) return none;
    const iso = isoOf(fullYear(year, kind, referenceYear), month, Number(day));
    return iso ? { iso, repaired, ambiguous: false } : none;
  }
  // Purely numeric: one group of 8 (DDMMYYYY / YYYYMMDD) or three groups.
  let parts = numbers;
  if (parts.length === 1 && parts[0]!.length === 8) {
    const s = parts[0]!;
    parts = /^(19|20)/.test(s) && Number(s.slice(4, 6)) <= 12 ? [s.slice(0, 4), s.slice(4, 6), s.slice(6)] : [s.slice(0, 2), s.slice(2, 4), s.slice(4)];
  }
  if (parts.length !== 3) return none;
  const [a, b, c] = parts as [string, string, string];
  if (a.length === 4 && b.length <= 2 && c.length <= 2) {
    const iso = isoOf(Number(a), Number(b), Number(c));
    return iso ? { iso, repaired, ambiguous: false } : none;
  }
  if (a.length > 2 || b.length > 2 || (c.length !== 2 && c.length !== 4)) return none;
  const y = fullYear(c, kind, referenceYear);
  const dayFirst = isoOf(y, Number(b), Number(a));
  const monthFirst = isoOf(y, Number(a), Number(b));
  // Day first is the rule; a date that only parses month first (08/13/1974) is a US-style print.
  if (dayFirst) return { iso: dayFirst, repaired, ambiguous: false };
  return monthFirst ? { iso: monthFirst, repaired, ambiguous: true } : none;
}

export interface ParsedVizValue {
  readonly value: string | null;
  readonly repaired: boolean;
  readonly ambiguous: boolean;
}

/** Normalises a value box's text for `field`. */
export function parseVizValue(field: VizFieldName, text: string, referenceYear = new Date().getUTCFullYear()): ParsedVizValue {
  const t = text.normalize('NFC').trim();
  switch (field) {
    case 'birthDate':
    case 'expiryDate':
    case 'issueDate': {
      const d = parsePrintedDate(t, field === 'birthDate' ? 'birth' : field === 'expiryDate' ? 'expiry' : 'issue', referenceYear);
      return { value: d.iso, repaired: d.repaired, ambiguous: d.ambiguous };
    }
    case 'surname':
    case 'givenNames': {
      // Letters (any script), spaces, hyphens, apostrophes; a digit in a name is an OCR error.
      const upper = t.toUpperCase().replace(/[,;:]+/g, ' ').replace(/\s+/g, ' ').trim();
      if (!upper || /\d/.test(upper) || !/^[\p{L}][\p{L}\p{M}' -]*$/u.test(upper)) return { value: null, repaired: false, ambiguous: false };
      return { value: upper, repaired: false, ambiguous: false };
    }
    case 'documentNumber': {
      const v = t.toUpperCase().replace(/[\s\-./]/g, '');
      return { value: /^[A-Z0-9]{5,20}$/.test(v) ? v : null, repaired: false, ambiguous: false };
    }
    case 'sex': {
      // `M`, `F`, `X`, bilingual `F/F`, `M/H`; German `W` is female.
      const first = t.toUpperCase().replace(/[^A-Z]/g, '');
      const v = first[0] === 'W' ? 'F' : first[0];
      return { value: v && 'MFX'.includes(v) && first.length <= 3 ? v : null, repaired: false, ambiguous: false };
    }
    case 'nationality': {
      const v = t.toUpperCase().replace(/[^A-Z ]/g, '').trim();
      return { value: v.length >= 1 ? v : null, repaired: false, ambiguous: false };
    }
  }
}

export interface AssembleOptions {
  /** A value whose least confident character is below this is uncertain (default 0.8). */
  minConfidence?: number;
  /** Year two-digit dates are judged against (default this year). */
  referenceYear?: number;
}

type Rect = Pick<VizTextBox, 'x' | 'y' | 'width' | 'height'>;

const rectOf = (b: Rect): Rect => ({ x: b.x, y: b.y, width: b.width, height: b.height });

/**
 * Distance from a label to a value box, in label heights, or null when the box cannot be its value:
 * below the label (left edges within 2 label heights, or the value starting inside the label's
 * span; the gap under 1.6 label heights) or right of it on the same row (within 8 label heights).
 */
function valueDistance(label: Rect, value: Rect): number | null {
  const h = label.height;
  const labelBottom = label.y + label.height;
  const labelCy = label.y + label.height / 2;
  const valueCy = value.y + value.height / 2;
  if (valueCy > labelBottom - 0.2 * h) {
    const gap = value.y - labelBottom;
    const aligned = Math.abs(value.x - label.x) <= 2 * h || (value.x >= label.x && value.x <= label.x + label.width);
    if (!aligned || gap > 1.6 * h || gap < -0.6 * h) return null;
    return Math.max(0, gap) / h + Math.abs(value.x - label.x) / (4 * h);
  }
  if (Math.abs(valueCy - labelCy) < 0.5 * Math.max(h, value.height)) {
    const gap = value.x - (label.x + label.width);
    if (gap < -0.5 * h || gap > 8 * h) return null;
    return 0.5 + Math.max(0, gap) / (4 * h);
  }
  return null;
}

function fieldOf(parsed: ParsedVizValue, raw: string, confidences: readonly number[], minConfidence: number, labelBox: Rect, valueBox: Rect, extra: readonly VizUncertainty[] = [], labelKey?: NumberedFieldKey): VizField {
  // Spaces are read with lower confidence than glyphs and change no parsed value.
  const glyphs = confidences.filter((_, i) => [...raw][i] !== ' ');
  const least = glyphs.length > 0 ? Math.min(...glyphs) : 0;
  const confidence = parsed.repaired ? least * 0.6 : least;
  const reasons: VizUncertainty[] = [];
  if (parsed.value === null) reasons.push('unparseable');
  if (parsed.repaired) reasons.push('repaired');
  if (parsed.ambiguous) reasons.push('ambiguous_date');
  if (least < minConfidence) reasons.push('low_confidence');
  reasons.push(...extra);
  return { value: parsed.value, raw, confidence, uncertain: reasons.length > 0, reasons, labelBox: rectOf(labelBox), valueBox: rectOf(valueBox), ...(labelKey ? { labelKey } : {}) };
}

function keepBetter(fields: Partial<Record<VizFieldName, VizField>>, name: VizFieldName, field: VizField): void {
  const previous = fields[name];
  if (!previous || (previous.uncertain && !field.uncertain) || (previous.uncertain === field.uncertain && field.confidence > previous.confidence)) fields[name] = field;
}

/** The fields a numbered layout prints that this reader returns (4c authority, 4d, 7, 8, 9 are passed over). */
const NUMBERED_FIELDS: Partial<Record<NumberedFieldKey, VizFieldName>> = {
  '1': 'surname', '2': 'givenNames', '3': 'birthDate', '4a': 'issueDate', '4b': 'expiryDate', '5': 'documentNumber',
};

const DATE_FIELDS: readonly VizFieldName[] = ['birthDate', 'issueDate', 'expiryDate'];

/**
 * A numbered field's value text as the field wants it: a leading field number dropped (a second
 * engine's crop may catch it), and for dates only the date at the start (field 3 prints the place of
 * birth after it).
 */
export function numberedValueText(field: VizFieldName, text: string, referenceYear = new Date().getUTCFullYear()): string {
  const value = withoutFieldNumber(text);
  return DATE_FIELDS.includes(field) ? leadingDateText(value, (c) => parseVizValue(field, c, referenceYear).value !== null) : value;
}

/** A sub-rectangle of a box (whole pixels) for code points [start, end) of its text (proportional: the line's glyphs are about evenly spaced). */
function spanRect(box: VizTextBox, start: number, end: number): Rect {
  // Glyph widths in a sans-serif face, relative to a capital: dots and slashes are narrow, digits
  // narrower than capitals (a proportional cut of `22.12.1957UT0PIA` by character count ran into `UT`).
  // Digits, `1` included, share one width (tabular figures, in DejaVu and Liberation alike): a narrow
  // `1` ended the cut of `11.08.1989 KRAKOW` inside the last `9`.
  const chars = [...box.text];
  const widthOf = (c: string): number => (/[.,:;'|!iIl\/ ]/.test(c) ? 0.4 : /\d/.test(c) ? 0.8 : 1);
  const total = Math.max(1e-6, chars.reduce((a, c) => a + widthOf(c), 0));
  const before = (i: number): number => chars.slice(0, i).reduce((a, c) => a + widthOf(c), 0);
  const x0 = box.x + (box.width * before(start)) / total;
  const x1 = box.x + (box.width * before(end)) / total;
  // A little margin so the crop does not clip the first and last glyphs.
  const pad = Math.min(box.height * 0.3, box.width * 0.02 + 1);
  // Whole pixels: the worker crops by them.
  const x = Math.max(box.x, Math.floor(x0 - pad));
  return { x, y: box.y, width: Math.max(1, Math.min(box.x + box.width, Math.ceil(x1 + pad)) - x), height: box.height };
}

interface NumberedAssembly {
  fields: Partial<Record<VizFieldName, VizField>>;
  /** Field numbers found. */
  labels: number;
  /** Boxes read as part of the numbered layout (no word label is looked for in them). */
  used: Set<VizTextBox>;
  /** Taken as numbered on the card's title alone (too few numbers read): word labels, if any, win. */
  weak: boolean;
}

/** Rows of the left field column, top to bottom: where a value whose number was not read is placed. */
const LEFT_COLUMN: readonly NumberedFieldKey[] = ['1', '2', '3', '4a', '4b', '5'];

interface NumberedCandidate {
  key: NumberedFieldKey;
  exact: boolean;
  labelBox: Rect;
  valueBox: VizTextBox;
  seg: NumberedSegment | null;
  centre: number;
  height: number;
  /** Placed by its row alone (its number was not read). */
  inferred?: boolean;
  /** For an inferred one: how far from its row's predicted centre, in row pitches. */
  residual?: number;
  /** Placed as one of the three stacked dates. */
  stacked?: boolean;
}

/** Titles of licences in the EU languages (letters only, lower case, accents dropped). */
const LICENCE_TITLES = ['drivinglicence', 'drivinglicense', 'permisdeconduire', 'fuhrerschein', 'patentediguida', 'rijbewijs', 'prawojazdy', 'permisodeconduccion', 'cartadeconducao', 'korkort', 'ajokortti', 'korekort', 'vozackadozvola', 'ridicskyprukaz', 'vezetoiengedely'];

/** The card says it is a driving licence (one OCR error allowed in the longer titles). */
export function isLicenceTitle(text: string): boolean {
  const l = letters(text);
  return l.length >= 7 && LICENCE_TITLES.some((t) => (t.length >= 10 ? substringEditDistance(l, t) <= 1 : l.includes(t)));
}

/**
 * Three boxes that start with a date, left edges aligned, stacked top to bottom at one pitch (within
 * 25%): the birth, issue and expiry rows of a licence whose field numbers were not read. Empty unless
 * exactly one such stack exists.
 */
function dateStack(leads: ReadonlyArray<{ box: VizTextBox; seg: NumberedSegment | undefined }>, referenceYear: number): Array<{ box: VizTextBox; seg: NumberedSegment; index: number }> {
  const dated = leads.filter((l): l is { box: VizTextBox; seg: NumberedSegment } => l.seg !== undefined && l.seg.key === null && parseVizValue('birthDate', numberedValueText('birthDate', l.seg.text, referenceYear), referenceYear).value !== null)
    .sort((a, b) => a.box.y - b.box.y);
  const stacks: Array<typeof dated> = [];
  for (let i = 0; i + 2 < dated.length; i++) {
    const [a, b, c] = [dated[i]!, dated[i + 1]!, dated[i + 2]!];
    const h = Math.max(a.box.height, b.box.height, c.box.height);
    const p1 = b.box.y - a.box.y;
    const p2 = c.box.y - b.box.y;
    if (Math.max(Math.abs(a.box.x - b.box.x), Math.abs(b.box.x - c.box.x)) > 1.5 * h) continue;
    if (p1 < 0.8 * h || p2 < 0.8 * h || Math.abs(p1 - p2) > 0.25 * Math.max(p1, p2)) continue;
    stacks.push([a, b, c]);
  }
  return stacks.length === 1 ? stacks[0]!.map((d, index) => ({ ...d, index })) : [];
}

/**
 * The layout's order. Two numbers contradict each other when their rows on the card disagree with
 * their places in the image (or one number is found twice). The number in most contradictions is set
 * aside until none are left: one misread number (`7.` read `1`) then doubts itself, not the others.
 * The same number read exactly twice is doubted in both places (nothing tells which is its own).
 */
function doubtedNumbers(candidates: readonly NumberedCandidate[]): Set<NumberedCandidate> {
  const contradicts = (c: NumberedCandidate, o: NumberedCandidate): boolean => {
    const h = Math.max(c.height, o.height);
    const dr = NUMBERED_FIELD_ROW[o.key] - NUMBERED_FIELD_ROW[c.key];
    const dy = o.centre - c.centre;
    if (o.key === c.key) return true;
    if (dr === 0) return Math.abs(dy) > 0.6 * h;
    return dr > 0 ? dy < 0.4 * h : dy > -0.4 * h;
  };
  const doubted = new Set<NumberedCandidate>();
  for (;;) {
    let worst: NumberedCandidate | null = null;
    let worstCount = 0;
    for (const c of candidates) {
      if (doubted.has(c)) continue;
      const n = candidates.filter((o) => o !== c && !doubted.has(o) && contradicts(c, o)).length;
      // Ties: the inexact reading goes first.
      if (n > worstCount || (n === worstCount && n > 0 && worst?.exact && !c.exact)) { worst = c; worstCount = n; }
    }
    if (!worst) break;
    doubted.add(worst);
  }
  for (const c of candidates) if (c.exact && candidates.some((o) => o !== c && o.exact && o.key === c.key)) doubted.add(c);
  return doubted;
}

/**
 * The numbered layout (EU / ISO 18013-1 driving licence): each field number with the rest of its box,
 * or, standing alone, with the text that follows it on the same row. Taken as a layout only when at
 * least 3 different field numbers are found, 2 of them read exactly: a lone `1` in an address is not.
 * A value in the left column whose number was not detected is placed by its row, and flagged.
 */
function assembleNumbered(boxes: readonly VizTextBox[], minConfidence: number, referenceYear: number): NumberedAssembly | null {
  // Specks (a fleck of a glyph read as `1`) are no field numbers: under half the typical line height.
  const heights = boxes.map((b) => b.height).sort((a, b) => a - b);
  const typical = heights[Math.floor(heights.length / 2)] ?? 0;
  const split = boxes.map((box) => ({ box, segments: box.height >= 0.5 * typical ? splitNumberedSegments(box.text) : [] }));
  const keyed = split.flatMap(({ box, segments }) => segments.filter((s) => s.key !== null).map((raw) => {
    // A field number read with little confidence counts as a look-alike.
    const labelConfidence = Math.min(1, ...box.confidences.slice(raw.labelStart, Math.max(raw.labelStart + 1, raw.start)));
    return { box, seg: { ...raw, exact: raw.exact && labelConfidence >= 0.5 } as NumberedSegment & { key: NumberedFieldKey } };
  }));
  const distinct = new Set(keyed.map((k) => k.seg.key));
  const exactDistinct = new Set(keyed.filter((k) => k.seg.exact).map((k) => k.seg.key));
  const titled = boxes.some((b) => isLicenceTitle(b.text));
  if ((distinct.size < 3 || exactDistinct.size < 2) && !titled) return null;
  const used = new Set<VizTextBox>(keyed.map((k) => k.box));
  const cy = (b: Rect): number => b.y + b.height / 2;
  // Numbers standing alone take the text after them on their row: nearest pairs first, each text once.
  const leads = split.filter(({ box, segments }) => segments[0] && segments[0].key === null && !used.has(box)).map(({ box, segments }) => ({ box, seg: segments[0]! }));
  const pairs: Array<{ label: (typeof keyed)[number]; lead: (typeof leads)[number]; d: number }> = [];
  for (const label of keyed) {
    // A value of one or two characters is a glyph the number's box caught from its neighbour (`4b.2`
    // beside `24/11/2035`): the text after it on the row is looked for too.
    if ([...label.seg.text].length > 2) continue;
    const l = label.box;
    for (const lead of leads) {
      const v = lead.box;
      const h = Math.max(l.height, v.height);
      const gap = v.x - (l.x + l.width);
      // Detector boxes of a number and its value can overlap by a glyph's width.
      if (Math.abs(cy(v) - cy(l)) >= 0.5 * h || gap <= -1.2 * h || gap >= 6 * h || v.x + v.width / 2 <= l.x + l.width) continue;
      pairs.push({ label, lead, d: Math.max(0, gap) / h + (label.seg.exact ? 0 : 1) });
    }
  }
  pairs.sort((a, b) => a.d - b.d);
  const follower = new Map<(typeof keyed)[number], (typeof leads)[number]>();
  const taken = new Set<VizTextBox>();
  for (const { label, lead } of pairs) {
    if (follower.has(label) || taken.has(lead.box)) continue;
    follower.set(label, lead);
    taken.add(lead.box);
    used.add(lead.box);
  }
  const candidates: NumberedCandidate[] = keyed.map((k) => {
    const f = follower.get(k) ?? (k.seg.text ? { box: k.box, seg: k.seg as NumberedSegment } : null);
    return { key: k.seg.key, exact: k.seg.exact, labelBox: spanRect(k.box, k.seg.labelStart, k.seg.start), valueBox: f?.box ?? k.box, seg: f?.seg ?? null, centre: cy(k.box), height: k.box.height };
  });
  // Values whose number was not read: in the left column's value alignment, on a row the found numbers' pitch predicts.
  if (candidates.filter((c) => c.seg && LEFT_COLUMN.includes(c.key)).length < 2) {
    // Blur took the small field numbers: the three dates (3, 4a, 4b), stacked at one pitch in one column, place the rows.
    for (const c of dateStack(split.map(({ box, segments }) => ({ box, seg: segments[0] })), referenceYear)) {
      const key = (['3', '4a', '4b'] as const)[c.index]!;
      if (candidates.some((o) => o.key === key && o.seg)) continue;
      taken.add(c.box);
      used.add(c.box);
      candidates.push({ key, exact: false, labelBox: rectOf(c.box), valueBox: c.box, seg: c.seg, centre: cy(c.box), height: c.box.height, inferred: true, residual: 0, stacked: true });
    }
  }
  const column = candidates.filter((c) => c.seg && LEFT_COLUMN.includes(c.key) && (!c.inferred || c.stacked));
  if (column.length >= 2) {
    const rows = column.map((c) => LEFT_COLUMN.indexOf(c.key));
    const mr = rows.reduce((a, b) => a + b, 0) / rows.length;
    const my = column.reduce((a, c) => a + c.centre, 0) / column.length;
    const sxx = rows.reduce((a, r) => a + (r - mr) ** 2, 0);
    const pitch = sxx > 0 ? rows.reduce((a, r, i) => a + (r - mr) * (column[i]!.centre - my), 0) / sxx : 0;
    const lefts = column.map((c) => spanRect(c.valueBox, c.seg!.start, c.seg!.end).x).sort((a, b) => a - b);
    const valueLeft = lefts[Math.floor(lefts.length / 2)]!;
    const found = new Set(candidates.map((c) => c.key));
    if (pitch > 0) for (const lead of leads) {
      if (taken.has(lead.box) || vizLabelField(lead.box.text) !== null) continue;
      const h = lead.box.height;
      if (Math.abs(lead.box.x - valueLeft) > 1.5 * h) continue;
      const r = mr + (cy(lead.box) - my) / pitch;
      const row = Math.round(r);
      const key = LEFT_COLUMN[row];
      if (!key || Math.abs(r - row) > 0.25 || found.has(key)) continue;
      found.add(key);
      taken.add(lead.box);
      used.add(lead.box);
      candidates.push({ key, exact: false, labelBox: rectOf(lead.box), valueBox: lead.box, seg: lead.seg, centre: cy(lead.box), height: h, inferred: true, residual: Math.abs(r - row) });
    }
  }
  const doubted = doubtedNumbers(candidates.filter((c) => !c.inferred));
  const sure = (key: NumberedFieldKey | undefined): boolean => key === undefined || candidates.some((o) => o.key === key && o.exact && !o.inferred && !doubted.has(o));
  // A value placed by its row is taken as that field only when it sits within a fifth of a row pitch of
  // where the found numbers put it and the rows either side of it were read exactly; otherwise it is doubted.
  const placedSurely = (c: NumberedCandidate): boolean => {
    const i = LEFT_COLUMN.indexOf(c.key);
    if ((c.residual ?? 1) >= 0.2) return false;
    if (sure(LEFT_COLUMN[i - 1]) && sure(LEFT_COLUMN[i + 1])) return true;
    // Or a tight fit to the pitch of exactly read numbers on at least three rows (the detector often
    // loses the one-digit numbers `1.`, `2.`, `3.` together; `4a.`, `4b.`, `5.` then place those rows).
    const exactRows = new Set(candidates.filter((o) => o.exact && !o.inferred && !doubted.has(o) && NUMBERED_FIELD_ROW[o.key] <= NUMBERED_FIELD_ROW['5']).map((o) => NUMBERED_FIELD_ROW[o.key]));
    return exactRows.size >= 3 && (c.residual ?? 1) < 0.15;
  };
  // A look-alike number is taken only where the exactly read numbers of rows 1-5 put its row: their
  // centres fitted to their rows (least squares), its centre within a quarter pitch of its row's.
  const anchors = candidates.filter((o) => o.exact && !o.inferred && !doubted.has(o) && NUMBERED_FIELD_ROW[o.key] <= NUMBERED_FIELD_ROW['5']);
  const anchorRows = anchors.map((o) => NUMBERED_FIELD_ROW[o.key]);
  const rowFit = new Set(anchorRows).size >= 2 ? (() => {
    const mr = anchorRows.reduce((a, b) => a + b, 0) / anchorRows.length;
    const my = anchors.reduce((a, o) => a + o.centre, 0) / anchors.length;
    const pitch = anchorRows.reduce((a, r, i) => a + (r - mr) * (anchors[i]!.centre - my), 0) / anchorRows.reduce((a, r) => a + (r - mr) ** 2, 0);
    return pitch > 0 ? { mr, my, pitch } : null;
  })() : null;
  const placedByFit = (c: NumberedCandidate): boolean => rowFit !== null && Math.abs(rowFit.my + (NUMBERED_FIELD_ROW[c.key] - rowFit.mr) * rowFit.pitch - c.centre) < 0.25 * rowFit.pitch;
  const outOfPlace = (c: NumberedCandidate): boolean => (c.inferred === true ? !placedSurely(c) : doubted.has(c) || (!c.exact && !placedByFit(c)));
  const fields: Partial<Record<VizFieldName, VizField>> = {};
  for (const c of candidates) {
    const name = NUMBERED_FIELDS[c.key];
    if (!name) continue;
    const extra: VizUncertainty[] = outOfPlace(c) ? ['label_uncertain'] : [];
    const text = c.seg ? numberedValueText(name, c.seg.text, referenceYear) : '';
    if (!c.seg || !text) {
      keepBetter(fields, name, fieldOf({ value: null, repaired: false, ambiguous: false }, '', [], minConfidence, c.labelBox, c.labelBox, extra, c.key));
      continue;
    }
    const offset = c.seg.text.indexOf(text);
    const start = c.seg.start + Math.max(0, offset);
    const end = start + [...text].length;
    keepBetter(fields, name, fieldOf(parseVizValue(name, text, referenceYear), text, c.valueBox.confidences.slice(start, end), minConfidence, c.labelBox, spanRect(c.valueBox, start, end), extra, c.key));
  }
  const weak = distinct.size < 3 || exactDistinct.size < 2;
  return { fields: flagInconsistentDates(fields, LICENCE_MIN_ISSUE_AGE), labels: candidates.filter((c) => !c.inferred).length, used: weak ? new Set() : used, weak };
}

/** No driving-licence category is issued before 14 (Directive 2006/126/EC: AM from 14 where a state allows it, else 15-16). */
const LICENCE_MIN_ISSUE_AGE = 14;

/**
 * Dates that cannot all be right: issued before birth or on it (before `minIssueAge`), expiring before issue, born after the
 * expiry. Each date involved is flagged; a reader that mixed up 4a and 4b, or a misread year, is caught here.
 */
export function flagInconsistentDates(fields: Partial<Record<VizFieldName, VizField>>, minIssueAge = 0): Partial<Record<VizFieldName, VizField>> {
  const v = (n: VizFieldName): string | null => fields[n]?.value ?? null;
  const bad = new Set<VizFieldName>();
  const birth = v('birthDate');
  const issue = v('issueDate');
  const expiry = v('expiryDate');
  // The birthday `minIssueAge` years on (string order is date order for ISO dates).
  const aged = birth ? `${String(Number(birth.slice(0, 4)) + minIssueAge).padStart(4, '0')}${birth.slice(4)}` : null;
  if (aged && issue && aged >= issue) { bad.add('birthDate'); bad.add('issueDate'); }
  if (issue && expiry && issue >= expiry) { bad.add('issueDate'); bad.add('expiryDate'); }
  if (birth && expiry && birth >= expiry) { bad.add('birthDate'); bad.add('expiryDate'); }
  if (bad.size === 0) return fields;
  const out = { ...fields };
  for (const n of bad) {
    const f = out[n]!;
    const reasons: VizUncertainty[] = [...new Set<VizUncertainty>([...f.reasons, 'inconsistent_dates'])];
    out[n] = { ...f, uncertain: true, reasons };
  }
  return out;
}

/**
 * Pairs label boxes with value boxes (nearest pairs first, each box used once) and parses each value.
 * A field found twice keeps the more confident reading. A page that numbers its fields (EU driving
 * licence) is read by its numbers; word labels still count for boxes outside that layout.
 */
export function assembleVisualZone(boxes: readonly VizTextBox[], options: AssembleOptions = {}): VisualZoneReading {
  const minConfidence = options.minConfidence ?? 0.8;
  const referenceYear = options.referenceYear ?? new Date().getUTCFullYear();
  const numbered = assembleNumbered(boxes, minConfidence, referenceYear);
  const rest = numbered ? boxes.filter((b) => !numbered.used.has(b)) : boxes;
  const labelled = rest.map((b) => ({ box: b, field: vizLabelField(b.text) }));
  const labels = labelled.filter((l) => l.field !== null) as Array<{ box: VizTextBox; field: VizFieldName }>;
  const values = labelled.filter((l) => l.field === null && l.box.text.trim().length > 0).map((l) => l.box);
  const pairs: Array<{ label: (typeof labels)[number]; value: VizTextBox; d: number }> = [];
  for (const label of labels) for (const value of values) {
    const d = valueDistance(label.box, value);
    if (d !== null) pairs.push({ label, value, d });
  }
  pairs.sort((a, b) => a.d - b.d);
  const usedLabels = new Set<VizTextBox>();
  const usedValues = new Set<VizTextBox>();
  const fields: Partial<Record<VizFieldName, VizField>> = {};
  for (const { label, value } of pairs) {
    if (usedLabels.has(label.box) || usedValues.has(value)) continue;
    usedLabels.add(label.box);
    usedValues.add(value);
    const parsed = parseVizValue(label.field, value.text, referenceYear);
    keepBetter(fields, label.field, fieldOf(parsed, value.text, value.confidences, minConfidence, label.box, value));
  }
  if (!numbered) return { fields, labels: labels.length, boxes: boxes.length, layout: 'labelled' };
  // The numbers decide where both read a field (a word match on a licence is incidental, a header),
  // unless the layout was taken on the title alone.
  if (numbered.weak && labels.length >= 2) return { fields: { ...numbered.fields, ...fields }, labels: labels.length + numbered.labels, boxes: boxes.length, layout: 'labelled' };
  return { fields: { ...fields, ...numbered.fields }, labels: labels.length + numbered.labels, boxes: boxes.length, layout: 'numbered' };
}

/** The certain values only, in the shape `crossCheckVisualZone` takes. */
export function certainVisualZoneValues(reading: Pick<VisualZoneReading, 'fields'>): Partial<Record<VizFieldName, string>> {
  const out: Partial<Record<VizFieldName, string>> = {};
  for (const [name, f] of Object.entries(reading.fields) as Array<[VizFieldName, VizField]>) if (!f.uncertain && f.value !== null) out[name] = f.value;
  return out;
}

/**
 * A second engine's reading of a field's value box. Two engines agreeing on the normalised value make
 * the field certain even when the first was not confident (their errors are independent: a CTC model
 * and an LSTM with its own segmentation); disagreeing makes it uncertain however confident the first
 * was. A value that needed repair, or a date only one day order fits, stays uncertain.
 */
export function withSecondReading(field: VizFieldName, reading: VizField, secondText: string, referenceYear = new Date().getUTCFullYear()): VizField {
  const text = reading.labelKey ? numberedValueText(field, secondText, referenceYear) : secondText;
  const second = parseVizValue(field, text, referenceYear);
  const agree = reading.value !== null && second.value !== null && second.value.replace(/\s+/g, ' ') === reading.value.replace(/\s+/g, ' ');
  const kept = reading.reasons.filter((r) => r === 'repaired' || r === 'ambiguous_date' || r === 'unparseable' || r === 'label_uncertain' || r === 'inconsistent_dates' || (r === 'low_confidence' && !agree));
  const reasons: VizUncertainty[] = agree ? kept : [...kept.filter((r) => r !== 'low_confidence'), 'engines_disagree', ...(kept.includes('low_confidence') ? ['low_confidence' as const] : [])];
  return { ...reading, uncertain: reasons.length > 0, reasons: [...new Set(reasons)] };
}

/**
 * Two engines that read the same name but for its spaces (`MARIAJOSE` / `MARIA JOSE`: PP-OCR drops a
 * narrow word space, tesseract.js keeps it; or the reverse) are settled by the print itself:
 * `wordGaps`, the ink gaps wider than a letter gap counted on the value's crop (null: not measurable).
 * The one reading whose spaces match that count is taken, certain; any other case leaves the field as it
 * was (doubted). Only a disagreement about spaces is settled: the letters must be the same.
 */
export function settleNameSpacing(field: VizFieldName, reading: VizField, secondText: string, wordGaps: number | null): VizField {
  if ((field !== 'surname' && field !== 'givenNames') || wordGaps === null || reading.value === null) return reading;
  if (reading.reasons.length !== 1 || reading.reasons[0] !== 'engines_disagree') return reading;
  const second = parseVizValue(field, secondText).value;
  if (second === null || second.replace(/ /g, '') !== reading.value.replace(/ /g, '')) return reading;
  const spaces = (v: string): number => (v.match(/ /g) ?? []).length;
  const fits = [reading.value, second].filter((v) => spaces(v) === wordGaps);
  if (fits.length !== 1) return reading;
  return { ...reading, value: fits[0]!, uncertain: false, reasons: [] };
}
