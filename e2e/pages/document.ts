import { document as coreDocument, parseMrz, type MrzFormat, type MrzOutputFieldName } from '@ekyc/core';
import { applyPageStress, bookletSpread, createRandom, degradeDocument, drawDegradation, glareHotspots, MRZ_FONT_VARIANTS, mrzBand, mrzCameraStream, mrzCellCentre, noiseFrame, photoPlacement, randomMrzFields, smallPlacement, thumbOver, type MrzStress, renderDrivingLicence, renderMrzDocument, type DegradationLevel, type LicenceDateStyle, type LicenceFields, type MrzDocumentFields } from '@ekyc/testkit';
import { DocumentClient, DocumentReadStream, FaceClient, crossCheckReads, wantsOtherSide, type DocumentRead, type MrzEngineName, type MrzSummary, type VisualZoneRead } from '@ekyc/workers';

/** The OCR-B face the MRZ is drawn in, from Debian's fonts-ocr-b. */
const fontReady = (async () => {
  const face = new FontFace('OCR-B', 'url(/@fs/usr/share/fonts/opentype/ocr-b/OCRB.otf)');
  document.fonts.add(await face.load());
})();

/** Other MRZ print variants (testkit's MRZ_FONT_VARIANTS), their font files loaded once each. */
const variantFaces = new Map<string, Promise<void>>();
async function mrzFontVariant(name: string | undefined): Promise<{ family: string; print?: (typeof MRZ_FONT_VARIANTS)[string]['print'] }> {
  await fontReady;
  if (!name) return { family: 'OCR-B' };
  const variant = MRZ_FONT_VARIANTS[name];
  if (!variant) throw new Error(`unknown MRZ font variant ${name}`);
  if (variant.family !== 'OCR-B' && !variantFaces.has(variant.family)) {
    variantFaces.set(variant.family, new FontFace(variant.family, `url(/@fs${variant.file})`).load().then((face) => { document.fonts.add(face); }));
  }
  await variantFaces.get(variant.family);
  return { family: variant.family, ...(variant.print ? { print: variant.print } : {}) };
}

const PORTRAIT_URL = '/node_modules/@vladmandic/human/assets/screenshot-faceid.jpg';
let portrait: Promise<ImageBitmap> | undefined;
const portraitImage = (): Promise<ImageBitmap> => (portrait ??= fetch(PORTRAIT_URL).then((r) => r.blob()).then((b) => createImageBitmap(b)));

let client: DocumentClient | undefined;
let clientEngines = '';
function documentClient(engines: readonly MrzEngineName[]): DocumentClient {
  if (!client || clientEngines !== engines.join()) {
    client?.terminate();
    client = new DocumentClient({ assetBaseUrl: '/ekyc/', backend: 'wasm', engines }, 170_000);
    clientEngines = engines.join();
  }
  return client;
}

export interface SyntheticCase {
  format: MrzFormat;
  seed: number;
  level: DegradationLevel;
  /** Give the pipeline the true quad (camera path); otherwise the whole frame is the document. */
  useQuad?: boolean;
  baseline?: boolean;
  engines?: MrzEngineName[];
  vizOverrides?: Partial<MrzDocumentFields>;
  /** Return the rectified crop too (debugging, evaluation dumps). */
  includeRectified?: boolean;
  /** Return every engine's per-character reads too (`DocumentReadOptions.mrzEvidence`: replaying the merge). */
  mrzEvidence?: boolean;
  /** Read the visual zone and return it (`DocumentReadOptions.visualZone`). */
  visualZone?: boolean;
  /** Render at this many pixels per millimetre (default 12, ~305 DPI). */
  pxPerMm?: number;
  /** Print no MRZ (a card without one). */
  omitMrz?: boolean;
  /** Print the MRZ in this variant of testkit's MRZ_FONT_VARIANTS (default: OCR-B as the templates). */
  mrzFont?: string;
  /** A stress condition of testkit's mrz-stress.ts on top of `level` (own seeded draws: same document and degradation). */
  stress?: MrzStress;
  /** Return the degraded frame as PNG base64 (to write a labelled set). */
  includeFrame?: boolean;
  /** Without a quad: false reads the whole image without searching for the page's outline (as before it was searched for). */
  findOutline?: boolean;
  /**
   * A TD1 card read as the flow reads it: when the back's MRZ is refused or doubts its number or a
   * date (worker `wantsOtherSide`), the front's printed zone is read too and the back completed from it
   * (`DocumentClient.completeFromOtherSide`). The result's `read.mrz` is the completed reading.
   */
  frontFill?: boolean;
  /**
   * One glare hotspot centred on an MRZ cell (line and column of the layout), `sigmaMm` wide, `peak`
   * times paper white at its centre (testkit's GLARE_PEAK: 16-40 clip at white): a glare core placed
   * where a test needs it, drawn as the `glare` stress condition draws its own. Not with `stress`.
   */
  mrzGlare?: { line: number; column: number; sigmaMm: number; peak: number };
}

/** A hotspot over one MRZ cell of the page (`SyntheticCase.mrzGlare`), in page pixels. */
function glareOverCell(format: MrzFormat, pxPerMm: number, g: NonNullable<SyntheticCase['mrzGlare']>): { x: number; y: number; sigma: number; peak: number } {
  return { ...mrzCellCentre(format, pxPerMm, g.line, g.column), sigma: g.sigmaMm * pxPerMm, peak: g.peak };
}

/** Field values of the true MRZ, as the parser gives them (what a correct read must return). */
function truthFields(lines: readonly string[]): Partial<Record<MrzOutputFieldName, string | null>> {
  const out: Partial<Record<MrzOutputFieldName, string | null>> = {};
  for (const [name, f] of Object.entries(parseMrz(lines, { referenceDate: new Date('2026-06-01T00:00:00Z') }).fields)) out[name as MrzOutputFieldName] = f?.value ?? null;
  return out;
}

export interface SyntheticResult {
  truth: { mrz: string[]; fields: MrzDocumentFields; viz: MrzDocumentFields; mrzFields: Partial<Record<MrzOutputFieldName, string | null>> };
  read: DocumentRead;
  /** With `frontFill`, when the front was read: the back's own reading, and the front's printed zone. */
  otherSide?: { backMrz: MrzSummary | null; frontVisualZone: VisualZoneRead | null; completed: boolean };
}

async function synthetic(c: SyntheticCase): Promise<{ truth: SyntheticResult['truth']; frame: Awaited<ReturnType<typeof degradeDocument>>; frontFrame?: Awaited<ReturnType<typeof degradeDocument>> }> {
  const mrzFont = await mrzFontVariant(c.mrzFont);
  const random = createRandom(c.seed);
  const doc = renderMrzDocument(random, { format: c.format, pxPerMm: c.pxPerMm ?? 12, font: mrzFont.family, ...(mrzFont.print ? { mrzPrint: mrzFont.print } : {}), portrait: await portraitImage(), ...(c.vizOverrides ? { vizOverrides: c.vizOverrides } : {}), ...(c.omitMrz ? { omitMrz: true } : {}) });
  const spec = drawDegradation(c.level, random);
  let frame: Awaited<ReturnType<typeof degradeDocument>>;
  if (c.stress) {
    // Stress draws come from their own sequence, so the document and its degradation stay those of the seed.
    const stressRandom = createRandom(c.seed * 7919 + 104_729);
    const page = { ...doc.mrzSide, data: new Uint8ClampedArray(doc.mrzSide.data) };
    const pxPerMm = c.pxPerMm ?? 12;
    const band = mrzBand(c.format, pxPerMm);
    applyPageStress(page, c.stress, band, pxPerMm, stressRandom);
    if (c.stress === 'booklet' || c.stress === 'thumb') {
      // Photographed as `photo` is: the open booklet's spread, or the page with a thumb over it.
      const shown = c.stress === 'booklet' ? bookletSpread(page, c.format === 'TD3', pxPerMm, stressRandom).spread : page;
      const thumb = c.stress === 'thumb' ? thumbOver(page, band, pxPerMm, stressRandom) : undefined;
      const scale = stressRandom.range(0.7, 1);
      const placement = photoPlacement(shown.width * scale, shown.height * scale, stressRandom);
      frame = await degradeDocument(shown, spec, random, scale, 0.08, { ...placement, ...(thumb ? { thumb } : {}) });
    } else {
      const scale = c.stress === 'small' || c.stress === 'photo' ? stressRandom.range(0.7, 1) : 1;
      const placement = c.stress === 'small' ? smallPlacement(page.width * scale, page.height * scale, stressRandom) : c.stress === 'photo' ? photoPlacement(page.width * scale, page.height * scale, stressRandom) : undefined;
      const hotspots = c.stress === 'glare' ? glareHotspots(page, band, pxPerMm, stressRandom) : undefined;
      frame = await degradeDocument(page, spec, random, scale, 0.08, placement, hotspots);
    }
  } else if (c.mrzGlare) {
    frame = await degradeDocument(doc.mrzSide, spec, random, 1, 0.08, undefined, [glareOverCell(c.format, c.pxPerMm ?? 12, c.mrzGlare)]);
  } else {
    frame = await degradeDocument(doc.mrzSide, spec, random);
  }
  // The TD1 front (visual zone) after the back, so the back's frame is the same as without it.
  const frontFrame = doc.front ? await degradeDocument(doc.front, drawDegradation(c.level, random), random) : undefined;
  return { truth: { mrz: doc.mrz, fields: doc.fields, viz: doc.viz, mrzFields: truthFields(doc.mrz) }, frame, ...(frontFrame ? { frontFrame } : {}) };
}

/** A read without its rectified pixels (results cross back to the test runner). */
type PlainRead = Omit<DocumentRead, 'rectified'>;

export interface VisualZoneResult {
  truth: SyntheticResult['truth'];
  /** The image holding the visual zone: the TD1 front, the page otherwise. */
  viz: PlainRead;
  /** The image holding the MRZ (the TD1 back; the page otherwise). */
  mrz: PlainRead;
  crossCheck: ReturnType<typeof crossCheckReads>;
}

export interface LicenceCase {
  seed: number;
  level: DegradationLevel;
  /** Give the pipeline the true quad (default); false: the whole frame is the document. */
  useQuad?: boolean;
  vizOverrides?: Partial<LicenceFields>;
  dateStyle?: LicenceDateStyle;
  /** Return the clean rendered card as a PNG data URL (for a look at the layout). */
  includePng?: boolean;
}

export interface LicenceResult {
  truth: { fields: LicenceFields; viz: LicenceFields; dateStyle: LicenceDateStyle };
  read: PlainRead;
  /** The document checks on the printed fields (minimum age 18, on 2026-06-01). */
  checks: coreDocument.VisualZoneDocument | null;
  png?: string;
}

/** How a camera-path stream ended (`stream`). */
interface StreamOutcome { status: string; frames: number; correct: boolean | null; fusedFrames?: number; uncertain?: string[]; fusion?: string; fusionMs?: number[] }

const documentTest = {
  /** A synthetic EU-layout driving licence front (no MRZ, numbered fields), read with its visual zone. */
  async readLicence(c: LicenceCase): Promise<LicenceResult> {
    const random = createRandom(c.seed);
    const doc = renderDrivingLicence(random, { pxPerMm: 12, portrait: await portraitImage(), ...(c.vizOverrides ? { vizOverrides: c.vizOverrides } : {}), ...(c.dateStyle ? { dateStyle: c.dateStyle } : {}) });
    const frame = await degradeDocument(doc.image, drawDegradation(c.level, random), random);
    const { rectified: _, ...read } = await documentClient(['ppocr', 'tesseract']).read(frame.image, { referenceDate: '2026-06-01', visualZone: true, quad: c.useQuad === false ? null : frame.quad });
    let png: string | undefined;
    if (c.includePng) {
      const canvas = new OffscreenCanvas(doc.image.width, doc.image.height);
      canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(doc.image.data), doc.image.width, doc.image.height), 0, 0);
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      png = `data:image/png;base64,${btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))}`;
    }
    const checks = read.visualZone ? coreDocument.checkVisualZoneDocument(read.visualZone, { type: 'driving_licence' }, { minimumAge: 18, referenceDate: new Date('2026-06-01T00:00:00Z') }) : null;
    return { truth: { fields: doc.fields, viz: doc.viz, dateStyle: doc.dateStyle }, read, checks, ...(png ? { png } : {}) };
  },

  /**
   * The visual zone of a synthetic document (the TD1 front, or the page), read with its true quad, and
   * its cross-check against the MRZ (the TD1 back read separately, or the same page).
   */
  async readVisualZone(c: SyntheticCase): Promise<VisualZoneResult> {
    const { truth, frame, frontFrame } = await synthetic(c);
    const client = documentClient(c.engines ?? ['ppocr', 'tesseract']);
    const options = { referenceDate: '2026-06-01', visualZone: true } as const;
    const quadOf = (f: typeof frame) => (c.useQuad === false ? null : f.quad);
    if (frontFrame) {
      const viz = await client.read(frontFrame.image, { ...options, quad: quadOf(frontFrame) });
      const mrz = c.omitMrz ? viz : await client.read(frame.image, { referenceDate: '2026-06-01', quad: quadOf(frame) });
      return { truth, viz, mrz, crossCheck: crossCheckReads(viz, mrz) };
    }
    const read = await client.read(frame.image, { ...options, quad: quadOf(frame) });
    return { truth, viz: read, mrz: read, crossCheck: read.crossCheck ?? null };
  },

  /** SHA-256 of a synthetic case's degraded frame (and the TD1 front's), as the reader would get it: the same seed, the same pixels. */
  async frameDigest(c: SyntheticCase): Promise<string> {
    const { frame, frontFrame } = await synthetic(c);
    const hex = async (data: Uint8ClampedArray): Promise<string> => Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(data))), (b) => b.toString(16).padStart(2, '0')).join('');
    return [await hex(frame.image.data), ...(frontFrame ? [await hex(frontFrame.image.data)] : [])].join(' ');
  },

  /** The `glare` condition's hotspots in the degraded frame, each with the darkest channel value within half its sigma of its centre. */
  async glareCores(c: SyntheticCase): Promise<Array<{ sigma: number; peak: number; darkest: number }>> {
    const { frame } = await synthetic({ ...c, stress: 'glare' });
    const { width, data } = frame.image;
    return (frame.hotspots ?? []).map((s) => {
      let darkest = 255;
      const r = 0.5 * s.sigma;
      for (let y = Math.ceil(s.y - r); y <= s.y + r; y++) {
        for (let x = Math.ceil(s.x - r); x <= s.x + r; x++) {
          if (Math.hypot(x + 0.5 - s.x, y + 0.5 - s.y) <= r) for (let k = 0; k < 3; k++) darkest = Math.min(darkest, data[(y * width + x) * 4 + k]!);
        }
      }
      return { sigma: s.sigma, peak: s.peak, darkest };
    });
  },

  async readSynthetic(c: SyntheticCase): Promise<SyntheticResult & { framePng?: string }> {
    const { truth, frame, frontFrame } = await synthetic(c);
    let framePng: string | undefined;
    if (c.includeFrame) {
      const canvas = new OffscreenCanvas(frame.image.width, frame.image.height);
      canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(frame.image.data), frame.image.width, frame.image.height), 0, 0);
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      framePng = btoa(bin);
    }
    const read = await documentClient(c.engines ?? ['ppocr', 'tesseract']).read(frame.image, {
      quad: c.useQuad === false ? null : frame.quad,
      referenceDate: '2026-06-01',
      ...(c.findOutline === false ? { findOutline: false } : {}),
      ...(c.baseline ? { baseline: true } : {}),
      ...(c.includeRectified ? { includeRectified: true } : {}),
      ...(c.mrzEvidence || c.frontFill ? { mrzEvidence: true } : {}),
      ...(c.visualZone ? { visualZone: true } : {}),
    });
    if (c.frontFill && frontFrame && read.mrzEvidence && wantsOtherSide(read.mrz)) {
      const client = documentClient(c.engines ?? ['ppocr', 'tesseract']);
      const front = await client.read(frontFrame.image, { referenceDate: '2026-06-01', visualZone: true, fillFromVisualZone: false, quad: c.useQuad === false ? null : frontFrame.quad });
      const completed = front.visualZone ? await client.completeFromOtherSide(read.mrzEvidence, front.visualZone, { referenceDate: '2026-06-01' }) : null;
      const otherSide = { backMrz: read.mrz, frontVisualZone: front.visualZone ?? null, completed: completed !== null };
      return { truth, read: completed ? { ...read, mrz: completed } : read, otherSide, ...(framePng ? { framePng } : {}) };
    }
    return { truth, read, ...(framePng ? { framePng } : {}) };
  },

  /** Names of the MRZ print variants (`SyntheticCase.mrzFont`). */
  mrzFonts(): string[] {
    return Object.keys(MRZ_FONT_VARIANTS);
  },

  /** The genuine fields a seed renders (to build a modified document from them). */
  renderFields(c: { format: MrzFormat; seed: number }): MrzDocumentFields {
    return randomMrzFields(c.format, createRandom(c.seed));
  },

  /** An image given as bytes (labelled data set): its visual zone, whole image as the document. */
  async readBytesVisualZone(base64: string, mime: string): Promise<PlainRead | { error: string }> {
    const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
    try {
      return await documentClient(['ppocr', 'tesseract']).readUpload(new Blob([bytes], { type: mime }), { visualZone: true });
    } catch (error) {
      return { error: (error as { code?: string }).code ?? 'unknown' };
    }
  },

  /** An image given as bytes (labelled data set): read with the whole image as the document. */
  async readBytes(base64: string, mime: string, truth: string[], baseline: boolean, findOutline = true): Promise<{ read: DocumentRead | { error: string }; mrzFields: Partial<Record<MrzOutputFieldName, string | null>> }> {
    const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
    try {
      const read = await documentClient(['ppocr', 'tesseract']).readUpload(new Blob([bytes], { type: mime }), { ...(baseline ? { baseline: true } : {}), ...(findOutline ? {} : { findOutline: false }) });
      return { read, mrzFields: truthFields(truth) };
    } catch (error) {
      return { read: { error: (error as { code?: string }).code ?? 'unknown' }, mrzFields: truthFields(truth) };
    }
  },

  /**
   * The camera path: frames of one document, each with its own degradation draw (a noise frame first),
   * voted until stable. Returns the frames it took and whether the stable reading is the truth.
   * `stress: 'glare'`: a hotspot over the MRZ in every frame (testkit `mrzCameraStream`), drawn per
   * frame from its own sequence, so it moves while the document and its degradation draws stay the seed's.
   * `fuse: false` votes whole-frame readings only (how the camera path read before cross-frame fusion).
   */
  async stream(format: MrzFormat, seed: number, level: DegradationLevel, maxFrames: number, stress?: 'glare', fuse = true, compare = false): Promise<StreamOutcome & { without?: StreamOutcome }> {
    await fontReady;
    const camera = mrzCameraStream(format, seed, level, { glare: stress === 'glare' });
    const doc = camera.document;
    const vote = { stableFrames: 2, maxFrames };
    const stream = new DocumentReadStream(documentClient(['ppocr', 'tesseract']), { referenceDate: '2026-06-01' }, vote, { fuse });
    // `compare`: the same reads voted as whole frames only too (how the camera path read before fusion).
    const plain = compare ? new coreDocument.MrzFrameVoter<MrzSummary>(vote) : undefined;
    let state = (await stream.push(noiseFrame(), null)).state;
    let plainState = plain?.add(null);
    while (state.status === 'reading' || plainState?.status === 'reading') {
      const frame = await camera.next();
      const pushed = await stream.push(frame.image, frame.quad);
      state = pushed.state;
      plainState = plain?.add(pushed.read.mrz);
    }
    const outcome = (s: coreDocument.VoteState<MrzSummary>): StreamOutcome => (s.status !== 'stable' ? { status: s.status, frames: s.frames, correct: null }
      : { status: s.status, frames: s.frames, correct: s.read.corrected.join() === doc.mrz.join(), uncertain: [...s.uncertainFields], ...(s.fused ? { fusedFrames: s.fused.frames } : {}) });
    const last = stream.fusion?.last;
    const cells = (list: readonly coreDocument.FusedCell[]): string => list.map((c) => `${c.line}:${c.column}${c.char}[${c.clear.map((x, k) => x ?? (c.seen[k] ? c.seen[k]!.toLowerCase() : '.')).join('')}]`).join(' ');
    const why = state.status !== 'stable' && last ? { fusion: `${last.refusal ?? 'accepted'} frames=${last.frames} merged=${last.merged.valid ? last.merged.result.corrected.join('|') === doc.mrz.join('|') ? 'valid-right' : 'valid-WRONG' : 'invalid'} conflicts ${cells(last.conflicts)} unsupported ${cells(last.unsupported)}` } : {};
    const fusionMs = stream.fusion?.timings ?? [];
    return { ...outcome(state), ...why, ...(plainState ? { without: outcome(plainState) } : {}), ...(fusionMs.length ? { fusionMs: [...fusionMs] } : {}) };
  },

  /** A frame of noise and shapes, no document: must be rejected before OCR. */
  async readNoise(seed: number): Promise<Omit<DocumentRead, 'rectified'>> {
    const random = createRandom(seed);
    const width = 1200, height = 800;
    const data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) { const v = random.int(0, 255); data.set([v, random.int(0, 255), v, 255], i * 4); }
    return documentClient(['ppocr', 'tesseract']).read({ width, height, data }, { referenceDate: '2026-06-01' });
  },

  /** An upload that is not an image. */
  async readGarbageUpload(): Promise<{ code: string; recoverable: boolean } | 'no error'> {
    try {
      await documentClient(['ppocr', 'tesseract']).readUpload(new Blob([new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])], { type: 'image/jpeg' }));
      return 'no error';
    } catch (error) {
      const { code, recoverable } = error as { code: string; recoverable: boolean };
      return { code, recoverable };
    }
  },

  /** A clean TD3 page as an uploaded JPEG (whole image is the document), and its portrait via the face engine. */
  async uploadAndPortrait(seed: number): Promise<{ truth: string[]; read: Omit<DocumentRead, 'rectified'>; portrait: { faces: number; ghost: boolean; crop: [number, number] | null } }> {
    await fontReady;
    const face = new FaceClient({ assetBaseUrl: '/ekyc/', backend: 'wasm' }, 170_000);
    try {
      // The photo is a screenshot around a selfie: cut it to the face (the face engine finds it), as a portrait is framed.
      const photo = await portraitImage();
      const c = new OffscreenCanvas(photo.width, photo.height);
      const cctx = c.getContext('2d', { willReadFrequently: true })!;
      cctx.drawImage(photo, 0, 0);
      const [found] = await face.detect({ width: photo.width, height: photo.height, data: cctx.getImageData(0, 0, photo.width, photo.height).data });
      if (!found) throw new Error('no face in the portrait photo');
      const side = Math.max(found.box.width, found.box.height) * 1.8;
      const cx = found.box.x + found.box.width / 2;
      const cy = found.box.y + found.box.height / 2;
      const portraitCanvas = new OffscreenCanvas(Math.round(side * 0.78), Math.round(side));
      portraitCanvas.getContext('2d')!.drawImage(photo, cx - side * 0.39, cy - side / 2, side * 0.78, side, 0, 0, portraitCanvas.width, portraitCanvas.height);
      const random = createRandom(seed);
      const doc = renderMrzDocument(random, { format: 'TD3', pxPerMm: 12, font: 'OCR-B', portrait: portraitCanvas });
      const canvas = new OffscreenCanvas(doc.mrzSide.width, doc.mrzSide.height);
      canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(doc.mrzSide.data), doc.mrzSide.width, doc.mrzSide.height), 0, 0);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
      const { rectified, ...read } = await documentClient(['ppocr', 'tesseract']).readUpload(blob, { referenceDate: '2026-06-01', includeRectified: true });
      const p = await DocumentClient.findPortrait(face, rectified!);
      return { truth: doc.mrz, read, portrait: { faces: p.faces, ghost: p.ghost, crop: p.crop ? [p.crop.width, p.crop.height] : null } };
    } finally {
      face.terminate();
    }
  },
};

declare global {
  interface Window {
    documentTest: typeof documentTest;
  }
}

window.documentTest = documentTest;
document.body.dataset.ready = 'true';
