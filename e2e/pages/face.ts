import { face as core } from '@ekyc/core';
import { decodeImageBlob } from '@ekyc/testkit';
import { FaceClient, type BackendPreference } from '@ekyc/workers';
import { printRecapture, screenRecapture } from './face-recapture.ts';

/** Test and evaluation page of the face engine; Playwright specs and scripts/eval-face.mjs drive `window.faceTest`. */

export interface PageFace {
  box: core.Box;
  score: number;
  embedding: number[];
}

export interface PageAnalysis {
  faces: number;
  quality: core.FaceQualityDecision;
  embedding: number[];
  crop: number[];
  keypoints: core.FaceKeypoints;
  image: { width: number; height: number };
  timings: { detectMs: number; embedMs: number; totalMs: number };
}

export interface SpoofProbe {
  box: core.Box;
  genuine: number[];
  screen: number[];
  print: number[];
}

let client: FaceClient | undefined;
const images = new Map<string, core.RgbaImage>();

function decode(base64: string, mime: string): Promise<core.RgbaImage> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return decodeImageBlob(new Blob([bytes], { type: mime }));
}

function copy(image: core.RgbaImage): core.RgbaImage {
  return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
}

function need(name: string): core.RgbaImage {
  const image = images.get(name);
  if (!image) throw new Error(`image ${name} not loaded`);
  return image;
}

const faceTest = {
  /** `detector`: a manifest id (fr-detect by default, or blazeface-short-range). */
  async init(backend: BackendPreference = 'wasm', maxFaces = 20, detector?: string): Promise<void> {
    client?.terminate();
    client = new FaceClient({ assetBaseUrl: '/ekyc/', backend, detection: { maxFaces }, ...(detector ? { models: { detector } } : {}) }, 170_000);
    await client.detect({ width: 8, height: 8, data: new Uint8ClampedArray(256) });
  },
  async load(name: string, base64: string, mime: string): Promise<{ width: number; height: number }> {
    const image = await decode(base64, mime);
    images.set(name, image);
    return { width: image.width, height: image.height };
  },
  async loadUrl(name: string, url: string): Promise<{ width: number; height: number }> {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return faceTest.load(name, btoa(s), url.endsWith('.png') ? 'image/png' : 'image/jpeg');
  },
  pixels(name: string): number[] {
    return Array.from(need(name).data);
  },
  async analyze(name: string): Promise<PageAnalysis> {
    if (!client) throw new Error('init first');
    const image = need(name);
    const result = await client.analyze(copy(image), { includeCrop: true });
    if (!result.embedding || !result.alignedCrop) throw new Error(`expected one face, got ${result.faces.length}`);
    return {
      faces: result.faces.length,
      quality: result.quality,
      embedding: Array.from(result.embedding),
      crop: Array.from(result.alignedCrop.data),
      keypoints: result.faces[0]!.keypoints!,
      image: { width: image.width, height: image.height },
      timings: result.timings,
    };
  },
  async analyzeError(name: string): Promise<{ faces: number; failures: string[] }> {
    if (!client) throw new Error('init first');
    const result = await client.analyze(copy(need(name)));
    return { faces: result.faces.length, failures: result.quality.failures.map((f) => f.code) };
  },
  async embedAll(name: string): Promise<PageFace[]> {
    if (!client) throw new Error('init first');
    return (await client.embedAll(copy(need(name)))).map(({ face, embedding }) => ({ box: face.box, score: face.score, embedding: Array.from(embedding) }));
  },
  async embedAligned(crop: number[]): Promise<number[]> {
    if (!client) throw new Error('init first');
    return Array.from(await client.embedAligned({ width: 112, height: 112, data: Uint8ClampedArray.from(crop) }));
  },
  /** Anti-spoof probabilities of every face: as photographed, and as simulated screen / print recaptures. */
  async spoofProbe(name: string): Promise<SpoofProbe[]> {
    if (!client) throw new Error('init first');
    const image = need(name);
    const screen = screenRecapture(image);
    const print = printRecapture(image);
    const result: SpoofProbe[] = [];
    for (const face of await client.detect(copy(image))) {
      result.push({
        box: face.box,
        genuine: [...(await client.antiSpoof(image, face.box)).probabilities],
        screen: [...(await client.antiSpoof(screen, face.box)).probabilities],
        print: [...(await client.antiSpoof(print, face.box)).probabilities],
      });
    }
    return result;
  },
};

declare global {
  interface Window { faceTest: typeof faceTest }
}
window.faceTest = faceTest;
document.body.dataset['ready'] = 'true';
