/** What the browser SDK does against the API, over Fastify's inject (no sockets) or fetch. */
import { planChunks, formatChunkHeader, type SessionSigner } from '@ekyc/core';
import type { FastifyInstance } from 'fastify';
import type { IssuedSession } from './fixtures.ts';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export async function createSession(app: FastifyInstance, apiKey: string, body: Record<string, unknown> = {}): Promise<IssuedSession> {
  const response = await app.inject({ method: 'POST', url: '/sessions', headers: { authorization: `Bearer ${apiKey}` }, payload: body });
  if (response.statusCode !== 201) throw new Error(`POST /sessions answered ${response.statusCode} ${response.body}`);
  const json = response.json() as IssuedSession & { verifierKey: IssuedSession['verifierKey'] };
  return json;
}

export async function bindKey(app: FastifyInstance, session: IssuedSession, signer: SessionSigner): Promise<Answer> {
  const response = await app.inject({
    method: 'POST', url: `/sessions/${session.sessionId}/key`,
    headers: { authorization: `Bearer ${session.clientToken}` },
    payload: { publicKeyJwk: signer.publicKeyJwk },
  });
  return { status: response.statusCode, body: response.json() };
}

export async function uploadWhole(app: FastifyInstance, sessionId: string, token: string, sealed: Uint8Array, key: string): Promise<Answer> {
  const response = await app.inject({
    method: 'POST', url: `/sessions/${sessionId}/evidence`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/jose', 'idempotency-key': key },
    payload: Buffer.from(sealed),
  });
  return { status: response.statusCode, body: response.json() };
}

export async function uploadChunk(app: FastifyInstance, sessionId: string, token: string, sealed: Uint8Array, key: string, chunkBytes: number, index: number): Promise<Answer> {
  const spans = planChunks(sealed.byteLength, chunkBytes);
  const span = spans[index]!;
  const response = await app.inject({
    method: 'POST', url: `/sessions/${sessionId}/evidence`,
    headers: {
      authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'idempotency-key': key,
      'evidence-chunk': formatChunkHeader(index, spans.length), 'evidence-total-bytes': String(sealed.byteLength),
    },
    payload: Buffer.from(sealed.subarray(span.start, span.end)),
  });
  return { status: response.statusCode, body: response.json() };
}

export async function getStatus(app: FastifyInstance, sessionId: string, bearer: string): Promise<Answer> {
  const response = await app.inject({ method: 'GET', url: `/sessions/${sessionId}`, headers: { authorization: `Bearer ${bearer}` } });
  return { status: response.statusCode, body: response.json() };
}

/** The session's status once the re-scoring job has decided it; bounded in polls, not time (the worker polls every 0.5 s). */
export async function awaitDecision(app: FastifyInstance, sessionId: string, apiKey: string, polls = 120): Promise<Record<string, unknown>> {
  for (let poll = 0; poll < polls; poll += 1) {
    const status = await getStatus(app, sessionId, apiKey);
    if (status.body.status === 'decided') return status.body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`session not decided after ${polls} polls`);
}
