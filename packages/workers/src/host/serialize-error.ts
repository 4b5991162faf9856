import { EkycError, isSerializedEkycError, type SerializedEkycError } from '@ekyc/core';

/**
 * Errors cross the worker boundary as plain `SerializedEkycError` objects: structured clone
 * drops class identity, and comlink forwards a thrown non-Error value as it is.
 */
export function toSerializedError(error: unknown, fallbackMessage: string): SerializedEkycError {
  if (error instanceof EkycError) return error.toJSON();
  if (isSerializedEkycError(error)) return error;
  const name = error instanceof Error ? error.name : typeof error;
  // The original message may hold data from the input; keep only its type for the integrator.
  return new EkycError('inference_failed', fallbackMessage, { details: { cause: name } }).toJSON();
}

export function fromSerializedError(value: unknown): EkycError | undefined {
  return isSerializedEkycError(value) ? EkycError.fromJSON(value) : undefined;
}
