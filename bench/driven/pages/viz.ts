import { createRandom, renderMrzDocument } from '@ekyc/testkit';
import { DocumentClient, type DocumentRead } from '@ekyc/workers';

/**
 * Visual zone (printed fields) speed: `DocumentClient.read(page, { visualZone: true })` on clean
 * rendered pages, the whole image the document, 12 px/mm (305 DPI): a TD3 passport page, a TD2 page
 * and a TD1 card front (no MRZ on it). One warm-up read loads ppocr-det; then `rounds` reads of each.
 */
const PAGES = [
  { name: 'TD3 page', format: 'TD3', seed: 7001, side: 'mrzSide' },
  { name: 'TD2 page', format: 'TD2', seed: 7002, side: 'mrzSide' },
  { name: 'TD1 front', format: 'TD1', seed: 7003, side: 'front' },
] as const;

export interface VizSample {
  page: string;
  totalMs: number;
  visualZoneMs: number;
  detectMs: number;
  recognizeMs: number;
  secondReadMs: number;
  boxes: number;
  fieldsRight: number;
  fieldsCertain: number;
  fieldsPrinted: number;
}

/** The fields testkit prints on every page (`paintFields`). */
const PRINTED = ['surname', 'givenNames', 'nationality', 'birthDate', 'sex', 'documentNumber', 'issueDate', 'expiryDate'] as const;

const normalise = (value: unknown): string => String(value ?? '').toUpperCase().replace(/[^A-Z0-9-]/g, '');

const vizBench = {
  async run(rounds: number): Promise<{ samples: VizSample[]; warmUpMs: number }> {
    const face = new FontFace('OCR-B', 'url(/@fs/usr/share/fonts/opentype/ocr-b/OCRB.otf)');
    document.fonts.add(await face.load());
    const client = new DocumentClient({ assetBaseUrl: '/ekyc/', backend: 'wasm' }, 170_000);
    try {
      const docs = PAGES.map((p) => {
        const doc = renderMrzDocument(createRandom(p.seed), { format: p.format, pxPerMm: 12, font: 'OCR-B' });
        const image = p.side === 'front' ? doc.front : doc.mrzSide;
        if (!image) throw new Error(`testkit rendered no ${p.side} for ${p.format}`);
        return { name: p.name, image, truth: doc.viz as unknown as Record<string, unknown> };
      });
      const copy = (d: (typeof docs)[number]['image']) => ({ width: d.width, height: d.height, data: new Uint8ClampedArray(d.data) });
      const options = { referenceDate: '2026-06-01', visualZone: true } as const;
      const t0 = performance.now();
      await client.read(copy(docs[0]!.image), options); // warm-up: sessions, tesseract worker, ppocr-det
      const warmUpMs = performance.now() - t0;
      const samples: VizSample[] = [];
      for (let round = 0; round < rounds; round++) {
        for (const d of docs) {
          const read: DocumentRead = await client.read(copy(d.image), options);
          const vz = read.visualZone;
          if (!vz || read.timings.visualZoneMs === undefined) throw new Error(`no visual zone read for ${d.name}`);
          const fields = PRINTED.map((name) => [name, vz.fields[name as keyof typeof vz.fields]] as const);
          samples.push({
            page: d.name, totalMs: read.timings.totalMs, visualZoneMs: read.timings.visualZoneMs,
            detectMs: vz.timings.detectMs, recognizeMs: vz.timings.recognizeMs, secondReadMs: vz.timings.secondReadMs, boxes: vz.boxes,
            fieldsRight: fields.filter(([name, f]) => f && normalise(f.value) !== '' && normalise(f.value) === normalise(d.truth[name])).length,
            fieldsCertain: fields.filter(([, f]) => f && !f.uncertain).length,
            fieldsPrinted: PRINTED.length,
          });
        }
      }
      return { samples, warmUpMs };
    } finally {
      client.terminate();
    }
  },
};

declare global {
  interface Window {
    vizBench: typeof vizBench;
  }
}
window.vizBench = vizBench;
document.body.dataset['ready'] = 'true';
