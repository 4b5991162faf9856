// A deliberately misbehaving pipeline: the thing under test is WorkerHost, not this worker.
import { EkycError } from '@ekyc/core';
import { exposePipeline } from '@ekyc/workers/expose';

let initCount = 0;

exposePipeline({
  async init(): Promise<number> {
    return ++initCount;
  },
  async echo(buffer: ArrayBuffer): Promise<number> {
    return buffer.byteLength;
  },
  async hang(): Promise<never> {
    return new Promise<never>(() => undefined);
  },
  async crash(): Promise<void> {
    setTimeout(() => {
      throw new Error('uncaught in worker');
    });
    return new Promise<void>(() => undefined);
  },
  async fail(): Promise<void> {
    throw new EkycError('invalid_frame', 'frame has zero size', { details: { width: 0 } });
  },
  async failPlain(): Promise<void> {
    throw new TypeError('something internal with user data');
  },
});
