import type { ResultSummary, ReviewData } from '@ekyc/flow';
import { createRandom, generateLabelledFrame, renderMrzDocument, type MrzDocumentFields } from '@ekyc/testkit';
import { FaceClient } from '@ekyc/workers';
import { FOCAL, fontReady } from './quality-kit.ts';

/**
 * The photos a user would upload: a selfie (Human's face-id screenshot, MIT) and a TD3 passport page
 * rendered by @ekyc/testkit whose portrait is cut from the same photo, so the face match can pass
 * (seed 4 reads exactly in e2e/document.spec.ts). The elements page and the headless flow page
 * (e2e/pages/flow.ts) both upload these.
 */
const SELFIE_URL = '/node_modules/@vladmandic/human/assets/screenshot-faceid.jpg';

export async function selfieBlob(): Promise<Blob> {
  return (await fetch(SELFIE_URL)).blob();
}

/** `printed`: visual-zone values printed instead of the MRZ's (a modified page: the MRZ stays the genuine one). */
export async function documentBlob(seed = 4, printed?: Partial<MrzDocumentFields>): Promise<Blob> {
  await fontReady;
  const photo = await createImageBitmap(await selfieBlob());
  const face = new FaceClient({ assetBaseUrl: '/ekyc/', backend: 'wasm' }, 170_000);
  try {
    const c = new OffscreenCanvas(photo.width, photo.height);
    const cctx = c.getContext('2d', { willReadFrequently: true })!;
    cctx.drawImage(photo, 0, 0);
    const [found] = await face.detect({ width: photo.width, height: photo.height, data: cctx.getImageData(0, 0, photo.width, photo.height).data });
    if (!found) throw new Error('no face in the portrait photo');
    const side = Math.max(found.box.width, found.box.height) * 1.8;
    const cx = found.box.x + found.box.width / 2;
    const cy = found.box.y + found.box.height / 2;
    const portrait = new OffscreenCanvas(Math.round(side * 0.78), Math.round(side));
    portrait.getContext('2d')!.drawImage(photo, cx - side * 0.39, cy - side / 2, side * 0.78, side, 0, 0, portrait.width, portrait.height);
    const doc = renderMrzDocument(createRandom(seed), { format: 'TD3', pxPerMm: 12, font: 'OCR-B', portrait, ...(printed ? { vizOverrides: printed } : {}) });
    const canvas = new OffscreenCanvas(doc.mrzSide.width, doc.mrzSide.height);
    canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(doc.mrzSide.data), doc.mrzSide.width, doc.mrzSide.height), 0, 0);
    return await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
  } finally {
    face.terminate();
  }
}

export async function base64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export interface PaintedStream { stream: MediaStream; width: number; height: number; rgba: Uint8ClampedArray }

/** A camera-like stream: a generated document frame (or a plain scene) painted on a canvas. Stop its track to end it. */
export async function paintedStream(kind: 'document' | 'scene', seed = 3): Promise<PaintedStream> {
  await fontReady;
  const { image } = generateLabelledFrame(seed, kind === 'document' ? { focalLengthFraction: FOCAL, clean: true } : { focalLengthFraction: FOCAL, emptyRate: 1 });
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const ctx = canvas.getContext('2d')!;
  ctx.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  const stream = canvas.captureStream(5);
  // Keep painting so the track delivers frames.
  const timer = setInterval(() => ctx.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0), 200);
  stream.getVideoTracks()[0]?.addEventListener('ended', () => clearInterval(timer));
  return { stream, width: image.width, height: image.height, rgba: new Uint8ClampedArray(image.data) };
}

/** The fields a review screen shows: ICAO's specimen passport, two fields flagged uncertain. */
export const SPECIMEN_REVIEW: ReviewData = {
  documentType: 'passport',
  format: 'TD3',
  valid: true,
  fields: {
    surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '1974-08-12',
    sex: 'F', expiryDate: '2032-04-15', issuingState: 'UTO', documentCode: 'P',
  },
  uncertain: ['givenNames', 'documentNumber'],
  issues: [],
  portraitFound: true,
};

/** A delivered, approved verification. */
export const RESULT: ResultSummary = {
  sessionId: 'sess_2b7f0c1e', evidenceId: 'e3b0c44298fc1c149afbf4c8996fb924', delivery: 'delivered',
  decision: { outcome: 'approve', decidedAt: '2026-12-02T02:00:00Z' }, userMessage: null, sealed: null,
  local: { documentValid: true, faceMatch: null, liveness: null },
};
