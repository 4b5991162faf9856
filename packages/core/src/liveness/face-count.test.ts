import { describe, expect, it } from 'vitest';
import { countDistinctFaces, countTiles, roiBounds } from './face-count.ts';

describe('face counting over tiles', () => {
  it('covers the frame with four overlapping tiles', () => {
    const tiles = countTiles(640, 480);
    expect(tiles).toEqual([
      { x: 0, y: 0, width: 384, height: 288 },
      { x: 256, y: 0, width: 384, height: 288 },
      { x: 0, y: 192, width: 384, height: 288 },
      { x: 256, y: 192, width: 384, height: 288 },
    ]);
    // Every pixel lies in a tile, and a 60 px face anywhere lies whole in at least one (overlap 128 x 96 px).
    for (let y = 0; y <= 420; y += 15) {
      for (let x = 0; x <= 580; x += 20) {
        expect(tiles.some((t) => x >= t.x && y >= t.y && x + 60 <= t.x + t.width && y + 60 <= t.y + t.height)).toBe(true);
      }
    }
  });

  const main = { x: 215, y: 110, width: 210, height: 230 };
  const small = { x: 540, y: 380, width: 60, height: 62 };

  it('counts a small face that only a tile saw, once, however many tiles saw it', () => {
    expect(countDistinctFaces([main], [small, { ...small, x: small.x + 2 }], null)).toBe(2);
  });

  it('does not count the tracked face again when a tile sees it, whole or cut by the tile edge', () => {
    const halfOfMain = { x: 215, y: 110, width: 95, height: 230 };
    expect(countDistinctFaces([main], [main, halfOfMain], null)).toBe(1);
    const tracked = roiBounds({ cx: 320, cy: 225, size: 330, angle: 0.1 });
    expect(countDistinctFaces([], [halfOfMain], tracked)).toBe(1);
    expect(countDistinctFaces([], [halfOfMain, small], tracked)).toBe(2);
  });

  it('keeps every whole-frame detection', () => {
    expect(countDistinctFaces([main, small], [], null)).toBe(2);
    expect(countDistinctFaces([], [], null)).toBe(0);
  });

  it('bounds a turned crop', () => {
    const b = roiBounds({ cx: 100, cy: 50, size: 40, angle: Math.PI / 4 });
    expect(b.width).toBeCloseTo(40 * Math.SQRT2, 9);
    expect(b.x + b.width / 2).toBeCloseTo(100, 9);
  });
});
