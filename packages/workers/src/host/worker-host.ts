import { wrap, transfer, releaseProxy, type Remote } from 'comlink';
import { EkycError } from '@ekyc/core';
import { listenForAssetProgress, type LoadHooks } from '../assets/asset-progress.ts';
import { fromSerializedError } from './serialize-error.ts';
import type { PipelineConfig } from './types.ts';

export { transfer };

export interface WorkerHostOptions extends LoadHooks {
  /** Used in error details and logs, e.g. `face`. */
  name: string;
  /** Spawns the worker; called lazily on first use and again after a crash or timeout. */
  create: () => Worker;
  config: PipelineConfig;
  /** Per-call limit; a call over it terminates the worker (it may be stuck in WASM). Default 30 s. */
  timeoutMs?: number;
  /** Limit for `init`, which fetches, verifies and compiles models. Default 120 s. */
  initTimeoutMs?: number;
}

type AsyncMethod = (...args: never[]) => Promise<unknown>;
type MethodNames<Api> = { [K in keyof Api]: Api[K] extends AsyncMethod ? K : never }[keyof Api] & string;
type Args<F> = F extends (...args: infer A) => unknown ? A : never;
type Result<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;

interface Live<Api> {
  worker: Worker;
  remote: Remote<Api>;
  ready: Promise<unknown>;
  /** Rejects every call in flight when the worker dies. */
  died: Promise<never>;
  kill: (error: EkycError) => void;
}

/**
 * Owns one worker of one pipeline: spawns it lazily, initialises it, turns failures into coded
 * errors, enforces timeouts and restarts it after a crash. Calls read like local async calls.
 */
export class WorkerHost<Api extends { init(config: PipelineConfig): Promise<unknown> }> {
  private live: Live<Api> | undefined;
  private restarts = 0;

  constructor(private readonly options: WorkerHostOptions) {}

  /** How many times the worker was respawned after dying. */
  get restartCount(): number {
    return this.restarts;
  }

  /** Resolves with what the pipeline's `init` returned (e.g. its runtime report), spawning it if needed. */
  ready(): Promise<unknown> {
    return this.spawn().ready;
  }

  async call<K extends MethodNames<Api>>(method: K, ...args: Args<Api[K]>): Promise<Result<Api[K]>> {
    const live = this.spawn();
    await live.ready;
    const remoteMethod = (live.remote as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
    if (!remoteMethod) throw new EkycError('invalid_argument', `Pipeline "${this.options.name}" has no method "${method}"`);
    return (await this.guard(live, remoteMethod(...args), this.options.timeoutMs ?? 30_000, method)) as Result<Api[K]>;
  }

  terminate(): void {
    this.live?.kill(new EkycError('worker_terminated', `Worker "${this.options.name}" was terminated`, { details: { worker: this.options.name } }));
  }

  private spawn(): Live<Api> {
    if (this.live) return this.live;
    const { name, create, config } = this.options;
    const worker = create();
    if (this.options.onAssetProgress) listenForAssetProgress(worker, this.options.onAssetProgress);
    const remote = wrap<Api>(worker);
    let kill!: (error: EkycError) => void;
    const died = new Promise<never>((_, reject) => {
      kill = (error) => {
        if (this.live?.worker !== worker) return;
        this.live = undefined;
        remote[releaseProxy]();
        worker.terminate();
        reject(error);
      };
    });
    died.catch(() => undefined);
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.restarts++;
      kill(new EkycError('worker_crashed', `Worker "${name}" crashed`, { details: { worker: name } }));
    });
    worker.addEventListener('messageerror', () => {
      kill(new EkycError('worker_crashed', `Worker "${name}" received a message it could not read`, { details: { worker: name } }));
    });
    const live: Live<Api> = { worker, remote, died, kill, ready: Promise.resolve() };
    this.live = live;
    live.ready = this.guard(live, (remote.init as unknown as (c: PipelineConfig) => Promise<unknown>)(config), this.options.initTimeoutMs ?? 120_000, 'init');
    live.ready.catch(() => {
      // A worker whose init failed is useless; the next call starts a fresh one.
      live.kill(new EkycError('worker_terminated', `Worker "${name}" failed to initialise`, { details: { worker: name } }));
    });
    return live;
  }

  private guard<T>(live: Live<Api>, call: Promise<T>, timeoutMs: number, method: string): Promise<T> {
    const { name } = this.options;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new EkycError('worker_timeout', `Worker "${name}" call "${method}" took over ${timeoutMs} ms`, {
          details: { worker: name, method, timeoutMs },
        });
        live.kill(error);
        reject(error);
      }, timeoutMs);
    });
    const rehydrated = call.catch((error: unknown) => {
      throw fromSerializedError(error) ?? new EkycError('worker_crashed', `Worker "${name}" call "${method}" failed`, { cause: error, details: { worker: name, method } });
    });
    return Promise.race([rehydrated, timeout, live.died]).finally(() => clearTimeout(timer));
  }
}
