/**
 * Synthetic driving-licence fronts in the EU / ISO/IEC 18013-1 layout (Directive 2006/126/EC, Annex I):
 * an ID-1 card with no MRZ, fields introduced by numbers instead of words (`1.` surname, `2.` given
 * names, `3.` date and place of birth, `4a.` issue date, `4b.` expiry date, `4c.` authority, `4d.`
 * personal number, `5.` licence number, `7.` signature, `9.` categories), the EU emblem (the issuing
 * state's distinguishing sign in white inside a ring of stars on blue), the title in the state's
 * language (`FÜHRERSCHEIN`, `PRAWO JAZDY`), a portrait, dates as `DD.MM.YYYY` (or `DD/MM/YY`, as some states
 * print them). The printed fields match `fields` unless overridden (`vizOverrides`), for tests of
 * documents whose print is deliberately different from the issuer's record.
 */
import type { RgbaImage } from '@ekyc/core';
import { securityPrintOver } from './document.ts';
import { paintBackground, paintPortrait } from './mrz-document.ts';
import { PRINT_FACE } from './print-face.ts';
import type { Random } from './random.ts';

/** ID-1, ISO/IEC 7810 (mm). */
export const LICENCE_SIZE_MM = { width: 85.6, height: 53.98 } as const;

export interface LicenceFields {
  /** Distinguishing sign in the emblem (`D`, `F`, `PL`, `IRL`, `UT`: the ICAO specimens' Utopia). */
  issuingState: string;
  surname: string;
  givenNames: string;
  /** ISO dates. */
  birthDate: string;
  birthPlace: string;
  issueDate: string;
  expiryDate: string;
  authority: string;
  documentNumber: string;
  categories: string[];
}

/** How the card prints its dates. */
export interface LicenceDateStyle {
  separator: '.' | '/';
  yearDigits: 2 | 4;
}

export interface LicenceOptions {
  pxPerMm: number;
  /** A face photo for the portrait (cover-fit); a silhouette when absent. */
  portrait?: CanvasImageSource & { width: number; height: number };
  /** Printed fields that differ from `fields` (a tampered or mismatching card, for tests). */
  vizOverrides?: Partial<LicenceFields>;
  /** Force a date style (default: drawn, 4-digit years with dots most often). */
  dateStyle?: LicenceDateStyle;
  /** Also return where the card's security print (the tint's wave lines) still shows (`LicenceDocument.securityPrint`). */
  securityPrint?: boolean;
}

export interface LicenceDocument {
  kind: 'driving_licence';
  image: RgbaImage<Uint8ClampedArray>;
  /** The issuer's record. */
  fields: LicenceFields;
  /** What the card prints (equal to `fields` unless overridden). */
  viz: LicenceFields;
  dateStyle: LicenceDateStyle;
  /** With `LicenceOptions.securityPrint`: the pixels (1 per pixel, row-major) where the wave lines show, not covered since (`securityPrintMask`). */
  securityPrint?: Uint8Array;
}

const SURNAMES = ['MUSTERMANN', 'DUPONT', 'ROSSI', 'JANSEN', 'NOWAK', 'GARCIA LOPEZ', 'OLSEN', 'MURPHY', 'SILVA', 'BERGMANN', 'KOVACS', 'DE VRIES'];
const GIVEN = ['ERIKA', 'JEAN PAUL', 'GIULIA', 'PIETER', 'AGNIESZKA', 'MARIA JOSE', 'LARS', 'AOIFE', 'TIAGO', 'HANNA', 'ZSOFIA', 'SANNE'];
const PLACES = ['BERLIN', 'LYON', 'MILANO', 'UTRECHT', 'KRAKOW', 'SEVILLA', 'BERGEN', 'CORK', 'PORTO', 'GRAZ', 'DEBRECEN', 'UTOPIA'];
const STATES = ['UT', 'D', 'F', 'I', 'NL', 'PL', 'E', 'IRL', 'P', 'A'];
const AUTHORITIES = ['LANDRATSAMT', 'PREFECTURE', 'MOTORIZZAZIONE', 'RDW', 'STAROSTA', 'DGT', 'NDLS', 'IMT', 'CITY OF UTOPIA'];
const CATEGORY_SETS = [['AM', 'B'], ['AM', 'A1', 'B', 'L'], ['AM', 'A1', 'A2', 'A', 'B', 'BE'], ['B', 'BE', 'C1', 'C1E'], ['AM', 'B', 'T']];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isoDate(y: number, m: number, d: number): string {
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** The day before `years` after `iso` (licences expire the day before the anniversary). */
function validUntil(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y + years, m - 1, d) - 86_400_000);
  return t.toISOString().slice(0, 10);
}

/** Licence numbers in the shapes several states print: alphanumeric, all digits, a long UK-like code. */
function licenceNumber(random: Random, surname: string): string {
  const alnum = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
  const pattern = random.int(0, 2);
  if (pattern === 0) {
    let s = alnum[random.int(0, 22)]!;
    for (let i = 0; i < 10; i++) s += alnum[random.int(0, alnum.length - 1)];
    return s;
  }
  if (pattern === 1) {
    let s = '';
    for (let i = 0; i < 12; i++) s += String(random.int(0, 9));
    return s;
  }
  const letters = surname.replace(/[^A-Z]/g, '').padEnd(5, '9').slice(0, 5);
  let s = letters;
  for (let i = 0; i < 6; i++) s += String(random.int(0, 9));
  for (let i = 0; i < 2; i++) s += alnum[random.int(0, 22)];
  return `${s}${random.int(1, 9)}${alnum[random.int(0, 22)]}${alnum[random.int(0, 22)]}`;
}

/** Random licence fields (issued 2013-2025, valid 10 or 15 years: some are expired by 2026, as real ones are). */
export function randomLicenceFields(random: Random): LicenceFields {
  const surname = random.pick(SURNAMES);
  const birthYear = random.int(1950, 2007);
  const birthDate = isoDate(birthYear, random.int(1, 12), random.int(1, 28));
  const issueYear = Math.max(birthYear + 18, random.int(2013, 2025));
  const issueDate = isoDate(Math.min(issueYear, 2025), random.int(1, 12), random.int(1, 28));
  return {
    issuingState: random.pick(STATES),
    surname,
    givenNames: random.pick(GIVEN),
    birthDate,
    birthPlace: random.pick(PLACES),
    issueDate,
    expiryDate: validUntil(issueDate, random.pick([10, 15])),
    authority: random.pick(AUTHORITIES),
    documentNumber: licenceNumber(random, surname),
    categories: random.pick(CATEGORY_SETS),
  };
}

/** A date as the card prints it: `18.01.2033`, `18/01/33`. */
export function licenceDate(iso: string, style: LicenceDateStyle): string {
  const [y, m, d] = iso.split('-');
  return [d, m, style.yearDigits === 2 ? y!.slice(2) : y].join(style.separator);
}

/**
 * The title each state prints in its own language (Directive 2006/126/EC, Annex I: "driving licence"
 * in the language(s) of the issuing state); Utopia, Ireland: English.
 */
export const NATIONAL_TITLE: Readonly<Record<string, string>> = {
  UT: 'DRIVING LICENCE', D: 'FÜHRERSCHEIN', A: 'FÜHRERSCHEIN', F: 'PERMIS DE CONDUIRE', I: 'PATENTE DI GUIDA',
  NL: 'RIJBEWIJS', PL: 'PRAWO JAZDY', E: 'PERMISO DE CONDUCCIÓN', IRL: 'DRIVING LICENCE', P: 'CARTA DE CONDUÇÃO',
};

/** The EU emblem: a blue rectangle, the sign in negative (white) at its centre, encircled by twelve yellow stars. */
function paintFlag(ctx: OffscreenCanvasRenderingContext2D, x: number, y: number, w: number, h: number, mm: number, state: string): void {
  ctx.fillStyle = '#1d3f94';
  ctx.fillRect(x, y, w, h);
  ctx.fillStyle = '#ffd617';
  const cx = x + w / 2;
  const cy = y + h / 2;
  const r = Math.min(w, h) * 0.42;
  for (let k = 0; k < 12; k++) {
    const a = (k / 12) * 2 * Math.PI;
    ctx.beginPath();
    ctx.arc(cx + r * Math.cos(a), cy + r * Math.sin(a), 0.35 * mm, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.fillStyle = '#fff';
  // Three-letter signs (IRL, EST, SLO) smaller, to stay inside the ring.
  ctx.font = `bold ${(state.length >= 3 ? 2.0 : 2.6) * mm}px ${PRINT_FACE}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(state, cx, cy);
  ctx.textAlign = 'start';
  ctx.textBaseline = 'alphabetic';
}

function paintSignature(ctx: OffscreenCanvasRenderingContext2D, x: number, y: number, w: number, mm: number, random: Random): void {
  ctx.strokeStyle = '#1a2a6a';
  ctx.lineWidth = 0.25 * mm;
  ctx.beginPath();
  ctx.moveTo(x, y);
  for (let k = 0; k < 5; k++) {
    ctx.bezierCurveTo(x + (k + 0.3) * w / 5, y - random.range(1, 3) * mm, x + (k + 0.6) * w / 5, y + random.range(0.5, 2) * mm, x + (k + 1) * w / 5, y - random.range(-1, 1) * mm);
  }
  ctx.stroke();
}

/** Renders a licence front with random fields from `random`. */
export function renderDrivingLicence(random: Random, options: LicenceOptions): LicenceDocument {
  const mm = options.pxPerMm;
  const fields = randomLicenceFields(random);
  const viz: LicenceFields = { ...fields, ...options.vizOverrides };
  const dateStyle: LicenceDateStyle = options.dateStyle ?? (random.chance(0.2) ? { separator: random.pick(['.', '/'] as const), yearDigits: 2 } : { separator: random.chance(0.8) ? '.' : '/', yearDigits: 4 });
  const w = Math.round(LICENCE_SIZE_MM.width * mm);
  const h = Math.round(LICENCE_SIZE_MM.height * mm);
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  paintBackground(ctx, w, h, random, mm);
  const layer = options.securityPrint ? { width: w, height: h, data: ctx.getImageData(0, 0, w, h).data } : undefined;
  paintFlag(ctx, 3 * mm, 3 * mm, 11 * mm, 8 * mm, mm, viz.issuingState);
  ctx.fillStyle = '#1f2f5f';
  ctx.font = `bold ${3 * mm}px ${PRINT_FACE}`;
  ctx.fillText(NATIONAL_TITLE[viz.issuingState] ?? 'DRIVING LICENCE', 17 * mm, 6.6 * mm);
  ctx.font = `${1.4 * mm}px ${PRINT_FACE}`;
  ctx.fillText('PERMIS DE CONDUIRE   FÜHRERSCHEIN   PATENTE DI GUIDA', 17 * mm, 9.6 * mm);
  paintPortrait(ctx, 3.5 * mm, 13 * mm, 23 * mm, 29 * mm, options.portrait);
  // Field rows: the number in regular weight, the value in bold capitals after it (~1.7 mm cap height).
  const numberFont = `${2.1 * mm}px ${PRINT_FACE}`;
  const valueFont = `bold ${2.4 * mm}px ${PRINT_FACE}`;
  const left = 30 * mm;
  const valueLeft = 34.5 * mm;
  const second = 60 * mm;
  const row = (i: number): number => (16 + i * 4.2) * mm;
  const field = (number: string, value: string, x: number, y: number, vx: number): void => {
    ctx.fillStyle = '#2a2a4a';
    ctx.font = numberFont;
    ctx.fillText(number, x, y);
    ctx.fillStyle = '#111';
    ctx.font = valueFont;
    // Long values are condensed to the card's edge, as printers do.
    ctx.fillText(value, vx, y, LICENCE_SIZE_MM.width * mm - 2.5 * mm - vx);
  };
  const date = (iso: string): string => licenceDate(iso, dateStyle);
  field('1.', viz.surname, left, row(0), valueLeft);
  field('2.', viz.givenNames, left, row(1), valueLeft);
  field('3.', `${date(viz.birthDate)} ${viz.birthPlace}`, left, row(2), valueLeft);
  field('4a.', date(viz.issueDate), left, row(3), valueLeft);
  field('4c.', viz.authority, second, row(3), second + 4.5 * mm);
  field('4b.', date(viz.expiryDate), left, row(4), valueLeft);
  field('5.', viz.documentNumber, left, row(5), valueLeft);
  ctx.fillStyle = '#2a2a4a';
  ctx.font = numberFont;
  ctx.fillText('7.', left, row(6) + 1 * mm);
  paintSignature(ctx, valueLeft, row(6), 22 * mm, mm, random);
  field('9.', viz.categories.join('/'), 4 * mm, 48.5 * mm, 8 * mm);
  const data = ctx.getImageData(0, 0, w, h).data;
  const securityPrint = layer && securityPrintOver(layer, data);
  return { kind: 'driving_licence', image: { width: w, height: h, data }, fields, viz, dateStyle, ...(securityPrint ? { securityPrint } : {}) };
}
