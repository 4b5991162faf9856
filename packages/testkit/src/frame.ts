import { quality, type RgbaImage } from '@ekyc/core';
import { projectCard } from './camera.ts';
import { addGlare, applyGain, clippedByGain, clippedPrintByGain, lostSecurityPrintByGain, outlineShownFraction, regionStats, warpCardInto } from './compose.ts';
import { DOCUMENT_SIZE_MM, renderStyledDocument, type CardStyle, type DocumentKind } from './document.ts';
import { LICENCE_SIZE_MM, renderDrivingLicence } from './licence-document.ts';
import { MRZ_DOCUMENT_SIZE_MM, mrzBand, renderMrzDocument } from './mrz-document.ts';
import { paintThumb, thumbOver, type Band, type Thumb } from './mrz-stress.ts';
import { createRandom, type Random } from './random.ts';
import { paintFabric, paintWood } from './textures.ts';

export type BackgroundKind = 'plain' | 'texture' | 'clutter' | 'low_contrast' | 'wood' | 'fabric';

/**
 * Which renderer draws the document. `styled` (the default): the quality engine's tuning documents,
 * a TD1 card or TD3 data page on pastel, light or white stock with a dark or coloured header band and
 * sometimes a printed frame (`renderStyledDocument`). `icao`: the document-reading renderers, held out
 * from the quality engine's tuning: a TD1 card (its front or its MRZ back) or an EU driving licence
 * (ID-1), a TD2 card (ID-2) or a TD3 data page (ID-3), on a light tint with wave lines, a title but no
 * header band, a grey portrait silhouette (`renderMrzDocument`, `renderDrivingLicence`).
 */
export type DocumentRenderer = 'styled' | 'icao';

/** The document a frame shows: the `styled` renderer draws `td1` and `td3`, the `icao` one all four. */
export type FrameDocument = DocumentKind | 'td2' | 'licence';

/** Focal lengths drawn when none is given, as a fraction of the longer frame side: wide phone cameras to a 2x tele. */
export const FOCAL_LENGTH_FRACTION_RANGE = [0.55, 1.6] as const;

export interface FrameOptions {
  /** Frame size in px (default 1280x720); the scene (card, background) keeps its shares of the width. */
  width?: number;
  height?: number;
  /** Focal length as a fraction of the longer frame side; drawn from `FOCAL_LENGTH_FRACTION_RANGE` when omitted. */
  focalLengthFraction?: number;
  /** OCR-B font family name, already loaded with `FontFace`. */
  font?: string;
  /** Fraction of frames without any document. */
  emptyRate?: number;
  /** A document near the ideal capture: frontal-ish, well exposed, no glare, no blur. */
  clean?: boolean;
  /**
   * A thumb holding the card over one corner or edge, never over the MRZ (`thumbOver`), drawn from its
   * own sequence: the frame is otherwise pixel for pixel that of the seed. Off by default. The labels
   * stay the card's (true corners; brightness over the card the thumb leaves visible), so a clean frame
   * stays good: people hold cards this way and auto-capture must still fire.
   */
  thumb?: boolean;
  /** Which renderer draws the document (`DocumentRenderer`); `styled` when omitted, frame for frame as before. */
  renderer?: DocumentRenderer;
}

/** Ground truth of one generated frame, exact by construction. */
export interface FrameLabel {
  seed: number;
  document: FrameDocument | null;
  /** The renderer that drew the document (`FrameOptions.renderer`). */
  renderer: DocumentRenderer;
  background: BackgroundKind;
  corners: quality.Quad | null;
  /** The card's true pose (degrees): pitch and yaw tilt it out of the image plane, roll turns it in it. */
  pose: { pitchDeg: number; yawDeg: number; rollDeg: number } | null;
  /** The camera's focal length the frame was rendered with, as a fraction of the longer frame side. */
  focalLengthFraction: number;
  /** How a `styled` document looks (card stock, header band, printed frame); `null` without a document or from the `icao` renderer. */
  style: CardStyle | null;
  tiltDeg: number;
  widthFraction: number;
  cornerMarginPx: number;
  /** Gaussian blur sigma applied to the frame, px. */
  blurSigma: number;
  /** The same blur expressed at the analyzer's reference width (the document rectified to 640 px). */
  blurSigmaAtReference: number;
  gain: number;
  /** Measured on the rendered frame over pixels fully inside the true quad. */
  brightness: number;
  /** Fraction of the card whose pixels the saturated core of a specular hotspot turns white (exact, in card pixels; stock already saturated does not count). */
  glareFraction: number;
  /**
   * Fraction of the card whose print (gray < 200 and >= 16 levels away from the stock, as printed) the
   * exposure gain clips to white: what over-exposure loses that the image can show (see `clippedPrintByGain`).
   */
  clippedContentFraction: number;
  /** The definition before 2026-12-02: printed content including the stock itself when its gray is < 200 (`clippedByGain`); kept to compare. */
  clippedContentWithStockFraction: number;
  /** Share of the card's security print (guilloche lines and rosette, where they show) that the gain's clipping leaves within 16 levels of the stock (`lostSecurityPrintByGain`). */
  lostSecurityPrintFraction: number;
  /**
   * Share of the card's outline in view that the frame shows (`outlineShownFraction`, on the frame before its
   * sensor noise); `null` without a document or with none of its outline in view. Where the exposure clipped
   * the card together with its background, it is near 0: the card is there, but nothing in the frame shows it.
   */
  outlineShownFraction: number | null;
}

export interface LabelledFrame {
  image: RgbaImage<Uint8ClampedArray>;
  label: FrameLabel;
}

function paintBackground(ctx: OffscreenCanvasRenderingContext2D, kind: BackgroundKind, random: Random, width: number, height: number, cardHue: number): void {
  const hue = kind === 'low_contrast' ? cardHue : random.int(0, 359);
  ctx.fillStyle = `hsl(${hue} ${random.int(5, 40)}% ${kind === 'low_contrast' ? random.int(62, 72) : random.int(15, 60)}%)`;
  ctx.fillRect(0, 0, width, height);
  if (kind === 'texture' || kind === 'low_contrast') {
    // Wood- or fabric-like streaks.
    for (let i = 0; i < 160; i++) {
      ctx.strokeStyle = `hsl(${hue} 30% ${random.int(kind === 'low_contrast' ? 58 : 10, kind === 'low_contrast' ? 76 : 70)}% / 0.25)`;
      ctx.lineWidth = random.range(1, 6);
      ctx.beginPath();
      const y = random.range(0, height);
      ctx.moveTo(0, y);
      ctx.bezierCurveTo(width / 3, y + random.range(-40, 40), (2 * width) / 3, y + random.range(-40, 40), width, y + random.range(-40, 40));
      ctx.stroke();
    }
  }
  if (kind === 'wood') paintWood(ctx, random, width, height);
  if (kind === 'fabric') paintFabric(ctx, random, width, height);
  if (kind === 'clutter') {
    // Desk clutter: pens, papers, coins; smaller than a card held at capture distance.
    for (let i = 0; i < 14; i++) {
      ctx.fillStyle = `hsl(${random.int(0, 359)} ${random.int(10, 70)}% ${random.int(20, 90)}%)`;
      ctx.save();
      ctx.translate(random.range(0, width), random.range(0, height));
      ctx.rotate(random.range(0, Math.PI));
      if (random.chance(0.5)) ctx.fillRect(-random.range(20, 160), -random.range(5, 60), random.range(40, 320), random.range(10, 120));
      else {
        ctx.beginPath();
        ctx.arc(0, 0, random.range(10, 50), 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.restore();
    }
  }
}

/** Frame width (px) the backgrounds' sizes are drawn for (`generateLabelledFrame` scales them to others). */
const SCENE_WIDTH = 1280;

/** Resolution the card is rendered at before it is warped into the frame. */
const CARD_PX_PER_MM = 10;

/** The generated card's MRZ band in its pixels: the light band `renderStyledDocument` prints the MRZ on. */
function styledMrzBand(kind: DocumentKind, card: { width: number; height: number }, pxPerMm: number): Band {
  const lines = kind === 'td1' ? 3 : 2;
  const top = card.height - (2 + lines * 4.2 + 1.5) * pxPerMm;
  return { top, bottom: card.height, left: 0, right: card.width };
}

/** A document as drawn for a frame: its pixels, size (mm; corner radius as a share of the width), and what the labels and the thumb need. */
interface FrameCard {
  image: RgbaImage<Uint8ClampedArray>;
  size: { width: number; height: number; cornerRadius: number };
  style: CardStyle | null;
  /** Where its security print shows (1 per pixel): what over-exposure can wash out. */
  securityPrint: Uint8Array;
  /** The strip a thumb holding the card stays off: its MRZ, or its lowest 10 mm on a side without one. */
  keepClear: Band;
}

/** ISO/IEC 7810 corner radius of a card (ID-1, ID-2), mm; a TD3 page's is `DOCUMENT_SIZE_MM.td3`'s. */
const CARD_CORNER_RADIUS_MM = 3.18;

function renderFrameCard(kind: FrameDocument, renderer: DocumentRenderer, random: Random, font: string): FrameCard {
  const mm = CARD_PX_PER_MM;
  if (renderer === 'styled') {
    const styledKind = kind as DocumentKind;
    const rendered = renderStyledDocument(styledKind, random, mm, font);
    return { image: rendered.image, size: DOCUMENT_SIZE_MM[styledKind], style: rendered.style, securityPrint: rendered.securityPrint, keepClear: styledMrzBand(styledKind, rendered.image, mm) };
  }
  const lowest = (image: { width: number; height: number }): Band => ({ top: image.height - 10 * mm, bottom: image.height, left: 0, right: image.width });
  if (kind === 'licence') {
    const licence = renderDrivingLicence(random, { pxPerMm: mm, securityPrint: true });
    return { image: licence.image, size: { ...LICENCE_SIZE_MM, cornerRadius: CARD_CORNER_RADIUS_MM / LICENCE_SIZE_MM.width }, style: null, securityPrint: licence.securityPrint!, keepClear: lowest(licence.image) };
  }
  const format = kind === 'td1' ? 'TD1' : kind === 'td2' ? 'TD2' : 'TD3';
  const rendered = renderMrzDocument(random, { format, pxPerMm: mm, font, securityPrint: true });
  const { width, height } = MRZ_DOCUMENT_SIZE_MM[format];
  const size = { width, height, cornerRadius: format === 'TD3' ? DOCUMENT_SIZE_MM.td3.cornerRadius : CARD_CORNER_RADIUS_MM / width };
  if (rendered.front && random.chance(0.5)) return { image: rendered.front, size, style: null, securityPrint: rendered.securityPrint!.front!, keepClear: lowest(rendered.front) };
  return { image: rendered.mrzSide, size, style: null, securityPrint: rendered.securityPrint!.mrzSide, keepClear: mrzBand(format, mm) };
}

/** `thumb` (card pixels) where the card lies in the frame (`corners`). */
function thumbInFrame(thumb: Thumb, card: { width: number; height: number }, corners: quality.Quad, documentWidthPx: number): Thumb {
  const toFrame = quality.homographyFromPoints([{ x: 0, y: 0 }, { x: card.width, y: 0 }, { x: card.width, y: card.height }, { x: 0, y: card.height }], corners)!;
  return { ...thumb, tip: quality.applyHomography(toFrame, thumb.tip), base: quality.applyHomography(toFrame, thumb.base), radius: (thumb.radius * documentWidthPx) / card.width };
}

/** Takes the pixels under the thumb and its shadow out of `coverage` (the card's labels measure the card, not the thumb). */
function uncoverThumb(coverage: Float32Array, width: number, thumb: Thumb): void {
  const { tip, base } = thumb;
  const reach = thumb.radius * 1.25 + 1;
  const dx = base.x - tip.x;
  const dy = base.y - tip.y;
  const length2 = dx * dx + dy * dy || 1;
  const height = coverage.length / width;
  const y0 = Math.max(0, Math.floor(Math.min(tip.y, base.y) - reach));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(tip.y, base.y) + reach));
  const x0 = Math.max(0, Math.floor(Math.min(tip.x, base.x) - reach));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(tip.x, base.x) + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const t = Math.min(1, Math.max(0, ((x + 0.5 - tip.x) * dx + (y + 0.5 - tip.y) * dy) / length2));
      if (Math.hypot(x + 0.5 - tip.x - t * dx, y + 0.5 - tip.y - t * dy) <= reach) coverage[y * width + x] = 0;
    }
  }
}

/**
 * One labelled capture frame, fully determined by `seed`: a TD1 card or TD3 data page (or nothing)
 * placed by a random 3-D pose in front of a pinhole camera, on a random background, with random
 * glare, exposure, blur and sensor noise. Browser only (OffscreenCanvas).
 */
export function generateLabelledFrame(seed: number, options: FrameOptions = {}): LabelledFrame {
  const width = options.width ?? 1280;
  const height = options.height ?? 720;
  const random = createRandom(seed);
  const focalLengthFraction = options.focalLengthFraction ?? random.range(...FOCAL_LENGTH_FRACTION_RANGE);
  const focalPx = focalLengthFraction * Math.max(width, height);
  const renderer = options.renderer ?? 'styled';
  const documents: readonly FrameDocument[] = renderer === 'styled' ? ['td1', 'td3'] : ['td1', 'td2', 'td3', 'licence'];
  const kind: FrameDocument | null = random.chance(options.clean ? 0 : options.emptyRate ?? 0.1) ? null : random.pick(documents);
  const background = random.pick(['plain', 'texture', 'clutter', 'low_contrast', 'wood', 'fabric'] as const);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const cardHue = random.int(0, 359);
  // One scene at any camera resolution: the card is placed by its share of the frame's width, so the
  // background is painted at the scale of a frame 1280 px wide (a pen, a weave's pitch, a grain line stay
  // the same share of the card at 640 px or held upright at 720x1280). 1280-px frames are drawn as before.
  const sceneScale = width / SCENE_WIDTH;
  if (sceneScale !== 1) {
    ctx.save();
    ctx.scale(sceneScale, sceneScale);
  }
  paintBackground(ctx, background, random, width / sceneScale, height / sceneScale, cardHue);
  if (sceneScale !== 1) ctx.restore();
  const frame: RgbaImage<Uint8ClampedArray> = { width, height, data: ctx.getImageData(0, 0, width, height).data };
  // Exposure is drawn first and applied to the scene; a specular hotspot saturates whatever the exposure.
  const gain = options.clean ? random.range(0.9, 1.02) : random.chance(0.6) ? random.range(0.8, 1.15) : random.pick([random.range(0.25, 0.6), random.range(1.3, 1.9)]);
  applyGain(frame, gain);

  let corners: quality.Quad | null = null;
  let pose: FrameLabel['pose'] = null;
  let style: CardStyle | null = null;
  let tiltDeg = 0;
  let glareFraction = 0;
  let clippedContentFraction = 0;
  let clippedContentWithStockFraction = 0;
  let lostSecurityPrintFraction = 0;
  let coverage: Float32Array = new Float32Array(width * height);
  if (kind) {
    const rendered = renderFrameCard(kind, renderer, random, options.font ?? 'OCR-B');
    const { image: card, size } = rendered;
    style = rendered.style;
    // About half the frames are near a good capture, the rest spread over every failure.
    const nearGood = options.clean === true || random.chance(0.5);
    // Near-good frames keep the whole document in view: its height stays within 82% of the frame's.
    const fitsWidthFraction = Math.min(0.72, 0.82 * (height / width) * (size.width / size.height));
    const targetWidthFraction = nearGood ? random.range(0.52, fitsWidthFraction) : random.range(0.3, 1.0);
    const maxAngle = nearGood ? 10 : 30;
    const z = (focalPx * size.width) / (targetWidthFraction * width);
    const cardPose = {
      pitchDeg: random.range(-maxAngle, maxAngle),
      yawDeg: random.range(-maxAngle, maxAngle),
      rollDeg: random.range(-12, 12),
      x: random.range(-0.12, 0.12) * (nearGood ? 0.5 : 1) * size.width * (width / (targetWidthFraction * width)),
      y: random.range(-0.1, 0.1) * (nearGood ? 0.5 : 1) * size.height * (width / (targetWidthFraction * width)),
      z,
    };
    ({ corners, tiltDeg } = projectCard(size.width, size.height, cardPose, focalPx, width, height));
    // A near-good capture has the whole document in view: stepped back until every corner is 4% of the frame inside.
    for (let step = 0; nearGood && step < 20 && quality.cornerMarginPx(corners, width, height) < 0.04 * Math.min(width, height); step++) {
      cardPose.z *= 1.03;
      ({ corners, tiltDeg } = projectCard(size.width, size.height, cardPose, focalPx, width, height));
    }
    pose = { pitchDeg: cardPose.pitchDeg, yawDeg: cardPose.yawDeg, rollDeg: cardPose.rollDeg };
    clippedContentFraction = clippedPrintByGain(card, gain);
    clippedContentWithStockFraction = clippedByGain(card, gain);
    lostSecurityPrintFraction = lostSecurityPrintByGain(card, rendered.securityPrint, gain);
    applyGain(card, gain);
    if (!options.clean && random.chance(0.3)) {
      const saturated = addGlare(card, random.range(0.2, 0.8) * card.width, random.range(0.2, 0.8) * card.height, random.range(0.06, 0.22) * card.width);
      glareFraction = saturated / (card.width * card.height);
    }
    coverage = warpCardInto(frame, card, corners, size.cornerRadius);
    if (options.thumb) {
      // Its own sequence (as the MRZ stress conditions seed theirs), so the rest of the frame stays the seed's.
      const thumbRandom = createRandom(seed * 7919 + 104_729);
      const thumb = thumbInFrame(thumbOver(card, rendered.keepClear, CARD_PX_PER_MM, thumbRandom), card, corners, quality.widthFraction(corners, width) * width);
      paintThumb(frame, thumb);
      uncoverThumb(coverage, width, thumb);
    }
  }
  const blurSigma = options.clean || random.chance(0.55) ? 0 : random.range(0.6, 4);
  ctx.putImageData(new ImageData(new Uint8ClampedArray(frame.data), width, height), 0, 0);
  if (blurSigma > 0) {
    const copy = new OffscreenCanvas(width, height);
    copy.getContext('2d')!.drawImage(canvas, 0, 0);
    ctx.filter = `blur(${blurSigma.toFixed(3)}px)`;
    ctx.drawImage(copy, 0, 0);
    ctx.filter = 'none';
  }
  const image: RgbaImage<Uint8ClampedArray> = { width, height, data: ctx.getImageData(0, 0, width, height).data };
  const outlineShown = corners ? outlineShownFraction(image, corners) : null;
  for (let i = 0; i < image.data.length; i += 4) {
    const noise = (random.next() - 0.5) * 6;
    image.data[i] = image.data[i]! + noise;
    image.data[i + 1] = image.data[i + 1]! + noise;
    image.data[i + 2] = image.data[i + 2]! + noise;
  }
  const stats = regionStats(image, coverage, 250);
  const documentWidthPx = corners ? quality.widthFraction(corners, width) * width : 0;
  return {
    image,
    label: {
      seed,
      document: kind,
      renderer,
      background,
      corners,
      pose,
      focalLengthFraction,
      style,
      tiltDeg,
      widthFraction: corners ? quality.widthFraction(corners, width) : 0,
      cornerMarginPx: corners ? quality.cornerMarginPx(corners, width, height) : 0,
      blurSigma,
      blurSigmaAtReference: documentWidthPx > 0 ? (Math.max(blurSigma, 0.5) * 640) / documentWidthPx : 0,
      gain,
      brightness: stats.brightness,
      glareFraction,
      clippedContentFraction,
      clippedContentWithStockFraction,
      lostSecurityPrintFraction,
      outlineShownFraction: outlineShown,
    },
  };
}
