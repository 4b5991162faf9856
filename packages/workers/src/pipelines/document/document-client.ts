import { EkycError, document as coreDocument, face as coreFace, type RgbaImage } from '@ekyc/core';
import { transfer, WorkerHost } from '../../host/worker-host.ts';
import type { LoadHooks } from '../../assets/asset-progress.ts';
import type { FaceClient } from '../face/face-client.ts';
import type { DocumentConfig, DocumentPipelineApi, DocumentRead, MrzSummary, ReadOptions } from './document.ts';

import { crossCheckZones } from './visual-zone.ts';

export type { DocumentConfig, DocumentRead, EngineReading, MrzEngineName, MrzSummary, ReadOptions } from './document.ts';
export type { VisualZoneRead } from './visual-zone.ts';

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

/** Cross-frame fusion on the camera path (core frame-fusion.ts). */
export interface StreamFusionOptions {
  /** Offer a reading fused from the last frames' characters when no whole-frame reading is stable (default true). */
  fuse?: boolean;
  /** Frames with an MRZ fused at most, the latest (default 4). */
  window?: number;
  /** Frames that must each see a character as it stands, one of them clearly (default 2: the vote's `stableFrames`; core `fuseFrames`). */
  minSeenReads?: number;
}

/** Where a fusion runs: the document worker's `fuse` (DocumentClient), or core `fuseFrames` on this thread. */
export type FrameFuser = (frames: readonly coreDocument.FusionFrame[], options: coreDocument.FusionOptions) => Promise<coreDocument.FrameFusion>;

const fuseHere: FrameFuser = async (frames, options) => coreDocument.fuseFrames(frames, options);

/**
 * The last `window` frames' engine reads (a read made with `mrzEvidence`), fused on request (core
 * `fuseFrames`): the camera path's answer when glare moving between frames clips different characters in
 * each, so no frame reads the document whole. Only frames with as many MRZ lines as the latest are fused.
 * `fuser`: where the fusion runs; give the document client's `fuse` so the page's thread never merges a
 * window of frames (tens to hundreds of ms); without one it runs here (Node, tests).
 */
export class MrzFrameFusion {
  private readonly frames: coreDocument.FusionFrame[] = [];
  private readonly window: number;
  private readonly minSeenReads: number;
  #last: coreDocument.FrameFusion | null = null;
  #ms: number[] = [];

  constructor(private readonly referenceDate: string | undefined, options: StreamFusionOptions = {}, private readonly fuser: FrameFuser = fuseHere) {
    this.window = Math.max(2, Math.floor(options.window ?? 4));
    this.minSeenReads = Math.max(1, Math.floor(options.minSeenReads ?? 2));
  }

  /** The last fusion tried, accepted or not (why not: `refusal`, `conflicts`, `unsupported`); null before any. */
  get last(): coreDocument.FrameFusion | null { return this.#last; }

  /** Milliseconds each fusion tried took, as the caller waited for it (in the worker: with the round trip). */
  get timings(): readonly number[] { return this.#ms; }

  /** Keeps a frame's engine reads (a read without `mrzEvidence` is skipped). */
  add(read: Pick<DocumentRead, 'mrzEvidence'>): void {
    if (!read.mrzEvidence) return;
    this.frames.push({ evidence: read.mrzEvidence });
    if (this.frames.length > this.window) this.frames.shift();
  }

  /** The kept frames' fused reading as a plain summary when it passes `fuseFrames`' rules, and how many frames it took; null otherwise. */
  async fused(): Promise<{ mrz: MrzSummary; frames: number } | null> {
    const lineCount = (f: coreDocument.FusionFrame): number => Math.max(0, ...f.evidence.reads.map((r) => r.lines.length));
    const latest = this.frames[this.frames.length - 1];
    const frames = latest ? this.frames.filter((f) => lineCount(f) === lineCount(latest)) : [];
    if (frames.length < 2) return null;
    const day = this.referenceDate;
    const t = performance.now();
    const fusion = await this.fuser(frames, { referenceDate: day ? new Date(`${day}T00:00:00Z`) : new Date(), minSeenReads: this.minSeenReads });
    this.#ms.push(performance.now() - t);
    this.#last = fusion;
    return fusion.accepted ? { mrz: fusedSummary(fusion), frames: fusion.frames } : null;
  }
}

/** A fused reading as the plain summary a frame's read carries (fields, flags, errors). */
function fusedSummary(fusion: coreDocument.FrameFusion): MrzSummary {
  const r = fusion.merged.result;
  const fields: MrzSummary['fields'] = {};
  for (const [name, f] of Object.entries(r.fields)) fields[name as keyof MrzSummary['fields']] = f?.value ?? null;
  return { valid: fusion.accepted, format: r.format, fields, uncertainFields: [...fusion.uncertainFields], corrected: [...r.corrected], ambiguous: false, errors: r.errors.map((e) => e.code as string) };
}

/**
 * The camera path: reads frames one at a time and votes their MRZ readings (core `MrzFrameVoter`) until
 * the same valid reading was seen in `stableFrames` frames, so a single misread frame is never the
 * answer. Until then, each frame with an MRZ offers a reading fused from the characters of the last
 * `window` such frames (`MrzFrameFusion`: every character seen in `stableFrames` frames, clearly in one,
 * clearly as another in none): glare that moves between frames clips different characters in each. A fused answer says
 * so in `state.fused`. A frame without an MRZ costs only the line search.
 */
export class DocumentReadStream {
  private readonly voter: coreDocument.MrzFrameVoter<MrzSummary>;
  /** The frames' fusion (absent with `fuse: false`): `fusion.last` says why the last fused reading was refused. */
  readonly fusion: MrzFrameFusion | undefined;

  /** A client with `fuse` (DocumentClient) fuses in its worker; one without, on this thread. */
  constructor(private readonly client: Pick<DocumentClient, 'read'> & Partial<Pick<DocumentClient, 'fuse'>>, private readonly readOptions: ReadOptions = {}, vote: coreDocument.VoteOptions = {}, fusion: StreamFusionOptions = {}) {
    this.voter = new coreDocument.MrzFrameVoter<MrzSummary>(vote);
    this.fusion = fusion.fuse === false ? undefined : new MrzFrameFusion(readOptions.referenceDate, { minSeenReads: vote.stableFrames ?? 2, ...fusion }, fuserOf(client));
  }

  /** Reads one frame (with its quad from capture quality) and returns the vote so far. */
  async push(frame: RgbaImage, quad?: ReadOptions['quad']): Promise<{ state: coreDocument.VoteState<MrzSummary>; read: DocumentRead }> {
    const read = await this.client.read(frame, { ...this.readOptions, ...(this.fusion ? { mrzEvidence: true } : {}), ...(quad !== undefined ? { quad } : {}) });
    const fusion = this.fusion;
    fusion?.add(read);
    const fuse = fusion && read.mrzEvidence ? async (): Promise<coreDocument.FusedVote<MrzSummary> | null> => {
      const f = await fusion.fused();
      return f && { read: f.mrz, frames: f.frames };
    } : undefined;
    return { state: await this.voter.addAsync(read.mrz, fuse), read };
  }
}

/** The worker's fusion when the client has one (DocumentClient), else undefined (fused on this thread). */
export function fuserOf(client: Partial<Pick<DocumentClient, 'fuse'>>): FrameFuser | undefined {
  const { fuse } = client;
  return fuse ? (frames, options) => fuse.call(client, frames, options) : undefined;
}
