import { WorkerHost, transfer } from '@ekyc/workers';

interface TestApi {
  init(): Promise<number>;
  echo(buffer: ArrayBuffer): Promise<number>;
  hang(): Promise<never>;
  crash(): Promise<void>;
  fail(): Promise<void>;
  failPlain(): Promise<void>;
}

type Outcome = { ok: unknown } | { code: string; recoverable: boolean; details: unknown; isEkycError: boolean };

const host = new WorkerHost<TestApi>({
  name: 'host-test',
  create: () => new Worker(new URL('./host-test.worker.ts', import.meta.url), { type: 'module' }),
  config: { assetBaseUrl: '/ekyc/' },
  timeoutMs: 1_000,
});

async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: await call() };
  } catch (error) {
    const e = error as { code: string; recoverable: boolean; details: unknown; name: string };
    return { code: e.code, recoverable: e.recoverable, details: e.details, isEkycError: e.name === 'EkycError' };
  }
}

const api = {
  init: () => outcome(() => host.ready()),
  echoTransferred: async () => {
    const buffer = new ArrayBuffer(1024);
    const result = await outcome(() => host.call('echo', transfer(buffer, [buffer])));
    return { result, detachedAfterTransfer: buffer.byteLength === 0 };
  },
  hang: () => outcome(() => host.call('hang')),
  crash: () => outcome(() => host.call('crash')),
  fail: () => outcome(() => host.call('fail')),
  failPlain: () => outcome(() => host.call('failPlain')),
  restarts: () => host.restartCount,
};

declare global {
  interface Window {
    hostTest: typeof api;
  }
}
window.hostTest = api;
document.body.dataset['ready'] = 'true';
