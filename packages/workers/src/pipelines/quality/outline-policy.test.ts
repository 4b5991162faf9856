import { describe, expect, it } from 'vitest';
import { quality } from '@ekyc/core';
import { acceptBanded, acceptFallback, chooseQuad, documentPastCarriedSides, failsFraming, hasCardCorners, heldCardFromLines, heldCardOverFound, searchFrame, smallOrMisshapenInView } from './outline-policy.ts';

const WIDTH = 640;
const HEIGHT = 360;

/** A 640 x 360 RGBA frame painted by `colour(x, y)` with a little noise (edge support reads real steps). */
function paint(colour: (x: number, y: number) => readonly number[], seed: number): quality.PixelImage {
  const data = new Uint8Array(WIDTH * HEIGHT * 4);
  let s = seed;
  const noise = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 6;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const rgb = colour(x + 0.5, y + 0.5);
      const at = (y * WIDTH + x) * 4;
      for (let c = 0; c < 3; c++) data[at + c] = Math.max(0, Math.min(255, Math.round(rgb[c]! + noise())));
      data[at + 3] = 255;
    }
  }
  return { data, width: WIDTH, height: HEIGHT, channels: 4, used: 3 };
}

/** The reduced frame's edges, dilated as the search's are: a colour step between neighbours at full resolution. */
function edgeMap(image: quality.PixelImage, scale: number): quality.GrayImage {
  const width = WIDTH / scale;
  const height = HEIGHT / scale;
  const raw = new Uint8Array(width * height);
  const at = (x: number, y: number, c: number) => image.data[(Math.min(HEIGHT - 1, y) * WIDTH + Math.min(WIDTH - 1, x)) * 4 + c]!;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [fx, fy] = [x * scale, y * scale];
      for (let c = 0; c < 3; c++) if (Math.abs(at(fx, fy, c) - at(fx + scale, fy, c)) > 24 || Math.abs(at(fx, fy, c) - at(fx, fy + scale, c)) > 24) raw[y * width + x] = 255;
    }
  const data = new Uint8Array(width * height);
  for (let y = 1; y < height - 1; y++) for (let x = 1; x < width - 1; x++) if ([-1, 0, 1].some((dy) => [-1, 0, 1].some((dx) => raw[(y + dy) * width + x + dx]))) data[y * width + x] = 255;
  return { data, width, height };
}

/** Whether (x, y) lies on an upright card from `left`, `top` to `right`, `bottom` whose corners are rounded as an ID-1 card's (`DOCUMENT_CORNER_RADIUS` of its width). */
function onRoundedCard(left: number, top: number, right: number, bottom: number): (x: number, y: number) => boolean {
  const radius = quality.DOCUMENT_CORNER_RADIUS * (right - left);
  return (x, y) => {
    const cx = Math.min(Math.max(x, left + radius), right - radius);
    const cy = Math.min(Math.max(y, top + radius), bottom - radius);
    return x >= left && x < right && y >= top && y < bottom && Math.hypot(x - cx, y - cy) <= radius;
  };
}

/** Both ways round each side, as the thin and dilated edge maps' contours give them. */
const twice = (segments: quality.Segment[]): quality.Segment[] => segments.flatMap((s) => [s, { a: s.b, b: s.a }]);


/**
 * The portrait box alone is the outline; with the card's sides running to the border around it, the
 * outline is the card, cut off, its corner in view the card's (`corner`). Returns that outline.
 */
function expectCardAroundBox(image: Parameters<typeof searchFrame>[0], portrait: quality.Quad, cardSides: Parameters<typeof chooseQuad>[2], corner: quality.Point): quality.Quad {
  const frame = searchFrame(image, 2);
  const alone = chooseQuad([{ quad: portrait, partial: false }], frame).quad;
  expect(alone).not.toBeNull();
  expect(quality.maxCornerError(alone!, portrait)).toBeLessThan(3);
  const { quad } = chooseQuad([{ quad: portrait, partial: false }], frame, cardSides);
  expect(quad).not.toBeNull();
  expect(quality.cornerMarginPx(quad!, WIDTH, HEIGHT)).toBeLessThan(0);
  expect(Math.min(...quad!.map((p) => Math.hypot(p.x - corner.x, p.y - corner.y)))).toBeLessThan(3);
  expect(quality.widthFraction(quad!, WIDTH)).toBeGreaterThan(0.65);
  return quad!;
}
describe('chooseQuad around a box printed on a document running off the frame', () => {
  // A light card running off the frame at the top right: its corner in view at (200, 250), its left side
  // rising to the top border at x = 215, its bottom side running to the right border at y = 270. On it,
  // a dark portrait box whose sides run along the card's (the card's sides lean 3° from the axes).
  const onCard = (x: number, y: number) => x > 200 + (15 * (250 - y)) / 250 && y < 250 + (20 * (x - 200)) / 439;
  const image = paint((x, y) => (!onCard(x, y) ? [70, 90, 120] : x >= 300 && x < 420 && y >= 60 && y < 200 ? [90, 70, 60] : [225, 215, 190]), 11);
  const portrait: quality.Quad = [{ x: 300, y: 60 }, { x: 420, y: 60 }, { x: 420, y: 200 }, { x: 300, y: 200 }];
  const cardSides = twice([
    { a: { x: 200, y: 250 }, b: { x: 215, y: 1 } },
    { a: { x: 200, y: 250 }, b: { x: 638, y: 270 } },
  ]);

  it('reports the card, cut off, not its portrait box, when the card\'s two sides run to the border around it', () => {
    const quad = expectCardAroundBox(image, portrait, cardSides, { x: 200, y: 250 });
    expect(quality.maxCornerError(quad, portrait)).toBeGreaterThan(100);
  });
});

describe('chooseQuad around a box printed on a strongly foreshortened document running off the frame', () => {
  // An ID-1 card (plane 856 x 540) running off the frame at the top, left and bottom: its corner in view
  // at (509 + shift, 264), its right side rising to the top border, its bottom side falling to the bottom
  // border. Seen at a slant, its far right side leans 9° from the near sides of its portrait box (plane
  // 50..290 x 110..420), its bottom side 2°: in the image only the lines of the box's opposite sides,
  // meeting where the card's meet, tell that the card's right side shares the box's axes.
  const plane = [{ x: 0, y: 0 }, { x: 856, y: 0 }, { x: 856, y: 540 }, { x: 0, y: 540 }];
  function scene(shift: number, box = [{ x: 50, y: 110 }, { x: 290, y: 110 }, { x: 290, y: 420 }, { x: 50, y: 420 }]) {
    const card = [{ x: -64, y: -5 }, { x: 526, y: -35 }, { x: 509, y: 264 }, { x: 20, y: 398 }].map((p) => ({ x: p.x + shift, y: p.y }));
    const toImage = quality.homographyFromPoints(plane, card)!;
    const toPlane = quality.homographyFromPoints(card, plane)!;
    const image = paint((x, y) => {
      const p = quality.applyHomography(toPlane, { x, y });
      if (p.x < 0 || p.x > 856 || p.y < 0 || p.y > 540) return [70, 90, 120];
      return p.x >= box[0]!.x && p.x < box[2]!.x && p.y >= box[0]!.y && p.y < box[2]!.y ? [90, 70, 60] : [225, 215, 190];
    }, 13);
    const portrait = box.map((p) => quality.applyHomography(toImage, p)) as unknown as quality.Quad;
    /** Where the line from `from` toward `to` reaches the row `y`. */
    const atRow = (from: quality.Point, to: quality.Point, y: number) => ({ x: from.x + ((to.x - from.x) * (y - from.y)) / (to.y - from.y), y });
    const cardSides = twice([
      { a: card[2]!, b: atRow(card[2]!, card[1]!, 1) },
      { a: card[2]!, b: atRow(card[2]!, card[3]!, HEIGHT - 2) },
    ]);
    return { image, portrait, cardSides, corner: card[2]! };
  }

  it.each([
    ['wholly in view', 0],
    ['cut by the left border (a corner outside the frame)', -25],
  ])('reports the card, cut off, not its portrait box %s', (_, shift) => {
    const { image, portrait, cardSides, corner } = scene(shift);
    expectCardAroundBox(image, portrait, cardSides, corner);
  });

  it('keeps a panel covering most of the part in view as found: its vanishing points do not stand for the card\'s axes', () => {
    const { image, portrait: panel, cardSides } = scene(0, [{ x: 30, y: 60 }, { x: 330, y: 60 }, { x: 330, y: 470 }, { x: 30, y: 470 }]);
    const { quad } = chooseQuad([{ quad: panel, partial: false }], searchFrame(image, 2), cardSides);
    expect(quad).not.toBeNull();
    expect(quality.maxCornerError(quad!, panel)).toBeLessThan(3);
  });
});

describe('chooseQuad with a card lying inside a corner of the background', () => {
  // A grey table top whose two edges meet at (120, 300) and run to the top and right borders, on a dark
  // floor, with an ID-1 card (150 x 95 px) lying on it turned 20°: a frame-corner view of the table holds
  // the card, but the card's sides do not run along the table's.
  const turn = (20 * Math.PI) / 180;
  const centre = { x: 420, y: 130 };
  const local = (x: number, y: number) => ({ u: (x - centre.x) * Math.cos(turn) + (y - centre.y) * Math.sin(turn), v: -(x - centre.x) * Math.sin(turn) + (y - centre.y) * Math.cos(turn) });
  const at = (u: number, v: number) => ({ x: centre.x + u * Math.cos(turn) - v * Math.sin(turn), y: centre.y + u * Math.sin(turn) + v * Math.cos(turn) });
  const onCard = (x: number, y: number) => Math.abs(local(x, y).u) < 75 && Math.abs(local(x, y).v) < 47.3;
  const onTable = (x: number, y: number) => x > 120 + (10 * (300 - y)) / 300 && y < 300 + (15 * (x - 120)) / 519;
  const image = paint((x, y) => (onCard(x, y) ? [235, 225, 200] : onTable(x, y) ? [150, 150, 145] : [50, 45, 40]), 3);
  const card: quality.Quad = [at(-75, -47.3), at(75, -47.3), at(75, 47.3), at(-75, 47.3)];
  const tableSides = twice([
    { a: { x: 120, y: 300 }, b: { x: 130, y: 1 } },
    { a: { x: 120, y: 300 }, b: { x: 638, y: 315 } },
  ]);

  it('keeps the card', () => {
    const { quad } = chooseQuad([{ quad: card, partial: false }], searchFrame(image, 2), tableSides);
    expect(quad).not.toBeNull();
    expect(quality.maxCornerError(quad!, card)).toBeLessThan(3);
  });
});

describe('chooseQuad with a thumb over one side of a held card', () => {
  // A light ID-1 card (300 x 189 px) on a dark table, held by a thumb (a skin-toned capsule 90 px wide)
  // that comes in from above and covers about 30% of the card's top side: that side's edge support falls
  // below the 0.8 every side needs, the other three keep theirs.
  const card: quality.Quad = [{ x: 170, y: 90 }, { x: 470, y: 90 }, { x: 470, y: 279 }, { x: 170, y: 279 }];
  const underThumb = (x: number, y: number, radius = 45) => Math.hypot(x - 260, y - Math.max(0, Math.min(130, y))) < radius;
  const onCard = (x: number, y: number) => x >= 170 && x < 470 && y >= 90 && y < 279;
  const image = paint((x, y) => (underThumb(x, y) ? [224, 172, 140] : onCard(x, y) ? [230, 222, 200] : [60, 55, 50]), 5);

  it('reports the card: one side partly covered, three with full support, an ID-1 aspect', () => {
    const frame = searchFrame(image, 2);
    const top = quality.sideSupport(image, card, frame.support)[0];
    expect(top).toBeLessThan(0.8);
    expect(top).toBeGreaterThan(0.5);
    const { quad } = chooseQuad([{ quad: card, partial: false }], frame);
    expect(quad).not.toBeNull();
    expect(quality.maxCornerError(quad!, card)).toBeLessThan(3);
  });

  it('reports the card, not a box printed on it whose four sides are all supported', () => {
    // The same held card with a dark box printed low on its left, clear of the thumb: alone, the box has
    // full support on every side and grows to the card's nearest edges (a part of the card, as on held
    // tuning frames). Given the card too (larger, so first), one side partly under the thumb, the card is the outline.
    const box: quality.Quad = [{ x: 185, y: 190 }, { x: 275, y: 190 }, { x: 275, y: 265 }, { x: 185, y: 265 }];
    const onBox = (x: number, y: number) => x >= 185 && x < 275 && y >= 190 && y < 265;
    const printed = paint((x, y) => (underThumb(x, y) ? [224, 172, 140] : onBox(x, y) ? [90, 70, 60] : onCard(x, y) ? [230, 222, 200] : [60, 55, 50]), 5);
    const frame = searchFrame(printed, 2);
    const alone = chooseQuad([{ quad: box, partial: false }], frame).quad;
    expect(alone).not.toBeNull();
    expect(quality.maxCornerError(alone!, card)).toBeGreaterThan(50);
    const { quad } = chooseQuad([{ quad: card, partial: false }, { quad: box, partial: false }], frame);
    expect(quad).not.toBeNull();
    expect(quality.maxCornerError(quad!, card)).toBeLessThan(3);
  });

  it('refuses a quad with the same covered side but no document format\'s aspect', () => {
    // A board of 200 x 189 px (aspect 1.06), its top side as much under a thumb 60 px wide.
    const square: quality.Quad = [{ x: 170, y: 90 }, { x: 370, y: 90 }, { x: 370, y: 279 }, { x: 170, y: 279 }];
    const squareImage = paint((x, y) => (underThumb(x, y, 30) ? [224, 172, 140] : x >= 170 && x < 370 && y >= 90 && y < 279 ? [230, 222, 200] : [60, 55, 50]), 5);
    const frame = searchFrame(squareImage, 2);
    const top = quality.sideSupport(squareImage, square, frame.support)[0];
    expect(top).toBeLessThan(0.8);
    expect(top).toBeGreaterThan(0.5);
    expect(chooseQuad([{ quad: square, partial: false }], frame).quad).toBeNull();
  });
});

describe('chooseQuad with a thumb over one side of a held card whose header band is the table\'s colour', () => {
  // The light ID-1 card (300 x 189 px) on a dark table with a 40-px header band a faint step (6-12 levels)
  // from the table, held by a thumb (a capsule 50 px wide) coming in from the right over a third of the
  // right side below the band, and a dark box printed low on its left. The outline below the band has its
  // right side partly covered and no format's aspect (300 x 149); the box has four supported sides.
  const card: quality.Quad = [{ x: 170, y: 90 }, { x: 470, y: 90 }, { x: 470, y: 279 }, { x: 170, y: 279 }];
  const belowBand: quality.Quad = [{ x: 170, y: 130 }, { x: 470, y: 130 }, { x: 470, y: 279 }, { x: 170, y: 279 }];
  const box: quality.Quad = [{ x: 185, y: 190 }, { x: 275, y: 190 }, { x: 275, y: 265 }, { x: 185, y: 265 }];
  const underThumb = (x: number, y: number) => Math.hypot(x - Math.max(445, x), y - 205) < 25;
  const onCard = (x: number, y: number) => x >= 170 && x < 470 && y >= 90 && y < 279;
  const onBox = (x: number, y: number) => x >= 185 && x < 275 && y >= 190 && y < 265;
  const image = paint((x, y) => (underThumb(x, y) ? [224, 172, 140] : onBox(x, y) ? [90, 70, 60] : !onCard(x, y) ? [60, 55, 50] : y < 130 ? [72, 64, 56] : [230, 222, 200]), 7);

  it('reports the whole card, the held outline grown past its band to the format\'s aspect, not the box', () => {
    const frame = searchFrame(image, 2);
    const right = quality.sideSupport(image, belowBand, frame.support)[1];
    expect(right).toBeLessThan(0.8);
    expect(right).toBeGreaterThan(0.5);
    expect(quality.hasDocumentAspect(belowBand, WIDTH, HEIGHT)).toBe(false);
    const alone = chooseQuad([{ quad: box, partial: false }], frame).quad;
    expect(alone).not.toBeNull();
    expect(quality.maxCornerError(alone!, card)).toBeGreaterThan(50);
    const { quad } = chooseQuad([{ quad: belowBand, partial: false }, { quad: box, partial: false }], frame);
    expect(quad).not.toBeNull();
    expect(quality.maxCornerError(quad!, card)).toBeLessThan(3);
  });
});

describe('chooseQuad with a held card whose outline ran on along the thumb at a corner', () => {
  // The light ID-1 card (300 x 189 px) on a dark table, held by a thumb (a capsule 50 px wide) from the
  // left border across the top of its left side. The candidate's top-left corner sits on the thumb's edge,
  // 42 px below and 14 px inside the card's (as a contour merged with the thumb gives it): its top and left
  // sides are short of support, its right and bottom sides the card's own.
  const card: quality.Quad = [{ x: 170, y: 90 }, { x: 470, y: 90 }, { x: 470, y: 279 }, { x: 170, y: 279 }];
  const candidate: quality.Quad = [{ x: 184, y: 132 }, card[1], card[2], card[3]];
  const underThumb = (x: number, y: number) => Math.hypot(x - Math.min(x, 215), y - 140) < 25;
  const onCard = (x: number, y: number) => x >= 170 && x < 470 && y >= 90 && y < 279;
  const image = paint((x, y) => (underThumb(x, y) ? [224, 172, 140] : onCard(x, y) ? [230, 222, 200] : [60, 55, 50]), 11);

  it('turns the two sides onto the card\'s edges and reports the card, its left side partly under the thumb', () => {
    const frame = searchFrame(image, 2);
    const sides = quality.sideSupport(image, candidate, frame.support);
    expect(sides[0]).toBeLessThan(0.8);
    expect(sides[3]).toBeLessThan(0.8);
    expect(Math.min(sides[1]!, sides[2]!)).toBeGreaterThanOrEqual(0.8);
    const { quad } = chooseQuad([{ quad: candidate, partial: true }], frame);
    expect(quad).not.toBeNull();
    expect(quality.maxCornerError(quad!, card)).toBeLessThan(3);
  });
});

describe('chooseQuad with a thumb over the header band of a held TD3 page', () => {
  // A light TD3 page (400 x 282 px, 125 x 88 mm) with a dark 32-px header band on a yellowish table,
  // held by a thumb (a capsule 60 px wide) coming in from above over its top-left corner: the page's
  // left side beside the band is hidden, its top edge 10% covered. The candidate is the page below the
  // band, whose aspect is ID-1's.
  const page: quality.Quad = [{ x: 120, y: 40 }, { x: 520, y: 40 }, { x: 520, y: 322 }, { x: 120, y: 322 }];
  const belowBand: quality.Quad = [{ x: 120, y: 72 }, { x: 520, y: 72 }, { x: 520, y: 322 }, { x: 120, y: 322 }];
  const underThumb = (x: number, y: number) => Math.hypot(x - 130, y - Math.max(0, Math.min(62, y))) < 30;
  const onPage = (x: number, y: number) => x >= 120 && x < 520 && y >= 40 && y < 322;
  const image = paint((x, y) => (underThumb(x, y) ? [224, 172, 140] : !onPage(x, y) ? [150, 160, 90] : y < 72 ? [40, 120, 60] : [235, 225, 230]), 9);

  it('reports the whole page, grown past the band along the side still in view', () => {
    const { quad } = chooseQuad([{ quad: belowBand, partial: false }], searchFrame(image, 2));
    expect(quad).not.toBeNull();
    expect(quality.maxCornerError(quad!, page)).toBeLessThan(3);
  });
});

describe('acceptFallback with a hull that took in the thumb over a held card\'s corner', () => {
  // A light ID-1 card (300 x 189 px) on a dark table, held by a thumb (a capsule 70 px wide) that comes
  // from the top border over its top-right corner. The best whole outline is the hull of card and
  // thumb: its top-right corner on the thumb at the border, its top and right sides over the table.
  const card: quality.Quad = [{ x: 170, y: 90 }, { x: 470, y: 90 }, { x: 470, y: 279 }, { x: 170, y: 279 }];
  const hull: quality.Quad = [card[0], { x: 505, y: 0 }, card[2], card[3]];
  const underThumb = (x: number, y: number) => Math.hypot(x - 470, y - Math.max(0, Math.min(110, y))) < 35;
  const onCard = (x: number, y: number) => x >= 170 && x < 470 && y >= 90 && y < 279;
  const image = paint((x, y) => (underThumb(x, y) ? [224, 172, 140] : onCard(x, y) ? [230, 222, 200] : [60, 55, 50]), 7);

  it('reports the card, its covered corner where the sides in view meet', () => {
    const frame = searchFrame(image, 2);
    const sides = quality.sideSupport(image, hull, frame.support);
    expect(sides[0]).toBeLessThan(0.8);
    expect(sides[1]).toBeLessThan(0.8);
    // The search scores a fallback by its weakest side; on a textured table the hull's reads 0.03-0.3.
    const quad = acceptFallback({ quad: hull, support: 0.1 }, frame);
    expect(quad).not.toBeNull();
    expect(quality.maxCornerError(quad!, card)).toBeLessThan(3);
  });

  it('leaves a board of no document format\'s aspect as the fallback found it', () => {
    // The same scene with a square board (189 x 189 px) for the card.
    const square: quality.Quad = [{ x: 281, y: 90 }, { x: 470, y: 90 }, { x: 470, y: 279 }, { x: 281, y: 279 }];
    const squareImage = paint((x, y) => (underThumb(x, y) ? [224, 172, 140] : x >= 281 && x < 470 && y >= 90 && y < 279 ? [230, 222, 200] : [60, 55, 50]), 7);
    const squareHull: quality.Quad = [square[0], { x: 505, y: 0 }, square[2], square[3]];
    const frame = searchFrame(squareImage, 2);
    const quad = acceptFallback({ quad: squareHull, support: 0.1 }, frame);
    expect(quad === null || quality.maxCornerError(quad, square) > 20).toBe(true);
  });
});

describe('a card the colour of what it lies on, its sides seen only across its printed bands', () => {
  // An ID-1 card (342 x 216 px) whose body is the table's colour: only its header band (top 20%) and
  // its MRZ band (bottom 35%) part its left and right sides from the table, as on clean 60010.
  const card: quality.Quad = [{ x: 150, y: 70 }, { x: 492, y: 70 }, { x: 492, y: 286 }, { x: 150, y: 286 }];
  const onCard = (x: number, y: number) => x >= 150 && x < 492 && y >= 70 && y < 286;
  const image = paint((x, y) => (!onCard(x, y) ? [200, 190, 150] : y < 113 ? [150, 180, 40] : y >= 210 ? [235, 235, 228] : [200, 190, 150]), 21);
  const frame = searchFrame(image, 2);

  it('is no outline with full support, but is kept, and taken when nothing else is found', () => {
    const chosen = chooseQuad([{ quad: card, partial: false }], frame);
    expect(chosen.quad).toBeNull();
    expect(chosen.banded).not.toBeNull();
    const taken = acceptBanded(chosen.banded, frame);
    expect(taken).not.toBeNull();
    expect(quality.maxCornerError(taken!, card)).toBeLessThan(3);
  });

  it('is not a quad whose sides are supported at one end only (a band over a line of the table below it)', () => {
    // The card's top half a band, its bottom half the table's colour, and a dark line on the table where
    // its bottom edge would be: the sides are supported over 55% of their length, all of it at the top.
    const banner = paint((x, y) => (x >= 150 && x < 492 && y >= 70 && y < 189 ? [150, 180, 40] : x >= 150 && x < 492 && y >= 284 && y < 289 ? [60, 55, 50] : [200, 190, 150]), 23);
    const chosen = chooseQuad([{ quad: card, partial: false }], searchFrame(banner, 2));
    expect(chosen.quad).toBeNull();
    expect(chosen.banded).toBeNull();
  });
});

describe('a held card from its straight edges', () => {
  // A light ID-1 card (400 x 252) on a dark table, a thumb across its left side (28% of it), a dark portrait
  // box on it: the search's contours merge card and thumb, and the box alone has four supported sides.
  const card: quality.Quad = [{ x: 120, y: 60 }, { x: 520, y: 60 }, { x: 520, y: 312 }, { x: 120, y: 312 }];
  const box: quality.Quad = [{ x: 150, y: 110 }, { x: 250, y: 110 }, { x: 250, y: 250 }, { x: 150, y: 250 }];
  const thumb = (x: number, y: number) => x < 200 && Math.abs(y - 180) < 35;
  const onCard = (x: number, y: number) => x >= 120 && x < 520 && y >= 60 && y < 312;
  const inBox = (x: number, y: number) => x >= 150 && x < 250 && y >= 110 && y < 250;
  const image = paint((x, y) => (thumb(x, y) ? [220, 170, 140] : inBox(x, y) ? [90, 70, 60] : onCard(x, y) ? [225, 215, 190] : [60, 70, 80]), 7);
  const frame = searchFrame(image, 2);
  const lines: quality.Segment[] = [
    { a: card[0], b: card[1] },
    { a: card[1], b: card[2] },
    { a: card[2], b: card[3] },
    { a: { x: 120, y: 312 }, b: { x: 120, y: 215 } },
    { a: { x: 120, y: 145 }, b: { x: 120, y: 60 } },
    ...box.map((a, k) => ({ a, b: box[(k + 1) % 4]! })),
    { a: { x: 0, y: 145 }, b: { x: 200, y: 145 } },
    { a: { x: 0, y: 215 }, b: { x: 200, y: 215 } },
  ];

  it('finds the card, its covered side taken from the parts in view', () => {
    const held = heldCardFromLines(lines, edgeMap(image, 2), frame);
    expect(held).not.toBeNull();
    expect(quality.maxCornerError(held!, card)).toBeLessThan(3);
  });

  it('is asked only when the outline found fails framing, and taken over a part of the card, never a part over the card', () => {
    expect(failsFraming(box, frame)).toBe(true);
    expect(failsFraming(null, frame)).toBe(true);
    expect(failsFraming(card, frame)).toBe(false);
    // The card above a band across it: in range, square to the camera, but no document's proportions (2.5:1).
    expect(failsFraming([{ x: 120, y: 60 }, { x: 520, y: 60 }, { x: 520, y: 220 }, { x: 120, y: 220 }], frame)).toBe(true);
    // A part of the card the search ended on (a printed frame's field beside the box) has the card around it.
    const part: quality.Quad = [{ x: 280, y: 100 }, { x: 480, y: 100 }, { x: 480, y: 280 }, { x: 280, y: 280 }];
    expect(heldCardOverFound(card, part, frame)).toBe(true);
    expect(heldCardOverFound(part, card, frame)).toBe(false);
    expect(heldCardOverFound(card, null, frame)).toBe(true);
  });
});

describe('a held card over the outline found, by its rounded corners', () => {
  // A light ID-1 card (400 x 252) with rounded corners and a green header band on a pink table; a thumb
  // comes in from the left border over its top-left corner.
  const card: quality.Quad = [{ x: 140, y: 70 }, { x: 540, y: 70 }, { x: 540, y: 322 }, { x: 140, y: 322 }];
  const onCard = onRoundedCard(140, 70, 540, 322);
  const thumb = (x: number, y: number) => x < 200 && Math.abs(y - 0.25 * x - 70) < 22;
  const image = paint((x, y) => (thumb(x, y) ? [200, 140, 100] : onCard(x, y) ? (y < 110 ? [40, 110, 60] : (y - 70) % 30 < 6 && x > 300 ? [40, 40, 50] : [232, 228, 220]) : [200, 150, 180]), 11);
  const frame = searchFrame(image, 2);

  it('takes the card over an outline run along the thumb to the border, which contrast alone would keep', () => {
    // Its side from the thumb's edge at the border ends beside the card's corner, not on it (held 130058: 18 px).
    const alongThumb: quality.Quad = [{ x: 0, y: 48 }, { x: 540, y: 70 }, { x: 540, y: 322 }, { x: 152, y: 322 }];
    const [held, found] = [quality.regionContrast(image, card)!, quality.regionContrast(image, alongThumb)!];
    expect(held).toBeLessThan(1.15 * found);
    expect(quality.roundingTally(quality.cornerRounding(image, card)).rounded).toBeGreaterThanOrEqual(3);
    expect(heldCardOverFound(card, alongThumb, frame)).toBe(true);
  });

  it('takes the card over an outline along the thumb to the border even where it meets the card\'s three other corners', () => {
    // Its corner at the border reads neither way, its three others rounded: one behind the card's four.
    const alongThumb: quality.Quad = [{ x: 0, y: 48 }, { x: 540, y: 70 }, { x: 540, y: 322 }, { x: 140, y: 322 }];
    expect(quality.roundingTally(quality.cornerRounding(image, alongThumb))).toEqual({ rounded: 3, square: 0 });
    expect(heldCardOverFound(card, alongThumb, frame)).toBe(true);
  });

  it('takes the card over an outline that stopped at its header band', () => {
    const belowBand: quality.Quad = [{ x: 140, y: 110 }, { x: 540, y: 110 }, { x: 540, y: 322 }, { x: 140, y: 322 }];
    expect(heldCardOverFound(card, belowBand, frame)).toBe(true);
    expect(heldCardOverFound(belowBand, card, frame)).toBe(false);
  });

  it("builds the card from its sides, not the larger rectangle a table's edge beyond one side makes with them", () => {
    // A dark table edge runs across the frame 28 px below the card: the card with that stretch of table is a
    // larger quad of the same lines with a TD3 page's aspect, refined first and as well supported.
    const table = paint((x, y) => (y >= 350 && y < 356 ? [60, 40, 50] : onCard(x, y) ? (y < 110 ? [40, 110, 60] : [232, 228, 220]) : [200, 150, 180]), 13);
    const tableFrame = searchFrame(table, 2);
    const lines: quality.Segment[] = [
      { a: { x: 140, y: 70 }, b: { x: 540, y: 70 } },
      { a: { x: 540, y: 70 }, b: { x: 540, y: 322 } },
      { a: { x: 140, y: 322 }, b: { x: 540, y: 322 } },
      { a: { x: 140, y: 70 }, b: { x: 140, y: 322 } },
      { a: { x: 0, y: 350 }, b: { x: 640, y: 350 } },
      { a: { x: 540, y: 322 }, b: { x: 540, y: 350 } },
      { a: { x: 140, y: 322 }, b: { x: 140, y: 350 } },
    ];
    const larger: quality.Quad = [card[0], card[1], { x: 540, y: 350 }, { x: 140, y: 350 }];
    expect(quality.hasDocumentAspect(larger, WIDTH, HEIGHT)).toBe(true);
    const held = heldCardFromLines(lines, edgeMap(table, 2), tableFrame);
    expect(held).not.toBeNull();
    expect(quality.maxCornerError(held!, card)).toBeLessThan(3);
  });

  it('keeps the card found over a held outline taking a stretch of the table with it', () => {
    const withTable: quality.Quad = [{ x: 140, y: 70 }, { x: 600, y: 70 }, { x: 600, y: 322 }, { x: 140, y: 322 }];
    expect(heldCardOverFound(withTable, card, frame)).toBe(false);
  });

  it("tells the card's outline, whose corners are a card's, from an outline of a part of it or a stretch of the table", () => {
    // The card's top-left corner is under the thumb (undecided), its three others rounded.
    expect(hasCardCorners(card, frame)).toBe(true);
    // The card less its header band: its top corners are the inside's colour (square).
    const belowBand: quality.Quad = [{ x: 140, y: 110 }, { x: 540, y: 110 }, { x: 540, y: 322 }, { x: 140, y: 322 }];
    expect(hasCardCorners(belowBand, frame)).toBe(false);
    // A stretch of the table around the card: its corners are the table's inside and out, no card's.
    const stretch: quality.Quad = [{ x: 100, y: 30 }, { x: 600, y: 30 }, { x: 600, y: 345 }, { x: 100, y: 345 }];
    expect(hasCardCorners(stretch, frame)).toBe(false);
  });
});

describe("a card found as its portrait column, a thumb over the card's far side", () => {
  // A light ID-1 card (400 x 252, rounded corners) on a dark table, a dark portrait box 20 px in from its left
  // edge and 20 px from its top and bottom, a thumb across its right side. The column from the card's left edge
  // to the box's right edge has four supported sides and an ID-1 card's proportions turned upright; the card's
  // top and bottom carry on past its right corners, to the card's right side, which the thumb partly covers
  // (held 130007, 130035: told `move_closer`, 63-70% off).
  const onCard = onRoundedCard(120, 60, 520, 312);
  const inBox = (x: number, y: number) => x >= 140 && x < 250 && y >= 80 && y < 292;
  const thumb = (x: number, y: number) => x >= 470 && Math.abs(y - 186) < 45;
  const image = paint((x, y) => (thumb(x, y) ? [220, 170, 140] : inBox(x, y) ? [90, 70, 60] : onCard(x, y) ? [225, 215, 190] : [60, 70, 80]), 17);
  const frame = searchFrame(image, 2);
  const card: quality.Quad = [{ x: 120, y: 60 }, { x: 520, y: 60 }, { x: 520, y: 312 }, { x: 120, y: 312 }];
  const column: quality.Quad = [{ x: 120, y: 60 }, { x: 250, y: 60 }, { x: 250, y: 312 }, { x: 120, y: 312 }];

  it('is grown to the card, its covered side taken at a held side\'s support', () => {
    const sides = quality.sideSupport(image, card, frame.support);
    expect(Math.min(...sides)).toBeLessThan(0.8);
    const whole = documentPastCarriedSides(column, frame);
    expect(whole).not.toBeNull();
    expect(quality.maxCornerError(whole!, card)).toBeLessThan(4);
  });
});

describe('a card running off the frame found as its column under the header band, beside its portrait box', () => {
  // A light card from x = 120 running off the frame's right border (y 60..312) on a dark table: a dark header
  // band across its top (to y = 100), a grey portrait box right under it (x 140..250, to y = 270) and a light
  // grey MRZ band below (y 270..312). The column from the card's left edge to the box's right side, between the
  // bands' edges, has four supported sides. Its sides along the bands' edges carry on past the box's corners
  // with the band's colour outside but stock, not the box, inside (plain 600195, 100054, held 480006, 530019,
  // 550003, 560007, 560027: told `move_closer` or to re-frame, 19-76% off).
  const onCard = (x: number, y: number) => x >= 120 && y >= 60 && y < 312;
  const image = paint((x, y) => {
    if (!onCard(x, y)) return [70, 55, 50];
    if (y < 100) return [40, 95, 75];
    if (y >= 270) return [200, 200, 200];
    return x >= 140 && x < 250 ? [140, 150, 165] : [235, 225, 205];
  }, 29);
  const frame = { ...searchFrame(image, 2), minVisibleSide: 0.2 };
  const column: quality.Quad = [{ x: 120, y: 100 }, { x: 250, y: 100 }, { x: 250, y: 270 }, { x: 120, y: 270 }];

  it('is a part of the card or a far card until its sides are followed', () => {
    expect(smallOrMisshapenInView(column, frame)).toBe(true);
    expect(documentPastCarriedSides(column, frame)).toBeNull();
  });

  it('grows to the card, cut off at the border, when its sides carry on with their outer colour alone', () => {
    const card = documentPastCarriedSides(column, frame, { outsideOnly: true });
    expect(card).not.toBeNull();
    expect(quality.cornerMarginPx(card!, WIDTH, HEIGHT)).toBeLessThan(2);
    const [tl, tr, br, bl] = card!;
    expect(Math.hypot(tl.x - 120, tl.y - 60)).toBeLessThan(4);
    expect(Math.hypot(bl.x - 120, bl.y - 312)).toBeLessThan(4);
    expect(Math.min(tr.x, br.x)).toBeGreaterThan(WIDTH - 4);
    expect(smallOrMisshapenInView(card!, frame)).toBe(false);
  });
});

describe("a card whose sides a background's lines carry on past its corners", () => {
  // A light ID-1 card (320 x 202, rounded corners) on a pink table; dark lines carry its top and bottom sides on to
  // the right, to a dark line across them (a tartan's stripes): the card's two left corners and that line's two
  // crossings make a larger quad with four supported sides.
  const card: quality.Quad = [{ x: 140, y: 70 }, { x: 460, y: 70 }, { x: 460, y: 272 }, { x: 140, y: 272 }];
  const larger: quality.Quad = [card[0], { x: 580, y: 70 }, { x: 580, y: 272 }, card[3]];
  const onCard = onRoundedCard(140, 70, 460, 272);
  const stripe = (x: number, y: number) => (x >= 460 && x < 583 && (Math.abs(y - 70.5) < 2 || Math.abs(y - 271.5) < 2)) || (y >= 68 && y < 274 && Math.abs(x - 580.5) < 2);
  const image = paint((x, y) => (onCard(x, y) ? ((y - 70) % 30 < 6 && x > 260 && x < 440 ? [50, 50, 60] : [232, 228, 220]) : stripe(x, y) ? [70, 50, 60] : [200, 150, 180]), 17);
  const frame = searchFrame(image, 2);

  it('takes the card, all four of its corners rounded, over the larger quad only two of whose corners are its', () => {
    expect(quality.roundingTally(quality.cornerRounding(image, card))).toEqual({ rounded: 4, square: 0 });
    expect(hasCardCorners(larger, frame)).toBe(false);
    // The larger quad alone has four supported sides and is taken: the lines do carry the card's sides on.
    const alone = chooseQuad([{ quad: larger, partial: true }], frame).quad;
    expect(alone).not.toBeNull();
    expect(quality.maxCornerError(alone!, larger)).toBeLessThan(6);
    const { quad } = chooseQuad([{ quad: larger, partial: true }, { quad: card, partial: true }], frame);
    expect(quad).not.toBeNull();
    expect(quality.maxCornerError(quad!, card)).toBeLessThan(3);
  });
});
