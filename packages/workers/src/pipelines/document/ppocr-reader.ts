/**
 * PP-OCRv4 recognition (CRNN + CTC) as an MrzReader, on onnxruntime-web through the one runtime.
 * Input [1,3,48,W] BGR (v/255-0.5)/0.5; output [1,W/8,6625] probabilities, blank 0, labels from
 * ppocr-keys then a space. The label set is Chinese + ASCII: each class is folded to the MRZ character it
 * stands for (lower case to upper, the angle-bracket look-alikes to `<`), everything else counts as
 * "other", so decoding only ever emits MRZ characters and alternatives are MRZ characters too.
 */
import type { document as coreDocument } from '@ekyc/core';
import { ort, type ModelSession } from '../../runtime/runtime.ts';
import { MRZ_CHARSET, recropToInk, type GrayImage, type MrzReader } from './mrz-reader.ts';
import { localDarkness } from './ocrb-reader.ts';

const HEIGHT = 48;
/** Measured on synthetic OCR-B lines with onnxruntime-node: 0.2 recovered the dropped letters, added none. */
const EMIT_THROUGH_BLANK = 0.2;
const FOLDS: Readonly<Record<string, string>> = { '‹': '<', '〈': '<', '⟨': '<', '＜': '<', '«': '<', 'く': '<' };

/** Class index -> MRZ character index (or -1 for other), from the label list. */
export function mrzClassMap(keys: readonly string[]): Int16Array {
  const labels = ['', ...keys, ' '];
  const map = new Int16Array(labels.length).fill(-1);
  labels.forEach((label, i) => {
    if (i === 0) return;
    const folded = FOLDS[label] ?? (/^[a-z]$/.test(label) ? label.toUpperCase() : label);
    const index = MRZ_CHARSET.indexOf(folded);
    if (folded.length === 1 && index >= 0) map[i] = index;
  });
  return map;
}

/**
 * CTC greedy decode: the best class per step, repeats collapsed by class. A step won by a class that is
 * no MRZ character (a Chinese glyph for `<`, say) is forced to the best MRZ character at that step, so
 * the character count is kept. Each character's alternatives are the other MRZ characters' best
 * probabilities over its run of steps.
 */
export function decodeCtc(probs: Float32Array, steps: number, classes: number, map: Int16Array): coreDocument.OcrLineRead {
  const K = MRZ_CHARSET.length;
  const perChar = new Float32Array(K);
  // The ~70 classes that stand for an MRZ character, in class order: the per-step work beyond the
  // argmax runs over these only, not the 6625 labels.
  const mapped = Int32Array.from(map.keys()).filter((c) => c > 0 && c < classes && map[c]! >= 0);
  const chars: coreDocument.OcrCharRead[] = [];
  let prevClass = 0;
  let run: Float32Array | undefined;
  let runSymbol = -1;
  const flush = (): void => {
    if (!run || runSymbol < 0) return;
    const r = run;
    const order = [...r.keys()].filter((k) => k !== runSymbol).sort((a, b) => r[b]! - r[a]!);
    chars.push({
      char: MRZ_CHARSET[runSymbol]!,
      confidence: Math.min(1, r[runSymbol]!),
      alternatives: order.slice(0, 2).filter((k) => r[k]! > 0.02).map((k) => ({ char: MRZ_CHARSET[k]!, confidence: Math.min(1, r[k]!) })),
    });
    run = undefined;
    runSymbol = -1;
  };
  for (let t = 0; t < steps; t++) {
    const base = t * classes;
    let best = 0;
    let bestP = probs[base]!;
    for (let c = 1; c < classes; c++) {
      const p = probs[base + c]!;
      if (p > bestP) { best = c; bestP = p; }
    }
    let second = 0;
    for (const c of mapped) if (second === 0 || probs[base + c]! > probs[base + second]!) second = c;
    // A character this model is unsure of loses every step to blank and vanishes (SILVA read SIVA): an
    // MRZ character above EMIT_THROUGH_BLANK wins a blank step, unless it repeats the character before
    // (a real double letter needs the blank between its two halves).
    if (best === 0 && second !== 0 && second !== prevClass && probs[base + second]! > EMIT_THROUGH_BLANK) best = second;
    // The space class (last) is no MRZ character: a pause, like blank.
    if (best === 0 || best === classes - 1) { flush(); prevClass = 0; continue; }
    perChar.fill(0);
    for (const c of mapped) perChar[map[c]!]! += probs[base + c]!;
    let symbol = map[best]!;
    if (symbol < 0) {
      symbol = 0;
      for (let k = 1; k < K; k++) if (perChar[k]! > perChar[symbol]!) symbol = k;
    }
    if (best !== prevClass) {
      flush();
      run = new Float32Array(K);
      runSymbol = symbol;
    }
    for (let k = 0; k < K; k++) run![k] = Math.max(run![k]!, perChar[k]!);
    // A forced character's confidence is what the MRZ classes got, not the foreign glyph's.
    prevClass = best;
  }
  flush();
  return { text: chars.map((c) => c.char).join(''), chars };
}

/**
 * The line with paper white and ink black along its whole length: each pixel against the paper and ink
 * levels of the columns around it (+-1.2 crop heights, about 2 ink heights, as the cell reader uses), so
 * glare or shade over part of the line no longer washes that part out for the model.
 */
export function normalizeLineContrast(line: GrayImage): GrayImage {
  const dark = localDarkness(line, Math.max(8, Math.round(1.2 * line.height)));
  const data = new Uint8Array(dark.length);
  for (let i = 0; i < dark.length; i++) data[i] = Math.round(255 * (1 - dark[i]!));
  return { width: line.width, height: line.height, data };
}

/** Columns `[x0, x1)` of a line, with `pad` white columns either side. */
export function cutColumns(line: GrayImage, x0: number, x1: number, pad: number): GrayImage {
  const from = Math.max(0, Math.min(line.width - 1, Math.floor(x0)));
  const to = Math.max(from + 1, Math.min(line.width, Math.ceil(x1)));
  const margin = Math.max(0, Math.round(pad));
  const width = to - from + 2 * margin;
  const data = new Uint8Array(width * line.height).fill(255);
  for (let y = 0; y < line.height; y++) data.set(line.data.subarray(y * line.width + from, y * line.width + to), y * width + margin);
  return { width, height: line.height, data };
}

/** Resizes a gray line to height 48 (bilinear) and lays it out as a BGR NCHW tensor. */
export function lineTensor(line: GrayImage, stretch = 1): { data: Float32Array; width: number } {
  const scale = HEIGHT / line.height;
  const width = Math.max(8, Math.ceil((line.width * scale * stretch) / 8) * 8);
  const plane = width * HEIGHT;
  const data = new Float32Array(plane * 3);
  for (let y = 0; y < HEIGHT; y++) {
    const sy = Math.min(line.height - 1, Math.max(0, (y + 0.5) / scale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(line.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(line.width - 1, Math.max(0, (x + 0.5) / (scale * stretch) - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(line.width - 1, x0 + 1);
      const fx = sx - x0;
      const d = line.data;
      const v = (d[y0 * line.width + x0]! * (1 - fx) + d[y0 * line.width + x1]! * fx) * (1 - fy)
        + (d[y1 * line.width + x0]! * (1 - fx) + d[y1 * line.width + x1]! * fx) * fy;
      const n = v / 127.5 - 1;
      const i = y * width + x;
      data[i] = n;
      data[plane + i] = n;
      data[2 * plane + i] = n;
    }
  }
  return { data, width };
}

/**
 * Horizontal stretch per variant of the line (cut to 1.7x its ink height, scaled to height 48). At 1 an
 * OCR-B character is ~23 px wide (~3 CTC steps); the cost of this model grows with the width. Measured
 * on synthetic OCR-B lines, it drops characters of long random strings at some scales and not at
 * others (a dropped L in SILVA at one, none at the other), so each variant is one voter in the merge.
 */
const VARIANT_STRETCH: readonly number[] = [1, 1.5];

const emptyStages = () => ({ cropMs: 0, tensorMs: 0, inferMs: 0, decodeMs: 0, runs: 0, inputWidth: 0 });

export class PpOcrReader implements MrzReader {
  readonly engine = 'ppocr';
  private readonly map: Int16Array;

  constructor(private readonly session: ModelSession, keys: readonly string[]) {
    this.map = mrzClassMap(keys);
  }

  readonly variants = VARIANT_STRETCH.length;
  private stages = emptyStages();

  async readLine(line: GrayImage, variant: number): Promise<coreDocument.OcrLineRead> {
    const t0 = performance.now();
    const prepared = normalizeLineContrast(recropToInk(line, 1.7));
    this.stages.cropMs += performance.now() - t0;
    return this.run(prepared, VARIANT_STRETCH[variant] ?? 1);
  }

  /**
   * Reads only pixel columns `[x0, x1)` of the line (cut at cell boundaries by the caller), with `pad`
   * columns of paper either side. The ink band and the contrast are taken over the whole line first, so
   * the span is prepared exactly as in a whole-line read; only the model's input is narrower.
   */
  async readSpan(line: GrayImage, variant: number, x0: number, x1: number, pad: number): Promise<coreDocument.OcrLineRead> {
    const t0 = performance.now();
    const prepared = normalizeLineContrast(recropToInk(line, 1.7));
    const cut = cutColumns(prepared, x0, x1, pad);
    this.stages.cropMs += performance.now() - t0;
    return this.run(cut, VARIANT_STRETCH[variant] ?? 1);
  }

  /** Time per stage and input width since the last call (the bench's breakdown). */
  takeStages(): Record<string, number> {
    const taken = this.stages;
    this.stages = emptyStages();
    return { ...taken };
  }

  private async run(line: GrayImage, stretch: number): Promise<coreDocument.OcrLineRead> {
    const t0 = performance.now();
    const { data, width } = lineTensor(line, stretch);
    const input = this.session.inputNames[0] ?? 'x';
    const t1 = performance.now();
    const outputs = await this.session.run({ [input]: new ort.Tensor('float32', data, [1, 3, HEIGHT, width]) });
    const t2 = performance.now();
    const out = Object.values(outputs)[0]!;
    const [, steps, classes] = out.dims as [number, number, number];
    const read = decodeCtc(out.data as Float32Array, steps, classes, this.map);
    const s = this.stages;
    s.tensorMs += t1 - t0;
    s.inferMs += t2 - t1;
    s.decodeMs += performance.now() - t2;
    s.runs++;
    s.inputWidth += width;
    return read;
  }

  async close(): Promise<void> {
    await this.session.release().catch(() => undefined);
  }
}
