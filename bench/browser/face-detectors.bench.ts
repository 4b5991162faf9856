import { FaceClient } from '@ekyc/workers';
import { median, type BenchResult } from '../types.ts';
import { decodeImageBlob } from '@ekyc/testkit';

const photos = [
  ['selfie 800x564', '/node_modules/@vladmandic/human/assets/screenshot-faceid.jpg'],
  ['group sample2', '/node_modules/@vladmandic/face-api/demo/sample2.jpg'],
] as const;

/** Detection latency in the face worker, fr-detect (+ 68 landmarks per face, ORT WASM) vs BlazeFace short range (MediaPipe CPU). */
export default async (ctx: { assetBaseUrl: string }): Promise<BenchResult[]> => {
  const results: BenchResult[] = [];
  for (const detector of ['fr-detect', 'blazeface-short-range']) {
    const client = new FaceClient({ assetBaseUrl: ctx.assetBaseUrl, backend: 'wasm', models: { detector, antiSpoof: undefined, eye: undefined } }, 170_000);
    for (const [label, url] of photos) {
      const frame = await decodeImageBlob(await (await fetch(url)).blob());
      const copy = () => ({ ...frame, data: new Uint8ClampedArray(frame.data) });
      let faces = 0;
      for (let i = 0; i < 3; i++) faces = (await client.detect(copy())).length;
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        await client.detect(copy());
        times.push(performance.now() - t0);
      }
      results.push({ suite: 'face-detectors', name: `${detector} detect, ${label} (${frame.width}x${frame.height})`, unit: 'ms', value: median(times), runs: times.length, notes: `${faces} face(s); fastest ${Math.min(...times).toFixed(1)} ms; round trip incl. transfer` });
    }
    client.terminate();
  }
  return results;
};
