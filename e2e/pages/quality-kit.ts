import { QualityClient } from '@ekyc/workers';

/** Focal length (fraction of the longer frame side) the generated frames are rendered with. */
export const FOCAL = 0.8;

/** The OCR-B face the generated documents' MRZ is drawn in, from Debian's fonts-ocr-b. */
export const fontReady = (async () => {
  const face = new FontFace('OCR-B', 'url(/@fs/usr/share/fonts/opentype/ocr-b/OCRB.otf)');
  document.fonts.add(await face.load());
})();

let client: QualityClient | undefined;
/** The page's one quality worker. */
export function worker(): QualityClient {
  client ??= new QualityClient({ assetBaseUrl: '/ekyc/' }, 20_000);
  return client;
}

export type Outcome = { code: string; recoverable: boolean } | 'no error';
/** The error code a call ends with, JSON-safe for the test. */
export async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    await call();
    return 'no error';
  } catch (error) {
    const { code, recoverable } = error as { code: string; recoverable: boolean };
    return { code, recoverable };
  }
}
