/**
 * Printed visual-zone fields from the rectified document: PP-OCRv4 det finds the text lines, PP-OCRv4
 * rec reads each, core's `assembleVisualZone` pairs labels with values and normalises them. Works from
 * the image alone (no renderer coordinates): any layout that prints a label above or left of its value.
 */
import { document as coreDocument, type MrzOutputFieldName, type RgbaImage } from '@ekyc/core';
import type { OpenCv } from '../quality/opencv-frame.ts';
import { cropGray, type Rect } from './mrz-locate.ts';
import type { GrayImage } from './mrz-reader.ts';
import type { TextDetector } from './text-detect.ts';
import type { TextRecognizer } from './text-recognize.ts';

export interface VisualZoneRead extends coreDocument.VisualZoneReading {
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
      const text = await second(cropGray(gray, f.valueBox), WHITELISTS[name]);
      fields[name] = coreDocument.withSecondReading(name, f, text, referenceYear);
    }
  }
  const t3 = performance.now();
  return { ...assembled, fields, texts, timings: { detectMs: t1 - t0, recognizeMs: t2 - t1, secondReadMs: t3 - t2 } };
}

/** MRZ fields as the cross-check takes them, with the reading's uncertain fields. */
interface MrzForCrossCheck {
  valid: boolean;
  fields: Partial<Record<MrzOutputFieldName, string | null>>;
  uncertainFields: readonly MrzOutputFieldName[];
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
  return coreDocument.crossCheckVisualZone(values, mrz.fields, { vizUncertain, mrzUncertain: mrz.uncertainFields });
}
