import { describe, expect, it } from 'vitest';
import type { document as coreDocument } from '@ekyc/core';
import { DeferredReader } from './deferred-reader.ts';
import type { GrayImage, MrzReader } from './mrz-reader.ts';

const line: GrayImage = { width: 2, height: 1, data: new Uint8Array([0, 255]) };

/** An engine that answers with the line's width, so a read through the wrapper is recognisable. */
class WidthReader implements MrzReader {
  readonly engine = 'width';
  readonly variants = 1;
  closed = 0;
  async readLine(l: GrayImage): Promise<coreDocument.OcrLineRead> {
    return { text: String(l.width), chars: [{ char: String(l.width), confidence: 1, alternatives: [] }] };
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

describe('DeferredReader', () => {
  it('is usable before its engine has loaded: a read waits for the load and then reads', async () => {
    let finish!: (reader: WidthReader) => void;
    const deferred = new DeferredReader('width', 1, new Promise<WidthReader>((resolve) => { finish = resolve; }));
    let answered = false;
    const read = deferred.readLine(line, 0).then((r) => { answered = true; return r; });
    await Promise.resolve();
    expect(answered).toBe(false);
    finish(new WidthReader());
    expect((await read).text).toBe('2');
  });

  it('gives a failed load to the read that needs it, and raises no unhandled rejection before', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    try {
      const deferred = new DeferredReader('width', 1, Promise.reject(new Error('tesseract core missing')));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      await expect(deferred.readLine(line, 0)).rejects.toThrow('tesseract core missing');
      await expect(deferred.close()).resolves.toBeUndefined();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('closes the engine once it has loaded', async () => {
    const engine = new WidthReader();
    const deferred = new DeferredReader('width', 1, Promise.resolve(engine));
    await deferred.close();
    expect(engine.closed).toBe(1);
    expect(await deferred.ready).toBe(engine);
  });
});
