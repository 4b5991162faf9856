/**
 * Printed visual-zone fields from the rectified document: PP-OCRv4 det finds the text lines, PP-OCRv4
 * rec reads each, core's `assembleVisualZone` pairs labels with values and normalises them. Works from
 * the image alone (no renderer coordinates): any layout that prints a label above or left of its value.
 */
import { document as coreDocument, type MrzOutputFieldName, type RgbaImage } from '@ekyc/core';
import type { OpenCv } from '../quality/opencv-frame.ts';
import { emblemSign } from './licence-emblem.ts';
import { cropGray, type Rect } from './mrz-locate.ts';
import type { GrayImage } from './mrz-reader.ts';
import type { TextDetector } from './text-detect.ts';
import type { TextRecognizer } from './text-recognize.ts';

export interface VisualZoneRead extends coreDocument.VisualZoneReading {
  /**
   * A numbered (licence) layout's issuing state: the distinguishing sign in the EU emblem read by both
   * engines, and the national title (core `readIssuingState`). Absent on other layouts.
   */
  issuingState?: coreDocument.IssuingStateReading;
  /** Every box read (text and place), for diagnostics and layouts the label list does not know. */
  texts: Array<{ text: string; box: Rect; confidence: number }>;
  timings: { detectMs: number; recognizeMs: number; secondReadMs: number };
}

function overlaps(a: Rect, b: Rect): boolean {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 && w * h > 0.3 * a.width * a.height;
}

/**
 * Reads the visual zone of `rgba` (gray twin `gray`); boxes over `exclude` (the MRZ lines, already
 * read) are skipped, as are boxes taller than 12% of the page (a portrait, a logo): printed fields
 * are single lines.
 */
/** A second engine reading one value box: tesseract.js in the pipeline. */
export type SecondReader = (line: GrayImage, whitelist: string) => Promise<string>;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
/** What each field's value can hold, for the second engine's whitelist. */
const WHITELISTS: Readonly<Record<coreDocument.VizFieldName, string>> = {
  surname: `${UPPER}${UPPER.toLowerCase()} -'`,
  givenNames: `${UPPER}${UPPER.toLowerCase()} -'`,
  birthDate: `${UPPER}${DIGITS} ./-`,
  expiryDate: `${UPPER}${DIGITS} ./-`,
  issueDate: `${UPPER}${DIGITS} ./-`,
  documentNumber: `${UPPER}${DIGITS}`,
  sex: 'MFXW/',
  nationality: `${UPPER} `,
};

export async function readVisualZone(cv: OpenCv, detector: TextDetector, recognizer: TextRecognizer, rgba: RgbaImage, gray: GrayImage, exclude: readonly Rect[], referenceYear: number, second?: SecondReader): Promise<VisualZoneRead> {
  const t0 = performance.now();
  const found = await detector.detect(cv, rgba);
  const t1 = performance.now();
  const lines = found.filter((b) => b.height <= 0.12 * rgba.height && b.width >= b.height * 0.6 && !exclude.some((e) => overlaps(b, e)));
  const boxes: coreDocument.VizTextBox[] = [];
  const texts: VisualZoneRead['texts'] = [];
  const reads = await recognizer.readMany(lines.map((b) => cropGray(gray, b)));
  for (const [i, b] of lines.entries()) {
    const read = reads[i]!;
    if (!read.text) continue;
    boxes.push({ x: b.x, y: b.y, width: b.width, height: b.height, text: read.text, confidences: read.confidences });
    texts.push({ text: read.text, box: { x: b.x, y: b.y, width: b.width, height: b.height }, confidence: read.confidences.length ? Math.min(...read.confidences) : 0 });
  }
  const assembled = coreDocument.assembleVisualZone(boxes, { referenceYear });
  const t2 = performance.now();
  const fields = { ...assembled.fields };
  if (second) {
    // Every parsed field is read again by the second engine: agreement confirms it, dissent flags it.
    for (const [name, f] of Object.entries(fields) as Array<[coreDocument.VizFieldName, coreDocument.VizField]>) {
      if (f.value === null) continue;
      const crop = cropGray(gray, f.valueBox);
      const text = await second(crop, WHITELISTS[name]);
      const checked = coreDocument.withSecondReading(name, f, text, referenceYear);
      // Engines that differ only in a name's spaces: the print's own word gaps decide.
      fields[name] = checked.reasons.length === 1 && checked.reasons[0] === 'engines_disagree' ? coreDocument.settleNameSpacing(name, checked, text, countWordGaps(crop)) : checked;
    }
  }
  const issuingState = assembled.layout === 'numbered' ? await readLicenceState(recognizer, rgba, boxes, second) : undefined;
  const t3 = performance.now();
  return { ...assembled, fields, ...(issuingState ? { issuingState } : {}), texts, timings: { detectMs: t1 - t0, recognizeMs: t2 - t1, secondReadMs: t3 - t2 } };
}

/** Letters only: a distinguishing sign (`D`, `PL`, `IRL`). */
const SIGN_WHITELIST = UPPER;

/**
 * The licence's issuing state: the sign in the emblem (licence-emblem.ts) read by PP-OCR and, when
 * there is one, the second engine; the national title from the boxes already read. Core decides.
 */
async function readLicenceState(recognizer: TextRecognizer, rgba: RgbaImage, boxes: readonly coreDocument.VizTextBox[], second?: SecondReader): Promise<coreDocument.IssuingStateReading> {
  const found = emblemSign(rgba);
  const title = coreDocument.nationalTitle(boxes);
  if (!found) return coreDocument.readIssuingState({ sign: null, title });
  const [read] = await recognizer.readMany([found.crop]);
  const secondSign = second ? await second(found.crop, SIGN_WHITELIST) : undefined;
  return coreDocument.readIssuingState({ sign: read && read.text ? { text: read.text, confidences: read.confidences } : null, ...(secondSign !== undefined ? { secondSign } : {}), title });
}

/**
 * Word gaps in a one-line crop: runs of ink-free columns wider than a third of the ink height (a word
 * space in the synthetic bold sans is ~0.5 of the cap height, a letter gap ~0.1), between the first and
 * last ink. An ink run narrower than a third of the height at either end followed by a wide gap (the dot
 * of a field number, a speck) is left out. Null when the crop has too little contrast or height to tell.
 */
export function countWordGaps(crop: GrayImage): number | null {
  const { width, height, data } = crop;
  if (width < 8 || height < 8) return null;
  const sorted = Uint8Array.from(data).sort();
  const lo = sorted[Math.floor(sorted.length * 0.05)]!;
  const hi = sorted[Math.floor(sorted.length * 0.95)]!;
  if (hi - lo < 40) return null;
  const threshold = (lo + hi) / 2;
  const rowInk = new Array<number>(height).fill(0);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (data[y * width + x]! < threshold) rowInk[y]!++;
  const inkRows = rowInk.map((n, y) => (n > 0.02 * width ? y : -1)).filter((y) => y >= 0);
  if (inkRows.length === 0) return null;
  const top = inkRows[0]!;
  const bottom = inkRows[inkRows.length - 1]!;
  const inkHeight = bottom - top + 1;
  if (inkHeight < 6) return null;
  const minInk = Math.max(1, Math.round(0.08 * inkHeight));
  const inked: boolean[] = [];
  for (let x = 0; x < width; x++) {
    let n = 0;
    for (let y = top; y <= bottom; y++) if (data[y * width + x]! < threshold) n++;
    inked.push(n >= minInk);
  }
  // Ink runs [start, end) left to right.
  const runs: Array<[number, number]> = [];
  for (let x = 0; x < width;) {
    if (!inked[x]) { x++; continue; }
    const start = x;
    while (x < width && inked[x]) x++;
    runs.push([start, x]);
  }
  const wide = 0.33 * inkHeight;
  const narrow = 0.33 * inkHeight;
  while (runs.length > 1 && runs[0]![1] - runs[0]![0] < narrow && runs[1]![0] - runs[0]![1] > wide) runs.shift();
  while (runs.length > 1 && runs.at(-1)![1] - runs.at(-1)![0] < narrow && runs.at(-1)![0] - runs.at(-2)![1] > wide) runs.pop();
  let gaps = 0;
  for (let i = 1; i < runs.length; i++) if (runs[i]![0] - runs[i - 1]![1] > wide) gaps++;
  return gaps;
}

/**
 * The number and dates the page prints, in MRZ form, for the MRZ's lost checked characters (core
 * `MergeOptions.printed`): the document number field's value, read certain or not, and every date any
 * box holds, its label read or not (strong blur loses the small labels first and leaves the values). The
 * MRZ's read characters and check digits pick among them; nothing here is taken on its own.
 */
export function printedValues(viz: Pick<coreDocument.VisualZoneReading, 'fields'> & { texts: ReadonlyArray<{ text: string }> }, referenceYear: number): coreDocument.PrintedValues {
  const printed = viz.fields.documentNumber?.value;
  const number = printed ? coreDocument.printedNumberForm(printed) : undefined;
  const dates = new Set<string>();
  const add = (iso: string | null | undefined): void => { if (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso)) dates.add(`${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`); };
  for (const name of ['birthDate', 'expiryDate', 'issueDate'] as const) add(viz.fields[name]?.value);
  for (const t of viz.texts) add(coreDocument.parsePrintedDate(t.text, 'issue', referenceYear).iso);
  return { documentNumbers: number ? [number] : [], dates: [...dates] };
}

/**
 * Confidence a printed word needs to be offered as a name without its label. Names of several words
 * read lower under strong blur: 274004 (tuning 174000, MRV-B) `DE LA CRUZ` 0.52, `JOAO PEDRO` 0.74,
 * beside single words at 0.86-0.99 (250026's `MOHAMMED ALI` 0.86). What keeps a wrong word out of a
 * fill is not this floor but the fill's own conditions: it fills only what the MRZ left unread,
 * contested or washed out, where the word agrees with every letter read, with an anchor, and as the
 * one fill found. A label's debris (0.1-0.68, `Nabonaity` 0.68) that passes the floor agrees with no
 * read name; it can only stand beside a name part lost whole, where several words fit and nothing is
 * filled anyway. Below 0.5 on those pages: debris only (`Daw` 0.38, `Seeserears` 0.14).
 */
const UNLABELLED_WORD_CONFIDENCE = 0.5;

/** A word that may be a name: letters and spaces, two characters or more. */
const NAME_WORD = /^[A-Z][A-Z ]+$/;

/**
 * The page's words that may be names whose label was not read (core `fillFromUnlabelledNames`): letters
 * and spaces only, two characters or more, read at UNLABELLED_WORD_CONFIDENCE or more, not the value of
 * another labelled field. A lone letter is a sex, a class or a label's debris (`P` at 0.5 on 254004,
 * tuning 154000 strong MRV-B) far more often than a name, and fits any lost name cell.
 */
export function unlabelledNameWords(viz: Pick<coreDocument.VisualZoneReading, 'fields'> & { texts: ReadonlyArray<{ text: string; confidence: number }> }): string[] {
  const taken = new Set(Object.values(viz.fields).map((f) => f?.raw?.trim().toUpperCase()).filter((v): v is string => Boolean(v)));
  const words = viz.texts
    .filter((t) => t.confidence >= UNLABELLED_WORD_CONFIDENCE)
    .map((t) => t.text.trim().toUpperCase())
    .filter((t) => NAME_WORD.test(t) && !taken.has(t));
  return [...new Set(words)];
}

/**
 * Every printed word that may be a name, whatever label it was read under: the unlabelled words
 * (unlabelledNameWords) and the name fields' values, certain or not, read at UNLABELLED_WORD_CONFIDENCE
 * or more. For the last try of the names fill (core `fillFromUnlabelledNames` with no label trusted): a
 * name read under a label that does not fit it (298014, fresh 198000 strong MRV-B: `ANNA MARIA` under the
 * surname's label, the given names' label unread) or read uncertain because the second engine disagreed
 * (294018, fresh 194000 strong MRV-A: `JOAO PEDRO` at 0.99) is still a word on the page. The fill's own
 * conditions decide, as for unlabelled words: an anchor, agreement with every letter the MRZ read, one fill.
 */
export function nameWordsAnyLabel(viz: Pick<coreDocument.VisualZoneReading, 'fields'> & { texts: ReadonlyArray<{ text: string; confidence: number }> }): string[] {
  const named = [viz.fields.surname, viz.fields.givenNames]
    .flatMap((f) => (f?.value && f.confidence >= UNLABELLED_WORD_CONFIDENCE ? [f.value.trim().toUpperCase()] : []))
    .filter((v) => NAME_WORD.test(v));
  return [...new Set([...unlabelledNameWords(viz), ...named])];
}

/**
 * The MRZ's verified document number where some printed text equals it, its label read or not (a nine-
 * character match is no chance); otherwise the number field's value as read.
 */
export function printedNumberAnchor(viz: Pick<coreDocument.VisualZoneReading, 'fields'> & { texts: ReadonlyArray<{ text: string }> }, mrzNumber: string | null | undefined): string | null {
  const labelled = viz.fields.documentNumber?.value ?? null;
  if (labelled || !mrzNumber) return labelled;
  return viz.texts.some((t) => coreDocument.printedNumberForm(t.text) === coreDocument.mrzNumberForm(mrzNumber)) ? mrzNumber : null;
}

/**
 * The MRZ's verified birth date where some printed text reads as that date, its label read or not (a
 * whole date equal to one the check digit verified is no chance: 298024, fresh 198000 strong MRV-B,
 * printed `05DEC1970` with no label read); otherwise the birth date field's value as read.
 */
export function printedBirthDateAnchor(viz: Pick<coreDocument.VisualZoneReading, 'fields'> & { texts: ReadonlyArray<{ text: string }> }, mrzBirthDate: string | null | undefined, referenceYear: number): string | null {
  const labelled = viz.fields.birthDate?.value ?? null;
  if (labelled || !mrzBirthDate) return labelled;
  return viz.texts.some((t) => coreDocument.parsePrintedDate(t.text, 'birth', referenceYear).iso === mrzBirthDate) ? mrzBirthDate : null;
}

/**
 * The MRZ's unread name/sex characters filled from the printed page (core `fillFromVisualZone`), null
 * when nothing fits. The anchors (number, birth date) count read certain or not, labelled or not: an
 * exact match of a verified value is no chance. Tried in turn: the page's certain fields; where a name's
 * label was not read (strong blur), the unlabelled words beside the name that was (core
 * `fillFromUnlabelledNames`); last, no label trusted, every name-like word as either name
 * (nameWordsAnyLabel).
 */
export function fillNamesFromPage(toFill: coreDocument.MrzToFill, viz: Pick<coreDocument.VisualZoneReading, 'fields'> & { texts: ReadonlyArray<{ text: string; confidence: number }> }, referenceYear: number): coreDocument.VisualZoneFill | null {
  const certain = coreDocument.certainVisualZoneValues(viz);
  const anchors = { documentNumber: printedNumberAnchor(viz, toFill.fields.documentNumber), birthDate: printedBirthDateAnchor(viz, toFill.fields.birthDate, referenceYear) };
  const labelled = { ...(certain.surname ? { surname: certain.surname } : {}), ...(certain.givenNames ? { givenNames: certain.givenNames } : {}) };
  return coreDocument.fillFromVisualZone(toFill, certain, anchors)
    ?? (certain.surname && certain.givenNames ? null : coreDocument.fillFromUnlabelledNames(toFill, unlabelledNameWords(viz), anchors, labelled))
    ?? coreDocument.fillFromUnlabelledNames(toFill, nameWordsAnyLabel(viz), anchors);
}

/** MRZ fields as the cross-check takes them, with the reading's uncertain fields. */
interface MrzForCrossCheck {
  valid: boolean;
  fields: Partial<Record<MrzOutputFieldName, string | null>>;
  uncertainFields: readonly MrzOutputFieldName[];
  /** Fields filled from the visual zone (`MrzSummary.sources`): not compared. */
  sources?: Partial<Record<MrzOutputFieldName, string>>;
}

/**
 * The visual zone against a valid MRZ, field by field: only certain values on both sides are compared
 * (`uncertain` otherwise), so an OCR doubt is never reported as a forgery cue. Null without a valid MRZ.
 */
export function crossCheckZones(viz: coreDocument.VisualZoneReading, mrz: MrzForCrossCheck | null | undefined): coreDocument.CrossCheckResult | null {
  if (!mrz?.valid) return null;
  const values: Record<string, string | null> = {};
  const vizUncertain: string[] = [];
  for (const [name, f] of Object.entries(viz.fields)) {
    if (!f) continue;
    values[name] = f.value;
    if (f.uncertain) vizUncertain.push(name);
  }
  return coreDocument.crossCheckVisualZone(values, mrz.fields, { vizUncertain, mrzUncertain: mrz.uncertainFields, mrzFromVisualZone: Object.keys(mrz.sources ?? {}) });
}
