import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { edgeMapSupport, edgeMapSupportReaches, expandToOuterEdges, quadSupport, segmentSupport, segmentSupportAtLeast, segmentSupportReaches, sideSupport, sidesOnFrameBorder, visibleSegment, type PixelImage } from './edge-support.ts';
import { maxCornerError } from './geometry.ts';
import type { Quad } from './types.ts';

function inside(quad: Quad, x: number, y: number): boolean {
  for (let i = 0; i < 4; i++) {
    const a = quad[i]!;
    const b = quad[(i + 1) % 4]!;
    if ((b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) < 0) return false;
  }
  return true;
}

/** A gray card (with a darker header band) on a dark background, as a 1-channel image. */
function render(card: Quad, band: Quad | null, width = 300, height = 200): PixelImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cx = x + 0.5;
      const cy = y + 0.5;
      data[y * width + x] = band && inside(band, cx, cy) ? 120 : inside(card, cx, cy) ? 210 : 50;
    }
  }
  return { data, width, height, channels: 1 };
}

const card: Quad = [{ x: 40, y: 30 }, { x: 260, y: 36 }, { x: 255, y: 170 }, { x: 36, y: 165 }];
// The header band's lower boundary with the card's other three sides: an inner rectangle.
const band: Quad = [{ x: 40, y: 30 }, { x: 260, y: 36 }, { x: 259, y: 70 }, { x: 39, y: 64 }];
const inner: Quad = [{ x: 39, y: 64 }, { x: 259, y: 70 }, { x: 255, y: 170 }, { x: 36, y: 165 }];

describe('sideSupport', () => {
  it('is full on every side of the true outline and of an inner rectangle', () => {
    const image = render(card, band);
    expect(quadSupport(image, card, { searchRadius: 2 })).toBeGreaterThan(0.9);
    expect(quadSupport(image, inner, { searchRadius: 2 })).toBeGreaterThan(0.9);
  });

  it('is near zero on a side that runs through background (a quad merged with clutter)', () => {
    const image = render(card, null);
    const merged: Quad = [{ x: 40, y: 30 }, { x: 290, y: 36 }, { x: 285, y: 170 }, { x: 36, y: 165 }];
    const support = sideSupport(image, merged, { searchRadius: 2 });
    expect(support[1]).toBeLessThan(0.1);
    expect(support[3]).toBeGreaterThan(0.9);
  });

  it('is zero on a flat image', () => {
    const flat: PixelImage = { data: new Uint8Array(300 * 200).fill(128), width: 300, height: 200, channels: 1 };
    expect(quadSupport(flat, card, { searchRadius: 3 })).toBe(0);
  });
});

describe('segmentSupportReaches', () => {
  it('answers exactly what segmentSupport >= needed answers, for any segment and threshold', () => {
    const image = render(card, band);
    const point = fc.record({ x: fc.double({ min: -10, max: 310, noNaN: true }), y: fc.double({ min: -10, max: 210, noNaN: true }) });
    fc.assert(
      fc.property(point, point, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3 }), (a, b, needed, radius) => {
        const options = { searchRadius: radius };
        expect(segmentSupportReaches(image, a, b, options, needed)).toBe(segmentSupport(image, a, b, options) >= needed);
      }),
      { numRuns: 500 },
    );
  });
});

describe('segmentSupportAtLeast', () => {
  it('is segmentSupport where that reaches the floor, and under the floor where it does not', () => {
    const image = render(card, band);
    const point = fc.record({ x: fc.double({ min: -10, max: 310, noNaN: true }), y: fc.double({ min: -10, max: 210, noNaN: true }) });
    fc.assert(
      fc.property(point, point, fc.constantFrom(0, 0.3, 0.5, 0.7, 0.8, 1), fc.integer({ min: 0, max: 3 }), (a, b, floor, radius) => {
        const options = { searchRadius: radius };
        const exact = segmentSupport(image, a, b, options);
        const atLeast = segmentSupportAtLeast(image, a, b, options, floor);
        if (exact >= floor) expect(atLeast).toBe(exact);
        else expect(atLeast).toBeLessThan(floor);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('expandToOuterEdges', () => {
  it('grows an inner rectangle (below a header band) to the card outline', () => {
    const image = render(card, band);
    const grown = expandToOuterEdges(image, inner, { searchRadius: 1, maxShiftFraction: 0.4, minSupport: 0.8 });
    expect(maxCornerError(inner, card)).toBeGreaterThan(30);
    expect(maxCornerError(grown, card)).toBeLessThan(3);
  });

  it('grows it to the outline under perspective, where the band boundary is not parallel to the edge', () => {
    // The card's top edge converges towards the right (a tilted card); the band's boundary does not follow it.
    const tilted: Quad = [{ x: 40, y: 20 }, { x: 262, y: 44 }, { x: 258, y: 176 }, { x: 34, y: 170 }];
    const tiltedBand: Quad = [{ x: 40, y: 20 }, { x: 262, y: 44 }, { x: 261, y: 84 }, { x: 38, y: 66 }];
    const tiltedInner: Quad = [{ x: 38, y: 66 }, { x: 261, y: 84 }, { x: 258, y: 176 }, { x: 34, y: 170 }];
    const image = render(tilted, tiltedBand);
    const grown = expandToOuterEdges(image, tiltedInner, { searchRadius: 2, maxShiftFraction: 0.5, minSupport: 0.8 });
    expect(maxCornerError(grown, tilted)).toBeLessThan(2);
  });

  it('leaves the true outline where it is', () => {
    const image = render(card, band);
    const same = expandToOuterEdges(image, card, { searchRadius: 1, maxShiftFraction: 0.3, minSupport: 0.8 });
    expect(maxCornerError(same, card)).toBeLessThan(1e-9);
  });
});

describe('sidesOnFrameBorder', () => {
  it('flags the side along which a document runs off the frame, and no other', () => {
    // Cut off by the right border: the visible part's right side lies on x = width.
    const cut: Quad = [{ x: 100, y: 50 }, { x: 637, y: 40 }, { x: 639, y: 300 }, { x: 90, y: 310 }];
    expect(sidesOnFrameBorder(cut, 640, 360, 4)).toEqual([false, true, false, false]);
    expect(sidesOnFrameBorder(card, 300, 200, 4)).toEqual([false, false, false, false]);
  });
});

describe('edgeMapSupport', () => {
  it('is full on the drawn outline, zero off it, and leaves out ignored sides', () => {
    const map = render(card, null);
    // A (dilated) edge map: pixels with a differing neighbour in their 3x3 neighbourhood.
    const at = (x: number, y: number) => map.data[Math.min(199, Math.max(0, y)) * 300 + Math.min(299, Math.max(0, x))]!;
    const data = new Uint8Array(300 * 200);
    for (let y = 0; y < 200; y++) for (let x = 0; x < 300; x++) data[y * 300 + x] = [-1, 0, 1].some((dy) => [-1, 0, 1].some((dx) => at(x + dx, y + dy) !== at(x, y))) ? 255 : 0;
    const edges = { data, width: 300, height: 200 };
    expect(edgeMapSupport(edges, card, 1)).toBeGreaterThan(0.6);
    const shifted: Quad = [{ x: 40, y: 30 }, { x: 290, y: 36 }, { x: 285, y: 170 }, { x: 36, y: 165 }];
    expect(edgeMapSupport(edges, shifted, 1)).toBeLessThan(0.2);
    expect(edgeMapSupport(edges, shifted, 1, 24, [false, true, false, false])).toBeGreaterThan(0.6);
  });

  it('with minVisible, judges a side crossing the map border on its part in view', () => {
    // Left and top sides on the map's border lines, right and bottom sides running off it.
    const data = new Uint8Array(300 * 200);
    for (let y = 0; y < 200; y++) for (let x = 0; x < 300; x++) data[y * 300 + x] = x === 10 || y === 10 ? 255 : 0;
    const edges = { data, width: 300, height: 200 };
    // Left side on x = 10 from y = 10 to 390: only its first half is on the map.
    const offMap: Quad = [{ x: 10, y: 10 }, { x: 500, y: 10 }, { x: 500, y: 390 }, { x: 10, y: 390 }];
    const ignoreOthers = [false, true, true, false];
    expect(edgeMapSupport(edges, offMap, 1, 24, ignoreOthers)).toBeLessThan(0.6);
    expect(edgeMapSupport(edges, offMap, 1, 24, ignoreOthers, 0.3)).toBe(1);
  });

  it('edgeMapSupportReaches answers as edgeMapSupport >= needed does', () => {
    // Random edges, a few straight lines among them; quads anywhere, some running off the map.
    const data = new Uint8Array(120 * 80);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < data.length; i++) data[i] = random() < 0.3 ? 255 : 0;
    for (let x = 0; x < 120; x++) data[20 * 120 + x] = 255;
    for (let y = 0; y < 80; y++) data[y * 120 + 30] = 255;
    const edges = { data, width: 120, height: 80 };
    const point = fc.record({ x: fc.integer({ min: -40, max: 160 }), y: fc.integer({ min: -40, max: 120 }) });
    fc.assert(fc.property(fc.tuple(point, point, point, point), fc.constantFrom(0.2, 0.3, 0.5), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), (quad, needed, ignore) => {
      const q: Quad = [quad[0], quad[1], quad[2], quad[3]];
      expect(edgeMapSupportReaches(edges, q, 1, needed, 24, ignore, 0.3)).toBe(edgeMapSupport(edges, q, 1, 24, ignore, 0.3) >= needed);
    }), { numRuns: 3000 });
  });
});

describe('visibleSegment', () => {
  it('keeps the part of a side in view: a card side running off the bottom of a 640x360 frame', () => {
    const part = visibleSegment({ x: 100, y: 200 }, { x: 300, y: 600 }, 640, 360, 2)!;
    expect(part.a).toEqual({ x: 100, y: 200 });
    expect(part.b.y).toBeCloseTo(357);
    expect(part.b.x).toBeCloseTo(178.5);
    // The support of that part is what an edge there can show; the whole side's, with its samples out of view, cannot reach it.
    // Dark background left of the side's line x = 100 + (y - 200) / 2, light card right of it.
    const data = new Uint8Array(640 * 360);
    for (let y = 0; y < 360; y++) for (let x = 0; x < 640; x++) data[y * 640 + x] = x < 100 + (y - 200) / 2 ? 60 : 200;
    const image = { data, width: 640, height: 360, channels: 1 };
    const options = { searchRadius: 2 };
    expect(segmentSupport(image, part.a, part.b, options)).toBeGreaterThan(0.9);
    expect(segmentSupport(image, { x: 100, y: 200 }, { x: 300, y: 600 }, options)).toBeLessThan(0.5);
  });

  it('is the segment itself inside the frame, and null for one wholly outside', () => {
    expect(visibleSegment({ x: 10, y: 10 }, { x: 50, y: 40 }, 640, 360)).toEqual({ a: { x: 10, y: 10 }, b: { x: 50, y: 40 } });
    expect(visibleSegment({ x: -50, y: 10 }, { x: -5, y: 300 }, 640, 360)).toBeNull();
  });
});
