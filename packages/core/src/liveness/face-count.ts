/**
 * Counting faces for liveness with a detector that misses small faces on a whole frame: it also
 * looks at overlapping tiles, and the detections are merged into a count of distinct faces.
 * BlazeFace short range sees the whole frame at 128x128, so a second face 60 px wide in a 640x480
 * frame reaches it at 12 px and was missed on every counting frame of one clip in 8; in a tile of
 * 0.6 of the frame it is 20 px (docs/liveness.md).
 */
import type { Box } from '../face/geometry.ts';
import type { FaceRoi } from './mesh.ts';

/** Side of each counting tile as a fraction of the frame's side: 2x2 tiles overlapping by 0.2. */
export const COUNT_TILE_FRACTION = 0.6;

/** The four counting tiles of a frame, in frame pixels (corners first row, then second). */
export function countTiles(width: number, height: number, fraction = COUNT_TILE_FRACTION): Box[] {
  const w = Math.round(width * fraction);
  const h = Math.round(height * fraction);
  return [0, height - h].flatMap((y) => [0, width - w].map((x) => ({ x, y, width: w, height: h })));
}

const centre = (b: Box): { x: number; y: number } => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
const contains = (b: Box, p: { x: number; y: number }): boolean => p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height;

/**
 * Distinct faces: every whole-frame detection; the tracked face when no whole-frame detection lies
 * in its region (the detector can miss the face the mesh is tracking); then each tile detection whose
 * centre lies outside every face already counted (a tile edge that cuts a face can make part of it
 * look like a face, and neighbouring tiles see the same face twice).
 */
export function countDistinctFaces(whole: readonly Box[], tiles: readonly Box[], tracked: Box | null): number {
  const seen: Box[] = tracked ? [...whole, tracked] : [...whole];
  let count = whole.length + (tracked && !whole.some((b) => contains(tracked, centre(b))) ? 1 : 0);
  for (const box of tiles) {
    if (seen.some((b) => contains(b, centre(box)))) continue;
    seen.push(box);
    count++;
  }
  return count;
}

/** The axis-aligned box that holds a tracked crop (its square turned by its angle). */
export function roiBounds(roi: FaceRoi): Box {
  const half = (roi.size / 2) * (Math.abs(Math.cos(roi.angle)) + Math.abs(Math.sin(roi.angle)));
  return { x: roi.cx - half, y: roi.cy - half, width: 2 * half, height: 2 * half };
}
