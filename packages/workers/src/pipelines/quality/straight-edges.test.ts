import { beforeAll, describe, expect, it } from 'vitest';
import { MatScope, type OpenCv } from './opencv-frame.ts';
import { joinCollinear, longOutlines, longStraightEdges, straightEdges } from './straight-edges.ts';
import { loadOpenCvForTests } from '../../../test/opencv-node.ts';

let cv: OpenCv;

beforeAll(async () => {
  ({ cv } = await loadOpenCvForTests());
});

/** A 320x180 edge map with a line from (40, 30) to (280, 150), and, with `texture`, every third pixel of a diagonal weave set too. */
function edgeMap(scope: MatScope, texture: boolean) {
  const map = scope.track(cv.Mat.zeros(180, 320, cv.CV_8UC1));
  const data = map.data;
  if (texture) for (let y = 0; y < 180; y++) for (let x = 0; x < 320; x++) if ((x + 2 * y) % 3 === 0) data[y * 320 + x] = 255;
  for (let k = 0; k <= 240; k++) data[Math.round(30 + k / 2) * 320 + 40 + k] = 255;
  return map;
}

describe('straightEdges', () => {
  it('gives the line of an edge map as a straight piece, in full-resolution pixels', () => {
    const scope = new MatScope(cv);
    try {
      const pieces = straightEdges(cv, edgeMap(scope, false), 4, scope);
      expect(pieces.length).toBeGreaterThan(0);
      // Every piece lies on the line (4 full-resolution px per map pixel), and together they cover most of it.
      const offLine = (p: { x: number; y: number }) => Math.abs((p.x / 4 - 40.5) * 120 - (p.y / 4 - 30.5) * 240) / Math.hypot(240, 120);
      for (const piece of pieces) expect(Math.max(offLine(piece.a), offLine(piece.b))).toBeLessThan(1.5);
      const covered = pieces.reduce((sum, p) => sum + Math.hypot(p.b.x - p.a.x, p.b.y - p.a.y), 0) / 4;
      expect(covered).toBeGreaterThan(0.8 * Math.hypot(240, 120));
    } finally {
      scope.dispose();
    }
  });

  it('reads no lines in a texture (a third of the map is edges): they would be the weave', () => {
    const scope = new MatScope(cv);
    try {
      expect(straightEdges(cv, edgeMap(scope, true), 4, scope)).toEqual([]);
    } finally {
      scope.dispose();
    }
  });
});

describe('longStraightEdges', () => {
  /** A card's outline (a rectangle, 60..260 x 30..150) with a line of print on it: 30 glyphs of 5 x 7 px whose tops and bottoms line up. */
  function cardWithPrint(scope: MatScope) {
    const map = scope.track(cv.Mat.zeros(180, 320, cv.CV_8UC1));
    const data = map.data;
    for (let x = 60; x <= 260; x++) data[30 * 320 + x] = data[150 * 320 + x] = 255;
    for (let y = 30; y <= 150; y++) data[y * 320 + 60] = data[y * 320 + 260] = 255;
    for (let g = 0; g < 30; g++) {
      const x0 = 75 + 6 * g;
      for (let x = x0; x < x0 + 5; x++) data[110 * 320 + x] = data[116 * 320 + x] = 255;
      for (let y = 110; y <= 116; y++) data[y * 320 + x0] = data[y * 320 + x0 + 4] = 255;
    }
    return map;
  }
  const horizontalAt = (pieces: { a: { y: number }; b: { y: number } }[], y: number) => pieces.some((p) => Math.abs(p.a.y / 4 - y) < 1.5 && Math.abs(p.b.y / 4 - y) < 1.5);

  it("reads the card's sides and not the print's baselines, which the Hough transform reads on the whole map", () => {
    const scope = new MatScope(cv);
    try {
      const map = cardWithPrint(scope);
      expect(horizontalAt(straightEdges(cv, map, 4, scope), 110)).toBe(true);
      const long = longStraightEdges(cv, longOutlines(cv, map, scope), 4, scope);
      expect(horizontalAt(long, 110) || horizontalAt(long, 116)).toBe(false);
      expect(horizontalAt(long, 30)).toBe(true);
      expect(horizontalAt(long, 150)).toBe(true);
      expect(long.some((p) => Math.abs(p.a.x / 4 - 60.5) < 1.5 && Math.abs(p.b.x / 4 - 60.5) < 1.5)).toBe(true);
    } finally {
      scope.dispose();
    }
  });
});

describe('longStraightEdges with shorter pieces', () => {
  /** A card's outline (60..260 x 30..150) whose right side a thumb crosses: 28 px of it left above, 28 below (the shortest usual piece is 36). */
  function cardUnderThumb(scope: MatScope) {
    const map = scope.track(cv.Mat.zeros(180, 320, cv.CV_8UC1));
    const data = map.data;
    for (let x = 60; x <= 260; x++) data[30 * 320 + x] = data[150 * 320 + x] = 255;
    for (let y = 30; y <= 150; y++) data[y * 320 + 60] = 255;
    for (let y = 30; y <= 150; y++) if (y <= 58 || y >= 122) data[y * 320 + 260] = 255;
    return map;
  }
  const piecesOfRightSide = (pieces: { a: { x: number; y: number }; b: { x: number; y: number } }[]) =>
    pieces.filter((p) => Math.abs(p.a.x / 4 - 260.5) < 1.5 && Math.abs(p.b.x / 4 - 260.5) < 1.5);

  it("reads the two pieces a thumb leaves of a card's side only when asked for pieces half as long", () => {
    const scope = new MatScope(cv);
    try {
      const map = cardUnderThumb(scope);
      expect(piecesOfRightSide(longStraightEdges(cv, longOutlines(cv, map, scope), 4, scope))).toEqual([]);
      const pieces = piecesOfRightSide(longStraightEdges(cv, longOutlines(cv, map, scope), 4, scope, 0.5));
      expect(pieces.some((p) => Math.max(p.a.y, p.b.y) / 4 < 62)).toBe(true);
      expect(pieces.some((p) => Math.min(p.a.y, p.b.y) / 4 > 118)).toBe(true);
    } finally {
      scope.dispose();
    }
  });
});

describe('joinCollinear', () => {
  const segment = (ax: number, ay: number, bx: number, by: number) => ({ a: { x: ax, y: ay }, b: { x: bx, y: by } });

  it('joins the pieces of one side, a pixel apart across a jog and across a gap, into one segment spanning them', () => {
    // A card's left side turned by half a degree: on the reduced frame a staircase the Hough transform cut in two (tuning 380176), and a piece past a gap.
    const joined = joinCollinear([segment(224, 148, 224, 344), segment(220, 348, 220, 552), segment(219, 600, 219, 640)], 6, 144);
    expect(joined).toHaveLength(1);
    const [side] = joined;
    const ends = [side!.a.y, side!.b.y].sort((p, q) => p - q);
    expect(ends[0]).toBeCloseTo(148, 0);
    expect(ends[1]).toBeCloseTo(640, 0);
    expect(Math.abs(side!.a.x - 222)).toBeLessThan(4);
  });

  it('keeps apart parallel lines more than the offset apart, pieces past the gap, and crossing lines', () => {
    const joined = joinCollinear([segment(100, 100, 500, 100), segment(100, 110, 500, 110), segment(700, 100, 900, 100), segment(300, 0, 300, 400)], 6, 144);
    expect(joined).toHaveLength(4);
  });
});
