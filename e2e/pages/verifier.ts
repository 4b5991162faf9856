import {
  EventChain, buildEvidence, createMrz, createSessionSigner, liveness, sealEvidence, sealedEvidenceId, type ArtifactInput,
} from '@ekyc/core';
import { HttpSink } from '@ekyc/flow';
import type { JWK } from 'jose';
import { perform } from '../../packages/core/src/liveness/testing.ts';

/**
 * What an integrator's page does with the reference verifier, in Chromium: bind a fresh session
 * key, record a session (a real selfie, the device's MRZ reading, a liveness transcript driven
 * by the session nonce), sign and seal it, and upload it with HttpSink. The session itself is
 * created by the test in Node: the integrator API key never reaches the browser.
 */
export interface IssuedSession {
  sessionId: string;
  nonce: string;
  verifierKey: JWK;
  clientToken: string;
  config: { livenessChallengeCount: number };
}

const selfieUrl = '/node_modules/@vladmandic/human/assets/screenshot-faceid.jpg';

const verifierTest = {
  async run(base: string, session: IssuedSession, options: { chunkBytes?: number } = {}) {
    const auth = { authorization: `Bearer ${session.clientToken}` };
    const signer = await createSessionSigner();
    const bound = await fetch(`${base}/sessions/${session.sessionId}/key`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ publicKeyJwk: signer.publicKeyJwk }),
    });
    if (bound.status !== 201) throw new Error(`key binding answered ${bound.status}`);

    const startedAt = new Date();
    let tick = 0;
    const at = (): Date => new Date(startedAt.getTime() + 50 * ++tick);
    const events = new EventChain(session.sessionId, session.nonce, at);
    await events.append('session.started', { backend: 'wasm' });
    const consentAt = at().toISOString();
    const selfie = new Uint8Array(await (await fetch(selfieUrl)).arrayBuffer());
    const bitmap = await createImageBitmap(new Blob([selfie], { type: 'image/jpeg' }));
    const engine = await liveness.LivenessEngine.fromNonce(session.nonce, liveness.livenessConfig({ challengeCount: session.config.livenessChallengeCount }));
    perform(engine, { seed: 3 });
    for (const keyframe of engine.transcript().keyframes) engine.attachKeyframe(keyframe.t, { sha256: await sealedEvidenceId(selfie) });
    const transcript = engine.transcript();
    const documentRead = {
      type: 'ekyc.document.read',
      mrzLines: createMrz('TD3', {
        documentCode: 'P', issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3',
        nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2034-04-15', optionalData: 'ZE184226B',
      }),
    };
    const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
    const artifacts: ArtifactInput[] = [
      { id: 'portrait-0', kind: 'portrait', mediaType: 'image/jpeg', data: selfie, width: bitmap.width, height: bitmap.height, capturedAt: at().toISOString() },
      { id: 'keyframe-0', kind: 'liveness_keyframe', mediaType: 'image/jpeg', data: selfie, width: bitmap.width, height: bitmap.height, capturedAt: at().toISOString() },
      { id: 'document-read', kind: 'other', mediaType: 'application/json', data: json(documentRead), capturedAt: at().toISOString() },
      { id: 'liveness-transcript', kind: 'other', mediaType: 'application/json', data: json(transcript), capturedAt: at().toISOString() },
    ];
    for (const artifact of artifacts) await events.append('artifact.captured', { artifactId: artifact.id, kind: artifact.kind });
    const issuedAt = at().toISOString();
    const completedAt = at().toISOString();
    const bundle = await buildEvidence({
      sdkVersion: '0.1.0',
      session: { id: session.sessionId, nonce: session.nonce, startedAt: startedAt.toISOString(), completedAt: at().toISOString() },
      consent: { textId: 'kyc-consent', textVersion: '2026-01', textSha256: 'a'.repeat(64), locale: 'en-GB', scopes: ['identity_verification'], grantedAt: consentAt },
      environment: {
        userAgent: navigator.userAgent.slice(0, 256), language: navigator.language, platform: 'test',
        runtime: { requested: 'auto', chosen: 'wasm', reason: 'e2e', wasmThreads: 1 }, camera: null,
        capabilities: { webgpu: false, wasmSimd: true, wasmThreads: false, crossOriginIsolated: globalThis.crossOriginIsolated, offscreenCanvas: true, hardwareConcurrency: navigator.hardwareConcurrency, deviceMemoryGb: null },
      },
      artifacts,
      checks: [{ id: 'mrz', kind: 'mrz.check_digits', status: 'pass', score: 1, threshold: 1, errorCode: null, artifactIds: ['document-read'], details: { format: 'TD3' } }],
      liveness: {
        challengeSeed: 'nonce',
        challenges: transcript.sequence.order.map((kind, order) => ({ order, kind, status: 'passed' as const, issuedAt, completedAt, frames: 30, signals: {}, keyframeArtifactIds: ['keyframe-0'] })),
        passiveScore: null,
      },
      models: [], timings: [], events,
    }, signer);
    const sealed = await sealEvidence(bundle, session.verifierKey);
    const id = await sealedEvidenceId(sealed);
    const sink = new HttpSink({ endpoint: `${base}/sessions/${session.sessionId}/evidence`, headers: auth, chunkBytes: options.chunkBytes ?? 1024 * 1024, retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } });
    const receipt = await sink.send({ id, bytes: sealed, createdAt: new Date().toISOString() });
    return { id, status: receipt.status, body: receipt.body, sealedBytes: sealed.byteLength };
  },
};

declare global {
  interface Window { verifierTest: typeof verifierTest }
}
window.verifierTest = verifierTest;
document.body.dataset.ready = 'true';
