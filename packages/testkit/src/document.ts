import { createMrz } from '@ekyc/core';
import { stockGray } from './compose.ts';
import { PRINT_FACE } from './print-face.ts';
import type { Random } from './random.ts';
import type { RgbaImage } from '@ekyc/core';

export type DocumentKind = 'td1' | 'td3';

/** Physical sizes (mm): ID-1 card, and the TD3 passport data page. */
export const DOCUMENT_SIZE_MM: Record<DocumentKind, { width: number; height: number; cornerRadius: number }> = {
  td1: { width: 85.6, height: 53.98, cornerRadius: 3.18 / 85.6 },
  td3: { width: 125, height: 88, cornerRadius: 3.5 / 125 },
};

const SURNAMES = ['ERIKSSON', 'MARTIN', 'OKAFOR', 'NOVAK', 'TANAKA', 'SILVA', 'MULLER', 'KOWALSKA'];
const GIVEN = ['ANNA MARIA', 'LUCAS', 'CHIDI', 'EVA', 'YUKI', 'JOAO', 'LENA', 'PIOTR'];
const STATES = ['UTO', 'D', 'FRA', 'NLD', 'ESP', 'ITA'];

/** Card stock: `pastel` security tint, `light` nearly white tint, `white` paper-white stock. */
export type CardStock = 'pastel' | 'light' | 'white';

/** How a generated document looks, drawn from the seed (labels record it). */
export interface CardStyle {
  stock: CardStock;
  /** `dark` band of the card's complementary hue, or a saturated `coloured` one (a strong inner edge). */
  header: 'dark' | 'coloured';
  /** A printed frame line a few millimetres inside the card's edge: another inner rectangle. */
  printedFrame: boolean;
}

/** The stock's fill: pastel tints as before, light and white ones whose mean gray sits at 205-250 when well exposed. */
function stockColour(stock: CardStock, hue: number, random: Random): string {
  if (stock === 'white') return `hsl(${hue} ${random.int(0, 8)}% ${random.int(93, 99)}%)`;
  if (stock === 'light') return `hsl(${hue} ${random.int(15, 40)}% ${random.int(84, 91)}%)`;
  return `hsl(${hue} ${random.int(20, 55)}% ${random.int(62, 80)}%)`;
}

/**
 * Renders the face of a fictitious document (security background on pastel, light or white stock,
 * guilloche lines, a dark or coloured header band, optionally a printed frame, portrait, printed
 * fields, OCR-B MRZ from `createMrz`) at `pxPerMm` resolution.
 * `font` is the family name of an OCR-B FontFace the caller has loaded.
 */
export function renderDocument(kind: DocumentKind, random: Random, pxPerMm: number, font: string): RgbaImage<Uint8ClampedArray> {
  return renderStyledDocument(kind, random, pxPerMm, font).image;
}

/** `renderDocument`, with the style it drew and where its security print shows (1 per pixel, row-major). */
export function renderStyledDocument(kind: DocumentKind, random: Random, pxPerMm: number, font: string): { image: RgbaImage<Uint8ClampedArray>; style: CardStyle; securityPrint: Uint8Array } {
  const size = DOCUMENT_SIZE_MM[kind];
  const width = Math.round(size.width * pxPerMm);
  const height = Math.round(size.height * pxPerMm);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const hue = random.int(0, 359);
  const style: CardStyle = {
    stock: random.pick(['pastel', 'pastel', 'light', 'white'] as const),
    header: random.pick(['dark', 'coloured'] as const),
    printedFrame: random.chance(0.35),
  };
  ctx.fillStyle = stockColour(style.stock, hue, random);
  ctx.fillRect(0, 0, width, height);
  const stockGray = grayAt(ctx.getImageData(0, 0, 1, 1).data, 0);
  ctx.strokeStyle = `hsl(${(hue + 40) % 360} 45% 62% / 0.6)`;
  ctx.lineWidth = Math.max(1, pxPerMm * 0.12);
  for (let k = 0; k < 14; k++) {
    ctx.beginPath();
    const phase = random.range(0, Math.PI * 2);
    const amplitude = random.range(2, 6) * pxPerMm;
    for (let x = 0; x <= width; x += 4) ctx.lineTo(x, (height * (k + 1)) / 15 + amplitude * Math.sin(x / (8 * pxPerMm) + phase));
    ctx.stroke();
  }
  // A guilloche rosette (epitrochoid) behind the fields, as printed security backgrounds have.
  ctx.strokeStyle = `hsl(${(hue + 200) % 360} 40% 55% / 0.45)`;
  ctx.beginPath();
  const rosette = { x: width * random.range(0.55, 0.75), y: height * 0.5, r: height * random.range(0.25, 0.38) };
  const lobes = random.int(7, 13);
  for (let t = 0; t <= Math.PI * 2 + 0.01; t += 0.01) {
    const rr = rosette.r * (0.75 + 0.25 * Math.cos(lobes * t));
    ctx.lineTo(rosette.x + rr * Math.cos(t), rosette.y + rr * Math.sin(t * 1.0));
  }
  ctx.stroke();
  // The security print as drawn, before fields and portrait cover parts of it (see `securityPrint`).
  const securityLayer = ctx.getImageData(0, 0, width, height).data;
  const mm = (v: number): number => v * pxPerMm;
  // Header band and title.
  ctx.fillStyle = style.header === 'dark' ? `hsl(${(hue + 180) % 360} 45% 32%)` : `hsl(${random.int(0, 359)} ${random.int(60, 85)}% ${random.int(38, 52)}%)`;
  ctx.fillRect(0, 0, width, mm(kind === 'td1' ? 8 : 10));
  ctx.fillStyle = '#fff';
  ctx.font = `bold ${mm(4)}px ${PRINT_FACE}`;
  ctx.fillText(kind === 'td1' ? 'IDENTITY CARD' : 'PASSPORT', mm(4), mm(kind === 'td1' ? 5.8 : 7));
  // Portrait: skin-toned face and shoulders on a light backdrop.
  const photo = { x: mm(4), y: mm(kind === 'td1' ? 11 : 16), w: mm(kind === 'td1' ? 22 : 32), h: mm(kind === 'td1' ? 28 : 40) };
  ctx.fillStyle = `hsl(${random.int(190, 220)} 15% ${random.int(75, 88)}%)`;
  ctx.fillRect(photo.x, photo.y, photo.w, photo.h);
  ctx.fillStyle = `hsl(${random.int(15, 35)} ${random.int(30, 55)}% ${random.int(35, 75)}%)`;
  ctx.beginPath();
  ctx.ellipse(photo.x + photo.w / 2, photo.y + photo.h * 0.42, photo.w * 0.26, photo.h * 0.26, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = `hsl(${random.int(0, 359)} 30% 30%)`;
  ctx.fillRect(photo.x + photo.w * 0.12, photo.y + photo.h * 0.78, photo.w * 0.76, photo.h * 0.22);
  // Printed fields.
  const surname = random.pick(SURNAMES);
  const givenNames = random.pick(GIVEN);
  const state = random.pick(STATES);
  const number = Array.from({ length: 9 }, () => 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'[random.int(0, 32)]).join('');
  const birth = `19${random.int(50, 99)}-0${random.int(1, 9)}-1${random.int(0, 9)}`;
  const expiry = `20${random.int(27, 35)}-0${random.int(1, 9)}-2${random.int(0, 8)}`;
  ctx.fillStyle = '#1d1d28';
  const fieldX = photo.x + photo.w + mm(4);
  const rows: [string, string][] = [['Surname', surname], ['Given names', givenNames], ['Nationality', state], ['Date of birth', birth], ['Document no.', number]];
  rows.forEach(([label, value], i) => {
    const y = photo.y + mm(2 + i * (kind === 'td1' ? 5.2 : 7));
    ctx.font = `${mm(1.8)}px ${PRINT_FACE}`;
    ctx.fillText(label, fieldX, y);
    ctx.font = `bold ${mm(2.8)}px ${PRINT_FACE}`;
    ctx.fillText(value, fieldX, y + mm(2.9));
  });
  // MRZ zone in OCR-B on a white band.
  const lines = createMrz(kind === 'td1' ? 'TD1' : 'TD3', {
    documentCode: kind === 'td1' ? 'ID' : 'P',
    issuingState: state,
    surname,
    givenNames,
    documentNumber: number,
    nationality: state,
    birthDate: birth,
    sex: random.pick(['F', 'M']),
    expiryDate: expiry,
  });
  const lineHeight = mm(4.2);
  const mrzTop = height - mm(2) - lines.length * lineHeight;
  ctx.fillStyle = 'rgb(232 232 226)';
  ctx.fillRect(0, mrzTop - mm(1.5), width, height - mrzTop + mm(1.5));
  ctx.fillStyle = '#111';
  ctx.font = `${mm(kind === 'td1' ? 3.1 : 3.6)}px "${font}", monospace`;
  lines.forEach((line, i) => ctx.fillText(line, mm(3), mrzTop + (i + 0.8) * lineHeight, width - mm(6)));
  if (style.printedFrame) {
    ctx.strokeStyle = `hsl(${(hue + 180) % 360} 50% 35%)`;
    ctx.lineWidth = mm(0.5);
    ctx.strokeRect(mm(1.8), mm(1.8), width - mm(3.6), height - mm(3.6));
  }
  const image = ctx.getImageData(0, 0, width, height);
  return { image: { width, height, data: image.data }, style, securityPrint: securityPrintMask(securityLayer, image.data, stockGray) };
}

/** Levels by which a security line must differ from the stock to be visible as print (the step the outline search calls an edge). */
const SECURITY_PRINT_STEP = 16;

const grayAt = (data: Uint8ClampedArray, i: number): number => 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;

/**
 * The pixels of the finished card that show its security print (guilloche lines and rosette): drawn
 * by it at least 16 levels away from the stock and not covered since by the header, portrait, fields,
 * MRZ band or frame. `layer`: the card as it was once its security print was drawn; `final`: the
 * finished card (both RGBA, same size); `stock`: the stock's gray level.
 */
export function securityPrintMask(layer: Uint8ClampedArray, final: Uint8ClampedArray, stock: number): Uint8Array {
  const mask = new Uint8Array(layer.length / 4);
  for (let p = 0, i = 0; p < mask.length; p++, i += 4) {
    if (Math.abs(grayAt(layer, i) - stock) < SECURITY_PRINT_STEP) continue;
    if (layer[i] === final[i] && layer[i + 1] === final[i + 1] && layer[i + 2] === final[i + 2]) mask[p] = 1;
  }
  return mask;
}

/**
 * `securityPrintMask` of a document whose stock is the most common gray of `layer` (the document as its
 * background and security print left it: a flat tint with lines over it), for renderers that do not keep
 * their stock's level.
 */
export function securityPrintOver(layer: RgbaImage<Uint8ClampedArray>, final: Uint8ClampedArray): Uint8Array {
  return securityPrintMask(layer.data, final, stockGray(layer));
}
