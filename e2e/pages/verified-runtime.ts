import { decodeImageBlob } from '@ekyc/testkit';
import { PSM } from 'tesseract.js';
import { FaceClient, QualityClient, createModelProbe, type BackendPreference } from '@ekyc/workers';
import { startVerifiedTesseract } from '../../packages/workers/src/pipelines/document/tesseract-reader.ts';

/**
 * Loads each runtime once in its own worker and uses it for real. e2e/verified-runtime.spec.ts answers
 * a second request for any runtime file with other bytes: a worker that re-fetched a file would run them.
 */

export type RuntimeUse =
  | { ok: true; backend?: string; detail: Record<string, number | string> }
  | { ok: false; code: string; message: string };

async function attempt(use: () => Promise<Omit<Extract<RuntimeUse, { ok: true }>, 'ok'>>): Promise<RuntimeUse> {
  try {
    return { ok: true, ...(await use()) };
  } catch (error) {
    const { code, message, cause } = error as { code?: string; message: string; cause?: unknown };
    return { ok: false, code: code ?? 'none', message: `${message}${cause ? ` (cause: ${String(cause)})` : ''}` };
  }
}

const verifiedRuntimeTest = {
  /** onnxruntime-web: the WASM build on `wasm`, the WebGPU build (asyncify) on `webgpu`. */
  onnx(backend: BackendPreference): Promise<RuntimeUse> {
    return attempt(async () => {
      const probe = createModelProbe({ assetBaseUrl: '/ekyc/', backend }, 170_000);
      try {
        const run = await probe.call('run', 'fr-eye', 7);
        const values = run.outputs.flatMap((o) => Array.from(o.data));
        return { backend: run.backend, detail: { outputs: values.length, finite: values.every(Number.isFinite) ? 'yes' : 'no' } };
      } finally {
        probe.terminate();
      }
    });
  },
  /** MediaPipe tasks-vision (BlazeFace) detection in the face worker. */
  mediapipe(imageUrl: string): Promise<RuntimeUse> {
    return attempt(async () => {
      const image = await decodeImageBlob(await (await fetch(imageUrl)).blob());
      const client = new FaceClient({ assetBaseUrl: '/ekyc/', backend: 'wasm', models: { detector: 'blazeface-short-range' } }, 170_000);
      try {
        const faces = await client.detect(image);
        return { detail: { faces: faces.length } };
      } finally {
        client.terminate();
      }
    });
  },
  /** OpenCV.js, through the quality worker. */
  opencv(): Promise<RuntimeUse> {
    return attempt(async () => {
      const client = new QualityClient({ assetBaseUrl: '/ekyc/' }, 60_000);
      try {
        const width = 320, height = 240;
        const data = new Uint8ClampedArray(width * height * 4);
        for (let i = 0; i < width * height; i++) {
          const v = ((i % width) >> 3) % 2 === 0 ? 40 : 220;
          data.set([v, v, v, 255], i * 4);
        }
        const result = await client.analyzeStill({ width, height, data });
        return { detail: { sharpness: result.metrics.sharpness } };
      } finally {
        client.terminate();
      }
    });
  },
  /**
   * tesseract.js, started the way docs/runtime.md describes for the document-reading pipeline: its
   * worker script, core and traineddata from blob: URLs of verified bytes.
   */
  tesseract(text: string): Promise<RuntimeUse> {
    return attempt(async () => {
      const { worker, urls } = await startVerifiedTesseract('/ekyc/');
      try {
        await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_LINE });
        const canvas = document.createElement('canvas');
        canvas.width = 640;
        canvas.height = 120;
        const context = canvas.getContext('2d')!;
        context.fillStyle = '#fff';
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.fillStyle = '#000';
        context.font = '56px sans-serif';
        context.fillText(text, 20, 80);
        const { data } = await worker.recognize(canvas);
        return { detail: { text: data.text.trim() } };
      } finally {
        await worker.terminate();
        for (const url of urls) url.revoke();
      }
    });
  },
};

declare global {
  interface Window {
    verifiedRuntimeTest: typeof verifiedRuntimeTest;
  }
}

window.verifiedRuntimeTest = verifiedRuntimeTest;
document.body.dataset.ready = 'true';
