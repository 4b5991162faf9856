import { VerificationFlow, type CapturedSide, type FlowState, type ReviewData, type SessionSource, type StepId } from '@ekyc/flow';
import { createRandom, renderDrivingLicence, type LicenceFields } from '@ekyc/testkit';
import { answerEachWait } from './flow-driver.ts';
import { worker } from './quality-kit.ts';
import { passportOnDesk, type DeskFrame } from './passport-desk-frame.ts';

/**
 * A synthetic EU driving licence (testkit `renderDrivingLicence`: no MRZ, numbered fields, the EU
 * emblem) through `VerificationFlow`'s document steps, headless: as an uploaded scan, or on the desk
 * in front of Chromium's fake camera (the y4m the test writes from `cameraFrame`). The session
 * accepts driving licences; it comes from a real verifier (through the test's proxy route) or is a
 * config session (no verifier).
 */

const PORTRAIT_URL = '/node_modules/@vladmandic/human/assets/screenshot-faceid.jpg';

export interface LicenceCard {
  seed: number;
  /** The state the card is printed for (its sign in the emblem, its national title); default the seed's. */
  issuingState?: string;
}

async function renderCard(card: LicenceCard): Promise<{ bitmap: ImageBitmap; blob: Blob; printed: LicenceFields }> {
  const portrait = await createImageBitmap(await (await fetch(PORTRAIT_URL)).blob());
  const doc = renderDrivingLicence(createRandom(card.seed), { pxPerMm: 12, portrait, ...(card.issuingState ? { vizOverrides: { issuingState: card.issuingState } } : {}) });
  const pixels = new ImageData(new Uint8ClampedArray(doc.image.data), doc.image.width, doc.image.height);
  const canvas = new OffscreenCanvas(pixels.width, pixels.height);
  canvas.getContext('2d')!.putImageData(pixels, 0, 0);
  // A PNG scan for the upload, the same pixels as a bitmap for the camera's desk frame.
  return { bitmap: await createImageBitmap(pixels), blob: await canvas.convertToBlob({ type: 'image/png' }), printed: doc.viz };
}

export interface LicenceRunOptions {
  capture: 'camera' | 'upload';
  card: LicenceCard;
  /** A session on the verifier (reached through `verifierBase`); else a config session accepting licences under `acceptedCountries`. */
  verifier?: { verifierBase: string; sessionId: string; clientToken: string };
  acceptedCountries?: readonly string[];
}

export interface LicenceRunReport {
  status: FlowState['status'];
  error: FlowState['error'];
  steps: StepId[];
  printed: LicenceFields;
  /** What review showed (the flow's state at the review step). */
  review: ReviewData | null;
  sides: readonly CapturedSide[];
  delivery: string | null;
  documentValid: boolean | null;
  /** ms from start() to each step, each worker ready, each processing progress and the review. */
  at: Record<string, number>;
}

const licenceFlowTest = {
  /** The card on a dark desk, 1280 x 720, at a width the quality worker judges `good` (the fake camera's frame). */
  async cameraFrame(card: LicenceCard): Promise<DeskFrame> {
    const { bitmap } = await renderCard(card);
    const quality = worker();
    await quality.host.ready();
    return (await passportOnDesk(bitmap, (image) => quality.analyzeStill(image))).frame;
  },

  async run(options: LicenceRunOptions): Promise<LicenceRunReport> {
    const { blob, printed } = await renderCard(options.card);
    const session: SessionSource = options.verifier
      ? { verifierUrl: new URL(options.verifier.verifierBase, location.href).href, sessionId: options.verifier.sessionId, clientToken: options.verifier.clientToken }
      : { config: { acceptedDocuments: ['passport', 'id_card', 'driving_licence'], acceptedCountries: options.acceptedCountries ?? [] } };
    const flow = new VerificationFlow({
      session, assetBaseUrl: '/ekyc/', backend: 'wasm', locale: 'en-GB', capture: options.capture, steps: ['document-front', 'document-review'],
      consent: { id: 'kyc-consent', version: '2026-01', text: { en: 'We capture your driving licence to verify your identity.' } },
      decisionWaitMs: 60_000, statusPollMs: 300,
    });
    const t0 = performance.now();
    const at: Record<string, number> = {};
    const steps: StepId[] = [];
    let review: ReviewData | null = null;
    flow.addEventListener('progress', (event) => {
      const d = event.detail;
      const key = d.kind === 'model' ? `${d.worker} ${d.state}` : `${d.task}${d.done === d.total ? ' done' : ''}`;
      if (d.kind === 'model' && d.state === 'loading') return;
      at[key] ??= Math.round(performance.now() - t0);
    });
    flow.addEventListener('step', (event) => {
      steps.push(event.detail.step);
      at[event.detail.step] ??= Math.round(performance.now() - t0);
    });
    // The camera path needs no answer: auto-capture takes the frame.
    answerEachWait(flow, {
      uploads: { 'document-front': blob },
      beforeReview: () => {
        review = flow.state.review;
        at['review'] = Math.round(performance.now() - t0);
      },
    });
    const final = await flow.start();
    at['complete'] = Math.round(performance.now() - t0);
    const report: LicenceRunReport = {
      status: final.status, error: final.error, steps, printed, review, sides: final.sides,
      delivery: final.result?.delivery ?? null, documentValid: final.result?.local.documentValid ?? null, at,
    };
    flow.dispose();
    return report;
  },
};

declare global {
  interface Window {
    licenceFlowTest: typeof licenceFlowTest;
  }
}
window.licenceFlowTest = licenceFlowTest;
document.body.dataset.ready = 'true';
