import { createRandom, renderMrzDocument } from '@ekyc/testkit';
import { FaceClient } from '@ekyc/workers';
import { fontReady } from './quality-kit.ts';

/**
 * The photos a user would upload: a selfie (Human's face-id screenshot, MIT) and a TD3 passport page
 * rendered by @ekyc/testkit whose portrait is cut from the same photo, so the face match can pass
 * (seed 4 reads exactly in e2e/document.spec.ts). The elements page and the headless flow page
 * (e2e/pages/flow.ts) both upload these.
 */
const SELFIE_URL = '/node_modules/@vladmandic/human/assets/screenshot-faceid.jpg';

export async function selfieBlob(): Promise<Blob> {
  return (await fetch(SELFIE_URL)).blob();
}

export async function documentBlob(seed = 4): Promise<Blob> {
  await fontReady;
  const photo = await createImageBitmap(await selfieBlob());
  const face = new FaceClient({ assetBaseUrl: '/ekyc/', backend: 'wasm' }, 170_000);
  try {
    const c = new OffscreenCanvas(photo.width, photo.height);
    const cctx = c.getContext('2d', { willReadFrequently: true })!;
    cctx.drawImage(photo, 0, 0);
    const [found] = await face.detect({ width: photo.width, height: photo.height, data: cctx.getImageData(0, 0, photo.width, photo.height).data });
    if (!found) throw new Error('no face in the portrait photo');
    const side = Math.max(found.box.width, found.box.height) * 1.8;
    const cx = found.box.x + found.box.width / 2;
    const cy = found.box.y + found.box.height / 2;
    const portrait = new OffscreenCanvas(Math.round(side * 0.78), Math.round(side));
    portrait.getContext('2d')!.drawImage(photo, cx - side * 0.39, cy - side / 2, side * 0.78, side, 0, 0, portrait.width, portrait.height);
    const doc = renderMrzDocument(createRandom(seed), { format: 'TD3', pxPerMm: 12, font: 'OCR-B', portrait });
    const canvas = new OffscreenCanvas(doc.mrzSide.width, doc.mrzSide.height);
    canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(doc.mrzSide.data), doc.mrzSide.width, doc.mrzSide.height), 0, 0);
    return await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
  } finally {
    face.terminate();
  }
}

export async function base64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
