/**
 * MRZ characters no engine could read (a glare core clipped to white: no ink left), filled from the
 * printed visual zone of the same page. Only fields no check digit covers and whose lost characters
 * nothing in the MRZ can restore: the names and the sex. Every filled field keeps its doubt (the caller
 * lists it in `uncertainFields`) and says where its value came from (`sources`), and the VIZ/MRZ
 * cross-check reports it `not_compared`: a value copied from the visual zone cannot confirm it.
 *
 * When a fill is made (all of these, else nothing is filled):
 * - the visual zone is this document's: a field a check digit verified in the MRZ (document number,
 *   birth date) is read certain in the visual zone and equal;
 * - the printed field is certain (two engines agreed, see viz-fields.ts);
 * - every MRZ position of the field that an engine did read agrees with the printed value written as
 *   the MRZ writes it (ICAO 9303-3 section 6 transliteration), and those read letters are at least as
 *   many as the letters filled, so most of the name is the MRZ's own evidence;
 * - the printed value has one MRZ form consistent with what was read (Ä read as AE or A, not both).
 */
import { MRZ_FORMATS, fieldSpec } from '../mrz/formats.ts';
import type { MrzFormat } from '../mrz/formats.ts';
import { parseMrz, type MrzOutputFieldName } from '../mrz/parse.ts';
import { mrzNameForm, type VisualZoneFields } from './cross-check.ts';

/** Where a reported MRZ field value came from, when not (only) from the MRZ's own pixels. */
export type MrzFieldSource = 'visual_zone';

/** Printed values, only those read certain (the caller leaves out uncertain ones). */
export type CertainVisualZoneFields = Pick<VisualZoneFields, 'surname' | 'givenNames' | 'documentNumber' | 'birthDate' | 'sex'>;

export interface MrzToFill {
  readonly format: MrzFormat | null;
  readonly corrected: readonly string[];
  /** Per line, positions no engine read (MergedMrzRead.unread). */
  readonly unread: readonly (readonly number[])[];
  /** Parsed MRZ values (as MrzReadResult.fields' values). */
  readonly fields: Partial<Record<MrzOutputFieldName, string | null>>;
  /** Fields the reading left uncertain: never used as evidence that the zones are of one document. */
  readonly uncertainFields: readonly MrzOutputFieldName[];
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
 * their positions were read by no engine. The pipeline reads the visual zone for the fill only then.
 */
export function wantsVisualZoneFill(mrz: Pick<MrzToFill, 'format' | 'unread' | 'uncertainFields'>): boolean {
  if (!mrz.format) return false;
  const spec = MRZ_FORMATS[mrz.format];
  const uncertain = new Set(mrz.uncertainFields);
  const spans = [
    ...(uncertain.has('surname') || uncertain.has('givenNames') ? [fieldSpec(spec, 'names')] : []),
    ...(uncertain.has('sex') ? [fieldSpec(spec, 'sex')] : []),
  ];
  return spans.some((f) => f !== undefined && (mrz.unread[f.line] ?? []).some((c) => c >= f.start && c < f.end));
}

/** Checked fields whose equality in both zones shows the visual zone is this document's. */
const ANCHOR_FIELDS = ['documentNumber', 'birthDate'] as const;

function sameDocument(mrz: MrzToFill, viz: CertainVisualZoneFields): boolean {
  const uncertain = new Set(mrz.uncertainFields);
  return ANCHOR_FIELDS.some((name) => {
    const m = mrz.fields[name];
    const v = viz[name];
    if (!m || !v || uncertain.has(name)) return false;
    return name === 'documentNumber' ? v.replace(/[\s<-]/g, '').toUpperCase() === m.replace(/</g, '') : v === m;
  });
}

/** The printed names as the MRZ's names field would hold them (every transliteration), `length` long. */
function namesFieldForms(surname: string, givenNames: string, length: number): string[] {
  const out = new Set<string>();
  for (const s of mrzNameForm(surname)) {
    for (const g of givenNames.trim() ? mrzNameForm(givenNames) : ['']) {
      const text = `${s.replace(/ /g, '<')}${g ? `<<${g.replace(/ /g, '<')}` : ''}`;
      if (text.length > length) continue; // truncated by rules this cannot replay: no fill
      out.add(text.padEnd(length, '<'));
    }
  }
  return [...out];
}

/**
 * The fills for one field span: positions where `expected` differs from the reading, all unread; null
 * when a read position disagrees or too little of the field was read to vouch for the rest.
 */
function spanFill(line: string, start: number, expected: string, unread: ReadonlySet<number>): Array<{ column: number; char: string }> | null {
  const fills: Array<{ column: number; char: string }> = [];
  let readLetters = 0;
  for (let i = 0; i < expected.length; i++) {
    const column = start + i;
    const want = expected[i]!;
    if (!unread.has(column)) {
      if (line[column] !== want) return null;
      if (want !== '<') readLetters++;
    } else if (line[column] !== want) fills.push({ column, char: want });
  }
  const filledLetters = fills.filter((f) => f.char !== '<').length;
  return readLetters >= Math.max(1, filledLetters) ? fills : null;
}

/** Fills the unread name and sex characters of a valid MRZ reading from certain printed fields; null when nothing is filled. */
export function fillFromVisualZone(mrz: MrzToFill, viz: CertainVisualZoneFields): VisualZoneFill | null {
  if (!mrz.format || !sameDocument(mrz, viz)) return null;
  const spec = MRZ_FORMATS[mrz.format];
  const lines = [...mrz.corrected];
  const filled: FilledPosition[] = [];
  const sources: Partial<Record<MrzOutputFieldName, MrzFieldSource>> = {};
  const unreadOn = (line: number): ReadonlySet<number> => new Set(mrz.unread[line] ?? []);

  const names = fieldSpec(spec, 'names');
  if (names && viz.surname && viz.givenNames !== undefined && viz.givenNames !== null && lines[names.line]?.length === spec.lineLength) {
    const line = lines[names.line]!;
    const unread = unreadOn(names.line);
    const results = new Map<string, Array<{ column: number; char: string }>>();
    for (const form of namesFieldForms(viz.surname, viz.givenNames, names.end - names.start)) {
      const fills = spanFill(line, names.start, form, unread);
      if (fills && fills.length > 0) results.set(form, fills);
    }
    if (results.size === 1) {
      const [form, fills] = [...results.entries()][0]!;
      const next = line.slice(0, names.start) + form + line.slice(names.end);
      lines[names.line] = next;
      for (const f of fills) filled.push({ line: names.line, column: f.column, was: line[f.column]!, char: f.char, source: 'visual_zone' });
    }
  }

  const sex = fieldSpec(spec, 'sex');
  const printedSex = viz.sex?.toUpperCase();
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
  // split between them, so both are marked.
  const parsed = parseMrz(lines);
  const values: Partial<Record<MrzOutputFieldName, string | null>> = {};
  for (const f of filled) {
    let inField = false;
    for (const [name, field] of Object.entries(parsed.fields)) {
      if (field?.ranges.some((r) => r.line === f.line && f.column >= r.start && f.column < r.end)) { sources[name as MrzOutputFieldName] = f.source; inField = true; }
    }
    if (!inField && names && f.line === names.line) { sources.surname = f.source; sources.givenNames = f.source; }
  }
  for (const name of Object.keys(sources) as MrzOutputFieldName[]) values[name] = parsed.fields[name]?.value ?? null;
  return { corrected: lines, filled, sources, values };
}
