import { formatAspectError } from './aspect-growth.ts';
import { judgeExposure } from './exposure.ts';
import { inFocus } from './focus.ts';
import type { QualityThresholds } from './thresholds.ts';
import type { CheckResults, DocumentMetrics, FrameMetrics, GuidanceCode } from './types.ts';

/**
 * Share of a frame without a found document clipped to white over which it is too bright, whatever its
 * print's contrast: the print rules judge a document within its outline (a light card keeps its text
 * dark while its stock clips), but a frame half white has lost what edges there were. On the six pooled
 * quality sets (#18, session 16's dumps) 22 of the 43 frames whose card was not found were clipped over
 * half, 7 of them told only `no_document`; 3 of the 153 frames without a card were, all told `too_bright`.
 */
const WHITE_OUT_FRACTION = 0.5;

/** The lighting verdict: a document's exposure (`judgeExposure`); without one, a frame half clipped is too bright. */
function exposureOf(metrics: FrameMetrics, t: QualityThresholds): ReturnType<typeof judgeExposure> {
  if (metrics.document === null && metrics.clippedFraction > WHITE_OUT_FRACTION) return 'too_bright';
  return judgeExposure(metrics, t);
}

/** The framing checks of a found document: its width in range, its corners clear of the frame border, its tilt under the limit. */
export function framingChecks(doc: DocumentMetrics, frameWidth: number, frameHeight: number, t: QualityThresholds): Pick<CheckResults, 'distance' | 'cutoff' | 'tilt'> {
  return {
    distance: doc.widthFraction >= t.minWidthFraction && doc.widthFraction <= t.maxWidthFraction,
    cutoff: doc.cornerMarginPx >= t.cornerMarginFraction * Math.min(frameWidth, frameHeight),
    tilt: doc.tiltDeg <= t.maxTiltDeg,
  };
}

/**
 * Whether a found document's outline has a document format's proportions (`maxShapeError`), rectified at
 * the pose it implies (with the session's focal length when it has one).
 */
export function hasDocumentShape(doc: DocumentMetrics, frameWidth: number, frameHeight: number, t: QualityThresholds): boolean {
  const focal = t.focalLengthFraction > 0 ? { minFocalFraction: t.focalLengthFraction, maxFocalFraction: t.focalLengthFraction } : {};
  return formatAspectError(doc.corners, frameWidth, frameHeight, focal) <= t.maxShapeError;
}

/**
 * Whether the outline is wholly in view and has no document's proportions: most likely a part of the
 * document or more than it (the ranking asks to re-frame, a stream detects afresh). A cut-off outline shows
 * only its part in view, whose proportions say nothing: the cut-off rule speaks for it.
 */
export function misshapenInView(checks: Pick<CheckResults, 'shape' | 'cutoff'>): boolean {
  return !checks.shape && checks.cutoff;
}

/** Pass/fail of every check; checks that need a document fail when there is none. */
export function runChecks(metrics: FrameMetrics, motion: number, t: QualityThresholds): CheckResults {
  const doc = metrics.document;
  const framing = doc ? framingChecks(doc, metrics.frameWidth, metrics.frameHeight, t) : { distance: false, cutoff: false, tilt: false };
  return {
    document: doc !== null,
    ...framing,
    shape: doc !== null && hasDocumentShape(doc, metrics.frameWidth, metrics.frameHeight, t),
    focus: doc !== null && inFocus(metrics, t),
    glare: doc !== null && metrics.glareFraction <= t.maxGlareFraction,
    lighting: exposureOf(metrics, t) === 'ok',
    stability: motion <= t.maxMotion,
  };
}

function lightingGuidance(metrics: FrameMetrics, t: QualityThresholds): GuidanceCode | undefined {
  const verdict = exposureOf(metrics, t);
  return verdict === 'ok' ? undefined : verdict;
}

/**
 * Guidance, most important first. Framing comes first (nothing else can be judged on a document
 * that is not fully and squarely in view), then light (it changes every other measurement), then
 * glare, and last holding still (blur and motion), which is what the user does once all else is right.
 * Without a document, a lighting problem is named before `no_document`: it is often why none was found.
 */
export function rankGuidance(metrics: FrameMetrics, checks: CheckResults, t: QualityThresholds): GuidanceCode[] {
  const lighting = checks.lighting ? undefined : lightingGuidance(metrics, t);
  const doc = metrics.document;
  if (!doc) return lighting ? [lighting, 'no_document'] : ['no_document'];
  const codes: GuidanceCode[] = [];
  // A document cut off by the frame that reads far is brought into view first: moving closer would take more of
  // it out, and the width of its part in view says only that the whole is at least as wide (a card running off
  // the frame outlined as a box printed on it reads far).
  const tooFar = doc.widthFraction < t.minWidthFraction;
  if (tooFar && checks.cutoff) codes.push('move_closer');
  else if (doc.widthFraction > t.maxWidthFraction) codes.push('move_farther');
  // Seen again from another position, a misshapen outline's document often shows its own.
  if (!checks.tilt || misshapenInView(checks) || (!checks.cutoff && !codes.includes('move_farther'))) codes.push('align_document');
  if (tooFar && !checks.cutoff) codes.push('move_closer');
  if (lighting) codes.push(lighting);
  if (!checks.glare) codes.push('reduce_glare');
  if (!checks.focus || !checks.stability) codes.push('hold_steady');
  return codes.length > 0 ? codes : ['good'];
}
