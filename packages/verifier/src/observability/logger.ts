/**
 * The verifier's structured logger: pino JSON lines with ids, codes, counts and timings only.
 * Call sites log no bodies, headers, names, document numbers, nonces or tokens; as a second line
 * of defence the keys that could carry them are censored wherever they appear (two levels deep),
 * and errors are reduced to name and code (a driver's message can quote a row's values).
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { EkycError } from '@ekyc/core';

/** Keys never logged in clear (pino redact paths, at the top level and one level down). */
const SENSITIVE_KEYS = [
  'authorization', 'cookie', 'headers', 'body', 'payload', 'token', 'clientToken', 'apiKey', 'secret',
  'nonce', 'surname', 'givenNames', 'name', 'documentNumber', 'birthDate', 'dateOfBirth', 'expiryDate',
  'mrz', 'mrzLines', 'viz', 'sealed', 'envelope', 'publicKeyJwk', 'privateJwk', 'd',
] as const;

export const REDACT_PATHS: string[] = SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`]);

/** What an error contributes to a log line: its class and code, never its message or details. */
export function errorFields(error: unknown): { name: string; code?: string } {
  if (error instanceof EkycError) return { name: 'EkycError', code: error.code };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code) ? { name: error.name, code } : { name: error.name };
  }
  const name = (error as { name?: unknown } | null)?.name;
  return { name: typeof name === 'string' ? name.slice(0, 60) : typeof error };
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino({
    level: options.level ?? 'info',
    base: { service: 'ekyc-verifier', pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: errorFields, error: errorFields },
  }, options.destination);
}
