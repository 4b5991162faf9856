// Cuts one file out of a packed asset bundle: bytes [start, end) of the source.
//
// params: { start: number, end: number, sha256?: string }
//
// Used for the face-mesh tflite models that @mediapipe/face_mesh ships only inside
// face_mesh_solution_packed_assets.data (its loader lists each file's byte range). `sha256`, when
// given, is checked on the cut bytes, so a wrong range fails here rather than in a later step.
import { createHash } from 'node:crypto';

export async function derive(bytes, params) {
  const { start, end } = params;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > bytes.length) {
    throw new Error(`byte-range: [${start}, ${end}) is outside the ${bytes.length}-byte source`);
  }
  const out = new Uint8Array(bytes.subarray(start, end));
  if (params.sha256) {
    const actual = createHash('sha256').update(out).digest('hex');
    if (actual !== params.sha256) throw new Error(`byte-range: [${start}, ${end}) has sha256 ${actual}, expected ${params.sha256}`);
  }
  return out;
}
