import { quality, type RgbaImage } from '@ekyc/core';
import { grayView, type FrameBuffers, type Mat, type MatScope, type OpenCv } from './opencv-frame.ts';

// What is measured once the document is found (or known absent): sharpness, glare and lighting.

/** Margin cut off the rectified document so its own outline does not count as sharpness or contrast. */
const INSET_FRACTION = 0.04;
/** Block side (px at the reference width) of the highlight analysis: 40 blocks across, a few text lines high. */
const HOTSPOT_BLOCK = 16;
/**
 * The print's edges are read (and decide focus, see `inFocus` in core's focus.ts) where the Laplacian's
 * variance is under this many times `minSharpness`. The variance counts the sensor noise (±3 levels
 * adds about 60) and the print's density as well as its sharpness: documents blurred past 1.2 px at
 * the reference read up to 189 on the tuning frames (seeds 1000.., 20000.., 30000.., 50000..), while
 * sharp ones that read over 100 had edges of 0.8-1.3 px, with one exception in 249.
 */
const EDGE_BLUR_SHARPNESS_FACTOR = 2;

export type RegionMetrics = Pick<quality.FrameMetrics, 'sharpness' | 'edgeBlur' | 'glareFraction' | 'brightness' | 'contrast' | 'clippedFraction' | 'darkLevel' | 'medianLevel' | 'lightPrintShare' | 'printDepthShare'>;

/**
 * Sharpness, glare and lighting of the document at the reference scale: its bounding box, in gray,
 * resized so the document's long side is `referenceWidth` px, measured inside its outline (less a
 * margin, so its own edges do not count as sharpness or contrast). A resize is separable and several
 * times cheaper than a perspective warp in OpenCV.js; within the tilt the gate accepts, the
 * foreshortening it leaves changes the Laplacian variance far less than the blur it is there to catch.
 */
export function documentMetrics(cv: OpenCv, frame: RgbaImage, rgba: Mat, corners: quality.Quad, thresholds: quality.QualityThresholds, scope: MatScope): RegionMetrics {
  const [tl, tr, br, bl] = corners;
  const longSide = Math.max((quality.distance(tl, tr) + quality.distance(bl, br)) / 2, (quality.distance(tl, bl) + quality.distance(tr, br)) / 2);
  const left = Math.min(frame.width - 1, Math.max(0, Math.floor(Math.min(tl.x, tr.x, br.x, bl.x))));
  const top = Math.min(frame.height - 1, Math.max(0, Math.floor(Math.min(tl.y, tr.y, br.y, bl.y))));
  const right = Math.min(frame.width, Math.ceil(Math.max(tl.x, tr.x, br.x, bl.x)));
  const bottom = Math.min(frame.height, Math.ceil(Math.max(tl.y, tr.y, br.y, bl.y)));
  const scale = thresholds.referenceWidth / Math.max(1, longSide);
  const boxWidth = Math.max(1, right - left);
  const boxHeight = Math.max(1, bottom - top);
  // Only the document's box is copied into the WASM heap, row by row: the whole frame took 0.5 ms, the
  // box's full rows 0.30-0.39 ms and the box alone 0.17-0.30 ms (900x570, CPU time in Node).
  const heap = rgba.data;
  const rowBytes = frame.width * 4;
  for (let y = top, at = top * rowBytes + left * 4; y < top + boxHeight; y++, at += rowBytes) heap.set(frame.data.subarray(at, at + boxWidth * 4), at);
  const box = scope.track(rgba.roi(new cv.Rect(left, top, boxWidth, boxHeight)));
  const boxGray = scope.mat();
  cv.cvtColor(box, boxGray, cv.COLOR_RGBA2GRAY);
  const region = scope.mat();
  cv.resize(boxGray, region, new cv.Size(Math.max(1, Math.round(boxWidth * scale)), Math.max(1, Math.round(boxHeight * scale))), 0, 0, cv.INTER_LINEAR);
  const cx = (tl.x + tr.x + br.x + bl.x) / 4;
  const cy = (tl.y + tr.y + br.y + bl.y) / 4;
  const shrink = 1 - 2 * INSET_FRACTION;
  const outline = corners.map((p) => ({ x: (cx + (p.x - cx) * shrink - left) * scale, y: (cy + (p.y - cy) * shrink - top) * scale }));
  // The document's own outline: a highlight's core is measured as a share of the whole document (#18 glare).
  const documentOutline = corners.map((p) => ({ x: (p.x - left) * scale, y: (p.y - top) * scale }));
  // The document's aspect (its surface, on which glare is measured), as the quad rectified shows it: fitted only where a highlight's core is measured.
  return regionMetrics(grayView(region), thresholds, outline, HOTSPOT_BLOCK, documentOutline, () => quality.estimatePose(corners, frame.width, frame.height).aspect);
}

/** Without a document only the whole (reduced) frame can be judged: for light, mainly. */
export function wholeFrameMetrics(buffers: FrameBuffers, thresholds: quality.QualityThresholds): RegionMetrics {
  return regionMetrics(buffers.smallGray(), thresholds);
}

/** `image` may be a view of the WASM heap: it is read here, before any other OpenCV call could move the heap. */
function regionMetrics(image: quality.GrayImage, thresholds: quality.QualityThresholds, outline?: readonly quality.Point[], blockSize = 0, documentOutline = outline, documentAspect?: () => number): RegionMetrics {
  // Every other row: at the reference width that is still ~100k pixels, and half the time.
  const stats = quality.regionStats(image, thresholds.glareLevel, { ...(outline ? { polygon: outline } : {}), ...(documentOutline && documentOutline !== outline ? { meanPolygon: documentOutline } : {}), rowStep: 2, blockSize });
  const { sharpness, brightness, contrast, clippedFraction, darkLevel, medianLevel, blocks } = stats;
  if (!blocks) return { sharpness, brightness, contrast, clippedFraction, darkLevel, medianLevel, glareFraction: 0 };
  // Only a bright document is judged on its light print (see `judgeExposure`): the scan is skipped otherwise.
  const lightPrint = brightness > thresholds.maxBrightness ? quality.lightPrint(blocks, image) : undefined;
  const glareFraction = outline ? quality.hotspotFraction(blocks, image, outline, documentOutline, undefined, documentAspect) : 0;
  // Read only where the Laplacian cannot tell (at most 48 blocks: 0.1-0.3 ms in Node): under
  // `minSharpness`, and up to twice it, where sensor noise and dense print lift a blurred document's
  // variance (see `EDGE_BLUR_SHARPNESS_FACTOR`).
  const edgeBlur = sharpness < EDGE_BLUR_SHARPNESS_FACTOR * thresholds.minSharpness ? quality.edgeBlurSigma(blocks, image) : Number.NaN;
  return { sharpness, brightness, contrast, clippedFraction, darkLevel, medianLevel, glareFraction, ...(Number.isFinite(edgeBlur) ? { edgeBlur } : {}), ...(lightPrint === undefined ? {} : { lightPrintShare: lightPrint.share, printDepthShare: lightPrint.depthShare }) };
}
