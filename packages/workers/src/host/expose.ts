import { expose } from 'comlink';
import { toSerializedError } from './serialize-error.ts';

/**
 * Exposes a pipeline's API from inside a worker. Each method's failures reach the host as
 * coded errors; nothing else about the worker's internals crosses the boundary.
 */
export function exposePipeline<Api extends object>(api: Api): void {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(api)) {
    if (typeof member !== 'function') continue;
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (member as (...a: unknown[]) => unknown).apply(api, args);
      } catch (error) {
        // Thrown as a plain object on purpose: comlink forwards it intact (see serialize-error.ts).
        throw toSerializedError(error, `Worker call "${name}" failed`);
      }
    };
  }
  expose(wrapped);
}
