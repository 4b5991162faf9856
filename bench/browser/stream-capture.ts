/**
 * Camera glare streams as `eval:mrz --streams N --stream-stress glare` draws them (the same frames, seed
 * for seed: e2e/pages/document.ts `stream`), every frame read to the end (`maxFrames`) with `mrzEvidence`
 * whatever the vote says, so a stream can be replayed in Node (the fusion and the vote on the captured
 * reads; scripts/capture-streams.mjs) to compare fusion rules and their cost on exactly the eval's reads.
 */
import type { MrzFormat } from '@ekyc/core';
import { mrzCameraStream, noiseFrame, type DegradationLevel } from '@ekyc/testkit';
import { DocumentClient, type DocumentRead } from '@ekyc/workers';

// eval:mrz's order (scripts/eval-mrz.mjs FORMATS): stream i of a seed is the same document there and here.
export const FORMATS: readonly MrzFormat[] = ['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB'];

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
    const camera = mrzCameraStream(format, seed, level, { glare: true });
    const doc = camera.document;
    const options = { referenceDate: '2026-06-01', mrzEvidence: true } as const;
    const reads = [keep(await client.read(noiseFrame(), { ...options, quad: null }))];
    for (let f = 1; f < maxFrames; f++) {
      const frame = await camera.next();
      reads.push(keep(await client.read(frame.image, { ...options, quad: frame.quad })));
    }
    out.push({ format, seed, level, truth: [...doc.mrz], reads });
  }
  return out;
}
