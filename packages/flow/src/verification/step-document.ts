/**
 * The document steps: each side captured (camera with auto-capture, or uploaded files) and read by
 * the document worker, the back asked for when the front does not decide (and again, the front kept,
 * when no MRZ is found on it), then `document-read` (step-read.ts) and `document-review`. Runs after
 * consent (loaded with ./runtime.ts).
 */
import { EkycError, type EkycErrorCode, type document as coreDocument, type quality, type RgbaImage } from '@ekyc/core';
import type { DocumentRead } from '@ekyc/workers';
import type { VotedDocument } from '../capture/document-reading.ts';
import type { ActionType, FlowAction } from './actions.ts';
import { cameraDocument } from './document-camera.ts';
import type { ReadSide, SideDecision } from './document.ts';
import { HandoffRequested, asEkycError } from './flow-errors.ts';
import type { FlowHost } from './flow-host.ts';
import { withBack } from './plan.ts';
import { recoverCapture } from './step-actions.ts';
import { stepRead } from './step-read.ts';
import type { CaptureMode, StepId } from './types.ts';

/** `document-front` (and `document-back` when needed), `document-read`, then `document-review` when planned. */
export async function documentSteps(host: FlowHost, signal: AbortSignal): Promise<void> {
  const config = host.data.resolved!.session.config;
  for (;;) {
    host.data.sides = [];
    host.set({ sides: [], review: null });
    const front = await captureSide(host, 'document-front', signal);
    await readPrintedFields(host, front, config.acceptedDocuments);
    host.data.sides.push(...front);
    host.complete('document-front');
    let decision = host.rt.decideSides(host.data.sides, config.acceptedDocuments);
    if (decision.kind === 'need_other_side' && host.data.sides.length === 1) decision = await otherSide(host, null, signal);
    else if (decision.kind === 'not_read' && host.rt.keepsFirstSide(host.data.sides, config.acceptedDocuments)) decision = await otherSide(host, decision, signal);
    if (decision.kind === 'not_read') {
      // The choice switches the mode (retryCamera: camera, upload: upload); files given with it are the next front.
      await recoverCapture(host, notRead(decision.code), 'document-front', signal);
      continue;
    }
    await stepRead(host, signal);
    if (!host.planned('document-review')) {
      host.data.documentsDone = true;
      return;
    }
    host.enter('document-review', 'review');
    host.dispatch('review', host.state.review!);
    const action = await host.wait(['review', 'retake'], signal);
    if (action.type === 'retake') {
      void host.data.events!.append('review.retake', {});
      continue;
    }
    const edits = (action as Extract<FlowAction, { type: 'review' }>).edits;
    host.data.edits = edits;
    await host.data.events!.append('review.confirmed', { edited: Object.keys(edits ?? {}).sort().join(',') });
    host.complete('document-review');
    host.data.documentsDone = true;
    return;
  }
}

/**
 * `document-back`: the other side of a first side that does not decide alone. When no MRZ is found on
 * it (`refused`: on the second of two images uploaded at once), the first side is kept and only this
 * one is asked for again, with the recovery's choices; files given with the recovery are the new back.
 */
async function otherSide(host: FlowHost, refused: Extract<SideDecision, { kind: 'not_read' }> | null, signal: AbortSignal): Promise<SideDecision> {
  const accepted = host.data.resolved!.session.config.acceptedDocuments;
  host.set({ plan: withBack(host.state.plan) });
  let notFound = refused;
  for (;;) {
    if (notFound) {
      host.data.sides = host.data.sides.slice(0, 1);
      host.set({ sides: host.state.sides.slice(0, 1) });
      if (host.state.step !== 'document-back') host.enter('document-back', null);
      await recoverCapture(host, notRead(notFound.code), 'document-back', signal);
    }
    host.data.sides.push(...await captureSide(host, 'document-back', signal));
    const decision = host.rt.decideSides(host.data.sides, accepted);
    if (decision.kind !== 'not_read') {
      host.complete('document-back');
      return decision;
    }
    notFound = decision;
  }
}

const notRead = (code: EkycErrorCode): EkycError => new EkycError(code, 'No machine-readable zone was found on the document images.');

/**
 * A side with no MRZ may be a driving licence (no MRZ by design): when the session accepts licences its
 * rectified image is read again with the visual zone. That read takes seconds (a fresh worker loads its
 * text detector first), so the face worker `document-read` needs loads meanwhile. A recoverable failure
 * keeps the MRZ-less read, which `decideSides` then reports as not read.
 */
async function readPrintedFields(host: FlowHost, sides: ReadSide[], accepted: readonly coreDocument.DocumentType[]): Promise<void> {
  for (const side of sides) {
    if (!side.rectified || !host.rt.needsVisualZone(side.read, accepted)) continue;
    host.pool.preload('face', 'document-read');
    try {
      const document = await host.pool.get('document', 'document-front');
      side.read = host.rt.asLicenceRead(await document.read(host.rt.copyImage(side.rectified), { visualZone: true }));
    } catch (error) {
      if (!asEkycError(error).recoverable) throw error;
    }
  }
}

/** One side: camera with auto-capture, or uploaded files (several at once at the front), each read by the document worker. */
async function captureSide(host: FlowHost, step: 'document-front' | 'document-back', signal: AbortSignal): Promise<ReadSide[]> {
  for (;;) {
    const mode = host.state.captureMode;
    host.enter(step, mode === 'camera' ? 'capture' : 'upload');
    host.pool.preload('document', step);
    const uploadTypes: ActionType[] = mode === 'camera' ? ['upload'] : ['upload', 'camera'];
    let images: Array<{ image: RgbaImage<Uint8ClampedArray>; quad: quality.Quad | null; source: CaptureMode }> = [];
    let voted: VotedDocument | null = null;
    try {
      const pendingFiles = host.takePendingUpload();
      if (pendingFiles) {
        images = await decodeAll(host, pendingFiles, step);
      } else if (mode === 'camera') {
        const captured = await cameraDocument(host, step, signal);
        if (captured.kind === 'action') {
          if (captured.action.type === 'upload') images = await decodeAll(host, (captured.action as Extract<FlowAction, { type: 'upload' }>).files, step);
          else continue;
        } else voted = captured.voted;
      } else {
        const action = await host.wait([...uploadTypes, ...host.handoffType()], signal);
        if (action.type === 'camera') {
          host.set({ captureMode: 'camera' });
          continue;
        }
        images = await decodeAll(host, (action as Extract<FlowAction, { type: 'upload' }>).files, step);
      }
      if (step === 'document-back') images = images.slice(0, 1);
      const read: ReadSide[] = voted ? [host.rt.cameraReadSide(voted, host.data.sides.length, host.deps.now().toISOString())] : [];
      const document = await host.pool.get('document', step);
      for (const [index, entry] of images.entries()) {
        host.progress({ kind: 'processing', step, task: 'document.read', done: index, total: images.length });
        const capturedAt = host.deps.now().toISOString();
        const { width, height } = entry.image;
        // The engine reads too: a TD1 back's MRZ can be completed from its front at document-read (step-read.ts).
        const result: DocumentRead = await document.read(host.rt.copyImage(entry.image), { quad: entry.quad ?? null, includeRectified: true, mrzEvidence: true });
        read.push({ index: host.data.sides.length + index, source: entry.source, capturedAt, width, height, read: result, rectified: result.rectified ?? null, quad: entry.quad ?? null });
        if (index === images.length - 1) host.progress({ kind: 'processing', step, task: 'document.read', done: images.length, total: images.length });
      }
      for (const side of read) await host.data.events!.append('document.captured', host.rt.capturedEventData(step, side));
      host.set({ sides: [...host.state.sides, ...read.map((side, i) => ({ side: (step === 'document-back' || i > 0 ? 'back' : 'front') as 'front' | 'back', source: side.source, width: side.width, height: side.height, ...(side.frames ? { frames: side.frames } : {}) }))] });
      return read;
    } catch (error) {
      if (error instanceof HandoffRequested || signal.aborted) throw error;
      const coded = asEkycError(error);
      if (!coded.recoverable) throw coded;
      await recoverCapture(host, coded, step, signal);
    }
  }
}

async function decodeAll(host: FlowHost, files: readonly Blob[], step: StepId): Promise<Array<{ image: RgbaImage<Uint8ClampedArray>; quad: null; source: CaptureMode }>> {
  const images = [];
  for (const [index, file] of files.entries()) {
    host.progress({ kind: 'processing', step, task: 'upload.decode', done: index, total: files.length });
    images.push({ image: await host.deps.images.decode(file), quad: null, source: 'upload' as const });
  }
  return images;
}
