/**
 * The OpenAPI document, generated from the routes' zod schemas without a database: the app is
 * built with a context that is never called. `npm run openapi -w @ekyc/verifier` writes it to
 * docs/verifier.openapi.json; a test fails when that file is stale.
 */
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { DEFAULT_SESSION_CONFIG } from '../session-config.ts';
import { buildApp } from './app.ts';
import type { ApiContext } from './context.ts';

export const OPENAPI_PATH = fileURLToPath(new URL('../../../../docs/verifier.openapi.json', import.meta.url));

const unused = (): never => {
  throw new Error('not available while generating the OpenAPI document');
};

export async function generateOpenApi(): Promise<string> {
  const context = {
    store: new Proxy({}, { get: unused }), intake: new Proxy({}, { get: unused }), tokens: new Proxy({}, { get: unused }),
    apiKey: 'unused', verifierPublicJwk: {}, sessionDefaults: DEFAULT_SESSION_CONFIG, maxSealedBytes: 1, bodyLimit: 1,
    logger: pino({ level: 'silent' }), now: () => new Date(0), ready: unused, attempts: new Proxy({}, { get: unused }),
  } as unknown as ApiContext;
  const app = await buildApp(context);
  try {
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}
