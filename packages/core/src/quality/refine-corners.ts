import { fitLineRobust, intersectLines, quadSideLines, type Line } from './lines.ts';
import type { Point, Quad } from './types.ts';

/** An 8-bit single-channel image. */
export interface GrayImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** An 8-bit image to refine on: gray, or interleaved colour (`channels` >= 3, RGB first) read as luma. */
export type RefineImage = GrayImage & { channels?: number };

export interface RefineOptions {
  /** How far (px) to search on each side of the coarse edge. */
  searchRadius: number;
  /** Edge samples per side. */
  samplesPerSide?: number;
}

/** Whether (x, y) lies in the image, where bilinear sampling reads it. */
function inImage(image: RefineImage, x: number, y: number): boolean {
  return !(x < 0 || y < 0 || x > image.width - 1 || y > image.height - 1);
}

/** Profile and derivative scratch, grown as needed: one allocation for all the samples of all the frames. */
let profile = new Float64Array(64);
let derivative = new Float64Array(64);

/**
 * The strongest intensity step along the normal of one edge sample, to sub-pixel precision
 * (parabola through the peak of the smoothed derivative); `undefined` when the profile leaves the image.
 */
function edgeAlongNormal(image: RefineImage, origin: Point, normal: Point, radius: number): Point | undefined {
  const step = 0.5;
  const count = Math.floor((2 * radius) / step) + 1;
  if (profile.length < count) {
    profile = new Float64Array(count);
    derivative = new Float64Array(count);
  }
  const ox = origin.x;
  const oy = origin.y;
  const nx = normal.x;
  const ny = normal.y;
  // The profile is a straight line: it lies in the image when its two ends do (each coordinate,
  // rounded, moves one way along it).
  const last = -radius + (count - 1) * step;
  if (!inImage(image, ox + nx * -radius, oy + ny * -radius) || !inImage(image, ox + nx * last, oy + ny * last)) return undefined;
  const data = image.data;
  const width = image.width;
  const maxX = width - 1;
  const maxY = image.height - 1;
  const channels = image.channels ?? 1;
  const p = profile;
  // Bilinear samples, colour read as luma, written out in the loop: it is the refinement's whole cost.
  if (channels >= 3) {
    for (let i = 0; i < count; i++) {
      const t = -radius + i * step;
      const x = ox + nx * t;
      const y = oy + ny * t;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const x1 = x0 + 1 < maxX ? x0 + 1 : maxX;
      const y1 = y0 + 1 < maxY ? y0 + 1 : maxY;
      const fx = x - x0;
      const fy = y - y0;
      const a00 = (y0 * width + x0) * channels;
      const a01 = (y0 * width + x1) * channels;
      const a10 = (y1 * width + x0) * channels;
      const a11 = (y1 * width + x1) * channels;
      const l00 = 0.299 * data[a00]! + 0.587 * data[a00 + 1]! + 0.114 * data[a00 + 2]!;
      const l01 = 0.299 * data[a01]! + 0.587 * data[a01 + 1]! + 0.114 * data[a01 + 2]!;
      const l10 = 0.299 * data[a10]! + 0.587 * data[a10 + 1]! + 0.114 * data[a10 + 2]!;
      const l11 = 0.299 * data[a11]! + 0.587 * data[a11 + 1]! + 0.114 * data[a11 + 2]!;
      p[i] = (l00 * (1 - fx) + l01 * fx) * (1 - fy) + (l10 * (1 - fx) + l11 * fx) * fy;
    }
  } else {
    for (let i = 0; i < count; i++) {
      const t = -radius + i * step;
      const x = ox + nx * t;
      const y = oy + ny * t;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const x1 = x0 + 1 < maxX ? x0 + 1 : maxX;
      const y1 = y0 + 1 < maxY ? y0 + 1 : maxY;
      const fx = x - x0;
      const fy = y - y0;
      p[i] = (data[(y0 * width + x0) * channels]! * (1 - fx) + data[(y0 * width + x1) * channels]! * fx) * (1 - fy) + (data[(y1 * width + x0) * channels]! * (1 - fx) + data[(y1 * width + x1) * channels]! * fx) * fy;
    }
  }
  const d = derivative;
  let best = -1;
  let bestMagnitude = 0;
  for (let i = 2; i < count - 2; i++) {
    const v = Math.abs(p[i + 2]! + p[i + 1]! - p[i - 1]! - p[i - 2]!);
    d[i] = v;
    if (v > bestMagnitude) {
      bestMagnitude = v;
      best = i;
    }
  }
  if (best < 3 || best > count - 4 || bestMagnitude < 8) return undefined;
  const left = d[best - 1]!;
  const right = d[best + 1]!;
  const curvature = left - 2 * bestMagnitude + right;
  const offset = curvature < 0 ? (0.5 * (left - right)) / curvature : 0;
  const t = -radius + (best + offset) * step;
  return { x: ox + nx * t, y: oy + ny * t };
}

/**
 * Refines a coarse quad (e.g. found on a downscaled frame) on the full-resolution image (gray, or colour read as luma):
 * each side is re-located by sampling the strongest edge across it, a line is fitted to those
 * samples, and the corners become the intersections of adjacent lines. Intersecting lines rather
 * than tracking the corner pixels makes rounded card corners land where the edges meet.
 * Sides without enough edge evidence keep their coarse position.
 */
export function refineQuad(image: RefineImage, quad: Quad, options: RefineOptions): Quad {
  const samples = options.samplesPerSide ?? 24;
  const coarseLines = quadSideLines(quad);
  // A side shorter than a pixel has no direction to search across: nothing to refine.
  if (!coarseLines) return quad;
  const lines: Line[] = [];
  for (let side = 0; side < 4; side++) {
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const coarse = coarseLines[side]!;
    const normal = { x: -coarse.direction.y, y: coarse.direction.x };
    const found: Point[] = [];
    for (let i = 0; i < samples; i++) {
      // Stay clear of the corners, where the neighbouring side's edge would compete.
      const t = 0.1 + (0.8 * i) / (samples - 1);
      const origin = { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
      const edge = edgeAlongNormal(image, origin, normal, options.searchRadius);
      if (edge) found.push(edge);
    }
    const fitted = found.length >= samples / 3 ? fitLineRobust(found, 1.5) : null;
    lines.push(fitted ?? coarse);
  }
  const corners: Point[] = [];
  for (let i = 0; i < 4; i++) {
    const corner = intersectLines(lines[(i + 3) % 4]!, lines[i]!);
    const coarse = quad[i]!;
    // A refined corner that jumped far from the coarse one means a side locked onto another edge.
    if (!corner || Math.hypot(corner.x - coarse.x, corner.y - coarse.y) > options.searchRadius * 2) return quad;
    corners.push(corner);
  }
  return [corners[0]!, corners[1]!, corners[2]!, corners[3]!];
}
