import { createRandom, renderMrzDocument } from '@ekyc/testkit';
import { DocumentClient, type DocumentRead } from '@ekyc/workers';
import { median, type BenchResult } from '../types.ts';
import { fusionStreams } from './fusion-streams.ts';

const FORMATS = ['TD3', 'TD1', 'TD2', 'MRVA', 'MRVB'] as const;

/**
 * MRZ read from a rectified document (the whole image is the document, 300 DPI, clean) in the document
 * worker on WASM: line finding, the OCR-B cell reader first, PP-OCRv4 on the lines it cannot settle
 * (always the name line), tesseract.js and PP-OCR's second variant only as fallback, merge. Against
 * tesseract full-page on the same image (the baseline the issue asks for).
 */
export default async (ctx: { assetBaseUrl: string }): Promise<BenchResult[]> => {
  const face = new FontFace('OCR-B', 'url(/@fs/usr/share/fonts/opentype/ocr-b/OCRB.otf)');
  document.fonts.add(await face.load());
  const client = new DocumentClient({ assetBaseUrl: ctx.assetBaseUrl, backend: 'wasm' }, 170_000);
  const docs = FORMATS.map((format, i) => renderMrzDocument(createRandom(9000 + i), { format, pxPerMm: 300 / 25.4, font: 'OCR-B' }).mrzSide);
  const copy = (d: (typeof docs)[number]) => ({ width: d.width, height: d.height, data: new Uint8ClampedArray(d.data) });
  // The same reads with PP-OCR on whole lines (the earlier path), interleaved read by read with the
  // client above so that both see the same load on a shared machine.
  const whole = new DocumentClient({ assetBaseUrl: ctx.assetBaseUrl, backend: 'wasm', partialLines: false }, 170_000);
  await client.read(copy(docs[0]!), { referenceDate: '2026-06-01' }); // warm-up: sessions, tesseract worker
  await whole.read(copy(docs[0]!), { referenceDate: '2026-06-01' });
  const reads: DocumentRead[] = [];
  const wholeReads: DocumentRead[] = [];
  for (let round = 0; round < 2; round++) {
    for (const d of docs) {
      const first = round === 0 ? client : whole;
      for (const c of [first, first === client ? whole : client]) {
        if (c === client) reads.push(await c.read(copy(d), { referenceDate: '2026-06-01', baseline: true }));
        else wholeReads.push(await c.read(copy(d), { referenceDate: '2026-06-01' }));
      }
    }
  }
  client.terminate();
  whole.terminate();
  const wholeMs = wholeReads.map((r) => r.timings.locateMs + r.timings.ocrMs + r.timings.mergeMs);
  const wholePp = wholeReads.map((r) => r.engines.ppocr?.stages).filter((x): x is Record<string, number> => x !== undefined);
  const mrzMs = reads.map((r) => r.timings.locateMs + r.timings.ocrMs + r.timings.mergeMs);
  const full = reads.map((r) => r.baseline?.ms ?? Number.NaN);
  const ppocr = reads.map((r) => r.engines.ppocr?.ms ?? Number.NaN);
  const tess = reads.map((r) => r.engines.tesseract?.ms ?? Number.NaN);
  const valid = reads.filter((r) => r.mrz?.valid).length;
  const secondPass = reads.filter((r) => (r.engines.ppocr?.variants ?? 0) > 1).length;
  const ocrb = reads.map((r) => r.engines.ocrb?.ms ?? Number.NaN);
  const ppocrLines = reads.reduce((n, r) => n + (r.engines.ppocr?.lines.filter((l) => l !== '').length ?? 0), 0);
  const allLines = reads.reduce((n, r) => n + r.lines.length, 0);
  const tessRuns = reads.filter((r) => r.engines.tesseract).length;
  const stage = (pick: (r: DocumentRead) => number): string => median(reads.map(pick)).toFixed(0);
  // PP-OCRv4's own stages per read (reads where it ran): line crop + contrast, tensor, inference, CTC decode.
  const pp = reads.map((r) => r.engines.ppocr?.stages).filter((x): x is Record<string, number> => x !== undefined);
  const ppStage = (key: string): string => median(pp.map((x) => x[key] ?? 0)).toFixed(key === 'runs' ? 1 : 0);
  const ppWidth = pp.reduce((n, x) => n + (x.inputWidth ?? 0), 0) / Math.max(1, pp.reduce((n, x) => n + (x.runs ?? 0), 0));
  const fusion = await fusionStreams(ctx.assetBaseUrl);
  return [
    { suite: 'document', name: 'MRZ read from a rectified 300 DPI document (locate + both engines + merge, in worker, WASM)', unit: 'ms', value: median(mrzMs), runs: reads.length, target: '<= 400 ms', notes: `${valid}/${reads.length} valid; locate ${stage((r) => r.timings.locateMs)}, OCR ${stage((r) => r.timings.ocrMs)} (OCR-B cells ${median(ocrb).toFixed(0)}, PP-OCRv4 ${median(ppocr.filter((v) => !Number.isNaN(v))).toFixed(0)}${tessRuns ? `, tesseract.js ${median(tess.filter((v) => !Number.isNaN(v))).toFixed(0)}` : ''}), merge ${stage((r) => r.timings.mergeMs)} ms (medians); PP-OCRv4 read ${ppocrLines}/${allLines} lines, second variant in ${secondPass}/${reads.length}, tesseract.js in ${tessRuns}/${reads.length}; five layouts` },
    { suite: 'document', name: 'MRZ read: PP-OCRv4 inference per read (reads where it ran)', unit: 'ms', value: median(pp.map((x) => x.inferMs ?? 0)), runs: pp.length, notes: `per read (medians): line crop + contrast ${ppStage('cropMs')}, tensor ${ppStage('tensorMs')}, inference ${ppStage('inferMs')}, CTC decode ${ppStage('decodeMs')} ms; ${ppStage('runs')} model runs per read, input ${ppWidth.toFixed(0)} px wide on average (height 48)` },
    { suite: 'document', name: 'same reads, PP-OCRv4 on whole lines (partialLines: false, the earlier path), interleaved', unit: 'ms', value: median(wholeMs), runs: wholeReads.length, notes: `${wholeReads.filter((r) => r.mrz?.valid).length}/${wholeReads.length} valid; PP-OCRv4 inference ${median(wholePp.map((x) => x.inferMs ?? 0)).toFixed(0)} ms per read, input ${(wholePp.reduce((n, x) => n + (x.inputWidth ?? 0), 0) / Math.max(1, wholePp.reduce((n, x) => n + (x.runs ?? 0), 0))).toFixed(0)} px wide on average; partial / whole ${(median(mrzMs) / median(wholeMs)).toFixed(2)}` },
    { suite: 'document', name: 'tesseract.js full page on the same documents (baseline)', unit: 'ms', value: median(full), runs: reads.length, notes: `ratio MRZ read / full page: ${(median(mrzMs) / median(full)).toFixed(2)}` },
    ...fusion,
  ];
};
