import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChunkAssembler, EkycError, UPLOAD_HEADERS, evidenceAck, evidenceErrorAnswer, evidencePartial, readUploadRequest, sealedEvidenceId, type EkycErrorCode,
} from '@ekyc/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpSink, type HttpSinkOptions } from './http-sink.ts';
import type { SealedEvidence } from './sink.ts';

/** What the fake endpoint does with the next request; `accept` follows the upload protocol. */
type Behaviour =
  | 'accept' | 'fail503' | 'throttle429' | 'reject400' | 'reject413' | 'dropConnection' | 'forgetChunks'
  // Answers that are not the verifier's acknowledgement: none of them may count as delivered.
  | 'redirectToPortal' | 'accepted202' | 'ackForAnotherKey' | 'plain200';

interface Recorded {
  idempotencyKey: string | undefined;
  chunk: string | undefined;
  contentType: string | undefined;
  bytes: number;
}

class EndpointUnderTest {
  readonly server: Server;
  readonly requests: Recorded[] = [];
  readonly delivered = new Map<string, Uint8Array>();
  script: Behaviour[] = [];
  portalVisits = 0;
  #assembler = new ChunkAssembler({ maxTotalBytes: 1 << 24 });

  constructor() {
    this.server = createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/evidence`;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const body = new Uint8Array(Buffer.concat(parts));
    const header = (name: string): string | undefined => req.headers[name.toLowerCase()] as string | undefined;
    this.requests.push({ idempotencyKey: header(UPLOAD_HEADERS.idempotencyKey), chunk: header(UPLOAD_HEADERS.chunk), contentType: header('content-type'), bytes: body.byteLength });
    if (req.url === '/portal') {
      this.portalVisits += 1;
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>Welcome to the hotel Wi-Fi</html>');
      return;
    }
    const behaviour = this.script.shift() ?? 'accept';
    const json = (status: number, value: unknown, extra: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...extra }).end(JSON.stringify(value));
    };
    const key = header('Idempotency-Key') ?? '';
    switch (behaviour) {
      case 'fail503': return json(503, { error: 'unavailable' });
      case 'throttle429': return json(429, { error: 'slow down' }, { 'Retry-After': '2' });
      case 'reject400': return json(400, evidenceErrorAnswer('evidence_nonce_mismatch'));
      case 'reject413': return json(413, { error: 'too large' });
      case 'dropConnection': req.socket.destroy(); return;
      case 'forgetChunks': this.#assembler = new ChunkAssembler({ maxTotalBytes: 1 << 24 }); break;
      case 'redirectToPortal': res.writeHead(302, { Location: '/portal' }).end(); return;
      case 'accepted202': return json(202, { status: 'accepted' });
      case 'ackForAnotherKey': return json(201, evidenceAck('0'.repeat(64)));
      case 'plain200': return json(200, { status: 'complete' });
      case 'accept': break;
    }
    if (this.delivered.has(key)) return json(200, evidenceAck(key));
    try {
      const request = readUploadRequest(header);
      if (request.kind === 'whole') {
        if ((await sealedEvidenceId(body)) !== key) return json(400, evidenceErrorAnswer('evidence_hash_mismatch'));
        this.delivered.set(key, body);
        return json(201, evidenceAck(key));
      }
      const result = await this.#assembler.accept({ ...request, bytes: body });
      if (result.status === 'partial') return json(202, evidencePartial(key, result.missing));
      this.delivered.set(key, result.sealed);
      return json(201, evidenceAck(key));
    } catch (error) {
      return json(400, evidenceErrorAnswer((error as EkycError).code));
    }
  }
}

function bytes(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (index * 31 + seed * 7) & 0xff);
}

async function evidence(length: number, seed = 1): Promise<SealedEvidence> {
  const data = bytes(length, seed);
  return { id: await sealedEvidenceId(data), bytes: data, createdAt: new Date().toISOString() };
}

async function codeOf(promise: Promise<unknown>): Promise<EkycErrorCode> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EkycError);
  return (error as EkycError).code;
}

describe('HttpSink against a real local HTTP server', () => {
  let endpoint: EndpointUnderTest;
  let url: string;
  let delays: number[];
  const sink = (options: Partial<HttpSinkOptions> = {}): HttpSink => new HttpSink({
    endpoint: url,
    retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
    random: () => 1,
    sleep: async (ms) => { delays.push(ms); },
    ...options,
  });

  beforeEach(async () => {
    endpoint = new EndpointUnderTest();
    url = await endpoint.start();
    delays = [];
  });
  afterEach(async () => {
    await new Promise((resolve) => endpoint.server.close(resolve));
  });

  it('sends a small bundle in one request with its idempotency key', async () => {
    const item = await evidence(5_000);
    const receipt = await sink().send(item);
    expect(receipt).toMatchObject({ id: item.id, status: 201, attempts: 1, ack: { type: 'ekyc.evidence.ack', idempotencyKey: item.id } });
    expect(endpoint.requests).toEqual([{ idempotencyKey: item.id, chunk: undefined, contentType: 'application/jose', bytes: 5_000 }]);
    expect(endpoint.delivered.get(item.id)).toEqual(item.bytes);
  });

  it('retries 5xx and dropped connections with growing backoff, then succeeds', async () => {
    endpoint.script = ['fail503', 'dropConnection', 'fail503'];
    const item = await evidence(2_000);
    const receipt = await sink().send(item);
    expect(receipt.attempts).toBe(4);
    expect(delays).toEqual([100, 200, 400]);
    expect(new Set(endpoint.requests.map((request) => request.idempotencyKey))).toEqual(new Set([item.id]));
    expect(endpoint.delivered.get(item.id)).toEqual(item.bytes);
  });

  it('honours Retry-After on 429 up to the backoff ceiling', async () => {
    endpoint.script = ['throttle429'];
    await sink().send(await evidence(100));
    expect(delays).toEqual([1_000]);
  });

  it('gives up with transport_failed after the last attempt', async () => {
    endpoint.script = ['fail503', 'fail503', 'fail503', 'fail503'];
    expect(await codeOf(sink().send(await evidence(100)))).toBe('transport_failed');
    expect(endpoint.requests).toHaveLength(4);
  });

  it('does not retry a 4xx refusal', async () => {
    endpoint.script = ['reject400'];
    expect(await codeOf(sink().send(await evidence(100)))).toBe('transport_rejected');
    endpoint.script = ['reject413'];
    expect(await codeOf(sink().send(await evidence(100, 2)))).toBe('evidence_too_large');
    expect(endpoint.requests).toHaveLength(2);
    expect(delays).toEqual([]);
  });

  it('refuses to send above its size limit without touching the network', async () => {
    expect(await codeOf(sink({ maxBytes: 1_000 }).send(await evidence(1_001)))).toBe('evidence_too_large');
    expect(endpoint.requests).toHaveLength(0);
  });

  it('chunks a large bundle; the endpoint reassembles the exact bytes', async () => {
    const item = await evidence(10_500, 3);
    const receipt = await sink({ chunkBytes: 4_096 }).send(item);
    expect(receipt.status).toBe(201);
    expect(endpoint.requests.map((request) => [request.chunk, request.bytes, request.contentType])).toEqual([
      ['0/3', 4_096, 'application/octet-stream'],
      ['1/3', 4_096, 'application/octet-stream'],
      ['2/3', 2_308, 'application/octet-stream'],
    ]);
    expect(endpoint.delivered.get(item.id)).toEqual(item.bytes);
  });

  it('retries a failed chunk alone and resends chunks the endpoint lost', async () => {
    const item = await evidence(10_000, 4);
    endpoint.script = ['accept', 'fail503', 'accept', 'forgetChunks'];
    const receipt = await sink({ chunkBytes: 4_000 }).send(item);
    expect(receipt.status).toBe(201);
    expect(endpoint.requests.map((request) => request.chunk)).toEqual(['0/3', '1/3', '1/3', '2/3', '0/3', '1/3']);
    expect(endpoint.delivered.get(item.id)).toEqual(item.bytes);
  });

  it('a repeated send of delivered evidence is harmless (idempotent)', async () => {
    const item = await evidence(500, 5);
    await sink().send(item);
    const again = await sink().send(item);
    expect(again.ack?.idempotencyKey).toBe(item.id);
    expect(endpoint.delivered.size).toBe(1);
  });

  // Found by attack: fetch followed the redirect and the portal's 200 counted as delivered.
  it('a redirect (captive portal) is never followed and never counts as delivered', async () => {
    endpoint.script = ['redirectToPortal', 'redirectToPortal', 'redirectToPortal', 'redirectToPortal'];
    const item = await evidence(100);
    const code = await codeOf(sink().send(item));
    expect(code).toMatch(/^transport_(failed|not_acknowledged)$/);
    expect(endpoint.portalVisits).toBe(0);
    expect(endpoint.delivered.size).toBe(0);
    expect(endpoint.requests).toHaveLength(4);
  });

  it('a redirect followed by a real acknowledgement delivers on the retry', async () => {
    endpoint.script = ['redirectToPortal'];
    const item = await evidence(100);
    const receipt = await sink().send(item);
    expect(receipt.ack?.idempotencyKey).toBe(item.id);
    expect(endpoint.portalVisits).toBe(0);
  });

  it('a 202, a 200 without an acknowledgement or an acknowledgement of another key is not delivery', async () => {
    for (const behaviour of ['accepted202', 'plain200', 'ackForAnotherKey'] as const) {
      endpoint.script = [behaviour, behaviour, behaviour, behaviour];
      expect(await codeOf(sink().send(await evidence(100)))).toBe('transport_not_acknowledged');
    }
    expect(endpoint.delivered.size).toBe(0);
    // Once the endpoint answers properly, the same bytes go through.
    endpoint.script = ['plain200'];
    const item = await evidence(100);
    expect((await sink().send(item)).ack?.idempotencyKey).toBe(item.id);
  });

  it('a chunked upload is delivered only on the acknowledgement, not on a 202 for its last chunk', async () => {
    const item = await evidence(10_000, 6);
    endpoint.script = ['accept', 'accept', 'accepted202', 'accepted202', 'accepted202', 'accepted202'];
    expect(await codeOf(sink({ chunkBytes: 4_000 }).send(item))).toBe('transport_not_acknowledged');
    expect(endpoint.delivered.size).toBe(0);
  });

  it('a refusal carries the endpoint\'s error code, never its message', async () => {
    endpoint.script = ['reject400'];
    const error: unknown = await sink().send(await evidence(100)).catch((e: unknown) => e);
    expect((error as EkycError).code).toBe('transport_rejected');
    expect((error as EkycError).details).toMatchObject({ status: 400, code: 'evidence_nonce_mismatch' });
  });

  it('reports an unreachable endpoint as transport_failed', async () => {
    await new Promise((resolve) => endpoint.server.close(resolve));
    endpoint = new EndpointUnderTest();
    expect(await codeOf(sink({ retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).send(await evidence(100)))).toBe('transport_failed');
    await endpoint.start();
  });
});
