/**
 * tesseract.js 7 (English LSTM, best_int) as an MrzReader: single-line mode, `A-Z0-9<` whitelist,
 * per-symbol confidences (tesseract.js reports no per-symbol alternatives). Its worker script, core and
 * language data run from blob: URLs of verified bytes (docs/runtime.md); nothing is fetched by URL.
 */
import type { document as coreDocument } from '@ekyc/core';
import { createWorker, OEM, PSM, type Worker as TesseractWorker } from 'tesseract.js';
import { fetchModel } from '../../assets/fetch-asset.ts';
import { fetchRuntimeObjectUrl, objectUrlOfVerified, type VerifiedRuntimeUrl } from '../../assets/verified-url.ts';
import { MRZ_CHARSET, type GrayImage, type MrzReader } from './mrz-reader.ts';

function toCanvas(image: GrayImage): OffscreenCanvas {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const rgba = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0; i < image.width * image.height; i++) {
    const v = image.data[i]!;
    rgba[i * 4] = v; rgba[i * 4 + 1] = v; rgba[i * 4 + 2] = v; rgba[i * 4 + 3] = 255;
  }
  canvas.getContext('2d')!.putImageData(new ImageData(rgba, image.width, image.height), 0, 0);
  return canvas;
}

/**
 * The English LSTM reads OCR-B `<` as K, L or C (measured here: most filler runs come back as
 * `KLKLLK...`), so each K/L/C is only half trusted and `<` is offered as its alternative: the merge then
 * follows the other engine where it saw a filler, and keeps the letter where it saw the letter.
 */
export function withFillerDoubt(char: string, confidence: number): coreDocument.OcrCharRead {
  if (char === 'K' || char === 'L' || char === 'C') return { char, confidence: confidence * 0.5, alternatives: [{ char: '<', confidence: confidence * 0.45 }] };
  return { char, confidence, alternatives: [] };
}

export interface VerifiedTesseract {
  worker: TesseractWorker;
  /** The blob: URLs it runs from; revoke them once the worker is terminated. */
  urls: VerifiedRuntimeUrl[];
}

/**
 * A tesseract.js worker (English LSTM) started from verified bytes only. tesseract.js 7.0.0 fetches
 * language data by URL only: a blob: URL of the verified bytes, with a fragment that absorbs the file
 * name it appends.
 */
export async function startVerifiedTesseract(assetBaseUrl: string): Promise<VerifiedTesseract> {
  const [workerScript, core] = await Promise.all([
    fetchRuntimeObjectUrl('tesseract-worker', assetBaseUrl),
    fetchRuntimeObjectUrl('tesseract-core-simd-lstm', assetBaseUrl),
  ]);
  const eng = objectUrlOfVerified(await fetchModel('tesseract-eng', assetBaseUrl), 'eng.traineddata.gz');
  const urls = [workerScript, core, eng];
  try {
    const worker = await createWorker('eng', OEM.LSTM_ONLY, {
      workerPath: workerScript.url,
      workerBlobURL: false,
      corePath: core.namedUrl,
      langPath: `${eng.url}#`,
      cacheMethod: 'none',
    });
    return { worker, urls };
  } catch (error) {
    for (const url of urls) url.revoke();
    throw error;
  }
}

export class TesseractReader implements MrzReader {
  readonly engine = 'tesseract';

  private constructor(private readonly worker: TesseractWorker, private readonly urls: VerifiedRuntimeUrl[]) {}

  static async create(assetBaseUrl: string): Promise<TesseractReader> {
    const { worker, urls } = await startVerifiedTesseract(assetBaseUrl);
    await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_LINE, tessedit_char_whitelist: MRZ_CHARSET });
    return new TesseractReader(worker, urls);
  }

  readonly variants = 1;

  async readLine(line: GrayImage): Promise<coreDocument.OcrLineRead> {
    const { data } = await this.worker.recognize(toCanvas(line), {}, { blocks: true, text: true });
    const chars: coreDocument.OcrCharRead[] = [];
    for (const block of data.blocks ?? []) for (const p of block.paragraphs) for (const l of p.lines) for (const w of l.words) {
      for (const s of w.symbols) {
        for (const ch of s.text) chars.push(withFillerDoubt(ch, Math.max(0, Math.min(1, s.confidence / 100))));
      }
    }
    return { text: chars.map((c) => c.char).join(''), chars };
  }

  /** One line of printed text (a visual-zone value) with `whitelist` (empty: any character). */
  async readText(image: GrayImage, whitelist: string): Promise<string> {
    await this.worker.setParameters({ tessedit_char_whitelist: whitelist });
    try {
      return (await this.worker.recognize(toCanvas(image))).data.text.trim();
    } finally {
      await this.worker.setParameters({ tessedit_char_whitelist: MRZ_CHARSET });
    }
  }

  /** Whole-image read in automatic page mode, no whitelist: the full-page baseline. */
  async readPage(image: GrayImage): Promise<string> {
    await this.worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO, tessedit_char_whitelist: '' });
    try {
      return (await this.worker.recognize(toCanvas(image))).data.text;
    } finally {
      await this.worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_LINE, tessedit_char_whitelist: MRZ_CHARSET });
    }
  }

  async close(): Promise<void> {
    await this.worker.terminate().catch(() => undefined);
    for (const url of this.urls) url.revoke();
  }
}
