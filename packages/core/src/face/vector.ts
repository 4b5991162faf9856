import { EkycError } from '../errors.ts';

/** Euclidean norm computed in double precision. */
export function l2Norm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  return Math.sqrt(sum);
}

/** A unit-length copy. Throws `inference_failed` for a zero or non-finite vector (a broken model output). */
export function l2Normalize(vector: ArrayLike<number>): Float32Array {
  const norm = l2Norm(vector);
  if (!(norm > 0) || !Number.isFinite(norm)) {
    throw new EkycError('inference_failed', 'The embedding is zero or not finite', { details: { length: vector.length } });
  }
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm;
  return out;
}

/** Cosine similarity in [-1, 1]; inputs need not be normalized. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) {
    throw new EkycError('invalid_argument', 'Embeddings differ in length', { details: { a: a.length, b: b.length } });
  }
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  const norms = l2Norm(a) * l2Norm(b);
  if (!(norms > 0) || !Number.isFinite(norms)) {
    throw new EkycError('invalid_argument', 'An embedding is zero or not finite');
  }
  return Math.max(-1, Math.min(1, dot / norms));
}

export function softmax(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) { out[i] = Math.exp(logits[i]! - max); sum += out[i]!; }
  for (let i = 0; i < logits.length; i++) out[i] = out[i]! / sum;
  return out;
}
