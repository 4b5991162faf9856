/**
 * Synthetic documents of the five ICAO 9303 MRZ layouts (TD1 front and back, TD2, TD3, MRV-A,
 * MRV-B): security tint and guilloche, header, portrait, printed visual-zone fields consistent with the
 * MRZ (or deliberately different, for cross-check tests), and the OCR-B MRZ at the ICAO pitch
 * (10 characters per inch, 6 lines per inch... in practice ~4.2 mm between lines).
 */
import { createMrz, type MrzFormat, type RgbaImage } from '@ekyc/core';
import { securityPrintOver } from './document.ts';
import { PRINT_FACE } from './print-face.ts';
import type { Random } from './random.ts';

/** Landscape sizes (mm) per layout. */
export const MRZ_DOCUMENT_SIZE_MM: Readonly<Record<MrzFormat, { width: number; height: number }>> = {
  TD1: { width: 85.6, height: 53.98 },
  TD2: { width: 105, height: 74 },
  TD3: { width: 125, height: 88 },
  MRVA: { width: 120, height: 80 },
  MRVB: { width: 105, height: 74 },
};

const CHAR_PITCH_MM = 2.54;
const LINE_PITCH_MM = 4.23;
/** OCR-B character height ~2.4 mm: the em size that gives it. */
const FONT_SIZE_MM = 3.4;

const SURNAMES = ['ERIKSSON', 'MARTIN', 'OKAFOR', 'NOVAK', 'TANAKA', 'SILVA', 'MUELLER', 'KOWALSKA', 'DE LA CRUZ', 'OCONNOR', 'VAN DER BERG', 'ABDULLAH'];
const GIVEN = ['ANNA MARIA', 'LUCAS', 'CHIDI', 'EVA', 'YUKI', 'JOAO PEDRO', 'LENA', 'PIOTR', 'SIOBHAN', 'MOHAMMED ALI'];
const STATES = ['UTO', 'D', 'FRA', 'NLD', 'ESP', 'ITA', 'GBR', 'POL', 'JPN', 'BRA'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export interface MrzDocumentFields {
  documentCode: string;
  issuingState: string;
  surname: string;
  givenNames: string;
  documentNumber: string;
  nationality: string;
  /** ISO dates. */
  birthDate: string;
  expiryDate: string;
  issueDate: string;
  sex: string;
  optionalData: string;
}

export interface MrzDocumentOptions {
  format: MrzFormat;
  pxPerMm: number;
  /** Family of a loaded FontFace for the MRZ: OCR-B, or another monospace face (`mrz-fonts.ts`). */
  font: string;
  /** A face photo for the portrait (drawn cover-fit); a silhouette when absent. */
  portrait?: CanvasImageSource & { width: number; height: number };
  /** Printed fields that differ from the MRZ (for cross-check tests). */
  vizOverrides?: Partial<MrzDocumentFields>;
  /**
   * Print no MRZ (a card without one, such as most driving licences): the page keeps its visual zone
   * and `mrz` still holds the lines it would carry.
   */
  omitMrz?: boolean;
  /** How the MRZ is printed (stroke weight, pitch, size): the OCR-B font as the generator sets it when absent. */
  mrzPrint?: MrzPrint;
  /** Also return where each side's security print (the tint's wave lines) still shows (`MrzDocument.securityPrint`). */
  securityPrint?: boolean;
}

/**
 * Print variation of the MRZ, for fonts other than the reader's templates: real documents print OCR-B
 * heavier or lighter (ink spread, laser engraving) and at slightly different sizes and pitches.
 */
export interface MrzPrint {
  /** Ink added (> 0) or taken away (< 0) at each side of every stroke, in mm, at print resolution. */
  strokeMm?: number;
  /** Character pitch in mm (default 2.54: ICAO's 10 characters per inch). */
  pitchMm?: number;
  /** Em size in mm (default 3.4: OCR-B's ~2.4 mm cap height). */
  sizeMm?: number;
}

export interface MrzDocument {
  format: MrzFormat;
  /** The MRZ side: TD1 back, the only page otherwise. */
  mrzSide: RgbaImage<Uint8ClampedArray>;
  /** TD1 only: the front (portrait and visual zone). */
  front?: RgbaImage<Uint8ClampedArray>;
  mrz: string[];
  fields: MrzDocumentFields;
  /** What the visual zone prints (equal to `fields` unless overridden). */
  viz: MrzDocumentFields;
  /**
   * With `MrzDocumentOptions.securityPrint`: the pixels of each side (1 per pixel, row-major) where its
   * wave lines show, not covered by the header, portrait, fields or MRZ (`securityPrintMask`).
   */
  securityPrint?: { mrzSide: Uint8Array; front?: Uint8Array };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function randomDate(random: Random, fromYear: number, toYear: number): string {
  return `${random.int(fromYear, toYear)}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
}

function documentNumber(random: Random): string {
  const alnum = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
  let s = '';
  const n = random.int(8, 9);
  for (let i = 0; i < n; i++) s += i < 1 || random.chance(0.3) ? alnum[random.int(0, 22)] : String(random.int(0, 9));
  return s;
}

/** Random fields for a layout (reference year 2026: expiry 2027-2035, birth 1945-2007). */
export function randomMrzFields(format: MrzFormat, random: Random): MrzDocumentFields {
  const code = format === 'TD3' ? 'P' : format.startsWith('MRV') ? 'V' : random.pick(['I', 'ID', 'A', 'C']);
  const issueYear = random.int(2018, 2025);
  const expiry = `${issueYear + random.int(5, 10)}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
  return {
    documentCode: code,
    issuingState: random.pick(STATES),
    surname: random.pick(SURNAMES),
    givenNames: random.pick(GIVEN),
    documentNumber: documentNumber(random),
    nationality: random.pick(STATES),
    birthDate: randomDate(random, 1945, 2007),
    expiryDate: expiry < '2027' ? `2027${expiry.slice(4)}` : expiry,
    issueDate: `${issueYear}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`,
    sex: random.pick(['M', 'F', 'F', 'M', 'X']),
    optionalData: format === 'TD3' && random.chance(0.5) ? `ZE${random.int(100000, 999999)}` : '',
  };
}

function toMrzValues(f: MrzDocumentFields): Parameters<typeof createMrz>[1] {
  return {
    documentCode: f.documentCode,
    issuingState: f.issuingState,
    surname: f.surname.replace(/ /g, '<'),
    givenNames: f.givenNames,
    documentNumber: f.documentNumber,
    nationality: f.nationality,
    birthDate: f.birthDate,
    sex: f.sex,
    expiryDate: f.expiryDate,
    ...(f.optionalData ? { optionalData: f.optionalData } : {}),
  };
}

/** A printed date as many documents show it: `12 AUG 1974`. */
export function printedDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d} ${MONTHS[Number(m) - 1]} ${y}`;
}

export function paintBackground(ctx: OffscreenCanvasRenderingContext2D, w: number, h: number, random: Random, mm: number): void {
  const hue = random.int(0, 359);
  ctx.fillStyle = `hsl(${hue} ${random.int(15, 45)}% ${random.int(82, 92)}%)`;
  ctx.fillRect(0, 0, w, h);
  ctx.strokeStyle = `hsla(${(hue + 40) % 360} 40% 60% / 0.35)`;
  ctx.lineWidth = Math.max(1, 0.12 * mm);
  const waves = random.int(6, 12);
  for (let k = 0; k < waves; k++) {
    ctx.beginPath();
    const amp = random.range(2, 6) * mm;
    const period = random.range(12, 30) * mm;
    const y0 = random.range(0, h);
    for (let x = 0; x <= w; x += 2) ctx.lineTo(x, y0 + amp * Math.sin((x / period) * 2 * Math.PI + k));
    ctx.stroke();
  }
}

export function paintPortrait(ctx: OffscreenCanvasRenderingContext2D, x: number, y: number, w: number, h: number, portrait?: MrzDocumentOptions['portrait']): void {
  if (portrait) {
    const scale = Math.max(w / portrait.width, h / portrait.height);
    const sw = w / scale;
    const sh = h / scale;
    ctx.drawImage(portrait, (portrait.width - sw) / 2, (portrait.height - sh) / 2, sw, sh, x, y, w, h);
    return;
  }
  ctx.fillStyle = '#c9c9c9';
  ctx.fillRect(x, y, w, h);
  ctx.fillStyle = '#8a8a8a';
  ctx.beginPath();
  ctx.ellipse(x + w / 2, y + h * 0.38, w * 0.22, h * 0.2, 0, 0, 2 * Math.PI);
  ctx.fill();
  ctx.fillRect(x + w * 0.18, y + h * 0.65, w * 0.64, h * 0.35);
}

function paintFields(ctx: OffscreenCanvasRenderingContext2D, x: number, y: number, mm: number, viz: MrzDocumentFields, compact: boolean): void {
  const rows: Array<[string, string]> = [
    ['Surname / Nom', viz.surname],
    ['Given names / Prénoms', viz.givenNames],
    ['Nationality', viz.nationality],
    ['Date of birth', printedDate(viz.birthDate)],
    ['Sex', viz.sex],
    ['Document no.', viz.documentNumber],
    ['Date of issue', printedDate(viz.issueDate)],
    ['Date of expiry', printedDate(viz.expiryDate)],
  ];
  const step = (compact ? 4.6 : 6.2) * mm;
  rows.forEach(([label, value], i) => {
    ctx.fillStyle = '#4a4a6a';
    ctx.font = `${(compact ? 1.5 : 1.9) * mm}px ${PRINT_FACE}`;
    ctx.fillText(label, x, y + i * step);
    ctx.fillStyle = '#111';
    ctx.font = `bold ${(compact ? 2.3 : 3) * mm}px ${PRINT_FACE}`;
    ctx.fillText(value, x, y + i * step + (compact ? 2.5 : 3.2) * mm);
  });
}

function paintMrz(ctx: OffscreenCanvasRenderingContext2D, lines: readonly string[], widthMm: number, heightMm: number, mm: number, font: string, print: MrzPrint = {}): void {
  const chars = lines[0]!.length;
  const pitch = print.pitchMm ?? CHAR_PITCH_MM;
  const left = (widthMm - chars * pitch) / 2;
  const bottomBaseline = heightMm - (lines.length === 3 ? 3.2 : 4.2);
  const stroke = (print.strokeMm ?? 0) * mm;
  // Thinning erodes the glyphs on their own layer (a stroke along the outline cut out of the fill), so
  // the page's tint under them is not erased; emboldening strokes the outline in ink on the page.
  const ink = stroke < 0 ? new OffscreenCanvas(ctx.canvas.width, ctx.canvas.height).getContext('2d')! : ctx;
  ink.fillStyle = '#0d0d0d';
  ink.strokeStyle = '#0d0d0d';
  ink.lineWidth = 2 * Math.abs(stroke);
  ink.lineJoin = 'round';
  ink.font = `${(print.sizeMm ?? FONT_SIZE_MM) * mm}px "${font}"`;
  ink.textBaseline = 'alphabetic';
  lines.forEach((line, l) => {
    const baseline = bottomBaseline - (lines.length - 1 - l) * LINE_PITCH_MM;
    for (let i = 0; i < line.length; i++) {
      const x = (left + i * pitch) * mm;
      ink.fillText(line[i]!, x, baseline * mm);
      if (stroke === 0) continue;
      if (stroke < 0) ink.globalCompositeOperation = 'destination-out';
      ink.strokeText(line[i]!, x, baseline * mm);
      ink.globalCompositeOperation = 'source-over';
    }
  });
  if (ink !== ctx) ctx.drawImage(ink.canvas, 0, 0);
}

/** Where `paintMrz` puts a layout's lines with the default print, in millimetres of the page. */
function mrzLayout(format: MrzFormat): { lines: number; chars: number; left: number; bottomBaseline: number } {
  const size = MRZ_DOCUMENT_SIZE_MM[format];
  const lines = format === 'TD1' ? 3 : 2;
  const chars = format === 'TD1' ? 30 : format === 'TD3' || format === 'MRVA' ? 44 : 36;
  return { lines, chars, left: (size.width - chars * CHAR_PITCH_MM) / 2, bottomBaseline: size.height - (lines === 3 ? 3.2 : 4.2) };
}

/**
 * The centre of one MRZ character cell (line and column of the layout) of a rendered page in its
 * pixels, as `paintMrz` places it with the default print: halfway across the cell, 1.2 mm over the
 * line's baseline (about half the glyph height). Where a test puts a glare core over a chosen character.
 */
export function mrzCellCentre(format: MrzFormat, pxPerMm: number, line: number, column: number): { x: number; y: number } {
  const { lines, left, bottomBaseline } = mrzLayout(format);
  const baseline = bottomBaseline - (lines - 1 - line) * LINE_PITCH_MM;
  return { x: (left + (column + 0.5) * CHAR_PITCH_MM) * pxPerMm, y: (baseline - 1.2) * pxPerMm };
}

/**
 * The MRZ band of a rendered page in its pixels (glyph tops of the first line to the last baseline,
 * first to last character), as `paintMrz` places it with the default print: where stress conditions
 * put a stamp, a hologram or a shadow edge.
 */
export function mrzBand(format: MrzFormat, pxPerMm: number): { top: number; bottom: number; left: number; right: number } {
  const { lines, chars, left, bottomBaseline } = mrzLayout(format);
  const topBaseline = bottomBaseline - (lines - 1) * LINE_PITCH_MM;
  return { top: (topBaseline - 2.6) * pxPerMm, bottom: (bottomBaseline + 0.3) * pxPerMm, left: left * pxPerMm, right: (left + chars * CHAR_PITCH_MM) * pxPerMm };
}

function toImage(canvas: OffscreenCanvas): RgbaImage<Uint8ClampedArray> {
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  return { width: canvas.width, height: canvas.height, data };
}

/** Renders a document of `format` with random fields from `random`. */
export function renderMrzDocument(random: Random, options: MrzDocumentOptions): MrzDocument {
  const { format, pxPerMm: mm, font } = options;
  const fields = randomMrzFields(format, random);
  const viz = { ...fields, ...options.vizOverrides };
  const mrz = createMrz(format, toMrzValues(fields));
  const size = MRZ_DOCUMENT_SIZE_MM[format];
  const w = Math.round(size.width * mm);
  const h = Math.round(size.height * mm);
  // Each side with, when asked, its pixels as its background and wave lines left them (`layer`): where they
  // still show on the finished side is its security print.
  const page = (): [OffscreenCanvas, OffscreenCanvasRenderingContext2D, RgbaImage<Uint8ClampedArray> | undefined] => {
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    paintBackground(ctx, w, h, random, mm);
    return [canvas, ctx, options.securityPrint ? toImage(canvas) : undefined];
  };
  const finished = (canvas: OffscreenCanvas, layer: RgbaImage<Uint8ClampedArray> | undefined): { image: RgbaImage<Uint8ClampedArray>; securityPrint?: Uint8Array } => {
    const image = toImage(canvas);
    return layer ? { image, securityPrint: securityPrintOver(layer, image.data) } : { image };
  };
  const header = (ctx: OffscreenCanvasRenderingContext2D, title: string): void => {
    ctx.fillStyle = '#1f2f5f';
    ctx.font = `bold ${3 * mm}px ${PRINT_FACE}`;
    ctx.fillText(title, 5 * mm, 6 * mm);
  };
  const titles: Record<MrzFormat, string> = { TD1: 'IDENTITY CARD', TD2: 'IDENTITY CARD', TD3: 'PASSPORT', MRVA: 'VISA', MRVB: 'VISA' };
  if (format === 'TD1') {
    const [front, fctx, frontLayer] = page();
    header(fctx, `UTOPIA  ${titles.TD1}`);
    paintPortrait(fctx, 4 * mm, 9 * mm, 24 * mm, 31 * mm, options.portrait);
    paintFields(fctx, 31 * mm, 11 * mm, mm, viz, true);
    const [back, bctx, backLayer] = page();
    bctx.fillStyle = '#333';
    bctx.font = `${2 * mm}px ${PRINT_FACE}`;
    bctx.fillText('Address / Adresse: 1 MAIN STREET, UTOPIA', 5 * mm, 8 * mm);
    bctx.fillText(`Height: ${random.int(150, 195)} cm`, 5 * mm, 12 * mm);
    if (!options.omitMrz) paintMrz(bctx, mrz, size.width, size.height, mm, font, options.mrzPrint);
    const [backSide, frontSide] = [finished(back, backLayer), finished(front, frontLayer)];
    const securityPrint = backSide.securityPrint && { mrzSide: backSide.securityPrint, front: frontSide.securityPrint! };
    return { format, mrzSide: backSide.image, front: frontSide.image, mrz, fields, viz, ...(securityPrint ? { securityPrint } : {}) };
  }
  const [canvas, ctx, layer] = page();
  header(ctx, `UTOPIA  ${titles[format]}`);
  const mrzTop = size.height - (4.2 + LINE_PITCH_MM * 2 + 1);
  const portraitH = Math.min(45, mrzTop - 14);
  paintPortrait(ctx, 5 * mm, 10 * mm, portraitH * 0.78 * mm, portraitH * mm, options.portrait);
  paintFields(ctx, (8 + portraitH * 0.78) * mm, 12 * mm, mm, viz, format !== 'TD3' && format !== 'MRVA');
  if (!options.omitMrz) paintMrz(ctx, mrz, size.width, size.height, mm, font, options.mrzPrint);
  const side = finished(canvas, layer);
  return { format, mrzSide: side.image, mrz, fields, viz, ...(side.securityPrint ? { securityPrint: { mrzSide: side.securityPrint } } : {}) };
}
