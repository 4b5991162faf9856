/**
 * MRZ characters no engine could read (a glare core clipped to white: no ink left), or name letters
 * the engines disagreed on (`rivals`), filled from the printed visual zone of the same page. Only fields no check digit covers and whose lost characters
 * nothing in the MRZ can restore: the names and the sex. Every filled field keeps its doubt (the caller
 * lists it in `uncertainFields`) and says where its value came from (`sources`), and the VIZ/MRZ
 * cross-check reports it `not_compared`: a value copied from the visual zone cannot confirm it.
 *
 * When a fill is made (all of these, else nothing is filled):
 * - the visual zone is this document's: a field a check digit verified in the MRZ (document number,
 *   birth date) is read in the visual zone and equal (`anchors`: read certain or not; an exact match of
 *   a verified value is no chance agreement whichever engine read it). Where the visual zone shows
 *   neither field at all (their labels lost to blur), the printed names alone may stand for it: their
 *   letters the MRZ did read agree at NAME_ANCHOR_RATIO times the letters filled or more. A verified
 *   field read certain in the visual zone and different refuses every fill (another document's page);
 * - the printed field is certain (two engines agreed, see viz-fields.ts);
 * - every MRZ position of the field that an engine did read agrees with the printed value written as
 *   the MRZ writes it (ICAO 9303-3 section 6 transliteration), or an engine offered the printed letter
 *   there too (`rivals`), or the measuring engine saw the glyph there washed out and matched nothing to
 *   it (`washedOut`): either is then filled, as an unread one is; and the read letters that agree are at
 *   least as many as the letters filled, so most of the name is the MRZ's own evidence;
 * - the printed value has one MRZ form consistent with what was read (Ä read as AE or A, not both).
 * A printed surname or given names alone (the other field's label lost) fills its part of the names
 * field when the MRZ read every position of the other part: that part is taken as the MRZ read it.
 */
import { MRZ_FORMATS, fieldSpec } from '../mrz/formats.ts';
import type { MrzFormat } from '../mrz/formats.ts';
import { parseMrz, type MrzOutputFieldName } from '../mrz/parse.ts';
import { mrzNameForm, mrzNumberForm, printedNumberForm, type VisualZoneFields } from './cross-check.ts';

/** Where a reported MRZ field value came from, when not (only) from the MRZ's own pixels. */
export type MrzFieldSource = 'visual_zone';

/** Printed values, only those read certain (the caller leaves out uncertain ones). */
export type CertainVisualZoneFields = Pick<VisualZoneFields, 'surname' | 'givenNames' | 'documentNumber' | 'birthDate' | 'sex'>;

export interface MrzToFill {
  readonly format: MrzFormat | null;
  readonly corrected: readonly string[];
  /** Per line, positions no engine read (MergedMrzRead.unread). */
  readonly unread: readonly (readonly number[])[];
  /** Per line, read positions where an engine also offered other characters (MergedMrzRead.rivals). */
  readonly rivals?: readonly Readonly<Record<number, string>>[];
  /** Per line, read positions the measuring engine saw washed out and matched nothing to (MergedMrzRead.washedOut). */
  readonly washedOut?: readonly (readonly number[])[];
  /** Per line, read positions the measuring engine saw faded yet matched a glyph to (MergedMrzRead.fadedRead). */
  readonly fadedRead?: readonly (readonly number[])[];
  /** Parsed MRZ values (as MrzReadResult.fields' values). */
  readonly fields: Partial<Record<MrzOutputFieldName, string | null>>;
  /** Fields the reading left uncertain: a printed value differing from one is no sign of another document. */
  readonly uncertainFields: readonly MrzOutputFieldName[];
  /** Fields already filled from the printed page (printed erasures): never an anchor, they would match themselves. */
  readonly sources?: Partial<Record<MrzOutputFieldName, string>>;
}

export interface FilledPosition {
  readonly line: number;
  readonly column: number;
  /** What the MRZ reading had there (the corrector's guess). */
  readonly was: string;
  readonly char: string;
  readonly source: MrzFieldSource;
}

export interface VisualZoneFill {
  /** The MRZ lines with the filled characters. */
  readonly corrected: string[];
  readonly filled: readonly FilledPosition[];
  /** Output fields whose value changed or holds a filled character, with their source. */
  readonly sources: Partial<Record<MrzOutputFieldName, MrzFieldSource>>;
  /** The new values of the fields in `sources`, parsed from `corrected`. */
  readonly values: Partial<Record<MrzOutputFieldName, string | null>>;
}

/**
 * Whether a fill could change anything: the reading leaves the names or the sex uncertain and some of
 * their positions were read by no engine, or (names) read with a rival beside the chosen letter. The
 * pipeline reads the visual zone for the fill only then.
 */
export function wantsVisualZoneFill(mrz: Pick<MrzToFill, 'format' | 'unread' | 'uncertainFields' | 'rivals' | 'washedOut' | 'fadedRead'>): boolean {
  if (!mrz.format) return false;
  const spec = MRZ_FORMATS[mrz.format];
  const uncertain = new Set(mrz.uncertainFields);
  const names = uncertain.has('surname') || uncertain.has('givenNames') ? fieldSpec(spec, 'names') : undefined;
  const sex = uncertain.has('sex') ? fieldSpec(spec, 'sex') : undefined;
  const within = (f: { start: number; end: number }, column: number): boolean => column >= f.start && column < f.end;
  const contested = names !== undefined && [...Object.keys(mrz.rivals?.[names.line] ?? {}).map(Number), ...(mrz.washedOut?.[names.line] ?? []), ...(mrz.fadedRead?.[names.line] ?? [])].some((c) => within(names, c));
  return contested || [names, sex].some((f) => f !== undefined && (mrz.unread[f.line] ?? []).some((c) => within(f, c)));
}

/** Checked fields whose equality in both zones shows the visual zone is this document's. */
const ANCHOR_FIELDS = ['documentNumber', 'birthDate'] as const;

/**
 * Without an anchor field, the printed names' letters the MRZ read must be this many times the letters
 * filled. 117031 (tuning set 17000, strong TD2): `ANNA MARIA` printed, one `A` lost, 8 read letters agree.
 */
const NAME_ANCHOR_RATIO = 4;

type AnchorValues = Pick<VisualZoneFields, 'documentNumber' | 'birthDate'>;

function anchorEquals(name: (typeof ANCHOR_FIELDS)[number], printed: string, mrz: string): boolean {
  return name === 'documentNumber' ? printedNumberForm(printed) === mrzNumberForm(mrz) : printed === mrz;
}

/**
 * 'same': an anchor field equal in both zones; 'other': a verified one read certain and different;
 * 'none': neither shown. An anchor field the MRZ reading left uncertain still anchors when the page
 * prints exactly the value read (254004, tuning 154000 strong MRV-B: the number `K679S4791` flagged
 * because tesseract.js read the check-blind `8` for `S`, printed `K679S4791`): two zones read apart
 * agreeing on nine characters are one document's whatever the MRZ's doubt; a difference there proves
 * nothing. Not a field filled from the page itself (`sources`).
 */
function anchorState(mrz: MrzToFill, certain: CertainVisualZoneFields, anchors: AnchorValues): 'same' | 'other' | 'none' {
  const uncertain = new Set(mrz.uncertainFields);
  let same = false;
  for (const name of ANCHOR_FIELDS) {
    const m = mrz.fields[name];
    if (!m || mrz.sources?.[name]) continue;
    const c = certain[name];
    if (c && !uncertain.has(name) && !anchorEquals(name, c, m)) return 'other';
    const v = anchors[name] ?? c;
    if (v && anchorEquals(name, v, m)) same = true;
  }
  if (same) return 'same';
  return ANCHOR_FIELDS.some((name) => anchors[name] || certain[name]) ? 'other' : 'none';
}

/** One way the names field may read: the text, and the span of it (offsets in the field) that is printed. */
interface NamesForm { readonly text: string; readonly printedFrom: number; readonly printedTo: number }

/**
 * The names as the MRZ's names field would hold them (every transliteration), `length` long. A part
 * given as `{ read }` is the MRZ's own (its MRZ form as read); the printed span is the other part's, or
 * from the surname's start to the end of the field when both are printed.
 */
function namesFieldForms(surname: string | { read: string }, givenNames: string | { read: string }, length: number): NamesForm[] {
  const forms = (part: string | { read: string }): string[] => (typeof part === 'string' ? (part.trim() ? mrzNameForm(part).map((f) => f.replace(/ /g, '<')) : ['']) : [part.read]);
  const out = new Map<string, NamesForm>();
  for (const s of forms(surname)) {
    for (const g of forms(givenNames)) {
      const text = `${s}${g ? `<<${g}` : ''}`;
      if (text.length > length) continue; // truncated by rules this cannot replay: no fill
      const printedFrom = typeof surname === 'string' ? 0 : s.length + 2;
      const printedTo = typeof givenNames === 'string' ? length : s.length;
      out.set(text, { text: text.padEnd(length, '<'), printedFrom, printedTo });
    }
  }
  return [...out.values()];
}

/**
 * The fills for one field span: positions where `expected` differs from the reading, each unread, a
 * printed letter an engine also offered there (`rivals`: a letter misread under glare, 250026's `N` for
 * `M`), or a position the measuring engine saw washed out (`washed`: 274037's `CHIDI` read `<` by
 * PP-OCR on cells clipped to paper); null when a read position disagrees otherwise or too little of the
 * field was read to vouch for the rest. A washed-out position agreeing with the print vouches for nothing.
 */
function spanFill(line: string, start: number, form: NamesForm, unread: ReadonlySet<number>, ratio: number, rivals: Readonly<Record<number, string>> = {}, washed: ReadonlySet<number> = new Set(), faded: ReadonlySet<number> = new Set()): Array<{ column: number; char: string }> | null {
  const expected = form.text;
  const fills: Array<{ column: number; char: string }> = [];
  let readLetters = 0;
  for (let i = 0; i < expected.length; i++) {
    const column = start + i;
    const want = expected[i]!;
    const printed = i >= form.printedFrom && i < form.printedTo;
    if (!unread.has(column)) {
      if (line[column] === want) {
        if (want !== '<' && printed && !washed.has(column)) readLetters++;
      } else if (printed && ((rivals[column] ?? '').includes(want) || washed.has(column) || faded.has(column))) fills.push({ column, char: want });
      else return null;
    } else if (!printed) {
      return null; // the part taken as the MRZ read it holds a position no engine read
    } else if (line[column] !== want) fills.push({ column, char: want });
  }
  const filledLetters = fills.filter((f) => f.char !== '<').length;
  return readLetters >= Math.max(1, ratio * filledLetters) ? fills : null;
}

/**
 * The names' parts to fill from: printed where read certain; the other part as the MRZ reading has it
 * when only one was printed (its positions are checked as read in spanFill); null when neither was.
 */
function namePartsToFill(field: string, viz: CertainVisualZoneFields): { surname: string | { read: string }; givenNames: string | { read: string } } | null {
  const split = field.indexOf('<<');
  const surnameRead = split < 0 ? field.replace(/<+$/, '') : field.slice(0, split);
  const givenRead = split < 0 ? '' : field.slice(split + 2).replace(/<+$/, '');
  if (viz.surname && typeof viz.givenNames === 'string') return { surname: viz.surname, givenNames: viz.givenNames };
  if (viz.surname) return { surname: viz.surname, givenNames: { read: givenRead } };
  if (viz.givenNames && surnameRead) return { surname: { read: surnameRead }, givenNames: viz.givenNames };
  return null;
}

/** Fills the unread name and sex characters of a valid MRZ reading from certain printed fields; null when nothing is filled. */
export function fillFromVisualZone(mrz: MrzToFill, viz: CertainVisualZoneFields, anchors: AnchorValues = viz): VisualZoneFill | null {
  const anchor = mrz.format ? anchorState(mrz, viz, anchors) : 'other';
  if (!mrz.format || anchor === 'other') return null;
  const spec = MRZ_FORMATS[mrz.format];
  const lines = [...mrz.corrected];
  const filled: FilledPosition[] = [];
  const sources: Partial<Record<MrzOutputFieldName, MrzFieldSource>> = {};
  const unreadOn = (line: number): ReadonlySet<number> => new Set(mrz.unread[line] ?? []);

  const names = fieldSpec(spec, 'names');
  const nameParts = names && lines[names.line]?.length === spec.lineLength ? namePartsToFill(lines[names.line]!.slice(names.start, names.end), viz) : null;
  if (names && nameParts) {
    const line = lines[names.line]!;
    const unread = unreadOn(names.line);
    const washed = new Set(mrz.washedOut?.[names.line] ?? []);
    const faded = new Set(mrz.fadedRead?.[names.line] ?? []);
    const results = new Map<string, Array<{ column: number; char: string }>>();
    for (const form of namesFieldForms(nameParts.surname, nameParts.givenNames, names.end - names.start)) {
      const fills = spanFill(line, names.start, form, unread, anchor === 'same' ? 1 : NAME_ANCHOR_RATIO, mrz.rivals?.[names.line], washed, faded);
      if (fills && fills.length > 0) results.set(form.text, fills);
    }
    if (results.size === 1) {
      const [form, fills] = [...results.entries()][0]!;
      const next = line.slice(0, names.start) + form + line.slice(names.end);
      lines[names.line] = next;
      for (const f of fills) filled.push({ line: names.line, column: f.column, was: line[f.column]!, char: f.char, source: 'visual_zone' });
    }
  }

  const sex = fieldSpec(spec, 'sex');
  const printedSex = anchor === 'same' ? viz.sex?.toUpperCase() : undefined; // one letter: no agreement to stand on
  if (sex && printedSex && /^[MFX]$/.test(printedSex) && unreadOn(sex.line).has(sex.start)) {
    const char = printedSex === 'X' ? '<' : printedSex;
    const line = lines[sex.line]!;
    if (line[sex.start] !== char) {
      lines[sex.line] = line.slice(0, sex.start) + char + line.slice(sex.start + 1);
      filled.push({ line: sex.line, column: sex.start, was: line[sex.start]!, char, source: 'visual_zone' });
    }
  }
  if (filled.length === 0) return null;
  // Fields holding a filled position; one filled at the names' `<<` (in neither name's range) moves the
  // split between them, so both are marked. So is a name whose value the fill changed without a filled
  // position in it: a letter filled where the reading had its `<<` moves the split too (fresh 290028,
  // strong MRV-A: every filled position in the surname of `VAN<DER<BERG<<EVA`, and the given names
  // kept the reading's `EIRG EVA` until a changed name was marked).
  const parsed = parseMrz(lines);
  const values: Partial<Record<MrzOutputFieldName, string | null>> = {};
  for (const f of filled) {
    let inField = false;
    for (const [name, field] of Object.entries(parsed.fields)) {
      if (field?.ranges.some((r) => r.line === f.line && f.column >= r.start && f.column < r.end)) { sources[name as MrzOutputFieldName] = f.source; inField = true; }
    }
    if (!inField && names && f.line === names.line) { sources.surname = f.source; sources.givenNames = f.source; }
  }
  for (const name of ['surname', 'givenNames'] as const) {
    if ((parsed.fields[name]?.value ?? null) !== (mrz.fields[name] ?? null)) sources[name] = 'visual_zone';
  }
  for (const name of Object.keys(sources) as MrzOutputFieldName[]) values[name] = parsed.fields[name]?.value ?? null;
  return { corrected: lines, filled, sources, values };
}

/**
 * Coded fields whose printed value is a word of letters too: a word equal to the MRZ's value of one is
 * that field's print, not a name. 254004 (tuning 154000, strong MRV-B): the given names lost whole, no
 * label read; `LUCAS`, `UTO` (the nationality) and `M` (the sex) each fitted the lost cells.
 */
const CODED_FIELDS = ['nationality', 'issuingState', 'sex'] as const;

/**
 * The unread name characters filled from printed words whose labels were not read: strong blur loses
 * the 1.5-2 mm labels first and leaves the values (fresh 250006, strong TD2: `OCONNOR`, `EVA` read at
 * 0.97-0.99, no label readable). Every ordered pair of the words is offered as surname and given names;
 * when one of the two was read with its label (`labelled`), each word is offered as the other (250026:
 * `ERIKSSON` under its label, `MOHAMMED ALI` without). The fill stands only where exactly one filled
 * reading results (every read position agrees or was contested, as in fillFromVisualZone) and only with
 * an anchor: a verified number or birth date printed equal. The names alone never stand for the anchor
 * here (any word may be any field), and the sex is never filled.
 */
export function fillFromUnlabelledNames(mrz: MrzToFill, words: readonly string[], anchors: AnchorValues, labelled: { surname?: string; givenNames?: string } = {}): VisualZoneFill | null {
  if (!mrz.format || anchorState(mrz, {}, anchors) !== 'same') return null;
  const coded = new Set(CODED_FIELDS.map((name) => mrz.fields[name]).filter((v): v is string => Boolean(v)));
  const names = words.filter((w) => !coded.has(w));
  const pairs: Array<[string, string]> = [];
  for (const word of names) {
    if (labelled.surname !== undefined) pairs.push([labelled.surname, word]);
    else if (labelled.givenNames !== undefined) pairs.push([word, labelled.givenNames]);
    else for (const other of names) if (other !== word) pairs.push([word, other]);
  }
  const fills = new Map<string, VisualZoneFill>();
  for (const [surname, givenNames] of pairs) {
    const fill = fillFromVisualZone(mrz, { surname, givenNames }, anchors);
    if (fill) fills.set(fill.corrected.join('\n'), fill);
  }
  return fills.size === 1 ? [...fills.values()][0]! : null;
}
