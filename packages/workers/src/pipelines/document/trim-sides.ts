/**
 * A found page outline with a side grown onto the background pulled back to the page. The capture
 * detector grows an outline towards a format's aspect (a TD3 page less its band, an ID-1 card's
 * aspect): under strong perspective its aspect estimate is off, and a side can be pushed past the
 * page's edge onto a line of the background (a fabric's stripe, a wood grain line) a few percent to a
 * third of the page away. Such a side has the background on both sides of it; a page's side has the
 * page's stock inside it.
 */
import { quality, type RgbaImage } from '@ekyc/core';

/** RGBA pixels (read as RGB). */
type RgbaPixels = RgbaImage;

/**
 * Pairs of strips beside a side, as fractions of the page across it: inside (positive) and outside
 * (negative). The wide pair sees past a background's stripe the side sits on; the narrow one a side
 * grown only a percent or two (a wood grain line just past the page's edge).
 */
const STRIP_PAIRS = [
  { inside: [0.02, 0.06], outside: [-0.06, -0.02] },
  { inside: [0.008, 0.022], outside: [-0.022, -0.008] },
] as const;
/** Most colour distance (RGB) between the strips inside and outside a side for the inside to be background too. */
const SAME_MATERIAL = 25;
/** Least colour distance between that background and the page's middle: a page on a desk of its own colour is left alone. */
const MIN_PAGE_CONTRAST = 40;
/** The inside strip must be this many times nearer the outside than the page's middle. */
const NEARER_FACTOR = 3;
/** Farthest in a side's page edge is looked for (fraction of the page across it), the scan's step and its patch's depth. */
const MAX_TRIM = 0.4;
const TRIM_STEP = 0.005;
const SCAN_STRIP = 0.015;
/** Sides trimmed at most (a grown side drags its neighbours' ends onto the background too). */
const MAX_TRIMMED_SIDES = 2;
/** Least share of its area a trimmed outline keeps. */
const MIN_KEPT_AREA = 0.5;

type Point = quality.Point;

/** Median colour of the pixels at `points` (those in the image), or null for fewer than `least`. */
function medianColour(image: RgbaPixels, points: readonly Point[], least = 10): [number, number, number] | null {
  const channels: [number[], number[], number[]] = [[], [], []];
  for (const p of points) {
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) continue;
    const i = (y * image.width + x) * 4;
    for (let c = 0; c < 3; c++) channels[c]!.push(image.data[i + c]!);
  }
  if (channels[0].length < least) return null;
  return channels.map((v) => v.sort((a, b) => a - b)[v.length >> 1]!) as [number, number, number];
}

function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
}

/** Page coordinates (u, v in the unit square, TL-TR-BR-BL) of a point `depth` in from side `side` (0 top, 1 right, 2 bottom, 3 left) at `along` (0..1). */
function beside(side: number, along: number, depth: number): Point {
  if (side === 0) return { x: along, y: depth };
  if (side === 1) return { x: 1 - depth, y: along };
  if (side === 2) return { x: along, y: 1 - depth };
  return { x: depth, y: along };
}

/** Points of a strip from `from` to `to` in from side `side`, over its middle 80%, in the image. */
function strip(toImage: quality.Homography, side: number, from: number, to: number): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < 30; i++) {
    for (let j = 0; j < 4; j++) {
      points.push(quality.applyHomography(toImage, beside(side, 0.1 + (0.8 * (i + 0.5)) / 30, from + ((to - from) * (j + 0.5)) / 4)));
    }
  }
  return points;
}

/** Samples along a side (over its middle 80%) where the page's edge is looked for. */
const EDGE_SAMPLES = 30;
/** Fewest samples that must find the page for a fitted edge. */
const MIN_EDGE_SAMPLES = 12;

/** The line through corners a and b. */
function lineThrough(a: Point, b: Point): quality.Line {
  const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  return { point: a, direction: { x: (b.x - a.x) / length, y: (b.y - a.y) / length } };
}

/** A line fitted to the points, refitted twice to those within 2.5 times the median residual (at least `minResidual` px). */
function fitEdge(points: readonly Point[], minResidual: number): quality.Line | null {
  let line = quality.fitLineRobust(points, Infinity);
  for (let pass = 0; pass < 2 && line; pass++) {
    const fit = line;
    const residuals = points.map((p) => quality.distanceToLine(fit, p)).sort((a, b) => a - b);
    line = quality.fitLineRobust(points, Math.max(minResidual, 2.5 * residuals[residuals.length >> 1]!));
  }
  return line;
}

/**
 * Where the page's edge runs when side `side` of the outline sits on background, or null when it is a
 * page's side: a strip just inside it looks like the strip just outside (SAME_MATERIAL) and unlike the
 * page's middle (NEARER_FACTOR, MIN_PAGE_CONTRAST), for either pair of STRIP_PAIRS. Then, at each of EDGE_SAMPLES places along it, the
 * first patch in from it nearer the page's middle than the background marks the page; a line is fitted
 * to those marks (the page's edge need not run parallel to the side).
 */
export function backgroundSideEdge(image: RgbaPixels, toImage: quality.Homography, side: number, middle: readonly number[], minResidual: number): quality.Line | null {
  let outside: readonly number[] | undefined;
  for (const pair of STRIP_PAIRS) {
    const inside = medianColour(image, strip(toImage, side, pair.inside[0], pair.inside[1]));
    const out = medianColour(image, strip(toImage, side, pair.outside[0], pair.outside[1]));
    if (!inside || !out) continue;
    const same = colourDistance(inside, out);
    if (same <= SAME_MATERIAL && colourDistance(out, middle) >= MIN_PAGE_CONTRAST && colourDistance(inside, middle) >= NEARER_FACTOR * same) {
      outside = out;
      break;
    }
  }
  if (!outside) return null;
  const marks: Point[] = [];
  for (let i = 0; i < EDGE_SAMPLES; i++) {
    const along = 0.1 + (0.8 * (i + 0.5)) / EDGE_SAMPLES;
    for (let depth = 0; depth <= MAX_TRIM; depth += TRIM_STEP) {
      const patch: Point[] = [];
      for (const da of [-0.01, 0, 0.01]) for (const dd of [0, SCAN_STRIP / 2, SCAN_STRIP]) patch.push(quality.applyHomography(toImage, beside(side, along + da, depth + dd)));
      const colour = medianColour(image, patch, 5);
      if (colour && colourDistance(colour, middle) < colourDistance(colour, outside)) {
        marks.push(quality.applyHomography(toImage, beside(side, along, depth)));
        break;
      }
    }
  }
  return marks.length >= MIN_EDGE_SAMPLES ? fitEdge(marks, minResidual) : null;
}

/**
 * The outline with at most MAX_TRIMMED_SIDES sides that sit on background moved to the page's edge
 * (each between its neighbouring sides' lines, then re-fitted to the edges there with
 * `quality.refineQuad`), or the outline as it was when none does or the trimmed outline would keep less
 * than MIN_KEPT_AREA of it. `minResidual`: pixels an edge mark may stray from the fitted line.
 */
export function trimBackgroundSides(image: RgbaPixels, quad: quality.Quad, refineRadius = 4, minResidual = 2): quality.Quad {
  const area = quality.quadArea(quad);
  let current = quad;
  const trimmed = new Set<number>();
  for (let n = 0; n < MAX_TRIMMED_SIDES; n++) {
    const toImage = quality.homographyFromPoints([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }], current);
    if (!toImage) break;
    const middlePoints: Point[] = [];
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) middlePoints.push(quality.applyHomography(toImage, { x: 0.25 + (0.5 * (i + 0.5)) / 20, y: 0.25 + (0.5 * (j + 0.5)) / 20 }));
    const middle = medianColour(image, middlePoints);
    if (!middle) break;
    let next: quality.Quad | null = null;
    for (let side = 0; side < 4 && !next; side++) {
      if (trimmed.has(side)) continue;
      const edge = backgroundSideEdge(image, toImage, side, middle, minResidual);
      if (!edge) continue;
      const before = lineThrough(current[(side + 3) % 4]!, current[side]!);
      const after = lineThrough(current[(side + 1) % 4]!, current[(side + 2) % 4]!);
      const start = quality.intersectLines(before, edge);
      const end = quality.intersectLines(edge, after);
      if (!start || !end) continue;
      const moved = current.map((p, k) => (k === side ? start : k === (side + 1) % 4 ? end : p)) as unknown as quality.Quad;
      if (!quality.isConvexQuad(moved)) continue;
      const refined = quality.refineQuad({ ...image, channels: 4 }, moved, { searchRadius: refineRadius });
      next = quality.isConvexQuad(refined) ? refined : moved;
      trimmed.add(side);
    }
    if (!next || quality.quadArea(next) < MIN_KEPT_AREA * area) break;
    current = next;
  }
  return current;
}
