/**
 * Camera glare streams as `eval:mrz --streams N --stream-stress glare` draws them (the same frames, seed
 * for seed: e2e/pages/document.ts `stream`), every frame read to the end (`maxFrames`) with `mrzEvidence`
 * whatever the vote says, so a stream can be replayed in Node (the fusion and the vote on the captured
 * reads; scripts/capture-streams.mjs) to compare fusion rules and their cost on exactly the eval's reads.
 */
import type { MrzFormat } from '@ekyc/core';
import { cameraGlareHotspot, createRandom, degradeDocument, drawDegradation, mrzBand, renderMrzDocument, type DegradationLevel } from '@ekyc/testkit';
import { DocumentClient, type DocumentRead } from '@ekyc/workers';

const FORMATS: readonly MrzFormat[] = ['TD3', 'TD1', 'TD2', 'MRVA', 'MRVB'];
const PX_PER_MM = 12;

export interface CapturedStream {
  format: MrzFormat;
  seed: number;
  level: DegradationLevel;
  truth: string[];
  /** The leading noise frame's read first, then each document frame's (no `rectified`). */
  reads: Array<Pick<DocumentRead, 'mrzFound' | 'mrz' | 'mrzEvidence'>>;
}

let fontLoaded: Promise<void> | undefined;
let client: DocumentClient | undefined;

/** Streams `seed0 + 500 + i` for i < count at `level`, the eval's format order. */
export async function captureStreams(seed0: number, count: number, level: DegradationLevel, maxFrames = 8, first = 0): Promise<CapturedStream[]> {
  fontLoaded ??= new FontFace('OCR-B', 'url(/@fs/usr/share/fonts/opentype/ocr-b/OCRB.otf)').load().then((face) => { document.fonts.add(face); });
  await fontLoaded;
  client ??= new DocumentClient({ assetBaseUrl: '/ekyc/', backend: 'wasm', engines: ['ppocr', 'tesseract'] }, 170_000);
  const keep = (r: DocumentRead): CapturedStream['reads'][number] => ({ mrzFound: r.mrzFound, mrz: r.mrz, ...(r.mrzEvidence ? { mrzEvidence: r.mrzEvidence } : {}) });
  const out: CapturedStream[] = [];
  for (let i = first; i < count; i++) {
    const format = FORMATS[i % FORMATS.length]!;
    const seed = seed0 + 500 + i;
    const random = createRandom(seed);
    const doc = renderMrzDocument(random, { format, pxPerMm: PX_PER_MM, font: 'OCR-B' });
    const options = { referenceDate: '2026-06-01', mrzEvidence: true } as const;
    const noise = { width: 640, height: 480, data: new Uint8ClampedArray(640 * 480 * 4).map((_, k) => (k % 4 === 3 ? 255 : (k * 7919) % 251)) };
    const reads = [keep(await client.read(noise, { ...options, quad: null }))];
    const glareRandom = createRandom(seed * 7919 + 104_729);
    const band = mrzBand(format, PX_PER_MM);
    for (let f = 1; f < maxFrames; f++) {
      const hotspots = cameraGlareHotspot(band, PX_PER_MM, glareRandom);
      const frame = await degradeDocument(doc.mrzSide, drawDegradation(level, random), random, 1, 0.08, undefined, hotspots);
      reads.push(keep(await client.read(frame.image, { ...options, quad: frame.quad })));
    }
    out.push({ format, seed, level, truth: [...doc.mrz], reads });
  }
  return out;
}
