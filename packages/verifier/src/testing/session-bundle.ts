/**
 * A complete session as the SDK would record it, with real content the server can re-score:
 * face images, the MRZ lines the device read (and its visual-zone fields), and a liveness
 * transcript produced by core's engine driven by the session nonce with a synthetic performer.
 */
import { createMrz, face as coreFace, liveness, type ArtifactInput, type EvidenceCheck, type EvidenceLiveness } from '@ekyc/core';
import { perform } from '../../../core/src/liveness/testing.ts';
import type { ServerFaceEngine } from '../face/engine.ts';
import { DOCUMENT_READ_TYPE } from '../rescore/document.ts';
import { crop, decodeJpeg, encodeJpeg, portraitFrom, SELFIE_JPEG } from './faces.ts';

export const TEST_DOCUMENT = {
  documentCode: 'P', issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3',
  nationality: 'UTO', birthDate: '1974-08-12', sex: 'F', expiryDate: '2034-04-15', optionalData: 'ZE184226B',
} as const;

export async function livenessTranscript(nonce: string, challengeCount: number): Promise<{ transcript: liveness.LivenessTranscript; kinds: string[] }> {
  const engine = await liveness.LivenessEngine.fromNonce(nonce, liveness.livenessConfig({ challengeCount }));
  perform(engine, { seed: 7 });
  const draft = engine.transcript();
  for (const keyframe of draft.keyframes) engine.attachKeyframe(keyframe.t, { sha256: 'c'.repeat(64) });
  const transcript = engine.transcript();
  return { transcript, kinds: [...transcript.sequence.order] };
}

export interface RealSessionOptions {
  nonce: string;
  startedAt: Date;
  engine: ServerFaceEngine;
  /** JPEG of the document portrait; default: cut from the selfie. */
  portraitJpeg?: Uint8Array;
  document?: Partial<Record<keyof typeof TEST_DOCUMENT, string>> | null;
  viz?: Record<string, string>;
  challengeCount?: number;
}

export async function realSessionContent(options: RealSessionOptions): Promise<{ artifacts: ArtifactInput[]; checks: EvidenceCheck[]; liveness: EvidenceLiveness }> {
  let tick = 0;
  const iso = (): string => new Date(options.startedAt.getTime() + 100 * ++tick).toISOString();
  const selfie = SELFIE_JPEG();
  const selfiePixels = decodeJpeg(selfie);
  const portrait = options.portraitJpeg ?? (await portraitFrom(options.engine, selfie)).jpeg;
  const [face] = await options.engine.detect(selfiePixels);
  const closer = encodeJpeg(crop(selfiePixels, face!.box, 3), 85);
  const artifacts: ArtifactInput[] = [
    { id: 'portrait-0', kind: 'portrait', mediaType: 'image/jpeg', data: portrait, width: null, height: null, capturedAt: iso() },
    { id: 'keyframe-0', kind: 'liveness_keyframe', mediaType: 'image/jpeg', data: selfie, width: selfiePixels.width, height: selfiePixels.height, capturedAt: iso() },
    { id: 'keyframe-1', kind: 'liveness_keyframe', mediaType: 'image/jpeg', data: closer, width: null, height: null, capturedAt: iso() },
  ];
  for (const artifact of artifacts) {
    if (artifact.width === null) {
      const pixels = decodeJpeg(artifact.data);
      Object.assign(artifact, { width: pixels.width, height: pixels.height });
    }
  }
  if (options.document !== null) {
    const values = { ...TEST_DOCUMENT, ...options.document };
    const read = { type: DOCUMENT_READ_TYPE, mrzLines: createMrz('TD3', values), ...(options.viz ? { viz: options.viz } : {}) };
    artifacts.push({ id: 'document-read', kind: 'other', mediaType: 'application/json', data: new TextEncoder().encode(JSON.stringify(read)), width: null, height: null, capturedAt: iso() });
  }
  const challengeCount = options.challengeCount ?? 3;
  const { transcript, kinds } = await livenessTranscript(options.nonce, challengeCount);
  artifacts.push({ id: 'liveness-transcript', kind: 'other', mediaType: 'application/json', data: new TextEncoder().encode(JSON.stringify(transcript)), width: null, height: null, capturedAt: iso() });

  // What an honest client reports: its own face match with the same model.
  const a = await options.engine.embedBestFace(decodeJpeg(portrait), { allowSeveral: true });
  const b = await options.engine.embedBestFace(selfiePixels);
  const similarity = a.status === 'ok' && b.status === 'ok' ? coreFace.cosineSimilarity(a.embedding, b.embedding) : 0;
  const issuedAt = iso();
  const completedAt = iso();
  return {
    artifacts,
    checks: [
      { id: 'mrz', kind: 'mrz.check_digits', status: 'pass', score: 1, threshold: 1, errorCode: null, artifactIds: ['document-read'], details: { format: 'TD3' } },
      { id: 'face-match', kind: 'face.match', status: similarity >= 0.5 ? 'pass' : 'fail', score: similarity, threshold: 0.5, errorCode: null, artifactIds: ['portrait-0', 'keyframe-0'], details: { model: 'fr-feature' } },
    ],
    liveness: {
      challengeSeed: 'nonce',
      challenges: kinds.map((kind, order) => ({ order, kind, status: 'passed' as const, issuedAt, completedAt, frames: 30, signals: {}, keyframeArtifactIds: ['keyframe-0'] })),
      passiveScore: null,
    },
  };
}
