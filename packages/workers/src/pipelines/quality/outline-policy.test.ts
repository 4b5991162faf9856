import { describe, expect, it } from 'vitest';
import { quality } from '@ekyc/core';
import { borderSides, chooseQuad, cornerWorthScoring, searchFrame } from './outline-policy.ts';

/**
 * A 640 x 360 frame (RGBA) with a light card running off it at the top-right corner: its corner in
 * view at (200, 250), its left side rising to the top border at x = 215, its bottom side running to
 * the right border at y = 270. Inside the card, a dark portrait box (300..440, 60..190). The
 * background is a noisy blue-grey.
 */
function cornerScene(): quality.PixelImage {
  const width = 640;
  const height = 360;
  const data = new Uint8Array(width * height * 4);
  let s = 11;
  const noise = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 6;
  // Right of the left side (200,250)-(215,0) and above the bottom side (200,250)-(639,270).
  const onCard = (x: number, y: number) => x > 200 + (15 * (250 - y)) / 250 && y < 250 + (20 * (x - 200)) / 439;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const card = onCard(x + 0.5, y + 0.5);
      const portrait = x >= 300 && x < 440 && y >= 60 && y < 190;
      const rgb = !card ? [70, 90, 120] : portrait ? [90, 70, 60] : [225, 215, 190];
      const at = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[at + c] = Math.max(0, Math.min(255, Math.round(rgb[c]! + noise())));
      data[at + 3] = 255;
    }
  }
  return { data, width, height, channels: 4, used: 3 };
}

const cornerQuad: quality.Quad = [{ x: 215, y: 0 }, { x: 639, y: 0 }, { x: 639, y: 270 }, { x: 200, y: 250 }];
const portraitBox: quality.Quad = [{ x: 300, y: 60 }, { x: 440, y: 60 }, { x: 440, y: 190 }, { x: 300, y: 190 }];

describe('borderSides', () => {
  it('takes two sides along the border when they meet at the frame corner, and none when they do not', () => {
    const frame = searchFrame(cornerScene(), 2);
    expect(borderSides(cornerQuad, frame)).toEqual([true, true, false, false]);
    // Top and bottom borders: the document would span the frame, no outline to judge.
    const across: quality.Quad = [{ x: 100, y: 0 }, { x: 500, y: 0 }, { x: 520, y: 359 }, { x: 80, y: 359 }];
    expect(borderSides(across, frame)).toEqual([false, false, false, false]);
  });
});

describe('chooseQuad', () => {
  it('reports a document running off at a frame corner cut off, not its portrait box', () => {
    const frame = searchFrame(cornerScene(), 2);
    const { quad } = chooseQuad([{ quad: cornerQuad, partial: true }, { quad: portraitBox, partial: false }], frame);
    expect(quad).not.toBeNull();
    expect(quality.cornerMarginPx(quad!, 640, 360)).toBeLessThan(2);
    expect(quality.maxCornerError(quad!, cornerQuad)).toBeLessThan(4);
  });
});

describe('cornerWorthScoring', () => {
  it('keeps the quad of a card running off at a frame corner, drops one over background to the frame corner', () => {
    const image = cornerScene();
    expect(cornerWorthScoring(cornerQuad, searchFrame(image, 2))).toBe(true);
    // The same quad where the card lies inside it, clear of the border (lines of the background, a
    // table's edges, reaching the border make such quads too): the strips along the border are background.
    const inside = (i: number) => {
      const x = (i >> 2) % 640;
      const y = Math.floor((i >> 2) / 640);
      return x >= 350 && x < 560 && y >= 40 && y < 220;
    };
    const empty = { ...image, data: image.data.map((v, i) => (i % 4 === 3 ? 255 : inside(i) ? [225, 215, 190][i % 4]! : [70, 90, 120][i % 4]!)) };
    expect(cornerWorthScoring(cornerQuad, searchFrame(empty, 2))).toBe(false);
  });
});

/**
 * A table top (light grey) whose two edges meet at (120, 300) and run to the top and right borders,
 * on a dark floor, with an ID-1 card (171 x 108 px, 1.58) lying wholly on it near the top-right.
 */
function tableCornerScene(): quality.PixelImage {
  const width = 640;
  const height = 360;
  const data = new Uint8Array(width * height * 4);
  let s = 3;
  const noise = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 6;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const table = x > 120 + (10 * (300 - y)) / 300 && y < 300 + (15 * (x - 120)) / 519;
      const card = x >= 450 && x < 621 && y >= 20 && y < 128;
      const rgb = card ? [235, 225, 200] : table ? [150, 150, 145] : [50, 45, 40];
      const at = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[at + c] = Math.max(0, Math.min(255, Math.round(rgb[c]! + noise())));
      data[at + 3] = 255;
    }
  }
  return { data, width, height, channels: 4, used: 3 };
}

describe('chooseQuad at a frame corner', () => {
  it('prefers a card wholly in view inside a frame-corner quad of the background (a table top) to that quad', () => {
    const frame = searchFrame(tableCornerScene(), 2);
    const tableCorner: quality.Quad = [{ x: 130, y: 0 }, { x: 639, y: 0 }, { x: 639, y: 315 }, { x: 120, y: 300 }];
    const card: quality.Quad = [{ x: 450, y: 20 }, { x: 621, y: 20 }, { x: 621, y: 128 }, { x: 450, y: 128 }];
    const { quad } = chooseQuad([{ quad: tableCorner, partial: true }, { quad: card, partial: false }], frame);
    expect(quad).not.toBeNull();
    expect(quality.maxCornerError(quad!, card)).toBeLessThan(3);
  });
});
