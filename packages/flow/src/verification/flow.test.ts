/**
 * The flow's state machine in Node. Only I/O boundaries are faked: the camera (tracks that record
 * `stop`), the workers (answers derived from the image's marker pixel), the image codec, fetch (a
 * verifier answering its routes), evidence delivery. Consent hashing, side decisions, review,
 * face-match banding, the event chain, evidence building, signing and sealing are the real ones,
 * and the sealed bundle is opened with the verifier's private key to check what it holds.
 */
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  EkycError, createMrz, document as coreDocument, liveness, openEvidence, parseDocumentGeometry, readMrz, sha256Hex, verifyBundleIntegrity,
  type EvidenceBundle, type face, type MrzFieldValues, type MrzFormat, type RgbaImage,
} from '@ekyc/core';
import type { DocumentRead, MrzSummary, TimedAssessment } from '@ekyc/workers';
import type { Camera, OpenCameraOptions } from '../capture/camera.ts';
import { perform } from '../../../core/src/liveness/testing.ts';
import type { LivenessCaptureOptions, LivenessOutcome } from '../liveness/index.ts';
import { VerificationFlow, type VerificationFlowDeps } from './flow.ts';
import type { FlowWorkers, WorkerFactory } from './workers.ts';
import type { ConsentText, FlowState, SessionSource, StepId, VerificationFlowEventMap, VerificationFlowOptions } from './types.ts';

// --- image markers: the first pixel's red channel says what an image shows -------------------
const PASSPORT = 10;
const ID_FRONT = 20;
const ID_BACK = 30;
/** A card's back whose MRZ glare left unreadable: refused alone, completed from the front's printed number. */
const ID_BACK_GLARE = 32;
const SELFIE = 40;
const NO_FACE = 50;
const BLANK = 60;
/** A driving licence front: no MRZ, numbered printed fields (read only when asked for the visual zone). */
const LICENCE = 70;
/** A driving licence front whose printed rows the line search takes for MRZ lines: a reading that fails its check digits. */
const LICENCE_LINES = 71;

const image = (marker: number, width = 60, height = 40): RgbaImage<Uint8ClampedArray> => {
  const data = new Uint8ClampedArray(width * height * 4).fill(marker);
  return { width, height, data };
};
const markerOf = (img: RgbaImage): number => img.data[0]!;
const file = (marker: number): Blob => new Blob([new Uint8Array([marker])], { type: 'image/png' });

const PERSON = { documentCode: 'P', issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2034-04-15', optionalData: 'ZE184226B' } as const;

function summary(format: MrzFormat, values: MrzFieldValues): MrzSummary {
  const result = readMrz(createMrz(format, values));
  const fields: MrzSummary['fields'] = {};
  for (const [name, field] of Object.entries(result.fields)) fields[name as keyof MrzSummary['fields']] = field?.value ?? null;
  return { valid: result.valid, format: result.format, fields, uncertainFields: [], corrected: [], ambiguous: false, errors: [] };
}

const textBox = (text: string, x: number, y: number, width: number): coreDocument.VizTextBox => ({ x, y, width, height: 30, text, confidences: [...text].map(() => 0.95) });

/** A licence's visual zone as core assembles it from PP-OCR-like boxes, its emblem's sign read as D by both engines. */
function licenceZone(): NonNullable<DocumentRead['visualZone']> {
  const zone = coreDocument.assembleVisualZone([
    textBox('FÜHRERSCHEIN', 205, 51, 343), textBox('1. MUSTERMANN', 396, 168, 260), textBox('2. ERIKA', 396, 222, 150), textBox('3. 12.03.1985 BERLIN', 396, 276, 330),
    textBox('4a. 19.01.2016', 396, 330, 220), textBox('4b. 18.01.2031', 396, 384, 220), textBox('5. B072RRE2I55', 396, 438, 250),
  ], { referenceYear: 2026 });
  const issuingState = coreDocument.readIssuingState({ sign: { text: 'D', confidences: [0.97] }, secondSign: 'D', title: null });
  return { ...zone, issuingState, texts: [], timings: { detectMs: 0, recognizeMs: 0, secondReadMs: 0 } };
}

/** The printed zone of the passport page and the card's front: PERSON's fields, read certain. */
function printedZone(): NonNullable<DocumentRead['visualZone']> {
  const box = { x: 0, y: 0, width: 10, height: 10 };
  const field = (value: string) => ({ value, raw: value, confidence: 0.97, uncertain: false, reasons: [], labelBox: box, valueBox: box });
  const fields = { surname: field(PERSON.surname), givenNames: field(PERSON.givenNames), birthDate: field(PERSON.birthDate), documentNumber: field(PERSON.documentNumber) };
  return { fields, layout: 'labelled', labels: 4, boxes: 8, texts: [], timings: { detectMs: 0, recognizeMs: 0, secondReadMs: 0 } };
}

function documentRead(img: RgbaImage, options: { visualZone?: boolean; mrzEvidence?: boolean } = {}): DocumentRead {
  const marker = markerOf(img);
  const mrz = marker === PASSPORT ? summary('TD3', PERSON)
    : marker === ID_BACK ? summary('TD1', { ...PERSON, documentCode: 'ID', optionalData: 'ZE184226B' })
      : marker === LICENCE_LINES ? { ...summary('TD3', PERSON), valid: false, errors: ['check digit'] }
        : marker === ID_BACK_GLARE ? { ...summary('TD1', { ...PERSON, documentCode: 'ID' }), valid: false, errors: ['check digit'] }
          : null;
  const rectified = image(marker, 80, 50);
  return {
    sizeClass: 'ID-3', width: 80, height: 50, resolution: { dpi: 300, ok: true } as unknown as DocumentRead['resolution'], mrzFound: mrz !== null, lines: [], rotated180: false,
    engines: {}, mrz, mergeDisagreements: 0, rectified, timings: { rectifyMs: 0, locateMs: 0, ocrMs: 0, mergeMs: 0, totalMs: 0 },
    ...((marker === LICENCE || marker === LICENCE_LINES) && options.visualZone ? { visualZone: licenceZone() } : {}),
    ...((marker === PASSPORT || marker === ID_FRONT) && options.visualZone ? { visualZone: printedZone() } : {}),
    // The engine reads, asked for by every capture read: their content is the worker's business (other-side.test.ts).
    ...(mrz && options.mrzEvidence ? { mrzEvidence: { reads: [], marker } } : {}),
  } as unknown as DocumentRead;
}

/**
 * The worker's completion of a card's back from its front (real: other-side.ts, tested there on
 * recorded reads): the back's number, lost, filled from the printed one, so the reading is valid with
 * the number unconfirmed and sourced from the visual zone.
 */
function completedFromFront(evidence: unknown, zone: NonNullable<DocumentRead['visualZone']>): MrzSummary | null {
  if ((evidence as { marker?: number }).marker !== ID_BACK_GLARE || zone.fields.documentNumber?.value !== PERSON.documentNumber) return null;
  return { ...summary('TD1', { ...PERSON, documentCode: 'ID' }), uncertainFields: ['documentNumber'], sources: { documentNumber: 'visual_zone' } };
}

const hasFace = (marker: number): boolean => marker === PASSPORT || marker === ID_FRONT || marker === SELFIE;
const detection = (img: RgbaImage): face.FaceDetection[] => (hasFace(markerOf(img)) ? [{ box: { x: 10, y: 8, width: 20, height: 20 }, score: 0.9 }] : []);
/** One person everywhere: portrait and selfie embed to the same vector. */
const embedding = (): Float32Array => Float32Array.from({ length: 8 }, (_, i) => (i === 0 ? 1 : 0.1));

interface WorkerLog {
  created: string[];
  terminated: string[];
  reads: number;
  /** Camera frames asked for after auto-capture, and those asked for with the camera already stopped. */
  frames: number;
  framesWithCameraOff: number;
  /** Reads asked for the visual zone: the image's marker, whether the camera was stopped by then, and the workers created by then. */
  visualZoneReads: Array<{ marker: number; cameraStopped: boolean | null; workers: string[] }>;
  /** The printed zone read at document-read for the evidence's cross-check: the image's marker. */
  printedReads: number[];
  /** Calls completing a card's back from its front. */
  completions: number;
  cameraStopped?: () => boolean;
}

function fakeWorkers(log: WorkerLog, options: { failDocumentOnce?: boolean; failPrintedRead?: boolean; qualityConfigure?: () => Promise<unknown> } = {}): WorkerFactory {
  let failNext = options.failDocumentOnce ?? false;
  const base = (name: string) => {
    log.created.push(name);
    return { ready: async () => ({ runtime: { requested: 'auto', backend: 'wasm', reason: 'test', wasmThreads: 1, capabilities: { webAssembly: true, simd: true, threads: false, crossOriginIsolated: false, hardwareConcurrency: 2, webgpu: { available: false, fallbackAdapter: false } }, fallbacks: [] } }), terminate: () => log.terminated.push(name) };
  };
  return {
    quality: () => ({
      ...base('quality'),
      analyzeFrame: async () => { throw new Error('camera frames come through the fake DocumentCapture'); },
      analyzeStill: async () => { throw new Error('not used'); },
      configure: async () => {
        await options.qualityConfigure?.();
        return { stableFramesToCapture: 3 } as never;
      },
      reset: async () => undefined,
    }) as FlowWorkers['quality'],
    document: () => ({
      ...base('document'),
      read: async (img: RgbaImage, readOptions?: { visualZone?: boolean; fillFromVisualZone?: boolean; mrzEvidence?: boolean }) => {
        // The printed zone read for the evidence's cross-check (step-read.ts) is logged apart from the capture's reads.
        if (readOptions?.visualZone && readOptions.fillFromVisualZone === false) {
          log.printedReads.push(markerOf(img));
          if (options.failPrintedRead) throw new EkycError('worker_crashed', 'Worker "document" crashed');
        } else log.reads++;
        if (readOptions?.visualZone && readOptions.fillFromVisualZone !== false) log.visualZoneReads.push({ marker: markerOf(img), cameraStopped: log.cameraStopped?.() ?? null, workers: [...log.created] });
        if (failNext) {
          failNext = false;
          throw new EkycError('worker_crashed', 'Worker "document" crashed');
        }
        return documentRead(img, readOptions);
      },
      completeFromOtherSide: async (evidence: unknown, zone: NonNullable<DocumentRead['visualZone']>) => {
        log.completions++;
        return completedFromFront(evidence, zone);
      },
    }) as FlowWorkers['document'],
    face: () => ({
      ...base('face'),
      detect: async (img: RgbaImage) => detection(img),
      analyze: async () => { throw new Error('not used'); },
      embedAll: async (img: RgbaImage) => detection(img).map((face) => ({ face, embedding: embedding() })),
    }) as FlowWorkers['face'],
    liveness: () => ({ ...base('liveness'), track: async () => { throw new Error('not used'); }, reset: async () => undefined }) as FlowWorkers['liveness'],
  };
}

interface FakeCamera extends Camera {
  stopped: boolean;
  facingMode: string | undefined;
}

function cameraFactory(cameras: FakeCamera[], fail?: () => EkycError | null): (options: OpenCameraOptions) => Promise<Camera> {
  return async (options) => {
    const error = fail?.();
    if (error) throw error;
    const camera: FakeCamera = {
      stopped: false,
      facingMode: options.facingMode,
      stream: { getVideoTracks: () => [{ label: 'fake camera' }], getTracks: () => [] } as unknown as MediaStream,
      video: { videoWidth: 1280, videoHeight: 720 } as HTMLVideoElement,
      settings: { width: 1280, height: 720, frameRate: 30, facingMode: options.facingMode ?? 'environment' },
      stop() { camera.stopped = true; },
    };
    cameras.push(camera);
    return camera;
  };
}

/** The camera's frames after auto-capture: the document the capture saw, in place, every check passed. */
function cameraFramesFake(log: { frames: number; framesWithCameraOff: number }, cameras: FakeCamera[]): NonNullable<VerificationFlowDeps['documentFrames']> {
  const checks = { document: true, distance: true, cutoff: true, tilt: true, shape: true, focus: true, glare: true, lighting: true, stability: true };
  const corners = [{ x: 1, y: 1 }, { x: 9, y: 1 }, { x: 9, y: 6 }, { x: 1, y: 6 }] as const;
  return () => async () => {
    log.frames++;
    if (cameras.at(-1)?.stopped !== false) log.framesWithCameraOff++;
    const assessment = { guidance: ['good'], stableFrames: 4, capture: false, motion: 0, checks, metrics: { frameWidth: 1280, frameHeight: 720, document: { corners } } } as unknown as TimedAssessment;
    return { image: image(ManualCapture.marker, 1280, 720), quad: corners as never, assessment };
  };
}

/** A DocumentCapture stand-in: the test fires assessments and the capture by hand. */
class ManualCapture extends EventTarget {
  static last: ManualCapture | null = null;
  /** What the captured frame showed: the camera keeps showing it to the frames read after the capture. */
  static marker = BLANK;
  stopped = false;
  readonly captured: Promise<{ frame: RgbaImage; assessment: Omit<TimedAssessment, 'frame'> }>;
  #resolve!: (value: { frame: RgbaImage; assessment: Omit<TimedAssessment, 'frame'> }) => void;
  constructor() {
    super();
    ManualCapture.last = this;
    this.captured = new Promise((resolve) => { this.#resolve = resolve; });
  }
  stop(): void { this.stopped = true; }
  assess(stable: number): void {
    const assessment = { guidance: ['hold_steady'], stableFrames: stable, capture: false, motion: 0, checks: {}, metrics: { frameWidth: 1280, frameHeight: 720, document: { corners: [{ x: 1, y: 1 }, { x: 9, y: 1 }, { x: 9, y: 6 }, { x: 1, y: 6 }] } } } as unknown as TimedAssessment;
    const event = new Event('assessment') as Event & { assessment: TimedAssessment };
    Object.defineProperty(event, 'assessment', { value: assessment });
    this.dispatchEvent(event);
  }
  capture(marker: number): void {
    ManualCapture.marker = marker;
    this.#resolve({ frame: image(marker, 1280, 720), assessment: { guidance: ['good'], stableFrames: 3, capture: true, motion: 0, checks: {}, metrics: { frameWidth: 1280, frameHeight: 720, document: null } } as never });
  }
}

const CONSENT: ConsentText = { id: 'kyc-consent', version: '2026-01', text: { en: 'We capture your ID and a selfie to verify you; kept 30 days by Example Ltd.', fr: 'Nous capturons votre pièce et un selfie.' } };

async function verifierKeys(): Promise<{ publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  return { publicJwk: { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ECDH-ES+A256KW', use: 'enc' }, privateJwk: { ...(await exportJWK(privateKey)), kid: 'k1' } };
}

function record(flow: VerificationFlow) {
  const seen: Array<{ type: keyof VerificationFlowEventMap; detail: unknown }> = [];
  for (const type of ['step', 'progress', 'guidance', 'camera', 'handoff', 'review', 'complete', 'error', 'cancel'] as const) {
    flow.addEventListener(type, (event) => seen.push({ type, detail: event.detail }));
  }
  const steps = (): StepId[] => seen.filter((e) => e.type === 'step').map((e) => (e.detail as { step: StepId }).step);
  const of = <K extends keyof VerificationFlowEventMap>(type: K) => seen.filter((e) => e.type === type).map((e) => e.detail as VerificationFlowEventMap[K]['detail']);
  return { seen, steps, of };
}

/** Resolves once the flow waits for the given action kind at the given step. */
function waitFor(flow: VerificationFlow, step: StepId, awaiting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const { state } = flow;
      if (state.step === step && state.awaiting === awaiting) return true;
      if (state.status !== 'running' && state.status !== 'idle') throw new Error(`flow ended (${state.status}, ${state.error?.code ?? ''}) before ${step}/${awaiting}`);
      return false;
    };
    try {
      if (check()) return resolve();
    } catch (error) {
      return reject(error);
    }
    const listener = (): void => {
      try {
        if (check()) {
          flow.removeEventListener('state', listener);
          queueMicrotask(resolve);
        }
      } catch (error) {
        flow.removeEventListener('state', listener);
        reject(error);
      }
    };
    flow.addEventListener('state', listener);
  });
}

async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !condition(); turn++) await new Promise((resolve) => setTimeout(resolve, 0));
  expect(condition()).toBe(true);
}

interface Harness {
  flow: VerificationFlow;
  log: WorkerLog;
  cameras: FakeCamera[];
  events: ReturnType<typeof record>;
  keys: { publicJwk: JWK; privateJwk: JWK };
  delivered: Uint8Array[];
}

async function harness(options: Partial<VerificationFlowOptions> = {}, deps: Partial<VerificationFlowDeps> & { failDocumentOnce?: boolean; failPrintedRead?: boolean; qualityConfigure?: () => Promise<unknown>; cameraError?: () => EkycError | null; acceptedDocuments?: coreDocument.DocumentType[] } = {}): Promise<Harness> {
  const cameras: FakeCamera[] = [];
  const log: WorkerLog = { created: [], terminated: [], reads: 0, frames: 0, framesWithCameraOff: 0, visualZoneReads: [], printedReads: [], completions: 0, cameraStopped: () => cameras.every((camera) => camera.stopped) };
  const keys = await verifierKeys();
  const delivered: Uint8Array[] = [];
  const session: SessionSource = options.session ?? { config: { acceptedDocuments: deps.acceptedDocuments ?? ['passport', 'id_card'] }, sessionId: 'ses_local_test', verifierKey: keys.publicJwk as never };
  const flow = new VerificationFlow(
    { assetBaseUrl: '/ekyc/', consent: CONSENT, capture: 'upload', locale: 'en-GB', ...options, session },
    {
      workers: fakeWorkers(log, { failDocumentOnce: deps.failDocumentOnce ?? false, failPrintedRead: deps.failPrintedRead ?? false, ...(deps.qualityConfigure ? { qualityConfigure: deps.qualityConfigure } : {}) }),
      images: { decode: async (blob) => image(new Uint8Array(await blob.arrayBuffer())[0]!), encodeJpeg: async (img) => new Uint8Array(img.data.slice(0, 64)) },
      openCamera: cameraFactory(cameras, deps.cameraError),
      documentCapture: () => new ManualCapture() as never,
      documentFrames: cameraFramesFake(log, cameras),
      delivery: async () => ({
        submit: async (bytes: Uint8Array) => {
          delivered.push(bytes);
          return { id: 'x', delivered: true, receipt: { id: 'x', status: 201, body: null, attempts: 1 }, stored: true } as never;
        },
      }),
      sleep: async () => undefined,
      ...deps,
    },
  );
  return { flow, log, cameras, events: record(flow), keys, delivered };
}

/** The upload path after consent: the passport page, review confirmed unchanged, the selfie. */
async function passportThenSelfie(h: Harness): Promise<void> {
  await h.flow.useUpload(file(PASSPORT));
  await waitFor(h.flow, 'document-review', 'review');
  h.flow.confirmReview();
  await waitFor(h.flow, 'liveness', 'upload');
  await h.flow.useUpload(file(SELFIE));
}

/** Starts the flow, grants consent (in `locale`, else the flow's default) and resolves once the document's front waits for `awaiting`; `done` settles when the run ends. */
async function pastConsent(h: Harness, awaiting: 'upload' | 'capture' | 'error', locale?: string): Promise<{ done: Promise<FlowState> }> {
  const done = h.flow.start();
  await waitFor(h.flow, 'consent', 'consent');
  h.flow.grantConsent(locale);
  await waitFor(h.flow, 'document-front', awaiting);
  return { done };
}

async function openSealed(h: Harness, sealed: Uint8Array): Promise<EvidenceBundle> {
  const bundle = await openEvidence(sealed, h.keys.privateJwk as never);
  await verifyBundleIntegrity(bundle);
  return bundle;
}

describe('VerificationFlow', () => {
  it('captures nothing before consent: no camera, no worker, no model progress; declining ends the run with cancel', async () => {
    const h = await harness({ capture: 'camera' });
    const done = h.flow.start();
    await waitFor(h.flow, 'consent', 'consent');
    expect(h.cameras).toHaveLength(0);
    expect(h.log.created).toEqual([]);
    expect(h.events.of('progress')).toEqual([]);
    expect(() => h.flow.confirmReview()).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => h.flow.retryCamera()).toThrow(EkycError);
    h.flow.declineConsent();
    const final = await done;
    expect(final.status).toBe('cancelled');
    expect(h.events.of('cancel')).toEqual([{ step: 'consent', reason: 'consent_declined' }]);
    expect(h.cameras).toHaveLength(0);
    expect(h.log.created).toEqual([]);
  });

  it('runs the upload path to complete; the sealed bundle holds the consent hash, captures, checks and an event chain with consent first', async () => {
    const h = await harness();
    const { done } = await pastConsent(h, 'upload', 'fr-FR');
    expect(h.log.created).toEqual(['document']);
    await h.flow.useUpload(file(PASSPORT));
    await waitFor(h.flow, 'document-review', 'review');
    expect(h.events.of('review')[0]).toMatchObject({ valid: true, format: 'TD3', documentType: 'passport', fields: { surname: 'ERIKSSON', documentNumber: 'L898902C3' }, issues: [], portraitFound: true });
    h.flow.confirmReview();
    await waitFor(h.flow, 'liveness', 'upload');
    await h.flow.useUpload(file(SELFIE));
    const final = await done;

    expect(final.status).toBe('complete');
    expect(h.events.steps()).toEqual(['session', 'consent', 'document-front', 'document-read', 'document-review', 'liveness', 'face-match', 'evidence', 'result']);
    expect(final.plan).not.toContain('submit');
    expect(final.faceMatch).toMatchObject({ band: 'approve' });
    expect(final.liveness).toEqual({ mode: 'selfie', state: 'skipped', challenges: [], reason: null });
    // Workers load lazily, once each, and the liveness worker never loads without a camera.
    expect(h.log.created).toEqual(['document', 'face']);
    const models = h.events.of('progress').filter((p) => p.kind === 'model');
    expect(models.map((p) => `${p.worker}:${p.state}:${p.step}`)).toEqual(['document:loading:document-front', 'document:ready:document-front', 'face:loading:document-read', 'face:ready:document-read']);
    const documentLoad = models[0]!;
    expect(documentLoad.kind === 'model' && documentLoad.assets.map((a) => a.id)).toContain('ppocr-rec');
    expect(documentLoad.bytesTotal).toBeGreaterThan(20_000_000);

    const complete = h.events.of('complete')[0]!;
    expect(complete).toMatchObject({ sessionId: 'ses_local_test', delivery: 'local', decision: null, local: { documentValid: true } });
    expect(complete.evidenceId).toMatch(/^[0-9a-f]{64}$/);
    const bundle = await openSealed(h, complete.sealed!);
    const { manifest } = bundle;
    expect(manifest.consent).toMatchObject({ textId: 'kyc-consent', textVersion: '2026-01', locale: 'fr', textSha256: await sha256Hex(new TextEncoder().encode(CONSENT.text.fr!)) });
    expect(manifest.artifacts.map((a) => `${a.id}:${a.kind}`).sort()).toEqual(['document-front-geometry:other', 'document-front:document_crop', 'document-read:other', 'portrait:portrait', 'selfie:face_crop']);
    // Where the document lay: core's schema reads it back, tied to the document image, in its captured image's pixels.
    const geometry = parseDocumentGeometry(JSON.parse(new TextDecoder().decode(bundle.artifacts.get('document-front-geometry'))));
    expect(geometry).toMatchObject({ version: 2, artifactId: 'document-front', documentType: 'passport', rectified: { width: 80, height: 50, rotated180: false }, mrzLines: [] });
    expect(geometry?.version === 2 ? geometry.source.quad : null).toHaveLength(4);
    const read = JSON.parse(new TextDecoder().decode(bundle.artifacts.get('document-read')));
    expect(readMrz(read.mrzLines).valid).toBe(true);
    // The page's printed fields, read once at document-read and compared with the MRZ.
    expect(h.log.printedReads).toEqual([PASSPORT]);
    expect(read.viz).toEqual({ surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '1974-08-12', documentNumber: 'L898902C3' });
    expect(manifest.checks.map((c) => `${c.kind}:${c.status}`)).toEqual(['mrz.check_digits:pass', 'document.checks:pass', 'document.viz_cross_check:pass', 'face.match:pass']);
    expect(manifest.checks.find((c) => c.kind === 'document.viz_cross_check')).toMatchObject({ artifactIds: ['document-read'], details: { compared: 4, mismatched: '' } });
    expect(manifest.liveness).toBeNull();
    const types = manifest.events.map((e) => e.type);
    expect(types.indexOf('consent.granted')).toBeLessThan(types.indexOf('document.captured'));
    expect(types).toEqual(['session.started', 'consent.granted', 'document.captured', 'document.read', 'review.confirmed', 'liveness.completed', 'face.matched', 'evidence.built']);
    // No field of the document in the event log.
    expect(JSON.stringify(manifest.events)).not.toContain('ERIKSSON');
    expect(manifest.environment.runtime).toMatchObject({ chosen: 'wasm', reason: 'test' });
  });

  it('asks for the back when the front shows no MRZ and ID cards are accepted, then reads the TD1 MRZ there; review edits go in as the visual zone', async () => {
    const h = await harness();
    const { done } = await pastConsent(h, 'upload');
    await h.flow.useUpload(file(ID_FRONT));
    await waitFor(h.flow, 'document-back', 'upload');
    expect(h.flow.state.plan.slice(2, 5)).toEqual(['document-front', 'document-back', 'document-read']);
    await h.flow.useUpload(file(ID_BACK));
    await waitFor(h.flow, 'document-review', 'review');
    expect(h.flow.state.review).toMatchObject({ format: 'TD1', documentType: 'id_card', portraitFound: true, valid: true });
    expect(h.flow.state.sides.map((s) => s.side)).toEqual(['front', 'back']);
    h.flow.confirmReview({ surname: 'ERIKSON' });
    await waitFor(h.flow, 'liveness', 'upload');
    await h.flow.useUpload(file(SELFIE));
    const final = await done;
    expect(final.status).toBe('complete');
    const bundle = await openSealed(h, final.result!.sealed!);
    expect(bundle.manifest.artifacts.map((a) => a.kind)).toEqual(expect.arrayContaining(['document_crop', 'document_back', 'portrait']));
    const read = JSON.parse(new TextDecoder().decode(bundle.artifacts.get('document-read')));
    // The front's printed fields, with the user's correction over them: the surname now differs from the MRZ.
    expect(h.log.printedReads).toEqual([ID_FRONT]);
    expect(read.viz).toEqual({ surname: 'ERIKSON', givenNames: 'ANNA MARIA', birthDate: '1974-08-12', documentNumber: 'L898902C3' });
    expect(bundle.manifest.checks.find((c) => c.kind === 'document.viz_cross_check')).toMatchObject({ status: 'fail', errorCode: 'document_viz_mrz_mismatch', details: { compared: 4, mismatched: 'surname' } });
    expect(bundle.manifest.events.find((e) => e.type === 'review.confirmed')!.data).toEqual({ edited: 'surname' });
  });

  it("a card back whose MRZ is refused alone is completed from the front's printed zone at document-read: valid, the filled number unconfirmed and left out of the cross-check", async () => {
    const h = await harness();
    const { done } = await pastConsent(h, 'upload');
    await h.flow.useUpload(file(ID_FRONT));
    await waitFor(h.flow, 'document-back', 'upload');
    await h.flow.useUpload(file(ID_BACK_GLARE));
    await waitFor(h.flow, 'document-review', 'review');
    expect(h.log.completions).toBe(1);
    expect(h.flow.state.review).toMatchObject({ format: 'TD1', documentType: 'id_card', valid: true, uncertain: ['documentNumber'], issues: [] });
    h.flow.confirmReview();
    await waitFor(h.flow, 'liveness', 'upload');
    await h.flow.useUpload(file(SELFIE));
    const final = await done;
    expect(final.status).toBe('complete');
    const bundle = await openSealed(h, final.result!.sealed!);
    // The front's printed zone was read once: for the completion, then reused for the cross-check.
    expect(h.log.printedReads).toEqual([ID_FRONT]);
    const read = JSON.parse(new TextDecoder().decode(bundle.artifacts.get('document-read')));
    expect(readMrz(read.mrzLines).valid).toBe(true);
    // The number came from the printed zone: compared with itself it would prove nothing.
    expect(read.viz).toEqual({ surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '1974-08-12' });
    expect(bundle.manifest.checks.find((c) => c.kind === 'mrz.check_digits')).toMatchObject({ status: 'pass' });
    expect(bundle.manifest.checks.find((c) => c.kind === 'document.viz_cross_check')).toMatchObject({ status: 'pass', details: { compared: 3, mismatched: '' } });
  });

  it('a card back refused alone stays refused when reading the front fails: review says the MRZ is unreadable, and the run goes on', async () => {
    const h = await harness({}, { failPrintedRead: true });
    const { done } = await pastConsent(h, 'upload');
    await h.flow.useUpload(file(ID_FRONT));
    await waitFor(h.flow, 'document-back', 'upload');
    await h.flow.useUpload(file(ID_BACK_GLARE));
    await waitFor(h.flow, 'document-review', 'review');
    expect(h.log.completions).toBe(0);
    expect(h.flow.state.review).toMatchObject({ format: 'TD1', valid: false, issues: ['document_mrz_unreadable'] });
    h.flow.cancel();
    await done;
  });

  it('a passport-only session refuses an image without an MRZ with a recoverable error, and a new upload recovers', async () => {
    const h = await harness({ session: { config: { acceptedDocuments: ['passport'] } } });
    const { done } = await pastConsent(h, 'upload');
    await h.flow.useUpload(file(BLANK));
    await waitFor(h.flow, 'document-front', 'error');
    expect(h.events.of('error')).toEqual([expect.objectContaining({ code: 'document_mrz_not_found', recoverable: true, step: 'document-front', actions: ['retry', 'upload'] })]);
    h.flow.retry();
    await waitFor(h.flow, 'document-front', 'upload');
    await h.flow.useUpload(file(PASSPORT));
    await waitFor(h.flow, 'document-review', 'review');
    h.flow.confirmReview();
    await waitFor(h.flow, 'liveness', 'upload');
    // A selfie without a face is refused and can be replaced.
    await h.flow.useUpload(file(NO_FACE));
    await waitFor(h.flow, 'liveness', 'error');
    expect(h.flow.state.error).toMatchObject({ code: 'face_not_found', actions: ['retry', 'upload'] });
    await h.flow.useUpload(file(SELFIE));
    expect((await done).status).toBe('complete');
  });

  it('a crash of the printed-fields read leaves the cross-check inconclusive and the run completes: no viz sent', async () => {
    const h = await harness({}, { failPrintedRead: true });
    const { done } = await pastConsent(h, 'upload');
    await passportThenSelfie(h);
    const final = await done;
    expect(final.status).toBe('complete');
    expect(h.log.printedReads).toEqual([PASSPORT]);
    expect(h.events.of('error')).toEqual([]);
    const bundle = await openSealed(h, final.result!.sealed!);
    const read = JSON.parse(new TextDecoder().decode(bundle.artifacts.get('document-read')));
    expect(read.viz).toBeUndefined();
    expect(bundle.manifest.checks.find((c) => c.kind === 'document.viz_cross_check')).toMatchObject({ status: 'inconclusive', errorCode: null, details: { compared: 0 } });
  });

  it('retries a step after a worker crash (recoverable) without losing what came before', async () => {
    const h = await harness({}, { failDocumentOnce: true });
    const { done } = await pastConsent(h, 'upload');
    await h.flow.useUpload(file(PASSPORT));
    await waitFor(h.flow, 'document-front', 'error');
    expect(h.flow.state.error).toMatchObject({ code: 'worker_crashed', recoverable: true });
    expect(h.flow.state.consent).not.toBeNull();
    await h.flow.useUpload(file(PASSPORT));
    await waitFor(h.flow, 'document-review', 'review');
    expect(h.log.reads).toBe(2);
    h.flow.cancel();
    expect((await done).status).toBe('cancelled');
  });

  it('camera mode: opens the rear camera for the document, streams guidance with quad and countdown, stops the camera when the step ends', async () => {
    const h = await harness({ capture: 'camera' });
    const { done } = await pastConsent(h, 'capture');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(h.cameras).toHaveLength(1);
    expect(h.cameras[0]!.facingMode).toBe('environment');
    const capture = ManualCapture.last!;
    capture.assess(2);
    const guidance = h.events.of('guidance')[0]!;
    expect(guidance).toMatchObject({ source: 'quality', step: 'document-front', codes: ['hold_steady'], countdown: { stable: 2, needed: 3 }, frame: { width: 1280, height: 720 } });
    expect(guidance.source === 'quality' && guidance.quad).toHaveLength(4);
    expect(h.events.of('camera')[0]).toMatchObject({ step: 'document-front', facingMode: 'environment', settings: { width: 1280, height: 720, frameRate: 30 } });
    capture.capture(PASSPORT);
    await waitFor(h.flow, 'document-review', 'review');
    // The captured frame, then one more with the camera still open: two agreeing valid reads end the reading.
    expect(h.log.reads).toBe(2);
    expect(h.log).toMatchObject({ frames: 1, framesWithCameraOff: 0 });
    expect(h.flow.state.sides).toEqual([{ side: 'front', source: 'camera', width: 1280, height: 720, frames: { used: 2, rejected: 0, outcome: 'stable' } }]);
    // While reading, the guidance says so (the element asks the user to hold still).
    const reading = h.events.of('guidance').filter((g) => g.source === 'quality' && g.reading).map((g) => g.source === 'quality' && g.reading);
    expect(reading).toEqual([{ frames: 0, agreeing: 0, needed: 2 }, { frames: 1, agreeing: 1, needed: 2 }]);
    expect(h.cameras[0]!.stopped).toBe(true);
    expect(capture.stopped).toBe(true);
    expect(h.events.of('camera').map((c) => c.stream === null)).toEqual([false, true]);
    expect(h.log.created).toEqual(['document', 'quality', 'face']);
    h.flow.cancel();
    await done;
  });

  it('camera mode, a driving licence: the vote ends after 3 frames without an MRZ, the camera is released, the chosen frame is read again with its visual zone, and review and evidence come from its printed fields', async () => {
    const h = await harness({ capture: 'camera', steps: ['document-front', 'document-review'] }, { acceptedDocuments: ['passport', 'driving_licence'] });
    const { done } = await pastConsent(h, 'capture');
    await new Promise((resolve) => setTimeout(resolve, 0));
    ManualCapture.last!.capture(LICENCE);
    await waitFor(h.flow, 'document-review', 'review');
    // Three MRZ reads found nothing (the captured frame and two more), then one visual-zone read of the
    // chosen frame's rectified image, with the camera already stopped (not held open for the OCR) and the
    // face worker already loading for document-read (its load overlaps the seconds of that read).
    expect(h.flow.state.sides).toEqual([{ side: 'front', source: 'camera', width: 1280, height: 720, frames: { used: 3, rejected: 3, outcome: 'no_mrz' } }]);
    expect(h.log.reads).toBe(4);
    expect(h.log.visualZoneReads).toEqual([{ marker: LICENCE, cameraStopped: true, workers: ['document', 'quality', 'face'] }]);
    const models = h.events.of('progress').filter((p) => p.kind === 'model' && p.state === 'loading').map((p) => p.kind === 'model' && `${p.worker}@${p.step}`);
    expect(models).toEqual(['document@document-front', 'quality@document-front', 'face@document-read']);
    expect(h.flow.state.review).toMatchObject({
      documentType: 'driving_licence', valid: false, uncertain: [], issues: [],
      fields: { surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'B072RRE2I55', birthDate: '1985-03-12', expiryDate: '2031-01-18', issuingState: 'DEU' },
    });
    h.flow.confirmReview();
    const final = await done;
    expect(final.status).toBe('complete');
    const bundle = await openSealed(h, h.events.of('complete')[0]!.sealed!);
    const read = JSON.parse(new TextDecoder().decode(bundle.artifacts.get('document-read'))) as Record<string, unknown>;
    expect(read).toMatchObject({ type: 'ekyc.licence.read', layout: 'numbered', sign: 'D', uncertain: [], fields: { surname: 'MUSTERMANN', issuingState: 'DEU' } });
    expect(bundle.manifest.checks.find((check) => check.kind === 'document.checks')).toMatchObject({ status: 'pass', details: { issues: '' } });
    expect(bundle.manifest.checks.find((check) => check.kind === 'mrz.check_digits')).toMatchObject({ status: 'inconclusive', details: { framesUsed: 3, frameVote: 'no_mrz' } });
  });

  it('upload, a licence whose printed rows look like MRZ lines: the unreadable "MRZ" does not stop its visual-zone read, and it is reviewed and sent as a licence', async () => {
    const h = await harness({ steps: ['document-front', 'document-review'] }, { acceptedDocuments: ['passport', 'driving_licence'] });
    const { done } = await pastConsent(h, 'upload');
    await h.flow.useUpload(file(LICENCE_LINES));
    await waitFor(h.flow, 'document-review', 'review');
    expect(h.log.visualZoneReads.map((read) => read.marker)).toEqual([LICENCE_LINES]);
    expect(h.flow.state.review).toMatchObject({ documentType: 'driving_licence', format: null, issues: [], fields: { surname: 'MUSTERMANN', issuingState: 'DEU' } });
    h.flow.confirmReview();
    expect((await done).status).toBe('complete');
    const bundle = await openSealed(h, h.events.of('complete')[0]!.sealed!);
    expect(JSON.parse(new TextDecoder().decode(bundle.artifacts.get('document-read')))).toMatchObject({ type: 'ekyc.licence.read', fields: { documentNumber: 'B072RRE2I55' } });
  });

  it('an upload chosen while the camera is still opening is taken, and the camera that opens late is stopped at once', async () => {
    let letOpen!: () => void;
    const gate = new Promise<void>((resolve) => { letOpen = resolve; });
    const late: FakeCamera[] = [];
    const opener = cameraFactory(late);
    const h = await harness({ capture: 'camera' }, { openCamera: async (options) => { await gate; return opener(options); } });
    const { done } = await pastConsent(h, 'capture');
    // getUserMedia still pending (a permission prompt, a slow camera): the upload button is already there.
    await h.flow.useUpload(file(PASSPORT));
    await waitFor(h.flow, 'document-review', 'review');
    expect(h.flow.state.sides).toEqual([{ side: 'front', source: 'upload', width: 60, height: 40 }]);
    letOpen();
    await until(() => late.length === 1 && late[0]!.stopped);
    h.flow.cancel();
    await done;
  });

  it('a denied camera is a recoverable error with retry and upload; upload files given with the recovery are used', async () => {
    let deny = true;
    const h = await harness({ capture: 'camera' }, { cameraError: () => (deny ? new EkycError('camera_denied', 'denied') : null) });
    const { done } = await pastConsent(h, 'error');
    // A config session has no verifier to hand off to: no `handoff` action.
    expect(h.flow.state.error).toMatchObject({ code: 'camera_denied', recoverable: true, actions: ['retry', 'upload'] });
    h.flow.retryCamera();
    await until(() => h.events.of('error').length === 2);
    expect(h.flow.state.awaiting).toBe('error');
    deny = false;
    await h.flow.useUpload(file(PASSPORT));
    await waitFor(h.flow, 'document-review', 'review');
    expect(h.flow.state.captureMode).toBe('upload');
    expect(h.flow.state.sides).toEqual([{ side: 'front', source: 'upload', width: 60, height: 40 }]);
    expect(h.cameras).toHaveLength(0);
    h.flow.cancel();
    await done;
  });

  it('cancel, reset and dispose stop a running camera at once; dispose terminates the workers', async () => {
    const h = await harness({ capture: 'camera' });
    let { done } = await pastConsent(h, 'capture');
    await new Promise((resolve) => setTimeout(resolve, 0));
    h.flow.cancel();
    expect(h.cameras[0]!.stopped).toBe(true);
    expect(h.events.of('cancel')).toEqual([{ step: 'document-front', reason: 'user' }]);
    expect((await done).status).toBe('cancelled');

    ({ done } = await pastConsent(h, 'capture'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    h.flow.reset();
    expect(h.cameras[1]!.stopped).toBe(true);
    expect(h.flow.state.status).toBe('idle');
    await done;

    ({ done } = await pastConsent(h, 'capture'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    h.flow.dispose();
    expect(h.cameras[2]!.stopped).toBe(true);
    expect(h.log.terminated.sort()).toEqual(['document', 'quality']);
    expect(h.flow.state.status).toBe('disposed');
    expect(() => h.flow.start()).toThrow(EkycError);
    await done;
  });

  it('selfie by camera: the front camera runs LivenessCapture with the nonce; its transcript, keyframes and liveness check go into the evidence, and the verifier-side judge passes it', async () => {
    let captureOptions: LivenessCaptureOptions | null = null;
    // A clock the scripted performance moves forward: its frames span seconds, the test runs in milliseconds.
    let clock = Date.now() - 120_000;
    const now = (): Date => new Date(clock);
    const fakeLiveness = (options: LivenessCaptureOptions) => {
      captureOptions = options;
      const target = new EventTarget() as EventTarget & { result: Promise<LivenessOutcome>; stop(): void; stopped: boolean };
      target.stopped = false;
      target.stop = () => { target.stopped = true; };
      target.result = (async () => {
        // The engine performed by core's scripted performer (the camera and the worker are the faked boundary).
        const engine = await liveness.LivenessEngine.fromNonce(options.nonce, options.config!);
        perform(engine, { seed: 3 });
        const keyframes = [];
        for (const keyframe of engine.transcript().keyframes) {
          const img = image(SELFIE, 64, 48);
          const sha256 = await sha256Hex(img.data as Uint8ClampedArray<ArrayBuffer>);
          engine.attachKeyframe(keyframe.t, { sha256 });
          keyframes.push({ role: keyframe.role, t: keyframe.t, sha256, image: img, landmarks: null });
        }
        const track = new Event('track') as Event & { track: unknown };
        Object.defineProperty(track, 'track', { value: { t: 1, faceCount: 1, box: { x: 0.25, y: 0.25, width: 0.5, height: 0.5 }, landmarks: new Float32Array([10, 20, 0, 30, 40, 0]), guidance: ['center_face'], brightness: 120, frameWidth: 640, frameHeight: 480 } });
        target.dispatchEvent(track);
        const transcript = engine.transcript();
        const timeOrigin = clock;
        clock += transcript.frames.t.at(-1)! + 1000;
        return { sessionId: options.sessionId ?? null, nonce: options.nonce, state: transcript.result.state, reason: transcript.result.reason, passed: transcript.result.passed, transcript, keyframes, signals: [], continuity: null, cameraLabel: 'fake', frameTimestamps: [], timeOrigin, stats: { videoFrames: 0, skippedBusy: 0, grabFailed: 0, tracked: 0, embedded: 0 } } as unknown as LivenessOutcome;
      })();
      return target as never;
    };
    ManualCapture.last = null;
    const h = await harness({ capture: 'camera' }, { livenessCapture: fakeLiveness, now });
    const { done } = await pastConsent(h, 'capture');
    await until(() => ManualCapture.last !== null && h.cameras.length === 1);
    ManualCapture.last!.capture(PASSPORT);
    await waitFor(h.flow, 'document-review', 'review');
    h.flow.confirmReview();
    const final = await done;
    expect(final.status).toBe('complete');
    const sealedBundle = await openSealed(h, final.result!.sealed!);
    expect(captureOptions!.nonce).toBe(sealedBundle.manifest.session.nonce);
    expect(captureOptions!.config!.challengeCount).toBe(3);
    expect(h.cameras.map((c) => `${c.facingMode}:${c.stopped}`)).toEqual(['environment:true', 'user:true']);
    expect(final.liveness).toMatchObject({ mode: 'active', state: 'passed' });
    const guidance = h.events.of('guidance').find((g) => g.source === 'liveness')!;
    expect(guidance).toMatchObject({ step: 'liveness', codes: ['center_face'], face: { box: { x: 160, y: 120, width: 320, height: 240 }, landmarks: [10, 20, 30, 40] } });
    const bundle = await openSealed(h, final.result!.sealed!);
    const kinds = bundle.manifest.artifacts.map((a) => a.kind);
    expect(kinds.filter((k) => k === 'liveness_keyframe').length).toBeGreaterThan(0);
    expect(bundle.manifest.checks.find((c) => c.kind === 'liveness.active')).toMatchObject({ status: 'pass' });
    // What the camera's vote cost goes into the evidence as numbers: the MRZ check and the capture event.
    expect(bundle.manifest.checks.find((c) => c.kind === 'mrz.check_digits')).toMatchObject({ status: 'pass', details: { format: 'TD3', framesUsed: 2, framesRejected: 0, frameVote: 'stable' } });
    expect(bundle.manifest.events.find((e) => e.type === 'document.captured')?.data).toEqual({ step: 'document-front', source: 'camera', mrzFound: true, valid: true, framesUsed: 2, framesRejected: 0, frameVote: 'stable' });
    const transcript = JSON.parse(new TextDecoder().decode(bundle.artifacts.get('liveness-transcript')));
    const judged = await liveness.judgeTranscript(transcript, { nonce: bundle.manifest.session.nonce, config: transcript.config });
    expect(judged.state).toBe('passed');
    expect(bundle.manifest.liveness!.challenges.every((c) => c.status === 'passed')).toBe(true);
  });

  it('rejects a bad configuration when constructed', async () => {
    const base = { assetBaseUrl: '/ekyc/', consent: CONSENT, session: { config: {} } } as VerificationFlowOptions;
    expect(() => new VerificationFlow({ ...base, consent: { id: 'c', version: '1', text: {} } })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => new VerificationFlow({ ...base, steps: ['face-match'] })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => new VerificationFlow({ ...base, steps: ['bogus' as StepId] })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    const documentOnly = new VerificationFlow({ ...base, steps: ['document-front'] }, { workers: fakeWorkers({ created: [], terminated: [], reads: 0, frames: 0, framesWithCameraOff: 0, visualZoneReads: [], printedReads: [], completions: 0 }) });
    void documentOnly.start();
    expect(documentOnly.state.plan).toEqual(['session', 'consent', 'document-front', 'document-read', 'evidence']);
    documentOnly.dispose();
  });
});

describe('VerificationFlow recoveries and lifecycle', () => {
  const passportOnly = { session: { config: { acceptedDocuments: ['passport'] } } } as const;
  /** A liveness capture that never ends: the selfie camera stays open until the test stops the run. */
  const endlessLiveness = (): never => Object.assign(new EventTarget(), { result: new Promise<never>(() => undefined), stop: () => undefined }) as never;

  it('a document not read: files given with the recovery are read at once, not dropped', async () => {
    const h = await harness(passportOnly);
    const { done } = await pastConsent(h, 'upload');
    h.flow.useUpload(file(BLANK));
    await waitFor(h.flow, 'document-front', 'error');
    expect(h.flow.state.error).toMatchObject({ code: 'document_mrz_not_found', step: 'document-front', actions: ['retry', 'upload'] });
    h.flow.useUpload(file(PASSPORT));
    await until(() => h.flow.state.awaiting === 'review');
    expect(h.flow.state.review).toMatchObject({ valid: true, format: 'TD3' });
    expect(h.flow.state.sides).toEqual([{ side: 'front', source: 'upload', width: 60, height: 40 }]);
    expect(h.log.reads).toBe(2);
    h.flow.cancel();
    await done;
  });

  it('a card back without an MRZ: the front is kept and only the back asked again; files given with the recovery are the back', async () => {
    const h = await harness();
    const { done } = await pastConsent(h, 'upload');
    h.flow.useUpload(file(ID_FRONT));
    await waitFor(h.flow, 'document-back', 'upload');
    h.flow.useUpload(file(BLANK));
    await waitFor(h.flow, 'document-back', 'error');
    expect(h.flow.state.error).toMatchObject({ code: 'document_mrz_not_found', step: 'document-back', actions: ['retry', 'upload'] });
    expect(h.flow.state.sides).toEqual([{ side: 'front', source: 'upload', width: 60, height: 40 }]);
    h.flow.useUpload(file(ID_BACK));
    await until(() => h.flow.state.awaiting === 'review');
    expect(h.flow.state.review).toMatchObject({ format: 'TD1', documentType: 'id_card', portraitFound: true, valid: true });
    expect(h.flow.state.sides.map((s) => s.side)).toEqual(['front', 'back']);
    expect(h.events.steps().filter((step) => step === 'document-front')).toHaveLength(1);
    expect(h.log.reads).toBe(3);
    h.flow.confirmReview();
    await waitFor(h.flow, 'liveness', 'upload');
    h.flow.useUpload(file(SELFIE));
    const final = await done;
    expect(final.status).toBe('complete');
    const bundle = await openSealed(h, final.result!.sealed!);
    expect(bundle.manifest.artifacts.map((a) => a.kind)).toEqual(expect.arrayContaining(['document_crop', 'document_back', 'portrait']));
    // Every image read is in the event chain, the refused back included.
    expect(bundle.manifest.events.filter((e) => e.type === 'document.captured').map((e) => e.data.mrzFound)).toEqual([false, false, true]);
  });

  it('front and back uploaded together, no MRZ on either: the first is kept as the front and `retry` asks for the back in the same mode', async () => {
    const h = await harness();
    const { done } = await pastConsent(h, 'upload');
    h.flow.useUpload([file(ID_FRONT), file(BLANK)]);
    await until(() => h.flow.state.awaiting === 'error');
    expect(h.flow.state).toMatchObject({ step: 'document-back', error: { code: 'document_mrz_not_found', step: 'document-back' } });
    expect(h.flow.state.sides).toEqual([{ side: 'front', source: 'upload', width: 60, height: 40 }]);
    h.flow.retry();
    await waitFor(h.flow, 'document-back', 'upload');
    h.flow.useUpload(file(ID_BACK));
    await waitFor(h.flow, 'document-review', 'review');
    expect(h.flow.state.review).toMatchObject({ format: 'TD1', valid: true, portraitFound: true });
    h.flow.cancel();
    await done;
  });

  it('retryCamera() after a document not read switches an upload run back to the camera', async () => {
    const h = await harness(passportOnly);
    const { done } = await pastConsent(h, 'upload');
    h.flow.useUpload(file(BLANK));
    await waitFor(h.flow, 'document-front', 'error');
    ManualCapture.last = null;
    h.flow.retryCamera();
    await until(() => h.flow.state.awaiting === 'capture');
    expect(h.flow.state).toMatchObject({ step: 'document-front', captureMode: 'camera' });
    await until(() => ManualCapture.last !== null);
    expect(h.cameras.map((c) => c.facingMode)).toEqual(['environment']);
    ManualCapture.last!.capture(PASSPORT);
    await waitFor(h.flow, 'document-review', 'review');
    expect(h.flow.state.sides).toEqual([expect.objectContaining({ side: 'front', source: 'camera' })]);
    h.flow.cancel();
    await done;
  });

  it('useUpload refuses synchronously with invalid_argument: no files, not a Blob, or a step that does not wait for files', async () => {
    const h = await harness();
    const done = h.flow.start();
    await waitFor(h.flow, 'consent', 'consent');
    expect(() => h.flow.useUpload(file(PASSPORT))).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    h.flow.grantConsent();
    await waitFor(h.flow, 'document-front', 'upload');
    expect(() => h.flow.useUpload([])).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => h.flow.useUpload(['front.jpg' as unknown as Blob])).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(h.flow.useUpload(file(PASSPORT))).toBeUndefined();
    await waitFor(h.flow, 'document-review', 'review');
    h.flow.cancel();
    await done;
  });

  it('the camera event of a release names the camera released: the rear one at the document, the front one at the selfie', async () => {
    const h = await harness({ capture: 'camera' }, { livenessCapture: endlessLiveness });
    const { done } = await pastConsent(h, 'capture');
    await until(() => h.cameras.length === 1);
    h.flow.useUpload(file(PASSPORT));
    await waitFor(h.flow, 'document-review', 'review');
    h.flow.confirmReview();
    await until(() => h.events.of('camera').length === 3);
    h.flow.cancel();
    expect(h.events.of('camera').map((c) => `${c.step}:${c.facingMode}:${c.stream === null ? 'released' : 'open'}`)).toEqual([
      'document-front:environment:open', 'document-front:environment:released', 'liveness:user:open', 'liveness:user:released',
    ]);
    await done;
  });

  it('dispose() while running ends the run with cancel reason `disposed`, not a user cancel; disposing an idle flow dispatches no cancel', async () => {
    const h = await harness({ capture: 'camera' });
    const { done } = await pastConsent(h, 'capture');
    await until(() => h.cameras.length === 1);
    h.flow.dispose();
    expect(h.events.of('cancel')).toEqual([{ step: 'document-front', reason: 'disposed' }]);
    expect(h.cameras[0]!.stopped).toBe(true);
    expect((await done).status).toBe('disposed');
    const idle = await harness();
    idle.flow.dispose();
    expect(idle.events.of('cancel')).toEqual([]);
    expect(idle.flow.state.status).toBe('disposed');
  });

  it('an upload chosen while the quality worker is still configuring is taken at once: an upload needs no quality worker', async () => {
    let configuring = 0;
    const h = await harness({ capture: 'camera' }, { qualityConfigure: () => { configuring++; return new Promise(() => undefined); } });
    const { done } = await pastConsent(h, 'capture');
    await until(() => configuring === 1);
    h.flow.useUpload(file(PASSPORT));
    await until(() => h.flow.state.awaiting === 'review');
    expect(h.flow.state.sides).toEqual([{ side: 'front', source: 'upload', width: 60, height: 40 }]);
    expect(h.cameras[0]!.stopped).toBe(true);
    h.flow.cancel();
    await done;
  });
});

// ---------------------------------------------------------------------------------------------
// Against a verifier (its HTTP routes answered by a fake fetch that keeps the session's state)

function fakeVerifier(keys: { publicJwk: JWK }) {
  const state = { status: 'created' as string, boundKey: null as unknown, handoff: 'none' as string, polls: 0, calls: [] as string[], decideAfterPolls: 2 };
  const session = { sessionId: 'ses_AAAAAAAAAAAAAAAAAAAAAA', nonce: 'n'.repeat(43), expiresAt: new Date(Date.now() + 1800_000).toISOString(), config: { acceptedDocuments: ['passport', 'id_card'], acceptedCountries: [], thresholds: { faceMatch: 0.5, faceContinuity: 0.5, minimumAge: 18, clientDisagreement: 0.15 }, livenessChallengeCount: 3, maxRetries: 3 }, verifierKey: keys.publicJwk };
  const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const route = `${init?.method ?? 'GET'} ${url.pathname.replace(session.sessionId, ':id')}`;
    state.calls.push(route);
    if ((init?.headers as Record<string, string> | undefined)?.authorization !== 'Bearer client-token' && route !== 'POST /v/handoff/exchange') return json(401, { code: 'auth_failed' });
    switch (route) {
      case 'GET /v/sessions/:id/client': return json(200, { ...session, endpoints: {} });
      case 'POST /v/sessions/:id/key':
        state.boundKey = JSON.parse(String(init!.body)).publicKeyJwk;
        state.status = 'key_bound';
        return json(201, { sessionId: session.sessionId, bound: true });
      case 'GET /v/sessions/:id': {
        state.polls++;
        const decided = state.polls >= state.decideAfterPolls && state.status !== 'created';
        return json(200, { sessionId: session.sessionId, status: decided ? 'decided' : state.status, decision: decided ? { outcome: 'review', score: 70, decidedAt: new Date().toISOString() } : null, userMessage: decided ? 'Your verification is under review.' : 'Pending' });
      }
      case 'POST /v/sessions/:id/handoff':
        state.handoff = 'pending';
        return json(201, { sessionId: session.sessionId, handoffToken: `hof_${'x'.repeat(43)}`, expiresAt: new Date(Date.now() + 300_000).toISOString(), ttlSeconds: 300 });
      case 'GET /v/sessions/:id/handoff': return json(200, { sessionId: session.sessionId, state: state.handoff, expiresAt: null, exchangedAt: null });
      default: return json(404, { code: 'session_not_found' });
    }
  }) as typeof globalThis.fetch;
  return { fetch, state, session };
}

describe('VerificationFlow with a verifier session', () => {
  it('bootstraps from the client token, binds its key before signing, submits, and completes with the decision', async () => {
    const keys = await verifierKeys();
    const verifier = fakeVerifier(keys);
    const h = await harness({ session: { verifierUrl: 'https://kyc.example/v/', sessionId: verifier.session.sessionId, clientToken: 'client-token' } }, { fetch: verifier.fetch });
    h.keys.privateJwk = keys.privateJwk;
    const done = h.flow.start();
    await waitFor(h.flow, 'consent', 'consent');
    expect(verifier.state.calls).toEqual(['GET /v/sessions/:id/client']);
    h.flow.grantConsent();
    await waitFor(h.flow, 'document-front', 'upload');
    await passportThenSelfie(h);
    const final = await done;
    expect(final.status).toBe('complete');
    expect(h.events.steps().slice(-3)).toEqual(['evidence', 'submit', 'result']);
    expect(final.result).toMatchObject({ delivery: 'delivered', decision: { outcome: 'review' }, userMessage: 'Your verification is under review.', sealed: null });
    expect(h.delivered).toHaveLength(1);
    const bundle = await openSealed(h, h.delivered[0]!);
    expect(bundle.manifest.signer.publicKeyJwk).toEqual(verifier.state.boundKey);
    expect(bundle.manifest.session).toMatchObject({ id: verifier.session.sessionId, nonce: verifier.session.nonce });
    expect(verifier.state.calls.indexOf('POST /v/sessions/:id/key')).toBeLessThan(verifier.state.calls.indexOf('GET /v/sessions/:id'));
  });

  it('hands off to a phone: releases the camera, gives the link (token in the fragment), follows the session and completes with the phone\'s decision', async () => {
    const keys = await verifierKeys();
    const verifier = fakeVerifier(keys);
    verifier.state.decideAfterPolls = 3;
    const h = await harness({ capture: 'camera', handoffUrl: 'https://shop.example/verify?x=1', session: { verifierUrl: 'https://kyc.example/v', sessionId: verifier.session.sessionId, clientToken: 'client-token' } }, { fetch: verifier.fetch, cameraError: () => new EkycError('camera_not_found', 'none') });
    const { done } = await pastConsent(h, 'error');
    expect(h.flow.state.error).toMatchObject({ code: 'camera_not_found', actions: ['retry', 'upload', 'handoff'] });
    const link = await h.flow.startHandoff();
    expect(link.url).toBe(`https://shop.example/verify?x=1#ekyc-handoff=hof_${'x'.repeat(43)}`);
    expect(h.flow.state.awaiting).toBe('handoff');
    // The phone opened the link, then uploaded: the desktop's status moves with it.
    verifier.state.handoff = 'exchanged';
    verifier.state.status = 'received';
    const final = await done;
    expect(final.status).toBe('complete');
    expect(final.result).toMatchObject({ delivery: 'handoff', evidenceId: null, decision: { outcome: 'review' } });
    expect(h.events.of('handoff').map((e) => e.status)).toEqual(['waiting', 'received', 'decided']);
    expect(h.log.created).toEqual(['document']);
  });

  it('cancelHandoff: the desktop stops following and goes back to the step it left, the shown link revoked; a failed selfie offers the phone too', async () => {
    const keys = await verifierKeys();
    const verifier = fakeVerifier(keys);
    // Polls yield to the event loop (a macrotask), so the test's own waits run while the desktop follows.
    const sleep = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
    const h = await harness({ session: { verifierUrl: 'https://kyc.example/v', sessionId: verifier.session.sessionId, clientToken: 'client-token' } }, { fetch: verifier.fetch, sleep });
    h.keys.privateJwk = keys.privateJwk;
    const done = h.flow.start();
    await waitFor(h.flow, 'consent', 'consent');
    // Not following a handoff: nothing to cancel.
    expect(() => h.flow.cancelHandoff()).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    await h.flow.startHandoff();
    expect(h.flow.state.awaiting).toBe('handoff');
    await until(() => verifier.state.calls.includes('GET /v/sessions/:id/handoff'));
    h.flow.cancelHandoff();
    await waitFor(h.flow, 'consent', 'consent');
    // The link was never opened: a second one, never shown, revoked it (a new link revokes the unused ones).
    expect(verifier.state.calls.filter((c) => c === 'POST /v/sessions/:id/handoff')).toHaveLength(2);
    expect(h.flow.state.handoff).toBeNull();
    h.flow.grantConsent();
    await waitFor(h.flow, 'document-front', 'upload');
    await h.flow.useUpload(file(PASSPORT));
    await waitFor(h.flow, 'document-review', 'review');
    h.flow.confirmReview();
    await waitFor(h.flow, 'liveness', 'upload');
    await h.flow.useUpload(file(NO_FACE));
    await waitFor(h.flow, 'liveness', 'error');
    expect(h.flow.state.error).toMatchObject({ code: 'face_not_found', step: 'liveness', actions: ['retry', 'upload', 'handoff'] });
    await h.flow.startHandoff();
    // The phone opened this one: cancelling no longer revokes it (that phone holds its own token).
    verifier.state.handoff = 'exchanged';
    await until(() => h.flow.state.handoff?.status === 'opened');
    h.flow.cancelHandoff();
    await waitFor(h.flow, 'liveness', 'upload');
    expect(verifier.state.calls.filter((c) => c === 'POST /v/sessions/:id/handoff')).toHaveLength(3);
    // Consent and the document are not asked again.
    expect(h.events.steps().filter((step) => step === 'consent' || step === 'document-front')).toEqual(['consent', 'consent', 'document-front']);
    expect(h.log.reads).toBe(1);
    await h.flow.useUpload(file(SELFIE));
    const final = await done;
    expect(final.status).toBe('complete');
    expect(final.result).toMatchObject({ delivery: 'delivered' });
    const bundle = await openSealed(h, h.delivered[0]!);
    expect(bundle.manifest.events.filter((e) => e.type === 'handoff.cancelled')).toHaveLength(2);
  });

  it('refuses a handoff with a config session, or before the flow runs', async () => {
    const h = await harness();
    await expect(h.flow.startHandoff()).rejects.toMatchObject({ code: 'invalid_argument' });
  });
});
