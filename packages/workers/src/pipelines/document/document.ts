/**
 * Document reading pipeline (runs in a worker): rectify, find the MRZ lines, read each with two OCR
 * engines behind one MrzReader interface, merge them per character under the check digits
 * (@ekyc/core document.mergeMrzReads). Decisions on the fields (checks, sides, voting) are core's.
 */
import { EkycError, document as coreDocument, findAsset, readMrz, validateRgbaImage, type MrzFormat, type MrzOutputFieldName, type RgbaImage } from '@ekyc/core';
import { fetchModel } from '../../assets/fetch-asset.ts';
import { modelManifest } from '../../assets/manifests.ts';
import type { PipelineConfig } from '../../host/types.ts';
import { createSession, selectRuntime, type RuntimeReport } from '../../runtime/runtime.ts';
import { loadOpenCv } from '../quality/quality-opencv.ts';
import type { OpenCv } from '../quality/opencv-frame.ts';
import { cropGray, findMrzLines, rectify, rotate180, type MrzLines, type Rect, type Rectified } from './mrz-locate.ts';
import { findUploadQuad, linesSitLow, type UploadQuadRejection, type UploadQuadSearch } from './upload-quad.ts';
import { mrzLinesFit, outlineRoute } from './outline-route.ts';
import { mrzToFill, summarize, withPrintedSources, withVisualZoneFill } from './mrz-summary.ts';
import { completeFromOtherSide } from './other-side.ts';
import type { GrayImage, MrzReader } from './mrz-reader.ts';
import { OcrbReader, type CellGrid } from './ocrb-reader.ts';
import { PpOcrReader } from './ppocr-reader.ts';
import { spanForCells, spanPixels, spliceSpan, type CellSpan } from './ppocr-spans.ts';
import { TesseractReader } from './tesseract-reader.ts';
import { DeferredReader } from './deferred-reader.ts';
import { TextDetector } from './text-detect.ts';
import { TextRecognizer } from './text-recognize.ts';
import { crossCheckZones, printedValues, readVisualZone, type VisualZoneRead } from './visual-zone.ts';

export type MrzEngineName = 'ppocr' | 'tesseract' | 'ocrb';

export interface DocumentConfig extends PipelineConfig {
  /** Model engines to load (default both: `ppocr`, `tesseract`). */
  engines?: readonly MrzEngineName[];
  /**
   * Read each line first with the OCR-B cell reader (`ocrb`: templates, no model, tens of ms), and run
   * the model engines only on the lines it cannot settle (default true). See docs/document.md.
   */
  fastReader?: boolean;
  /**
   * After the cell reader, PP-OCR reads only the cells it left in doubt (default true; false: whole
   * lines, as before). Its cost grows with its input's width. See docs/document.md.
   */
  partialLines?: boolean;
}

type Quad = readonly [{ x: number; y: number }, { x: number; y: number }, { x: number; y: number }, { x: number; y: number }];

/**
 * The upload's outline search in a read: `found` an outline with a page's aspect, `used` it for the
 * reading returned; `rejected` says why not: nothing found (`not_found`), no page's aspect (`aspect`), too
 * small (`area`), no MRZ lines in its crop (`no_mrz_lines`), its read refused and the whole image's
 * valid (`refused`). `aspect` and `areaFraction` describe the outline found (perspective taken out).
 */
export interface OutlineReport {
  found: boolean;
  used: boolean;
  rejected?: UploadQuadRejection | 'no_mrz_lines' | 'refused';
  aspect?: number;
  areaFraction?: number;
}

function outlineReport(search: UploadQuadSearch, used: boolean): OutlineReport {
  const rejected = search.rejected ?? (used ? undefined : 'no_mrz_lines');
  return {
    found: search.quad !== null,
    used,
    ...(rejected ? { rejected } : {}),
    ...(search.aspect !== undefined ? { aspect: search.aspect } : {}),
    ...(search.areaFraction !== undefined ? { areaFraction: search.areaFraction } : {}),
  };
}

/** Where a read took its document from (`DocumentRead.located`). */
export type DocumentLocated = 'given-quad' | 'found-quad' | 'whole-image';

export interface ReadOptions {
  /** Return `mrzEvidence`: every engine read the merge weighed, for cross-frame fusion (the camera path, `DocumentReadStream`). */
  mrzEvidence?: boolean;
  /**
   * Document corners in the image (from capture quality). Absent or null (an upload): the page's
   * outline is searched for (`findOutline`) and rectified from when trustworthy, else the whole image
   * is the document. `DocumentRead.located` says which.
   */
  quad?: Quad | null;
  /**
   * Without a quad, search the image for the page's outline first (default true; false: the whole image
   * is the document, as for a scan or a tight crop). See docs/document.md, "Real-looking conditions".
   */
  findOutline?: boolean;
  sizeClass?: coreDocument.DocumentSizeClass;
  /** ISO date the expiry is judged against (default today). */
  referenceDate?: string;
  /** Least capture DPI (default 300). */
  minDpi?: number;
  /** Return the rectified RGBA crop (for the portrait). */
  includeRectified?: boolean;
  /** Also run tesseract on the whole rectified page (the evaluation baseline). */
  baseline?: boolean;
  /**
   * Also read the printed visual zone (PP-OCRv4 det + rec; the detector loads on first use), and
   * cross-check it against the MRZ when both are on this image. Works on images without an MRZ.
   */
  visualZone?: boolean;
  /**
   * When a valid MRZ's names or sex hold characters no engine could read (glare clipped to white),
   * read the printed visual zone of the same image (even without `visualZone`) and fill them from its
   * certain fields, marked in `mrz.sources` (default true). See docs/document.md.
   */
  fillFromVisualZone?: boolean;
}

/** An MRZ reading as plain, cloneable data. */
export interface MrzSummary {
  valid: boolean;
  format: MrzFormat | null;
  fields: Partial<Record<MrzOutputFieldName, string | null>>;
  uncertainFields: MrzOutputFieldName[];
  corrected: string[];
  ambiguous: boolean;
  errors: string[];
  /**
   * Fields whose value came (partly) from elsewhere than the MRZ's own pixels: `visual_zone` when
   * characters no engine could read were filled from the printed field (core `fillFromVisualZone`).
   * Such a field is also in `uncertainFields`, and the cross-check reports it `not_compared`.
   */
  sources?: Partial<Record<MrzOutputFieldName, coreDocument.MrzFieldSource>>;
  /** The positions filled, what the reading had there and what was filled. */
  filled?: coreDocument.FilledPosition[];
}

export interface EngineReading {
  /** Raw text per line, as the engine read it. */
  lines: string[];
  mrz: MrzSummary;
  /** Milliseconds this engine spent reading (its passes run beside the other engine's). */
  ms: number;
  /** Readings of the lines this engine made (variant 0, plus later ones the merge asked for). */
  variants: number;
  /** Per line, the lowest character confidence of its first reading (null: the line was not read). */
  lineConfidence: Array<number | null>;
  /**
   * Per line, the cells `[start, end)` this engine read when it read only part of the line (PP-OCR after
   * the cell reader: the cells in doubt); null where it read the whole line or none. `lines` then holds
   * only what it read.
   */
  spans?: Array<[number, number] | null>;
  /** Per stage of this engine's reading (milliseconds, runs, input pixels), where the engine reports them. */
  stages?: Record<string, number>;
}

export interface DocumentRead {
  sizeClass: coreDocument.DocumentSizeClass;
  width: number;
  height: number;
  resolution: coreDocument.ResolutionResult;
  /** MRZ-shaped lines were found (otherwise no OCR ran). */
  mrzFound: boolean;
  lines: Rect[];
  /** The document was read upside down and turned. */
  rotated180: boolean;
  /**
   * Where the document was taken from: the quad the caller gave (`given-quad`), the page's outline found
   * in an upload (`found-quad`: a page's aspect and share of the image, the MRZ lines found in its crop,
   * and its read valid or the whole image's not either), or the whole image (`whole-image`: no quad
   * given, none found or used; `outline` says why).
   */
  located: DocumentLocated;
  /** With `found-quad`: the outline rectified from, in image pixels. */
  quad?: Quad;
  /** Without a quad: what the outline search found, and whether the read used it. */
  outline?: OutlineReport;
  engines: Partial<Record<MrzEngineName, EngineReading>>;
  /** Both engines merged; null when no MRZ was found. */
  mrz: MrzSummary | null;
  /** With `mrzEvidence` and an MRZ found: what the merge weighed, as core `fuseFrames` takes it. */
  mrzEvidence?: coreDocument.MrzFrameEvidence;
  mergeDisagreements: number;
  baseline?: MrzSummary & { ms: number };
  rectified?: RgbaImage<Uint8ClampedArray>;
  /** With `visualZone`: the printed fields, each with its confidence and `uncertain` flag. */
  visualZone?: VisualZoneRead;
  /**
   * With `visualZone` and a valid MRZ on the same image: field by field (`match` / `mismatch` /
   * `missing` / `uncertain`), signal `document_viz_mrz_mismatch` on any certain disagreement.
   * For a TD1 card (fields on the front, MRZ on the back) use `crossCheckReads(front, back)`.
   */
  crossCheck?: coreDocument.CrossCheckResult | null;
  /**
   * Milliseconds; `totalMs` leaves out the baseline (and includes the visual zone when read). `outlineMs`:
   * the upload's outline search, plus the rectification and line search of a found outline that held no
   * MRZ lines, or the whole refused read from a found outline when the whole image's read is returned
   * (absent when a quad was given or `findOutline` is false).
   */
  timings: { rectifyMs: number; locateMs: number; ocrMs: number; mergeMs: number; totalMs: number; outlineMs?: number; visualZoneMs?: number };
}

interface State {
  cv: OpenCv;
  readers: MrzReader[];
  /** The OCR-B cell reader, run before the model engines (absent with `fastReader: false`). */
  fast?: MrzReader;
  /** Loading in the background from `init`; reads that need it wait (see DeferredReader). */
  tesseract?: DeferredReader<TesseractReader>;
  config: DocumentConfig;
  /** The ppocr-rec session and labels, shared by the MRZ reader and the visual zone. */
  rec?: { session: Awaited<ReturnType<typeof createSession>>; keys: string[] };
  /** Loaded on the first visual-zone read. */
  visualZone?: Promise<{ detector: TextDetector; recognizer: TextRecognizer }>;
}

let state: State | undefined;

/**
 * Vote weights in the merge. tesseract's English model was not trained on OCR-B: on the synthetic set it
 * read no MRZ alone, PP-OCRv4 most, so tesseract breaks ties rather than outvoting.
 */
/**
 * The OCR-B cell reader outweighs one PP-OCR variant: on the strong synthetic set (40 documents) it read
 * 82.5% of documents fully alone against PP-OCR's 39% (PP-OCR reads blurred fillers as K or A), and at 1
 * its fillers lost columns to PP-OCR's K plus tesseract's K (MARIA<< merged as MARIAK<).
 */
const OCRB_WEIGHT = 1.5;
const ENGINE_WEIGHTS: Readonly<Record<string, number>> = { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': OCRB_WEIGHT, 'tesseract#0': 0.7 };
/** PP-OCR reads blurred `<` fillers as K or A: those also vote `<` where another engine is sure of one (core merge). */
const FILLER_LOOKALIKES: Readonly<Record<string, string>> = { 'ppocr#0': 'KA', 'ppocr#1': 'KA' };
/**
 * The cell reader's line has one character per cell of its fixed-pitch grid: its length measures the
 * line, and a merged reading shorter than it is refused (core line-length.ts). PP-OCR and tesseract
 * drop characters under glare and tesseract adds some (`<` read as `LK`): theirs are no measurement.
 */
const LENGTH_WITNESSES: readonly string[] = ['ocrb#0'];

/**
 * A line the OCR-B cell reader read alone may stand on the check digits when each character is at
 * least this confident: FAST_CHECKED_CONFIDENCE under a check digit (a wrong character there fails the
 * digit, or is left uncertain by the corrector), FAST_UNCHECKED_CONFIDENCE in a field no digit covers
 * (sex, nationality...: nothing would catch it). Measured on clean and mild synthetic lines: right
 * characters score 0.84-0.99, the lowest being digits beside their letter look-alikes (0/O/D, 2/Z).
 * Never a line holding a name: see NAME_FIELDS.
 */
const FAST_CHECKED_CONFIDENCE = 0.75;
const FAST_UNCHECKED_CONFIDENCE = 0.95;

/** Fields a line must have a second engine's agreement on before it is accepted. */
const NAME_FIELDS: ReadonlySet<MrzOutputFieldName> = new Set(['surname', 'givenNames']);

/** Scale factors of the line search: as rectified, then as if the document were ID-3-sized, or ID-1-sized. */
const LOCATE_SCALE_RETRIES = [1, 85.6 / 125, 125 / 85.6];

/**
 * Lines (indexes into the cut lines) holding the merge's uncertain fields; undefined (all lines) when
 * the reading's lines do not map one to one onto the cut lines.
 */
function linesOfFields(merged: coreDocument.MergedMrzRead, lineCount: number): Set<number> | undefined {
  if (merged.result.corrected.length !== lineCount) return undefined;
  const lines = new Set<number>();
  for (const name of merged.uncertainFields) for (const r of merged.result.fields[name]?.ranges ?? []) lines.add(r.line);
  return lines.size > 0 ? lines : undefined;
}

function rotateRgba180(image: RgbaImage<Uint8ClampedArray>): RgbaImage<Uint8ClampedArray> {
  const px = new Uint32Array(image.data.buffer, image.data.byteOffset, image.width * image.height);
  const out = new Uint32Array(px.length);
  for (let i = 0; i < px.length; i++) out[i] = px[px.length - 1 - i]!;
  return { width: image.width, height: image.height, data: new Uint8ClampedArray(out.buffer) };
}

function requireState(): State {
  if (!state) throw new EkycError('invalid_argument', 'The document pipeline was not initialised');
  return state;
}

async function loadPpOcrRec(config: DocumentConfig, model: Promise<Uint8Array> = fetchModel('ppocr-rec', config.assetBaseUrl)): Promise<NonNullable<State['rec']>> {
  findAsset(modelManifest, 'ppocr-rec');
  const session = await createSession('ppocr-rec', await model);
  const keys = new TextDecoder().decode(await fetchModel('ppocr-keys', config.assetBaseUrl)).split(/\r?\n/);
  if (keys[keys.length - 1] === '') keys.pop();
  return { session, keys };
}

async function loadVisualZone(s: State): Promise<{ detector: TextDetector; recognizer: TextRecognizer }> {
  findAsset(modelManifest, 'ppocr-det');
  s.rec ??= await loadPpOcrRec(s.config);
  const detector = new TextDetector(await createSession('ppocr-det', await fetchModel('ppocr-det', s.config.assetBaseUrl)));
  return { detector, recognizer: new TextRecognizer(s.rec.session, s.rec.keys) };
}

export const documentPipeline = {
  async init(config: DocumentConfig): Promise<{ runtime: RuntimeReport; engines: MrzEngineName[]; opencvLoadMs: number }> {
    const wanted = config.engines ?? ['ppocr', 'tesseract'];
    for (const r of [...(state?.readers ?? []), ...(state?.fast ? [state.fast] : [])]) await r.close();
    if (state?.visualZone) await (await state.visualZone.catch(() => undefined))?.detector.close();
    // OpenCV.js and PP-OCRv4 load side by side (one after the other they were 4.9 s + 3.2 s of the
    // worker's start-up at load 10); tesseract.js starts once they are in, behind the capture.
    const t0 = performance.now();
    const opencv = loadOpenCv(config.assetBaseUrl).then(({ cv }) => ({ cv, ms: performance.now() - t0 }));
    opencv.catch(() => undefined);
    // The model's download and hash check overlap the runtime's compilation; its session needs both.
    const recModel = wanted.includes('ppocr') ? fetchModel('ppocr-rec', config.assetBaseUrl) : undefined;
    recModel?.catch(() => undefined);
    const runtime = await selectRuntime(config);
    const rec = recModel ? await loadPpOcrRec(config, recModel) : undefined;
    const { cv, ms: opencvLoadMs } = await opencv;
    const readers: MrzReader[] = [];
    if (rec) readers.push(new PpOcrReader(rec.session, rec.keys));
    let tesseract: DeferredReader<TesseractReader> | undefined;
    if (wanted.includes('tesseract')) { tesseract = new DeferredReader('tesseract', 1, TesseractReader.create(config.assetBaseUrl)); readers.push(tesseract); }
    const fast = config.fastReader === false ? undefined : new OcrbReader();
    state = { cv, readers, config, ...(fast ? { fast } : {}), ...(tesseract ? { tesseract } : {}), ...(rec ? { rec } : {}) };
    return { runtime, engines: [...(fast ? ['ocrb' as const] : []), ...readers.map((r) => r.engine as MrzEngineName)], opencvLoadMs };
  },

  async read(frame: RgbaImage, options: ReadOptions = {}): Promise<DocumentRead> {
    const s = requireState();
    const image = validateRgbaImage(frame, 'image');
    const tStart = performance.now();
    // The size class from the quad's aspect can be wrong (ID-1 vs the larger formats under perspective):
    // the line search retries at the other formats' scales, then upside down.
    // The lines are found on the ink image (black ink kept, coloured stamps and holograms faded) and
    // read on the luma image the readers were tuned on (read on the ink image, one mild document of 40
    // was refused that luma reads).
    // `low`: lines found in the upper half of the page (an upside-down MRZ) are kept only when the other
    // way up finds none in the lower half (a found outline's crop, whose way up is unknown: upload-quad.ts).
    type Located = { gray: GrayImage; located: MrzLines; rotated180: boolean };
    const locate = (rect: Rectified, low = false): Located => {
      let high: Located | undefined;
      for (const turned of [false, true]) {
        const g = turned ? rotate180(rect.ink) : rect.ink;
        for (const factor of LOCATE_SCALE_RETRIES) {
          const found = findMrzLines(s.cv, g, rect.pxPerMm * factor);
          if (found.lines.length === 0) continue;
          const result = { gray: turned ? rotate180(rect.gray) : rect.gray, located: found, rotated180: turned };
          if (!low || linesSitLow(found.lines, g.height)) return result;
          high ??= result;
          break;
        }
      }
      return high ?? { gray: rect.gray, located: { lines: [], candidates: 0 }, rotated180: false };
    };
    // An upload (no quad given): the page's outline is searched for and used when trustworthy and the
    // MRZ lines are found in its crop; otherwise the whole image is the document, as before (upload-quad.ts).
    let route: { quad: Quad; rect: Rectified; lines: Located } | undefined;
    let outline: UploadQuadSearch | undefined;
    let outlineLocateMs = 0;
    if (!options.quad && options.findOutline !== false) {
      const { search, route: found } = outlineRoute((masked) => findUploadQuad(s.cv, image, masked), (quad, kept) => {
        const rect = rectify(s.cv, image, quad, options.sizeClass ?? kept.sizeClass);
        const t = performance.now();
        const lines = locate(rect, true);
        outlineLocateMs += performance.now() - t;
        return { rect, lines };
      }, (crop) => mrzLinesFit(crop.lines.located.lines, crop.rect.gray.width));
      outline = search;
      if (found) route = { quad: found.quad, ...found.crop };
    }
    const tOutline = performance.now();
    const rect = route?.rect ?? rectify(s.cv, image, options.quad ?? null, options.sizeClass);
    const tRect = performance.now();
    const quadForDpi = route?.quad ?? options.quad ?? coreDocument.wholeImageQuad(image.width, image.height);
    const resolution = coreDocument.checkResolution(quadForDpi, rect.sizeClass, options.minDpi);
    const { gray, located, rotated180 } = route?.lines ?? locate(rect);
    const tLocate = performance.now();
    const base: Omit<DocumentRead, 'mrz' | 'engines' | 'mergeDisagreements' | 'timings' | 'mrzFound'> = {
      sizeClass: rect.sizeClass,
      width: rect.rgba.width,
      height: rect.rgba.height,
      resolution,
      lines: [...located.lines],
      rotated180,
      located: route ? 'found-quad' : options.quad ? 'given-quad' : 'whole-image',
      ...(route ? { quad: route.quad } : {}),
      ...(outline ? { outline: outlineReport(outline, route !== undefined) } : {}),
      ...(options.includeRectified ? { rectified: rect.rgba } : {}),
    };
    // With a found quad, its rectification and line search ran inside the outline step: counted there as rectify and locate
    // (every outline crop tried: a retry after a painted-over outline, both halves of a spread).
    const outlineTimings = (): Pick<DocumentRead['timings'], 'rectifyMs' | 'locateMs' | 'outlineMs'> => ({
      rectifyMs: route ? tOutline - tStart - (outline?.ms ?? 0) - outlineLocateMs : tRect - tOutline,
      locateMs: route ? outlineLocateMs : tLocate - tRect,
      // Without a found quad, a found outline's crop that held no MRZ lines is part of the search's cost.
      ...(outline ? { outlineMs: route ? outline.ms : tOutline - tStart } : {}),
    });
    const referenceDate = options.referenceDate ? new Date(`${options.referenceDate}T00:00:00Z`) : new Date();
    let baseline: DocumentRead['baseline'];
    let baselineMs = 0;
    if (options.baseline && s.tesseract) {
      const t = performance.now();
      const text = await (await s.tesseract.ready).readPage(gray);
      const r = readMrz(text, { referenceDate });
      baselineMs = performance.now() - t;
      baseline = { ...summarize({ result: r, valid: r.valid, uncertainFields: r.uncertainFields, ambiguous: r.ambiguous }), ms: baselineMs };
    }
    // The visual zone is read the way a valid MRZ says the page stands; without one (a front, a card
    // with no MRZ, an unreadable MRZ: blurred field rows can pass for MRZ lines upside down), upright
    // first and turned only if upright shows fewer than two labels.
    const visualZone = async (mrzValid: boolean, forFill = false): Promise<{ visualZone?: VisualZoneRead; visualZoneMs?: number }> => {
      if (!options.visualZone && !forFill) return {};
      const t = performance.now();
      s.visualZone ??= loadVisualZone(s);
      const { detector, recognizer } = await s.visualZone;
      const tesseract = s.tesseract;
      const second = tesseract ? async (line: GrayImage, whitelist: string) => (await tesseract.ready).readText(line, whitelist) : undefined;
      const readAs = (turned: boolean): Promise<VisualZoneRead> => readVisualZone(
        s.cv, detector, recognizer, turned ? rotateRgba180(rect.rgba) : rect.rgba, turned ? rotate180(rect.gray) : rect.gray,
        turned === rotated180 ? located.lines : [], referenceDate.getUTCFullYear(), second,
      );
      const first = mrzValid ? rotated180 : false;
      let read = await readAs(first);
      if (!mrzValid && read.labels < 2) {
        const other = await readAs(!first);
        if (other.labels > read.labels) read = other;
      }
      return { visualZone: read, visualZoneMs: performance.now() - t };
    };
    if (located.lines.length === 0) {
      const vz = await visualZone(false);
      const now = performance.now();
      return {
        ...base, mrzFound: false, engines: {}, mrz: null, mergeDisagreements: 0, ...(baseline ? { baseline } : {}),
        ...(vz.visualZone ? { visualZone: vz.visualZone, crossCheck: null } : {}),
        timings: { ...outlineTimings(), ocrMs: 0, mergeMs: 0, totalMs: now - tStart - baselineMs, ...(vz.visualZoneMs !== undefined ? { visualZoneMs: vz.visualZoneMs } : {}) },
      };
    }
    const crops = located.lines.map((r) => cropGray(gray, r));
    // Entries in reader order, whichever engine finishes first: the merge aligns to the first read.
    const fast = s.fast;
    const allReaders = [...s.readers, ...(fast ? [fast] : [])];
    // Reads in reader order (PP-OCR first: the merge aligns to the first read of a line), each variant
    // one voter whose lines are filled in as they are read (lines not read stay holes, which the merge
    // skips per line).
    // `partial`: per line, what a variant-0 read of only some cells read itself (its entry in `reads` is
    // that read spliced into the cell reader's line, see ppocr-spans.ts).
    type Entry = { reads: Array<{ engine: string; lines: coreDocument.OcrLineRead[] }>; ms: number; partial: Map<number, { span: CellSpan; own: coreDocument.OcrLineRead }> };
    const byEngine = new Map<MrzReader, Entry>(
      [...s.readers.slice(0, 1), ...(fast ? [fast] : []), ...s.readers.slice(1)].map((r) => [r, { reads: [], ms: 0, partial: new Map() }]),
    );
    let ocrMs = 0;
    let mergeMs = 0;
    /** Per line, the cells a second engine is needed on and the cell reader's read (with its grid) they lie in. */
    type SpanPlan = ReadonlyMap<number, { span: CellSpan; cellRead: coreDocument.OcrLineRead; grid: CellGrid }>;
    const runVariant = async (reader: MrzReader, variant: number, only?: ReadonlySet<number>, spans?: SpanPlan): Promise<void> => {
      const t = performance.now();
      const entry = byEngine.get(reader)!;
      const name = `${reader.engine}#${variant}`;
      let read = entry.reads.find((r) => r.engine === name);
      if (!read) { read = { engine: name, lines: new Array<coreDocument.OcrLineRead>(crops.length) }; entry.reads.push(read); }
      for (const [i, crop] of crops.entries()) {
        if ((only && !only.has(i)) || read.lines[i]) continue;
        const plan = spans?.get(i);
        if (plan && reader instanceof PpOcrReader) {
          const { x0, x1 } = spanPixels(plan.grid, plan.span, crop.width);
          const own = await reader.readSpan(crop, variant, x0, x1, plan.grid.pitch / 2);
          read.lines[i] = spliceSpan(plan.cellRead, plan.span, own);
          entry.partial.set(i, { span: plan.span, own });
        } else {
          read.lines[i] = await reader.readLine(crop, variant);
        }
      }
      entry.ms += performance.now() - t;
    };
    const mergeAll = (printed?: coreDocument.PrintedValues): coreDocument.MergedMrzRead => {
      const t = performance.now();
      const merged = coreDocument.mergeMrzReads([...byEngine.values()].flatMap((e) => e.reads), { referenceDate, engineWeights: ENGINE_WEIGHTS, fillerLookalikes: FILLER_LOOKALIKES, lengthWitnesses: LENGTH_WITNESSES, ...(printed ? { printed } : {}) });
      mergeMs += performance.now() - t;
      return merged;
    };
    const pass = async (readers: readonly MrzReader[], variant: number, only?: ReadonlySet<number>, spans?: SpanPlan): Promise<void> => {
      const t = performance.now();
      await Promise.all(readers.filter((r) => variant < r.variants).map((r) => runVariant(r, variant, only, spans)));
      ocrMs += performance.now() - t;
    };
    const needsMore = (m: coreDocument.MergedMrzRead): boolean => !m.valid || m.uncertainFields.some((f) => !coreDocument.UNCHECKED_FIELDS.has(f));
    let merged: coreDocument.MergedMrzRead | undefined;
    if (fast) {
      // Fast path: the OCR-B cell reader on every line, then PP-OCR (variant 0) only on the lines it
      // cannot settle alone: all lines when its reading is not valid; otherwise the lines holding a name
      // (never accepted without a second engine), an uncertain field, or a character under
      // FAST_LINE_CONFIDENCE. The read stops there when valid with no checked field in doubt.
      await pass([fast], 0);
      merged = mergeAll();
      const fastLines = byEngine.get(fast)!.reads[0]!.lines as Array<(coreDocument.OcrLineRead & { grid?: CellGrid }) | undefined>;
      let need: Set<number> | undefined;
      // Per line, the cells in doubt: PP-OCR reads only around them (its cost grows with its input's width).
      const doubt = new Map<number, Set<number>>();
      const addDoubt = (line: number, cell: number): void => {
        need!.add(line);
        const cells = doubt.get(line) ?? new Set<number>();
        doubt.set(line, cells.add(cell));
      };
      if (merged.valid && merged.result.corrected.length === crops.length) {
        need = new Set<number>();
        for (const name of [...NAME_FIELDS, ...merged.uncertainFields]) for (const r of merged.result.fields[name]?.ranges ?? []) for (let c = r.start; c < r.end; c++) addDoubt(r.line, c);
        const uncheckedAt = new Set<string>();
        for (const [name, field] of Object.entries(merged.result.fields)) {
          if (!coreDocument.UNCHECKED_FIELDS.has(name as MrzOutputFieldName)) continue;
          for (const r of field?.ranges ?? []) for (let c = r.start; c < r.end; c++) uncheckedAt.add(`${r.line}:${c}`);
        }
        fastLines.forEach((line, i) => {
          if (!line || line.chars.length === 0) { need!.add(i); return; }
          line.chars.forEach((c, col) => { if (c.confidence < (uncheckedAt.has(`${i}:${col}`) ? FAST_UNCHECKED_CONFIDENCE : FAST_CHECKED_CONFIDENCE)) addDoubt(i, col); });
        });
      }
      const spans = new Map<number, { span: CellSpan; cellRead: coreDocument.OcrLineRead; grid: CellGrid }>();
      for (const [i, cells] of s.config.partialLines === false ? [] : doubt) {
        const cellRead = fastLines[i];
        // Cells map onto the corrected line's columns only when the cell reader read the line's length.
        if (!cellRead?.grid || cellRead.chars.length !== merged.result.corrected[i]?.length) continue;
        const span = spanForCells(cellRead, cells);
        if (span) spans.set(i, { span, cellRead, grid: cellRead.grid });
      }
      const first = s.readers.find((r) => r.engine === 'ppocr') ?? s.readers[0];
      if (first && (!need || need.size > 0)) {
        await pass([first], 0, need, spans);
        merged = mergeAll();
      }
      if (!needsMore(merged) || !first) merged = merged ?? mergeAll();
      else merged = undefined;
    }
    if (!merged) {
      // The fallback reads whole lines: a line read only in part is read again in full.
      for (const entry of byEngine.values()) {
        for (const i of entry.partial.keys()) for (const read of entry.reads) delete read.lines[i];
        entry.partial.clear();
      }
      // Variant 0 of every engine, side by side (tesseract.js recognises in its own worker, so its time
      // hides under PP-OCR's); further variants only while the merge is not valid or leaves a field under
      // a check digit uncertain, and then only on the lines holding an uncertain field (a valid read) or
      // on all lines. Names and other unchecked fields stay flagged instead: the eval (80 documents) read
      // as many fully and silently wrong none with that rule as with a second pass for them.
      await pass(s.readers, 0);
      merged = mergeAll();
      const maxVariants = Math.max(1, ...allReaders.map((r) => r.variants));
      for (let v = 1; v < maxVariants && needsMore(merged); v++) {
        await pass(s.readers, v, merged.valid ? linesOfFields(merged, crops.length) : undefined);
        merged = mergeAll();
      }
    }
    const engines: Partial<Record<MrzEngineName, EngineReading>> = {};
    for (const [reader, entry] of byEngine) {
      const stages = reader.takeStages?.();
      if (entry.reads.length === 0) continue;
      // What the engine read itself: a partial line's own characters, not the cell reader's around them.
      const ownReads = entry.reads.map((r, v) => ({ engine: r.engine, lines: v === 0 ? r.lines.map((l, i) => entry.partial.get(i)?.own ?? l) : r.lines }));
      const first = [...ownReads[0]!.lines];
      engines[reader.engine as MrzEngineName] = {
        lines: first.map((l) => l?.text ?? ''),
        mrz: summarize(coreDocument.mergeMrzReads(ownReads, { referenceDate })),
        ms: entry.ms,
        variants: entry.reads.length,
        lineConfidence: first.map((l) => (l ? Math.min(1, ...l.chars.map((c) => c.confidence)) : null)),
        ...(entry.partial.size > 0 ? { spans: first.map((_, i) => { const p = entry.partial.get(i); return p ? [p.span.start, p.span.end] as [number, number] : null; }) } : {}),
        ...(stages ? { stages } : {}),
      };
    }
    let mrz = summarize(merged);
    // Refused on a page printing its fields beside the MRZ (two lines; a TD1 prints them on its front):
    // the printed number and dates may fill lost checked characters their check digits verify (core printed-erasures.ts).
    const printedVz = !mrz.valid && crops.length === 2 && options.fillFromVisualZone !== false && s.rec ? await visualZone(false, true) : undefined;
    if (printedVz?.visualZone) {
      const again = mergeAll(printedValues(printedVz.visualZone, referenceDate.getUTCFullYear()));
      if (again.valid) { merged = again; mrz = withPrintedSources(summarize(again), again); }
    }
    const fill = mrz.valid && options.fillFromVisualZone !== false && s.rec && coreDocument.wantsVisualZoneFill(mrzToFill(mrz, merged));
    const vz = printedVz ?? await visualZone(mrz.valid, Boolean(fill));
    // A valid reading's doubted number or date, where the page's printed zone was read anyway (a name
    // fill, `visualZone`): settled from the printed value (core printed-doubts.ts). Not read for it alone.
    if (!printedVz && vz.visualZone && mrz.valid && crops.length === 2 && options.fillFromVisualZone !== false && coreDocument.hasPrintableDoubt(mrz.uncertainFields)) {
      const again = mergeAll(printedValues(vz.visualZone, referenceDate.getUTCFullYear()));
      if (again.valid && again.printedFilled.length > 0) { merged = again; mrz = withPrintedSources(summarize(again), again); }
    }
    if (fill && vz.visualZone) mrz = withVisualZoneFill(mrz, mrzToFill(mrz, merged), vz.visualZone, referenceDate.getUTCFullYear());
    const end = performance.now();
    const read: DocumentRead = {
      ...base,
      mrzFound: true,
      engines,
      mrz,
      mergeDisagreements: merged.disagreements,
      ...(options.mrzEvidence ? { mrzEvidence: { reads: [...byEngine.values()].flatMap((e) => e.reads).map((r) => ({ engine: r.engine, lines: r.lines.map((l) => l && { text: l.text, chars: l.chars.map((c) => ({ char: c.char, confidence: c.confidence, alternatives: c.alternatives, ...(c.faded ? { faded: true } : {}) })) }) })), engineWeights: ENGINE_WEIGHTS, fillerLookalikes: FILLER_LOOKALIKES, lengthWitnesses: LENGTH_WITNESSES } } : {}),
      ...(baseline ? { baseline } : {}),
      ...(vz.visualZone && options.visualZone ? { visualZone: vz.visualZone, crossCheck: crossCheckZones(vz.visualZone, mrz) } : {}),
      timings: { ...outlineTimings(), ocrMs, mergeMs, totalMs: end - tStart - baselineMs, ...(vz.visualZoneMs !== undefined ? { visualZoneMs: vz.visualZoneMs } : {}) },
    };
    if (!route || mrz.valid) return read;
    // Read from a found outline but refused: read again as the whole image, as uploads were read before
    // the outline search, and return that when it is valid. An outline that cut the MRZ costs a second
    // read, never the reading the whole image gives.
    const whole = await documentPipeline.read(frame, { ...options, findOutline: false });
    const totalMs = read.timings.totalMs + whole.timings.totalMs;
    if (!whole.mrz?.valid) return { ...read, timings: { ...read.timings, totalMs } };
    return { ...whole, outline: { ...read.outline!, used: false, rejected: 'refused' }, timings: { ...whole.timings, outlineMs: read.timings.totalMs, totalMs } };
  },

  /**
   * Camera frames' engine reads (each read with `mrzEvidence`) fused across frames (core `fuseFrames`),
   * here rather than on the page's thread: a fusion merges every frame's reads at once.
   */
  async fuse(frames: readonly coreDocument.FusionFrame[], options: coreDocument.FusionOptions = {}): Promise<coreDocument.FrameFusion> {
    return coreDocument.fuseFrames(frames, options);
  },

  /** A TD1 back's MRZ completed from its front's printed zone (other-side.ts); null when nothing is filled. */
  async completeFromOtherSide(evidence: coreDocument.MrzFrameEvidence, otherSide: VisualZoneRead, options: { referenceDate?: string } = {}): Promise<MrzSummary | null> {
    return completeFromOtherSide(evidence, otherSide, options.referenceDate ? new Date(`${options.referenceDate}T00:00:00Z`) : new Date());
  },
};

export type DocumentPipelineApi = typeof documentPipeline;
