/** One genuine session, end to end over the API: issue, bind a key, seal real content, upload, await the decision. */
import { createSessionSigner } from '@ekyc/core';
import type { FastifyInstance } from 'fastify';
import type { ServerFaceEngine } from '../face/engine.ts';
import { awaitDecision, bindKey, createSession, uploadWhole } from './client.ts';
import { buildSealedBundle, type IssuedSession } from './fixtures.ts';
import { realSessionContent, type RealSessionOptions } from './session-bundle.ts';

export interface Decided { outcome: string; score: number; reasonCodes: string[] }

export async function submitRealSession(
  app: FastifyInstance, apiKey: string, engine: ServerFaceEngine,
  content: Omit<RealSessionOptions, 'nonce' | 'startedAt' | 'engine'> = {},
): Promise<{ session: IssuedSession; decision: Decided }> {
  const session = await createSession(app, apiKey);
  const signer = await createSessionSigner();
  await bindKey(app, session, signer);
  const startedAt = new Date();
  const real = await realSessionContent({ nonce: session.nonce, startedAt, engine, ...content });
  const { sealed, key } = await buildSealedBundle({ session, signer, startedAt, ...real });
  const answer = await uploadWhole(app, session.sessionId, session.clientToken, sealed, key);
  if (answer.status !== 201) throw new Error(`evidence upload answered ${answer.status}`);
  const status = await awaitDecision(app, session.sessionId, apiKey);
  return { session, decision: status.decision as Decided };
}
