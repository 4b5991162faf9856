import type { RgbaImage, quality as coreQuality } from '@ekyc/core';
import type { TimedAssessment } from '@ekyc/workers';
import { base64 } from './elements-fixtures.ts';

/**
 * The fake camera's document frame: the passport page of the upload tests (elements-fixtures.ts,
 * `documentBlob()`) lying on a dark desk, 1280 x 720, at the first width (fraction of the frame)
 * the quality worker judges exactly `good` as a still; the last width tried when none is. Built by
 * the elements test page (e2e/pages/elements.ts, the y4m of e2e/passport-clip.ts) and the flow
 * benches (bench/driven/pages/fixtures.ts), so both play the same frame.
 */
export interface DeskFrame {
  width: number;
  height: number;
  /** RGBA in base64. */
  rgba: string;
  guidance: string[];
  widthFraction: number;
}

const WIDTH = 1280;
const HEIGHT = 720;
/** Widths tried, in order: the page's width as a fraction of the frame's. */
const WIDTH_FRACTIONS = [0.8, 0.74, 0.86, 0.68];

/** `analyzeStill` of a quality worker the caller owns (created, ready and terminated by it). */
export async function passportOnDesk(
  page: ImageBitmap,
  analyzeStill: (image: RgbaImage<Uint8ClampedArray>) => Promise<Pick<TimedAssessment, 'guidance' | 'metrics'>>,
): Promise<{ frame: DeskFrame; image: RgbaImage<Uint8ClampedArray>; quad: coreQuality.Quad | null }> {
  let last: { frame: DeskFrame; image: RgbaImage<Uint8ClampedArray>; quad: coreQuality.Quad | null } | undefined;
  for (const widthFraction of WIDTH_FRACTIONS) {
    const canvas = new OffscreenCanvas(WIDTH, HEIGHT);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.fillStyle = '#2b2f36';
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    const w = WIDTH * widthFraction;
    const h = (w * page.height) / page.width;
    ctx.drawImage(page, (WIDTH - w) / 2, (HEIGHT - h) / 2, w, h);
    const data = ctx.getImageData(0, 0, WIDTH, HEIGHT).data;
    const { guidance, metrics } = await analyzeStill({ width: WIDTH, height: HEIGHT, data: new Uint8ClampedArray(data) });
    last = {
      frame: { width: WIDTH, height: HEIGHT, rgba: await base64(new Blob([data])), guidance: [...guidance], widthFraction },
      image: { width: WIDTH, height: HEIGHT, data: new Uint8ClampedArray(data) },
      quad: metrics.document?.corners ?? null,
    };
    if (guidance.length === 1 && guidance[0] === 'good') break;
  }
  return last!;
}
