import type { document as coreDocument } from '@ekyc/core';
import type { GrayImage, MrzReader } from './mrz-reader.ts';

/**
 * A reader whose engine is still loading. The document pipeline is ready to read as soon as its
 * first-line engines are (the OCR-B cell reader and PP-OCRv4); tesseract.js, a fallback since the fast
 * path, takes ~3 s more to start (bench `document-camera`: 2.8 s of the worker's 10.8 s start-up at
 * load 10), so it loads behind the capture instead of in front of it. A read that needs it waits.
 */
export class DeferredReader<R extends MrzReader> implements MrzReader {
  readonly #loading: Promise<R>;

  constructor(readonly engine: string, readonly variants: number, loading: Promise<R>) {
    this.#loading = loading;
    // The failure is reported to the read that needs the engine, not as an unhandled rejection.
    loading.catch(() => undefined);
  }

  /** The loaded engine; rejects with the load's error. */
  get ready(): Promise<R> {
    return this.#loading;
  }

  async readLine(line: GrayImage, variant: number): Promise<coreDocument.OcrLineRead> {
    return (await this.#loading).readLine(line, variant);
  }

  async close(): Promise<void> {
    const reader = await this.#loading.catch(() => undefined);
    await reader?.close();
  }
}
