import { describe, expect, it } from 'vitest';
import { document as coreDocument, mulberry32 } from '@ekyc/core';
import { MRZ_CHARSET, type GrayImage } from './mrz-reader.ts';
import { cellToChar, decodeTemplates, discountUnfamiliarFace, faceFamiliarity, fitCellGrids, OcrbReader, readGlyphLine, refitGrid, type GlyphLineRead } from './ocrb-reader.ts';
import { OCRB_TEMPLATES } from './ocrb-templates.generated.ts';

const raw = Uint8Array.from(atob(OCRB_TEMPLATES.base64), (c) => c.charCodeAt(0));
const { width: TW, height: TH } = OCRB_TEMPLATES;

/**
 * A printed line: each glyph's bitmap scaled by `scale` (bilinear) at pitch `pitch` px, with a margin,
 * a box blur of `blur` px, paper `paper` and ink `ink` gray levels, a light gradient and noise.
 */
function printLine(text: string, o: { scale: number; pitchScale?: number; blur?: number; paper?: number; ink?: number; gradient?: number; noise?: number; seed?: number }): GrayImage {
  const rnd = mulberry32(o.seed ?? 1);
  const pitch = TW * o.scale * (o.pitchScale ?? 1);
  const margin = Math.round(1.5 * pitch);
  const width = Math.round(text.length * pitch + 2 * margin);
  const height = Math.round(TH * o.scale + 8);
  const inkMap = new Float32Array(width * height);
  for (let i = 0; i < text.length; i++) {
    const k = MRZ_CHARSET.indexOf(text[i]!);
    const x0 = margin + i * pitch + (pitch - TW * o.scale) / 2;
    for (let y = 0; y < height; y++) for (let x = Math.floor(x0); x < x0 + TW * o.scale; x++) {
      const sx = (x - x0) / o.scale;
      const sy = (y - 4) / o.scale;
      if (sx < 0 || sy < 0 || sx >= TW - 1 || sy >= TH - 1) continue;
      const xi = Math.floor(sx);
      const yi = Math.floor(sy);
      const fx = sx - xi;
      const fy = sy - yi;
      const at = (xx: number, yy: number): number => raw[k * TW * TH + yy * TW + xx]! / 255;
      const v = (at(xi, yi) * (1 - fx) + at(xi + 1, yi) * fx) * (1 - fy) + (at(xi, yi + 1) * (1 - fx) + at(xi + 1, yi + 1) * fx) * fy;
      inkMap[y * width + x] = Math.max(inkMap[y * width + x]!, v);
    }
  }
  const r = o.blur ?? 0;
  const blurred = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    let s = 0;
    let c = 0;
    for (let j = -r; j <= r; j++) for (let i = -r; i <= r; i++) {
      const yy = y + j;
      const xx = x + i;
      if (yy < 0 || xx < 0 || yy >= height || xx >= width) continue;
      s += inkMap[yy * width + xx]!;
      c++;
    }
    blurred[y * width + x] = s / c;
  }
  const data = new Uint8Array(width * height);
  const paper = o.paper ?? 230;
  const ink = o.ink ?? 20;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const light = 1 - (o.gradient ?? 0) * (x / width);
    const v = (paper - (paper - ink) * blurred[y * width + x]!) * light + (rnd() - 0.5) * 2 * (o.noise ?? 0);
    data[y * width + x] = Math.max(0, Math.min(255, Math.round(v)));
  }
  return { width, height, data };
}

/** The line in a crop `pad` px taller above and below (locate's crops hold ~2.4 cap heights), filled with paper. */
function padRows(line: GrayImage, pad: number, paper: number): GrayImage {
  const height = line.height + 2 * pad;
  const data = new Uint8Array(line.width * height).fill(paper);
  data.set(line.data, pad * line.width);
  return { width: line.width, height, data };
}

const TD3_2 = 'L898902C36UTO7408122F1204159ZE184226B<<<<<10';
const TD1_1 = 'I<UTOD231458907<<<<<<<<<<<<<<<';
const TD2_1 = 'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<';

describe('OCR-B cell reader', () => {
  const templates = decodeTemplates();

  it('decodes one zero-mean, unit-norm template per MRZ character and blur level', () => {
    expect(templates.chars).toBe(MRZ_CHARSET);
    expect(templates.levels).toHaveLength(2);
    const n = TW * TH;
    for (const level of templates.levels) {
      expect(level).toHaveLength(MRZ_CHARSET.length * n);
      for (const k of [0, 14, 36]) {
        let s = 0;
        let s2 = 0;
        for (let i = 0; i < n; i++) { s += level[k * n + i]!; s2 += level[k * n + i]! ** 2; }
        expect(Math.abs(s)).toBeLessThan(1e-3);
        expect(s2).toBeCloseTo(1, 3);
      }
    }
  });

  it('reads clean lines of each MRZ length, at another scale than the templates', () => {
    for (const text of [TD3_2, TD1_1, TD2_1]) {
      const read = readGlyphLine(printLine(text, { scale: 1.17 }), templates);
      expect(read?.grid.cells).toBe(text.length);
      expect(read?.read.text).toBe(text);
      expect(Math.min(...read!.read.chars.map((c) => c.confidence))).toBeGreaterThan(0.5);
    }
  });

  it('reads blurred, dim, noisy lines and a light gradient along the line, at a slightly wider pitch', () => {
    for (const degraded of [
      { blur: 2, paper: 120, ink: 50, noise: 6 },
      { blur: 2, paper: 120, ink: 50, gradient: 0.4 },
      { blur: 1, paper: 200, ink: 50, gradient: 0.4, noise: 6 },
    ]) {
      const read = readGlyphLine(printLine(TD3_2, { scale: 1.3, pitchScale: 1.06, seed: 7, ...degraded }), templates);
      expect(read?.read.text).toBe(TD3_2);
    }
  });

  it('leaves out the card\'s edge caught at the side of the crop (dark above, across and below the text)', () => {
    const text = 'OCONNOR<<LENA<<<<<<<<<<<<<<<<<';
    const line = padRows(printLine(text, { scale: 1.2, paper: 130, ink: 30, noise: 8, seed: 5 }), 18, 130);
    // The table beyond the card's left edge: the first 4 columns dark over the crop's whole height.
    const data = Uint8Array.from(line.data, (v, i) => (i % line.width < 4 ? 50 : v));
    const read = readGlyphLine({ ...line, data }, templates);
    expect(read?.read.text).toBe(text);
  });

  it('finds where the line starts through a moiré\'s stripes in the margin', () => {
    // Measured on a strong-set MRV-A line (105033): vertical moiré stripes of ~4 px put the margin's
    // column darkness at ~15% of the glyphs' above the paper, and the grid began in the margin.
    const line = printLine(TD3_2, { scale: 1.25 });
    const profile = new Float32Array(line.width);
    for (let y = 0; y < line.height; y++) for (let x = 0; x < line.width; x++) profile[x]! += 255 - line.data[y * line.width + x]!;
    const sorted = [...profile].sort((a, b) => a - b);
    const amplitude = 0.15 * (sorted[Math.floor(0.98 * (line.width - 1))]! - sorted[0]!);
    for (let x = 0; x < line.width; x++) profile[x]! += amplitude * (1 + Math.sin((2 * Math.PI * x) / 4.2));
    const [best] = fitCellGrids(profile);
    const margin = Math.round(1.5 * TW * 1.25);
    expect(best?.cells).toBe(44);
    expect(Math.abs(best!.offset - margin)).toBeLessThan(0.25 * TW * 1.25);
    expect(best!.pitch).toBeCloseTo(TW * 1.25, 0);
  });

  it('finds the pitch from the gaps between glyphs', () => {
    const line = printLine(TD1_1, { scale: 1, pitchScale: 1.1 });
    const profile = new Float32Array(line.width);
    for (let y = 0; y < line.height; y++) for (let x = 0; x < line.width; x++) profile[x]! += 255 - line.data[y * line.width + x]!;
    const [best] = fitCellGrids(profile);
    expect(best?.cells).toBe(30);
    expect(best!.pitch).toBeCloseTo(TW * 1.1, 0);
  });

  it('gives no confident character for a crop of noise, and nothing for a blank crop', async () => {
    const rnd = mulberry32(3);
    const noise: GrayImage = { width: 600, height: 40, data: Uint8Array.from({ length: 600 * 40 }, () => Math.round(rnd() * 255)) };
    const read = readGlyphLine(noise, templates);
    if (read) expect(read.read.chars.filter((c) => c.confidence > 0.5).length).toBeLessThan(read.read.chars.length / 4);
    const blank: GrayImage = { width: 600, height: 40, data: new Uint8Array(600 * 40).fill(200) };
    expect(await new OcrbReader(templates).readLine(blank)).toEqual({ text: '', chars: [] });
  });

  it('turns cell scores into a probability with the runner-up as an alternative', () => {
    const scores = new Float32Array(MRZ_CHARSET.length).fill(0.1);
    scores[MRZ_CHARSET.indexOf('O')] = 0.9;
    scores[MRZ_CHARSET.indexOf('0')] = 0.88;
    const c = cellToChar(scores, MRZ_CHARSET);
    expect(c.char).toBe('O');
    expect(c.alternatives[0]?.char).toBe('0');
    expect(c.confidence).toBeGreaterThan(c.alternatives[0]!.confidence);
    expect(c.confidence + c.alternatives[0]!.confidence).toBeLessThanOrEqual(1.0001);
  });

  it('re-fits a grid whose cells drift along the line, and leaves a straight one alone', () => {
    const grid = { cells: 44, offset: 10, pitch: 24, cost: 0.1 };
    const of = (dx: (c: number) => number): GlyphLineRead => ({
      read: { text: '', chars: [] }, grid, meanScore: 0.8, scores: [],
      shifts: Array.from({ length: 44 }, (_, cell) => ({ cell, dx: dx(cell), score: 0.8 })),
    });
    expect(refitGrid(of(() => 0), 24)).toBeNull();
    // Each cell's best match sits 0.05 px further right per cell: the pitch was short by 0.05 px.
    const refit = refitGrid(of((c) => 0.05 * c), 24);
    expect(refit?.pitch).toBeCloseTo(24.05, 5);
    expect(refit?.offset).toBeCloseTo(10, 5);
    // Poorly matched cells do not count.
    expect(refitGrid({ ...of((c) => 0.05 * c), shifts: of((c) => 0.05 * c).shifts.map((s) => ({ ...s, score: 0.3 })) }, 24)).toBeNull();
  });
});

/** Ink spread by `r` px (a minimum filter over the gray line): the strokes of another, heavier face. */
function spreadInk(line: GrayImage, r: number): GrayImage {
  const { width: w, height: h, data } = line;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let m = 255;
    for (let j = Math.max(0, y - r); j <= Math.min(h - 1, y + r); j++) for (let i = Math.max(0, x - r); i <= Math.min(w - 1, x + r); i++) m = Math.min(m, data[j * w + i]!);
    out[y * w + x] = m;
  }
  return { width: w, height: h, data: out };
}

describe('OCR-B cell reader on a face it does not know', () => {
  const templates = decodeTemplates();
  // The same text in OCR-B and with its strokes 3 px heavier each side (at twice the templates' size):
  // the cells still read it, at scores a familiar face never has (familiarity 0.87 against 0.99).
  const known = readGlyphLine(printLine(TD3_2, { scale: 2, seed: 3 }), templates)!;
  const unknown = readGlyphLine(spreadInk(printLine(TD3_2, { scale: 2, seed: 3 }), 3), templates)!;

  it('measures how well the line\'s face matches the templates', () => {
    expect(faceFamiliarity(known)).toBeGreaterThan(0.95);
    expect(faceFamiliarity(unknown)).toBeLessThan(0.9);
  });

  it('gives no confident character on a face it does not know, so another engine reads the line', () => {
    expect(known.read.text).toBe(TD3_2);
    expect(Math.min(...known.read.chars.map((c) => c.confidence))).toBeGreaterThan(0.9);
    // Without the discount these cells score 0.8-0.9 and were read at confidence 0.9 and over.
    expect(Math.max(...unknown.read.chars.filter((c) => c.char !== '<').map((c) => c.confidence))).toBeLessThan(0.05);
  });

  it('keeps the confidence of the `<` fillers on a face it does not know (they hold the line\'s length in the merge)', () => {
    const fillers = unknown.read.chars.filter((c) => c.char === '<');
    expect(fillers.length).toBeGreaterThan(3);
    for (const c of fillers) expect(c.confidence).toBeGreaterThan(0.5);
  });

  it('scales confidences by familiarity between an unknown and a known face, and leaves a known one alone', () => {
    expect(discountUnfamiliarFace(known)).toBe(known);
    const shifts = known.shifts.map((s) => ({ ...s, score: 0.9175 }));
    const half = discountUnfamiliarFace({ ...known, shifts });
    half.read.chars.forEach((c, i) => expect(c.confidence).toBeCloseTo(known.read.chars[i]!.confidence / (c.char === '<' ? 1 : 2), 5));
  });
});

/**
 * A veil of light over a disk (centre cx, cy; radius r, in px), blending toward white
 * (v -> 255 - (255 - v)(1 - s)) with strength `strength` over its inner part, falling to 0 at its rim:
 * glare, or a hologram's sheen, that washes ink out without clipping it at white.
 */
function veil(line: GrayImage, cx: number, cy: number, r: number, strength: number): GrayImage {
  const data = Uint8Array.from(line.data, (v, i) => {
    const d = Math.hypot((i % line.width) - cx, Math.floor(i / line.width) - cy) / r;
    const s = strength * Math.max(0, Math.min(1, 1.6 - d));
    return Math.round(255 - (255 - v) * (1 - s));
  });
  return { ...line, data };
}

describe('OCR-B cell reader under a veil of glare', () => {
  const templates = decodeTemplates();
  // Strong TD1 117000 of the fresh set 17000: a glare veil over the top of the document number's second
  // `0` (cell 11) left a U-shaped rest; `U` and `0` weigh the same under every check digit.
  const truth = ['IDJPNMT0C4X0X<9<<<<<<<<<<<<<<<', '9602201F2810113ITA<<<<<<<<<<<0', 'TANAKA<<JOAO<PEDRO<<<<<<<<<<<<'];
  const scale = 2;
  const pad = 30;
  const printed = padRows(printLine(truth[0]!, { scale, paper: 220, ink: 30, noise: 6, seed: 5 }), pad, 220);
  const pitch = TW * scale;
  const margin = Math.round(1.5 * pitch);
  const veiled = veil(printed, margin + 11.5 * pitch, pad + 4, pitch, 0.9);

  it('reads the rest of the washed-out 0 as U, as the strong set did (what the rest below is about)', () => {
    expect(readGlyphLine(veiled, templates)?.read.text[11]).toBe('U');
  });

  it('marks the washed-out cell faded and offers the check-blind 0 beside its U', () => {
    const read = readGlyphLine(veiled, templates)!;
    const cell = read.read.chars[11]!;
    expect(cell.faded).toBe(true);
    expect(cell.alternatives.map((a) => a.char)).toContain('0');
    read.read.chars.forEach((c, i) => { if (Math.abs(i - 11) > 1) expect(c.faded ?? false).toBe(false); });
  });

  it('marks nothing on the line without the veil, nor where light falls off along the whole line', () => {
    // Light falling to half along the line (ink and paper alike, as a photo's shading does).
    const dimmed = { ...printed, data: Uint8Array.from(printed.data, (v, i) => Math.round(v * (1 - 0.5 * ((i % printed.width) / printed.width)))) };
    for (const line of [printed, dimmed]) {
      const read = readGlyphLine(line, templates)!;
      expect(read.read.text).toBe(truth[0]);
      expect(read.read.chars.some((c) => c.faded)).toBe(false);
    }
  });

  it('is never reported valid with a certain, wrong document number when the cell reader reads it alone', () => {
    const line0 = readGlyphLine(veiled, templates)!.read;
    const m = coreDocument.mergeMrzReads([{ engine: 'ocrb', lines: [line0, coreDocument.lineFromText(truth[1]!), coreDocument.lineFromText(truth[2]!)] }], { referenceDate: new Date('2026-12-03T00:00:00Z') });
    const silent = m.valid && m.result.fields.documentNumber?.value !== 'MT0C4X0X' && !m.uncertainFields.includes('documentNumber');
    expect(silent).toBe(false);
  });
});
