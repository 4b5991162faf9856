import { buildEvidence, createSessionSigner, sealEvidence, type EvidenceInput } from '@ekyc/core';
import { createSampleEvidenceInput } from '@ekyc/testkit/evidence';
import { EvidenceDelivery, EvidenceOutbox, HttpSink } from '@ekyc/flow';
import type { JWK } from 'jose';

/** Test page for the evidence bundle: Playwright drives `window.evidenceTest`. */

const UPLOAD_PATH = '/e2e-evidence-upload'; // e2e/evidence.spec.ts routes this path

export interface SealResult {
  sealedBase64: string;
  id: string;
  delivered: boolean;
  errorCode: string | null;
  timings: { buildMs: number; sealMs: number };
  sealedBytes: number;
}

function delivery(outbox: EvidenceOutbox): EvidenceDelivery {
  return new EvidenceDelivery({ outbox, sink: new HttpSink({ endpoint: UPLOAD_PATH, retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } }) });
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

const evidenceTest = {
  /** Builds, signs and seals a realistic session in this browser, then submits it through the outbox. */
  async sealAndSubmit(verifierJwk: JWK, sessionId: string, nonce: string, artifactBytes: number[]): Promise<SealResult> {
    const input: EvidenceInput = await createSampleEvidenceInput({ sessionId, nonce, startedAt: new Date(Date.now() - 60_000), artifactBytes });
    const t0 = performance.now();
    const bundle = await buildEvidence(input, await createSessionSigner());
    const t1 = performance.now();
    const sealed = await sealEvidence(bundle, verifierJwk);
    const t2 = performance.now();
    const outbox = await EvidenceOutbox.open();
    const result = await delivery(outbox).submit(sealed);
    outbox.close();
    return {
      sealedBase64: toBase64(sealed),
      id: result.id,
      delivered: result.delivered,
      errorCode: result.delivered ? null : result.error.code,
      timings: { buildMs: t1 - t0, sealMs: t2 - t1 },
      sealedBytes: sealed.byteLength,
    };
  },

  async pending(): Promise<Array<{ id: string; attempts: number; lastError: string | null; bytes: number }>> {
    const outbox = await EvidenceOutbox.open();
    const entries = await outbox.list('pending');
    outbox.close();
    return entries.map((entry) => ({ id: entry.id, attempts: entry.attempts, lastError: entry.lastError?.code ?? null, bytes: entry.byteLength }));
  },

  async flush(): Promise<{ delivered: string[]; pending: string[]; rejected: string[]; expired: string[] }> {
    const outbox = await EvidenceOutbox.open();
    const report = await delivery(outbox).flush();
    outbox.close();
    return report;
  },

};

declare global {
  interface Window {
    evidenceTest: typeof evidenceTest;
  }
}

window.evidenceTest = evidenceTest;
document.body.dataset.ready = 'true';
