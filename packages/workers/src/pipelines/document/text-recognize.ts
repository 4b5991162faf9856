/**
 * PP-OCRv4 recognition of free printed text (visual-zone labels and values): the same model as the MRZ
 * reader, decoded over its whole label set (Latin letters, digits, punctuation, accented letters...)
 * instead of folded to the MRZ characters.
 */
import { ort, type ModelSession } from '../../runtime/runtime.ts';
import type { GrayImage } from './mrz-reader.ts';
import { lineTensor } from './ppocr-reader.ts';

const HEIGHT = 48;
/** Lines per model run (PaddleOCR's default rec batch). */
const BATCH = 6;

export interface RecognisedText {
  text: string;
  /** One per character of `text`: the best probability over the character's CTC steps. */
  confidences: number[];
}

/** Index of each label's other-case twin (`a` for `A`...), or -1. */
export function caseTwins(labels: readonly string[]): Int32Array {
  const index = new Map(labels.map((l, i) => [l, i]));
  return Int32Array.from(labels, (l) => {
    const other = l === l.toUpperCase() ? l.toLowerCase() : l.toUpperCase();
    return other !== l && l.length === 1 ? index.get(other) ?? -1 : -1;
  });
}

/**
 * CTC greedy decode over the full label set (`''` blank, `keys`, then a space). A letter's confidence
 * counts its other-case twin too: values are compared in upper case, and the model splits its
 * probability between `x` and `X` on a lone capital.
 */
export function decodeCtcText(probs: Float32Array, steps: number, classes: number, labels: readonly string[], twins?: Int32Array): RecognisedText {
  let text = '';
  const confidences: number[] = [];
  let prev = 0;
  for (let t = 0; t < steps; t++) {
    const base = t * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[base + c]! > probs[base + best]!) best = c;
    const twin = twins?.[best] ?? -1;
    const p = probs[base + best]! + (twin >= 0 ? probs[base + twin]! : 0);
    if (best !== 0 && best === prev) {
      confidences[confidences.length - 1] = Math.max(confidences[confidences.length - 1]!, p);
    } else if (best !== 0) {
      const label = labels[best] ?? '';
      text += label;
      for (let k = 0; k < [...label].length; k++) confidences.push(p);
    }
    prev = best;
  }
  // Spaces PP-OCR emits at a line's ends carry no information.
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  return { text: trimmed, confidences: confidences.slice(lead, lead + [...trimmed].length) };
}

/** A crop with its 2nd-98th percentile gray levels stretched to 0-255 (dim or glared print). */
export function stretchGray(line: GrayImage): GrayImage {
  const hist = new Uint32Array(256);
  for (const v of line.data) hist[v]!++;
  const n = line.data.length;
  let acc = 0;
  let low = 0;
  while (low < 255 && (acc += hist[low]!) < 0.02 * n) low++;
  acc = 0;
  let high = 255;
  while (high > 0 && (acc += hist[high]!) < 0.02 * n) high--;
  if (high - low < 16 || (low === 0 && high === 255)) return line;
  const gain = 255 / (high - low);
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.max(0, Math.min(255, Math.round((line.data[i]! - low) * gain)));
  return { width: line.width, height: line.height, data };
}

export class TextRecognizer {
  private readonly labels: string[];

  constructor(private readonly session: ModelSession, keys: readonly string[]) {
    this.labels = ['', ...keys, ' '];
    this.twins = caseTwins(this.labels);
  }

  private readonly twins: Int32Array;

  /** Reads one line crop (dark or light text; the model takes either). */
  async read(line: GrayImage): Promise<RecognisedText> {
    return (await this.readMany([line]))[0]!;
  }

  /**
   * Reads many line crops in batches of similar aspect (as PaddleOCR does), each padded with zeros
   * (mid-gray after normalisation) to the widest of its batch: one model run per batch instead of
   * one per line.
   */
  async readMany(lines: readonly GrayImage[]): Promise<RecognisedText[]> {
    const tensors = lines.map((l) => lineTensor(stretchGray(l)));
    const order = tensors.map((_, i) => i).sort((a, b) => tensors[a]!.width - tensors[b]!.width);
    const out = new Array<RecognisedText>(lines.length);
    const input = this.session.inputNames[0] ?? 'x';
    for (let start = 0; start < order.length; start += BATCH) {
      const batch = order.slice(start, start + BATCH);
      const width = Math.max(...batch.map((i) => tensors[i]!.width));
      const data = new Float32Array(batch.length * 3 * HEIGHT * width);
      batch.forEach((index, n) => {
        const t = tensors[index]!;
        for (let c = 0; c < 3; c++) {
          for (let y = 0; y < HEIGHT; y++) {
            const from = (c * HEIGHT + y) * t.width;
            data.set(t.data.subarray(from, from + t.width), ((n * 3 + c) * HEIGHT + y) * width);
          }
        }
      });
      const outputs = await this.session.run({ [input]: new ort.Tensor('float32', data, [batch.length, 3, HEIGHT, width]) });
      const result = Object.values(outputs)[0]!;
      const [, steps, classes] = result.dims as [number, number, number];
      const probs = result.data as Float32Array;
      batch.forEach((index, n) => {
        // Steps past this line's own width are padding.
        const own = Math.min(steps, Math.ceil(tensors[index]!.width / 8));
        out[index] = decodeCtcText(probs.subarray(n * steps * classes, (n * steps + own) * classes), own, classes, this.labels, this.twins);
      });
    }
    return out;
  }
}
