/**
 * Numbered visual-zone fields: the EU / ISO/IEC 18013-1 driving-licence layout, where each value is
 * introduced by a field number instead of a word (`1.` surname, `2.` given names, `3.` date and place of
 * birth, `4a.` issue date, `4b.` expiry date, `4c.` authority, `4d.` personal number, `5.` licence
 * number, `7.` signature, `8.` address, `9.` categories). Pure text work on recognised boxes: which
 * part of a box is a field number, which text is its value (the rest of the box, or the next box on
 * the same row when the number stands alone), and whether the numbers found sit where the layout puts
 * them.
 */

/** The printed field numbers of ISO/IEC 18013-1 (front of the card). */
export type NumberedFieldKey = '1' | '2' | '3' | '4a' | '4b' | '4c' | '4d' | '5' | '7' | '8' | '9';

/**
 * Top-to-bottom order on the card: 4a and 4c share a row, as do 4b and 4d (Directive 2006/126/EC,
 * Annex I). Used to tell whether a field number read through an OCR confusion sits where it belongs.
 */
export const NUMBERED_FIELD_ROW: Readonly<Record<NumberedFieldKey, number>> = {
  '1': 0, '2': 1, '3': 2, '4a': 3, '4c': 3, '4b': 4, '4d': 4, '5': 5, '7': 6, '8': 6, '9': 7,
};

/** What OCR gives for each character of a field number (PP-OCR and tesseract on 2-3 mm print). */
const DIGIT_READS: Readonly<Record<string, string>> = {
  '1': '1', l: '1', I: '1', i: '1', '|': '1', '!': '1', ']': '1',
  '2': '2', Z: '2', z: '2',
  '3': '3',
  '4': '4', A: '4',
  '5': '5', S: '5', s: '5',
  '7': '7',
  '8': '8',
  '9': '9', g: '9',
};
/** The letter after a 4: `4b` is read `4h`, `46`, `4B`; `4a` is read `4o`, `40`; `4c` is read `4e`. */
const SUFFIX_READS: Readonly<Record<string, 'a' | 'b' | 'c' | 'd'>> = {
  a: 'a', A: 'a', o: 'a', O: 'a', '0': 'a', '@': 'a', 'α': 'a',
  b: 'b', B: 'b', h: 'b', '6': 'b', '8': 'b', 'ь': 'b',
  c: 'c', C: 'c', e: 'c', '(': 'c', 'с': 'c',
  d: 'd', D: 'd',
};

export interface NumberedToken {
  readonly key: NumberedFieldKey;
  /** Read as printed (`4b.`); false when a look-alike had to be mapped (`Ab.`, `4h`, `l.`). */
  readonly exact: boolean;
}

/**
 * The field number a token stands for, or null. `strict` (a token inside a box, after other text):
 * a single digit must carry its dot, so a stray `5` in an address is no field number.
 */
export function numberedFieldToken(token: string, strict = false): NumberedToken | null {
  const m = /^(.+?)([.,:;])?$/u.exec(token.trim());
  if (!m) return null;
  const body = m[1]!;
  const dotted = m[2] !== undefined;
  const chars = [...body];
  if (chars.length === 1) {
    // `a.` standing first in its box: `4a.` with the 4 lost (faint, or cut by the detector).
    if (!strict && dotted && /^[abcd]$/.test(chars[0]!)) return { key: `4${chars[0]}` as NumberedFieldKey, exact: false };
    const d = DIGIT_READS[chars[0]!];
    if (!d || d === '4') return null;
    if (strict && !dotted) return null;
    // A lone letter is a field number only with its dot (`S.`, `l.`): `S` alone is a word or an initial.
    if (!/\d/.test(chars[0]!) && !dotted) return null;
    return { key: d as NumberedFieldKey, exact: chars[0] === d };
  }
  if (chars.length === 2) {
    const d = DIGIT_READS[chars[0]!];
    const s = SUFFIX_READS[chars[1]!];
    if (d !== '4' || !s) return null;
    // `40`, `46`, `48` without a dot are numbers, not `4a`/`4b`; `AB`, `Ah` without one are words.
    if ((/\d/.test(chars[1]!) || chars[0] !== '4') && !dotted) return null;
    return { key: `4${s}` as NumberedFieldKey, exact: chars[0] === '4' && chars[1] === s };
  }
  return null;
}

export interface NumberedSegment {
  /** Null for text before the first field number in the box. */
  readonly key: NumberedFieldKey | null;
  readonly exact: boolean;
  /** The value's text (may be empty: a field number standing alone in its box). */
  readonly text: string;
  /** Code-point offset of the field number in the box's text (of the value for the leading segment). */
  readonly labelStart: number;
  /** Code-point offsets of `text` in the box's text. */
  readonly start: number;
  readonly end: number;
}

interface Word {
  text: string;
  start: number;
  end: number;
}

function words(chars: readonly string[]): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < chars.length) {
    if (/\s/.test(chars[i]!)) { i++; continue; }
    const start = i;
    while (i < chars.length && !/\s/.test(chars[i]!)) i++;
    out.push({ text: chars.slice(start, i).join(''), start, end: i });
  }
  return out;
}

/**
 * Splits a box's text at its field numbers: `4a. 19.01.2013 4c. LANDRATSAMT` gives `4a` →
 * `19.01.2013` and `4c` → `LANDRATSAMT`. A number run into its value (`1.MUSTERMANN`, `3.12.03.1985`)
 * is split too; `4 b.` (a space read inside the number) is joined.
 */
export function splitNumberedSegments(text: string): NumberedSegment[] {
  const chars = [...text.normalize('NFC')];
  const ws = words(chars);
  const marks: Array<{ key: NumberedFieldKey; exact: boolean; labelStart: number; valueStart: number }> = [];
  for (let w = 0; w < ws.length; w++) {
    const word = ws[w]!;
    const first = w === 0;
    let token = numberedFieldToken(word.text, !first);
    let valueStart = word.end;
    if (!token && word.text.length === 1 && DIGIT_READS[word.text] === '4' && ws[w + 1] && /^[a-dhoe][.,:]?$/.test(ws[w + 1]!.text)) {
      // `4 b.`: the space is an OCR artefact.
      token = numberedFieldToken(`4${ws[w + 1]!.text}`, !first);
      if (token) { valueStart = ws[w + 1]!.end; w++; }
    }
    if (!token) {
      // A number run into its value: `1.MUSTERMANN`, `4b.18.01.2033`, `3.12.03.1985`.
      const run = /^([^\s.,:;]{1,2})[.,:](.+)$/u.exec(word.text);
      const candidate = run ? numberedFieldToken(`${run[1]}.`, !first) : null;
      if (run && candidate) {
        const rest = run[2]!;
        const digitNumber = [...run[1]!].length === 1 && /\d/.test(run[1]!);
        // `4a.` and its kin are no date's start: anything may follow. After a one-digit number only a
        // letter or a whole date may: `1.02.1990` is a date.
        const ok = (candidate.exact && candidate.key.length === 2) || (/^\p{L}/u.test(rest) ? digitNumber || [...run[1]!].length === 2 : /^\d{1,2}[.,/-]\d{1,2}[.,/-]\d{2,4}$/.test(rest));
        if (ok) {
          token = candidate;
          valueStart = word.start + [...run[1]!].length + 1;
        }
      }
    }
    if (!token) {
      // The dot lost as well: `4cRDW`, a lower-case field letter straight before a capital.
      const bare = /^(4[abcd])(?=\p{Lu})/u.exec(word.text);
      if (bare) {
        token = { key: bare[1] as NumberedFieldKey, exact: false };
        valueStart = word.start + 2;
      }
    }
    if (token) marks.push({ ...token, labelStart: word.start, valueStart });
  }
  const segments: NumberedSegment[] = [];
  const slice = (s: number, e: number): NumberedSegment['text'] => chars.slice(s, e).join('');
  const trimmed = (key: NumberedFieldKey | null, exact: boolean, labelStart: number, s: number, e: number): NumberedSegment => {
    while (s < e && /\s/.test(chars[s]!)) s++;
    while (e > s && /\s/.test(chars[e - 1]!)) e--;
    return { key, exact, text: slice(s, e), labelStart: key === null ? s : labelStart, start: s, end: e };
  };
  const firstLabel = marks[0]?.labelStart ?? chars.length;
  if (firstLabel > 0) {
    const lead = trimmed(null, true, 0, 0, firstLabel);
    if (lead.text) segments.push(lead);
  }
  marks.forEach((m, i) => segments.push(trimmed(m.key, m.exact, m.labelStart, m.valueStart, marks[i + 1]?.labelStart ?? chars.length)));
  return segments;
}

/**
 * The date at the start of a value (`12.03.1985 BERLIN`: the place of birth follows the date in
 * field 3): the shortest run of leading words that `parse` accepts; else a numeric date run into the
 * place (`28.07.1950UT0PIA`, the space lost by OCR); else the whole text.
 */
export function leadingDateText(text: string, parses: (candidate: string) => boolean): string {
  const ws = text.trim().split(/\s+/).filter(Boolean);
  for (let k = 1; k <= Math.min(ws.length, 4); k++) {
    const candidate = ws.slice(0, k).join(' ');
    if (parses(candidate)) return candidate;
  }
  const first = ws[0] ?? '';
  // A four-digit year of real digits; or two digits followed by a letter that no digit is read as
  // (`12.03.85BERLIN`): `12.03.19` from `12.03.195OUT...` must not pass for a year 2019.
  const run = /^([^\s./-]{1,2}[./-][^\s./-]{1,2}[./-]\d{4})(?!\d)/u.exec(first) ?? /^([^\s./-]{1,2}[./-][^\s./-]{1,2}[./-]\d{2})(?=[ACEFHJKMNPRUVWXY])/u.exec(first);
  if (run && parses(run[1]!)) return run[1]!;
  return text.trim();
}

/** Text with a leading field number (a second engine's read of a crop that caught it) removed. */
export function withoutFieldNumber(text: string): string {
  const segments = splitNumberedSegments(text);
  if (segments[0]?.key == null) return text.trim();
  return segments.map((s) => s.text).filter(Boolean).join(' ');
}
