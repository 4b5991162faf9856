import { segmentSupport, sideSupport, type EdgeSupportOptions, type PixelImage } from './edge-support.ts';
import { outwardSide, quadFromLines, quadSideLines, type Line } from './lines.ts';
import { DOCUMENT_ASPECTS, estimatePose } from './pose.ts';
import { refineQuad } from './refine-corners.ts';
import type { Quad } from './types.ts';

export interface AspectGrowthOptions extends EdgeSupportOptions {
  /** Farthest outward shift tried for one side, as a fraction of the quad's extent across it. */
  maxShiftFraction: number;
  /** Edge support the grown side must have after its line is fitted again. */
  minSupport: number;
  /** How close (|log ratio|) a quad's rectified aspect must come to a document format's to match it. */
  aspectTolerance?: number;
  /** Aspect ratios (width / height) of the formats expected; ID-1, ID-2, ID-3 by default. */
  aspects?: readonly number[];
}

const aspectError = (aspect: number, formats: readonly number[]): number =>
  Math.min(...formats.map((r) => Math.min(Math.abs(Math.log(aspect / r)), Math.abs(Math.log(aspect * r)))));

/**
 * The document's outline when one side of `quad` stopped at an inner edge that runs along it: the
 * boundary of a coloured header band, an MRZ band or a printed frame, whose own contrast is often
 * stronger than the card's against the background. Evidence: the quad, rectified with the focal
 * length it implies (`estimatePose`), has the aspect of no document format, and one side moved
 * outward, parallel, to the nearest position where it lies on an edge gives a quad that has one
 * (ID-1, ID-2 or ID-3). Only the two sides across the short dimension (against the nearest format)
 * are tried; the nearest such position wins; the grown side's line is fitted again and kept only with
 * `minSupport`. A quad whose aspect already fits is returned as it is.
 */
export function growToDocumentAspect(image: PixelImage, quad: Quad, options: AspectGrowthOptions): Quad {
  const formats = options.aspects ?? Object.values(DOCUMENT_ASPECTS);
  const tolerance = options.aspectTolerance ?? 0.035;
  const aspectOf = (q: Quad): number => estimatePose(q, image.width, image.height).aspect;
  const aspect = aspectOf(quad);
  if (aspectError(aspect, formats) <= tolerance) return quad;
  // Which pair of sides is short: the top and bottom (sides 0, 2) set the height, the others the width.
  const longAxis = Math.max(aspect, 1 / aspect);
  const nearest = formats.reduce((a, b) => (Math.abs(Math.log(longAxis / b)) < Math.abs(Math.log(longAxis / a)) ? b : a));
  const heightShort = aspect >= 1 ? longAxis > nearest : longAxis < nearest;
  const sides = heightShort ? [0, 2] : [1, 3];
  const lines = quadSideLines(quad);
  if (!lines) return quad;
  let best: { quad: Quad; shift: number } | null = null;
  const scan = { ...options, searchRadius: 3 };
  for (const side of sides) {
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const { normal, depth } = outwardSide(quad, lines, side);
    const maxShift = Math.min(Math.floor(depth * options.maxShiftFraction), best ? best.shift - 1 : Infinity);
    // From just past the side's own edge outward; every 6 px is covered by the +-3 px scan.
    for (let d = 6; d <= maxShift; d += 6) {
      const a2 = { x: a.x + normal.x * d, y: a.y + normal.y * d };
      const b2 = { x: b.x + normal.x * d, y: b.y + normal.y * d };
      if (segmentSupport(image, a2, b2, scan) < options.minSupport) continue;
      const moved: Line[] = lines.map((l, k) => (k === side ? { point: { x: l.point.x + normal.x * d, y: l.point.y + normal.y * d }, direction: l.direction } : l));
      const grown = quadFromLines(moved);
      if (!grown) break;
      const fitted = refineQuad(image, grown, { searchRadius: 5 });
      if (sideSupport(image, fitted, options)[side]! < options.minSupport) continue;
      if (aspectError(aspectOf(fitted), formats) > tolerance) continue;
      best = { quad: fitted, shift: d };
      break;
    }
  }
  return best?.quad ?? quad;
}
