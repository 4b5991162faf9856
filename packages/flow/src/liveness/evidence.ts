import { liveness } from '@ekyc/core';
import type { FaceClient } from '@ekyc/workers';
import type { FaceEmbedder, LivenessOutcome } from './liveness-capture.ts';

/**
 * A `FaceEmbedder` from the face worker: the embedding of the largest face in the frame (the
 * session's face fills the oval; a bystander is smaller), null when none is found.
 */
export function faceEmbedderFrom(client: Pick<FaceClient, 'embedAll'>): FaceEmbedder {
  return async (frame) => {
    const found = await client.embedAll(frame);
    if (found.length === 0) return null;
    return found.reduce((a, b) => (b.face.box.width > a.face.box.width ? b : a)).embedding;
  };
}

/**
 * The outcome as evidence: the manifest's `liveness` member (challenge summaries and the
 * transcript the verifier replays) and one raw-RGBA `liveness_keyframe` artifact per keyframe,
 * whose SHA-256 is the hash the transcript recorded (core `liveness.livenessEvidence`).
 */
export function livenessEvidenceOf(outcome: LivenessOutcome): Promise<liveness.LivenessEvidence> {
  return liveness.livenessEvidence({ nonce: outcome.nonce, transcript: outcome.transcript, keyframes: outcome.keyframes, timeOrigin: outcome.timeOrigin });
}
