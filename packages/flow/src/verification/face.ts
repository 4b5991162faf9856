/** Face match between the document portrait and the selfie, on the face worker; the decision is core's. */
import { EkycError, face as coreFace, type RgbaImage } from '@ekyc/core';
import type { FlowWorkers } from './workers.ts';
import { copyImage } from './images.ts';

type FaceWorker = Pick<FlowWorkers['face'], 'embedAll'>;

/** The embedding of the most confident face in the image (the worker gets a copy: buffers are transferred). */
export async function embedMainFace(face: FaceWorker, image: RgbaImage): Promise<{ embedding: Float32Array; faces: number } | null> {
  const found = await face.embedAll(copyImage(image));
  if (found.length === 0) return null;
  const main = found.reduce((a, b) => (b.face.score > a.face.score ? b : a));
  return { embedding: main.embedding, faces: found.length };
}

/** A selfie must show exactly one face: `face_not_found` or `face_multiple` otherwise (recoverable: take another). */
export async function selfieEmbedding(face: FaceWorker, selfie: RgbaImage): Promise<Float32Array> {
  const main = await embedMainFace(face, selfie);
  if (main === null) throw new EkycError('face_not_found', 'No face was found on the selfie.');
  if (main.faces > 1) throw new EkycError('face_multiple', 'More than one face is on the selfie.', { details: { faces: main.faces } });
  return main.embedding;
}

/** Device-side bands: approve at the session's `faceMatch`, review down to 0.15 below it (the verifier's own rule). */
export function matchThresholds(faceMatch: number, override?: coreFace.MatchThresholds): coreFace.MatchThresholds {
  return override ?? { approve: faceMatch, review: Math.max(-1, faceMatch - 0.15) };
}
