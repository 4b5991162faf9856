import type { RgbaImage, quality as coreQuality } from '@ekyc/core';
import { DocumentClient, QualityClient } from '@ekyc/workers';
import { base64, documentBlob, selfieBlob } from '../../../e2e/pages/elements-fixtures.ts';
import { passportOnDesk, type DeskFrame } from '../../../e2e/pages/passport-desk-frame.ts';

/**
 * What the flow benches feed the flow: the TD3 passport page the e2e flow tests upload (@ekyc/testkit,
 * seed 4, portrait cut from the selfie), the selfie, and one 1280x720 camera frame showing that page
 * on a dark desk, at the first size the quality worker judges `good` (the frame the fake camera
 * plays in e2e/elements-flow.spec.ts: one builder, e2e/pages/passport-desk-frame.ts).
 */
let captured: { image: RgbaImage<Uint8ClampedArray>; quad: coreQuality.Quad | null } | null = null;

export interface StartupTiming { engines: string; ms: number; opencvLoadMs: number | null }

export interface FrameReadTiming { totalMs: number; rectifyMs: number; locateMs: number; ocrMs: number; mergeMs: number; ppocrMs: number; tesseractMs: number; valid: boolean }

const fixtures = {
  async make(): Promise<{ document: string; selfie: string; frame: DeskFrame }> {
    const [doc, selfie] = await Promise.all([documentBlob(), selfieBlob()]);
    const page = await createImageBitmap(doc);
    const quality = new QualityClient({ assetBaseUrl: '/ekyc/' }, 60_000);
    let frame: DeskFrame;
    try {
      const made = await passportOnDesk(page, (image) => quality.analyzeStill(image));
      captured = { image: made.image, quad: made.quad };
      frame = made.frame;
    } finally {
      quality.terminate();
    }
    return { document: await base64(doc), selfie: await base64(selfie), frame };
  },

  /**
   * Where the document worker's start-up goes: fresh workers from construction to ready, with more of
   * the flow's configuration each time (OpenCV.js and the runtime only; + PP-OCRv4 rec; + tesseract.js,
   * the flow's default). `ready()` is reached as the flow reaches it (the client's host is private).
   */
  async documentStartup(): Promise<StartupTiming[]> {
    const out: StartupTiming[] = [];
    for (const engines of [[], ['ppocr'], ['ppocr', 'tesseract']] as const) {
      const t0 = performance.now();
      const client = new DocumentClient({ assetBaseUrl: '/ekyc/', backend: 'wasm', engines: [...engines] }, 170_000);
      try {
        const host = (client as unknown as { host: { ready(): Promise<{ opencvLoadMs?: number } | undefined> } }).host;
        const report = await host.ready();
        out.push({ engines: engines.join('+') || 'none', ms: performance.now() - t0, opencvLoadMs: report?.opencvLoadMs ?? null });
      } finally {
        client.terminate();
      }
    }
    return out;
  },

  /**
   * The camera frame made by `make()`, with the quad quality found on it, read as the flow reads an
   * auto-captured frame (`read(frame, { quad, includeRectified })`), `times` times in one fresh
   * document worker: the first read pays for what the worker sets up lazily.
   */
  async readCapturedFrame(times: number): Promise<FrameReadTiming[]> {
    if (!captured) throw new Error('make() first');
    const client = new DocumentClient({ assetBaseUrl: '/ekyc/', backend: 'wasm' }, 170_000);
    try {
      const out: FrameReadTiming[] = [];
      for (let i = 0; i < times; i++) {
        const { image, quad } = captured;
        const read = await client.read({ width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) }, { quad, includeRectified: true });
        const t = read.timings;
        out.push({ totalMs: t.totalMs, rectifyMs: t.rectifyMs, locateMs: t.locateMs, ocrMs: t.ocrMs, mergeMs: t.mergeMs, ppocrMs: read.engines.ppocr?.ms ?? Number.NaN, tesseractMs: read.engines.tesseract?.ms ?? Number.NaN, valid: read.mrz?.valid ?? false });
      }
      return out;
    } finally {
      client.terminate();
    }
  },
};

declare global {
  interface Window {
    benchFixtures: typeof fixtures;
  }
}
window.benchFixtures = fixtures;
document.body.dataset['ready'] = 'true';
