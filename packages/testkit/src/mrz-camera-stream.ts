import type { MrzFormat, RgbaImage } from '@ekyc/core';
import { degradeDocument, drawDegradation, type DegradationLevel, type DegradedFrame } from './degrade.ts';
import { mrzBand, renderMrzDocument, type MrzDocument } from './mrz-document.ts';
import { cameraGlareHotspot } from './mrz-stress.ts';
import { createRandom } from './random.ts';

const PX_PER_MM = 12;

/** A camera's frames of one document's MRZ side (see `mrzCameraStream`). */
export interface MrzCameraStream {
  readonly document: MrzDocument;
  /** The next frame: its own degradation draw, and with `glare` its own hotspot over the MRZ. */
  next(): Promise<DegradedFrame>;
}

/**
 * The frames a camera gives of one document's MRZ side, as `eval:mrz` draws its camera streams: the
 * document and each frame's degradation come from `seed`; with `glare`, one hotspot over the MRZ per
 * frame (`cameraGlareHotspot`) from a sequence of its own, so it moves while the document and its
 * degradation draws stay the seed's. The eval, the fusion bench and the stream capture read the same
 * frames, seed for seed.
 */
export function mrzCameraStream(format: MrzFormat, seed: number, level: DegradationLevel, options: { glare?: boolean } = {}): MrzCameraStream {
  const random = createRandom(seed);
  const document = renderMrzDocument(random, { format, pxPerMm: PX_PER_MM, font: 'OCR-B' });
  const glareRandom = createRandom(seed * 7919 + 104_729);
  const band = mrzBand(format, PX_PER_MM);
  return {
    document,
    next: () => {
      const hotspots = options.glare ? cameraGlareHotspot(band, PX_PER_MM, glareRandom) : undefined;
      return degradeDocument(document.mrzSide, drawDegradation(level, random), random, 1, 0.08, undefined, hotspots);
    },
  };
}

/** A 640x480 frame of fixed noise, no document: what a camera path sees before the document is in view. */
export function noiseFrame(): RgbaImage<Uint8ClampedArray> {
  return { width: 640, height: 480, data: new Uint8ClampedArray(640 * 480 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7919) % 251)) };
}
