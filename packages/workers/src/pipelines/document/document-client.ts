import { EkycError, document as coreDocument, face as coreFace, type RgbaImage } from '@ekyc/core';
import { transfer, WorkerHost } from '../../host/worker-host.ts';
import type { LoadHooks } from '../../assets/asset-progress.ts';
import type { FaceClient } from '../face/face-client.ts';
import type { DocumentConfig, DocumentPipelineApi, DocumentRead, MrzSummary, ReadOptions } from './document.ts';
import type { VisualZoneRead } from './visual-zone.ts';

import { crossCheckZones } from './visual-zone.ts';

export type { DocumentConfig, DocumentRead, EngineReading, MrzEngineName, MrzSummary, ReadOptions } from './document.ts';
export type { VisualZoneRead } from './visual-zone.ts';
export { wantsOtherSide } from './other-side.ts';

/**
 * The cross-check of two reads of one document: the visual zone of `front` (read with `visualZone`)
 * against the MRZ of `back` (a TD1 card). Null when either is missing or the MRZ is not valid.
 */
export function crossCheckReads(front: Pick<DocumentRead, 'visualZone'>, back: Pick<DocumentRead, 'mrz'>): coreDocument.CrossCheckResult | null {
  return front.visualZone ? crossCheckZones(front.visualZone, back.mrz) : null;
}

/** Longest side an upload is decoded at: a 300 DPI passport page is 1477 px wide; phone photos are larger. */
const MAX_UPLOAD_SIDE = 2400;

/** Decodes an uploaded image (photo or scan) to RGBA; an undecodable file is `image_decode_failed`. */
export async function decodeUpload(blob: Blob): Promise<RgbaImage<Uint8ClampedArray>> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch (cause) {
    throw new EkycError('image_decode_failed', 'The uploaded file could not be decoded as an image', { cause, details: { bytes: blob.size, type: blob.type } });
  }
  try {
    const scale = Math.min(1, MAX_UPLOAD_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new EkycError('image_decode_failed', 'No 2D context to decode the upload', { details: { width, height } });
    context.drawImage(bitmap, 0, 0, width, height);
    return { width, height, data: context.getImageData(0, 0, width, height).data };
  } finally {
    bitmap.close();
  }
}

export interface Portrait {
  /** Faces found on the rectified document (a ghost image makes 2). */
  faces: number;
  /** The main portrait (highest detector score, then largest), with a margin; null when none. */
  crop: RgbaImage<Uint8ClampedArray> | null;
  box: coreFace.Box | null;
  /** More than one face: the main one was picked. */
  ghost: boolean;
}

/** Margin around the detected face box, as a fraction of its size on each side. */
const PORTRAIT_MARGIN = 0.35;

function cropRgba(image: RgbaImage, x0: number, y0: number, w: number, h: number): RgbaImage<Uint8ClampedArray> {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) data.set(image.data.subarray(((y0 + y) * image.width + x0) * 4, ((y0 + y) * image.width + x0 + w) * 4), y * w * 4);
  return { width: w, height: h, data };
}

/** Host-side handle of the document worker. */
export class DocumentClient {
  private readonly host: WorkerHost<DocumentPipelineApi>;

  /** `hooks.onAssetProgress` hears the bytes of each file the worker downloads while it loads. */
  constructor(config: DocumentConfig, timeoutMs = 120_000, hooks: LoadHooks = {}) {
    this.host = new WorkerHost<DocumentPipelineApi>({
      name: 'document',
      create: () => new Worker(new URL('./document.worker.ts', import.meta.url), { type: 'module', name: 'ekyc-document' }),
      config,
      timeoutMs,
      ...hooks,
    });
  }

  /** Reads a frame or decoded upload; the frame's buffer is transferred (don't reuse it). */
  read(image: RgbaImage, options: ReadOptions = {}): Promise<DocumentRead> {
    return this.host.call('read', transfer(image, [image.data.buffer as ArrayBuffer]), options);
  }

  /** Fuses camera frames' engine reads across frames in the worker (core `fuseFrames`; `MrzFrameFusion`). */
  fuse(frames: readonly coreDocument.FusionFrame[], options: coreDocument.FusionOptions = {}): Promise<coreDocument.FrameFusion> {
    return this.host.call('fuse', frames, options);
  }

  /**
   * A TD1 card's MRZ, read on its back (`read` with `mrzEvidence`), completed from the printed zone of
   * its front (`read` with `visualZone`): checked characters the back lost, where their check digits
   * verify the printed values, and unread name or sex characters. Filled fields are uncertain and
   * sourced `visual_zone`. Null when the front fills nothing.
   */
  completeFromOtherSide(evidence: coreDocument.MrzFrameEvidence, otherSide: VisualZoneRead, options: { referenceDate?: string } = {}): Promise<MrzSummary | null> {
    return this.host.call('completeFromOtherSide', evidence, otherSide, options);
  }

  /** Decodes an upload, then reads it with the whole image as the document unless a quad is given. */
  async readUpload(blob: Blob, options: ReadOptions = {}): Promise<DocumentRead> {
    return this.read(await decodeUpload(blob), options);
  }

  /** The portrait on a rectified front, found by the face engine. */
  static async findPortrait(face: FaceClient, rectified: RgbaImage): Promise<Portrait> {
    const copy = { width: rectified.width, height: rectified.height, data: new Uint8ClampedArray(rectified.data) };
    const faces = await face.detect(copy);
    if (faces.length === 0) return { faces: 0, crop: null, box: null, ghost: false };
    const main = [...faces].sort((a, b) => b.score - a.score || b.box.width * b.box.height - a.box.width * a.box.height)[0]!;
    const mx = main.box.width * PORTRAIT_MARGIN;
    const my = main.box.height * PORTRAIT_MARGIN;
    const x0 = Math.max(0, Math.floor(main.box.x - mx));
    const y0 = Math.max(0, Math.floor(main.box.y - my));
    const x1 = Math.min(rectified.width, Math.ceil(main.box.x + main.box.width + mx));
    const y1 = Math.min(rectified.height, Math.ceil(main.box.y + main.box.height + my));
    return { faces: faces.length, crop: cropRgba(rectified, x0, y0, x1 - x0, y1 - y0), box: main.box, ghost: faces.length > 1 };
  }

  terminate(): void {
    this.host.terminate();
  }
}
