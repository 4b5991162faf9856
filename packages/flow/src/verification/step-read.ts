/**
 * `document-read`: faces found on each rectified side decide which is the front, the portrait is
 * cropped from it, and the review is built from the MRZ (or, with no MRZ and numbered printed
 * fields, from a driving licence's visual zone). Runs after consent (loaded with ./runtime.ts).
 */
import type { RgbaImage } from '@ekyc/core';
import type { FaceClient, MrzSummary, VisualZoneRead } from '@ekyc/workers';
import type { FlowHost } from './flow-host.ts';
import type { PrintedFields, ReadSide } from './document.ts';
import { asEkycError } from './flow-errors.ts';
import { offerRetry } from './step-actions.ts';

/**
 * The printed fields of the side that prints them (a TD1 card's front, a passport's data page), for
 * the evidence's cross-check against the MRZ (`printedFieldsOf`), read once per document and only for
 * a valid MRZ. The visual-zone read takes seconds (text detection, then every box recognised: +3.9 s
 * at document-read on the 2-core VM when awaited there), and nothing before the evidence needs it: it
 * runs on the document worker, idle by then, while the user reviews the fields and takes the selfie,
 * and the evidence step waits for what is left. Any failure (a worker crash, a dispose) leaves the
 * cross-check inconclusive, never the run failed: it is one more signal, not a reading. A front
 * already read for `completeMrz` is not read again.
 */
function readPrintedFields(host: FlowHost, front: ReadSide | null, mrz: MrzSummary | null, frontZone: VisualZoneRead | null | undefined): Promise<PrintedFields> {
  if (!mrz?.valid || !front?.rectified) return Promise.resolve({});
  if (frontZone !== undefined) return Promise.resolve(host.rt.printedFieldsOf(frontZone, mrz));
  const image = host.rt.copyImage(front.rectified);
  return (async () => {
    const document = await host.pool.get('document', 'document-read');
    const read = await document.read(image, { visualZone: true, findOutline: false, fillFromVisualZone: false });
    return host.rt.printedFieldsOf(read.visualZone ?? null, mrz);
  })().catch(() => ({}));
}

/**
 * The MRZ side's reading, completed from the front when they are two sides (a TD1 card: fields on the
 * front, MRZ on the back) and the back alone is refused or doubts its number or a date (worker
 * `wantsOtherSide`): the front's printed zone is read (seconds, awaited: only then) and the back's
 * engine reads merged again with it (`DocumentClient.completeFromOtherSide`), so glare over the back's
 * number no longer fails a card whose front prints it. `frontZone` is that read (undefined when not
 * made, null when it failed). A failure keeps the back's own reading.
 */
async function completeMrz(host: FlowHost, front: ReadSide | null, mrzSide: ReadSide | null): Promise<{ mrz: MrzSummary | null; frontZone?: VisualZoneRead | null }> {
  const mrz = mrzSide?.read.mrz ?? null;
  const evidence = mrzSide?.read.mrzEvidence;
  if (!front?.rectified || !mrzSide || mrzSide === front || !evidence || !host.rt.wantsOtherSide(mrz)) return { mrz };
  try {
    const document = await host.pool.get('document', 'document-read');
    host.progress({ kind: 'processing', step: 'document-read', task: 'document.other_side', done: 0, total: 1 });
    const read = await document.read(host.rt.copyImage(front.rectified), { visualZone: true, findOutline: false, fillFromVisualZone: false });
    const frontZone = read.visualZone ?? null;
    const completed = frontZone ? await document.completeFromOtherSide(evidence, frontZone) : null;
    host.progress({ kind: 'processing', step: 'document-read', task: 'document.other_side', done: 1, total: 1 });
    return { mrz: completed && host.rt.completionKeepsReading(mrz, completed) ? completed : mrz, frontZone };
  } catch (error) {
    if (!asEkycError(error).recoverable) throw error;
    return { mrz, frontZone: null };
  }
}

export async function stepRead(host: FlowHost, signal: AbortSignal): Promise<void> {
  host.enter('document-read', null);
  const config = host.data.resolved!.session.config;
  for (;;) {
    try {
      const face = await host.pool.get('face', 'document-read');
      host.progress({ kind: 'processing', step: 'document-read', task: 'document.portrait', done: 0, total: 1 });
      const faces: number[] = [];
      let portrait: RgbaImage<Uint8ClampedArray> | null = null;
      for (const side of host.data.sides) {
        if (!side.rectified) {
          faces.push(0);
          continue;
        }
        const found = await face.detect(host.rt.copyImage(side.rectified));
        faces.push(found.length);
      }
      const { front, back, mrzSide } = host.rt.assignReadSides(host.data.sides, faces);
      if (front?.rectified) {
        // findPortrait only calls `detect`, which the flow's face worker has.
        const found = await host.rt.DocumentClient.findPortrait(face as Pick<FaceClient, 'detect'> as FaceClient, front.rectified);
        portrait = found.crop;
      }
      host.progress({ kind: 'processing', step: 'document-read', task: 'document.portrait', done: 1, total: 1 });
      host.data.front = front;
      host.data.back = back && back !== front ? back : null;
      const { mrz, frontZone } = await completeMrz(host, front, mrzSide);
      host.data.mrz = mrz;
      host.data.portrait = portrait;
      host.data.printed = readPrintedFields(host, front, host.data.mrz, frontZone);
      const policy = { acceptedDocuments: config.acceptedDocuments, acceptedCountries: config.acceptedCountries, minimumAge: config.thresholds.minimumAge, referenceDate: host.deps.now() };
      // No MRZ and numbered printed fields: a driving licence, reviewed from its visual zone.
      const licence = mrzSide === null && front !== null && host.rt.isLicenceRead(front.read) ? host.rt.licenceReviewData(front.read, { crop: portrait }, policy) : null;
      const review = licence ? (({ checked: _, ...data }) => data)(licence) : host.rt.reviewData(host.data.mrz, { crop: portrait }, policy);
      await host.data.events!.append('document.read', { valid: review.valid, format: review.format, portrait: review.portraitFound, issues: review.issues.join(',') });
      host.set({ review });
      host.complete('document-read');
      return;
    } catch (error) {
      await offerRetry(host, error, 'document-read', signal);
    }
  }
}
