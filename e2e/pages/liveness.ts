import { liveness, type RgbaImage } from '@ekyc/core';
import { decodeImageBlob } from '@ekyc/testkit';
import { LivenessClient, toLivenessFrame, type TrackResult } from '@ekyc/workers';

/** Test, benchmark and evaluation page of the liveness worker; e2e/liveness.spec.ts, bench and scripts/eval-liveness.mjs drive `window.livenessTest`. */

export interface PageTrack {
  faceCount: number;
  points: number;
  landmarks: number[];
  signals: liveness.FaceSignals | null;
  presence: number | null;
  brightness: number;
  detected: boolean;
  timings: TrackResult['timings'];
}

let client: LivenessClient | undefined;
const images = new Map<string, RgbaImage>();

const copy = (image: RgbaImage): RgbaImage => ({ width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) });

function need(name: string): RgbaImage {
  const image = images.get(name);
  if (!image) throw new Error(`image ${name} not loaded`);
  return image;
}

function summary(r: TrackResult, withLandmarks: boolean): PageTrack {
  return {
    faceCount: r.faceCount,
    points: r.landmarks ? r.landmarks.length / 3 : 0,
    landmarks: withLandmarks && r.landmarks ? Array.from(r.landmarks) : [],
    signals: r.signals ?? null,
    presence: r.presence ?? null,
    brightness: r.brightness,
    detected: r.detected,
    timings: r.timings,
  };
}

const livenessTest = {
  async init(detectEvery = 10): Promise<void> {
    client?.terminate();
    client = new LivenessClient({ assetBaseUrl: '/ekyc/', detectEvery }, 170_000);
    await client.reset();
  },
  async loadUrl(name: string, url: string): Promise<{ width: number; height: number }> {
    const blob = await (await fetch(url)).blob();
    const image = await decodeImageBlob(blob);
    images.set(name, image);
    return { width: image.width, height: image.height };
  },
  /** Puts a loaded image on a `width` x `height` grey canvas at (x, y), scaled by `scale`. */
  compose(name: string, source: string, width: number, height: number, x: number, y: number, scale: number): void {
    const src = need(source);
    const out = new Uint8ClampedArray(width * height * 4).fill(128);
    for (let v = 0; v < height; v++) {
      for (let u = 0; u < width; u++) {
        const sx = Math.floor((u - x) / scale);
        const sy = Math.floor((v - y) / scale);
        const o = (v * width + u) * 4;
        if (sx >= 0 && sy >= 0 && sx < src.width && sy < src.height) out.set(src.data.subarray((sy * src.width + sx) * 4, (sy * src.width + sx) * 4 + 4), o);
        out[o + 3] = 255;
      }
    }
    images.set(name, { width, height, data: out });
  },
  blank(name: string, width: number, height: number): void {
    images.set(name, { width, height, data: new Uint8ClampedArray(width * height * 4).fill(90) });
  },
  async reset(): Promise<void> {
    await client!.reset();
  },
  async track(name: string, withLandmarks = false): Promise<PageTrack> {
    if (!client) throw new Error('init first');
    return summary(await client.track(copy(need(name))), withLandmarks);
  },
  /** Tracks the same image `n` times (a still stream): per-frame times on the page and in the worker. */
  async trackLoop(name: string, n: number): Promise<{ roundTripMs: number[]; totalMs: number[]; landmarksMs: number[]; detectMs: number[]; faces: number[] }> {
    if (!client) throw new Error('init first');
    const image = need(name);
    const out = { roundTripMs: [] as number[], totalMs: [] as number[], landmarksMs: [] as number[], detectMs: [] as number[], faces: [] as number[] };
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await client.track(copy(image));
      out.roundTripMs.push(performance.now() - t0);
      out.totalMs.push(r.timings.totalMs);
      out.landmarksMs.push(r.timings.landmarksMs);
      out.detectMs.push(r.timings.detectMs);
      out.faces.push(r.faceCount);
    }
    return out;
  },
  /** Engine frame for a tracked image (what the session would push). */
  async frame(name: string, t: number): Promise<liveness.LivenessFrame> {
    if (!client) throw new Error('init first');
    return toLivenessFrame(await client.track(copy(need(name))), t);
  },
};

declare global {
  interface Window { livenessTest: typeof livenessTest }
}
window.livenessTest = livenessTest;
document.body.dataset['ready'] = 'true';
