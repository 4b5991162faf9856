import { describe, expect, it } from 'vitest';
import { framingChecks, rankGuidance, runChecks } from './assess.ts';
import { CaptureSession, assessStill } from './auto-capture.ts';
import { DEFAULT_QUALITY_THRESHOLDS, resolveQualityThresholds } from './thresholds.ts';
import { EkycError } from '../errors.ts';
import type { FrameMetrics, Quad } from './types.ts';

// An ID-1 card (85.6 x 53.98 mm) 800 px wide, facing the camera.
const corners: Quad = [{ x: 240, y: 108 }, { x: 1040, y: 108 }, { x: 1040, y: 612 }, { x: 240, y: 612 }];

function goodFrame(overrides: Partial<FrameMetrics> = {}, doc: Partial<NonNullable<FrameMetrics['document']>> = {}): FrameMetrics {
  return {
    frameWidth: 1280,
    frameHeight: 720,
    document: { corners, widthFraction: 0.625, tiltDeg: 3, cornerMarginPx: 160, ...doc },
    sharpness: 400,
    glareFraction: 0.01,
    brightness: 140,
    contrast: 50,
    clippedFraction: 0.01,
    darkLevel: 40,
    medianLevel: 150,
    ...overrides,
  };
}

const t = DEFAULT_QUALITY_THRESHOLDS;
const guidanceOf = (m: FrameMetrics, motion = 0) => rankGuidance(m, runChecks(m, motion, t), t);

describe('rankGuidance', () => {
  it('says good only when every check passes', () => {
    expect(guidanceOf(goodFrame())).toEqual(['good']);
  });

  it('names each problem with its code', () => {
    expect(guidanceOf(goodFrame({ document: null }))).toEqual(['no_document']);
    expect(guidanceOf(goodFrame({}, { widthFraction: 0.3 }))).toEqual(['move_closer']);
    expect(guidanceOf(goodFrame({}, { widthFraction: 0.95 }))).toEqual(['move_farther']);
    expect(guidanceOf(goodFrame({}, { tiltDeg: 25 }))).toEqual(['align_document']);
    expect(guidanceOf(goodFrame({}, { cornerMarginPx: -4 }))).toEqual(['align_document']);
    expect(guidanceOf(goodFrame({ brightness: 50 }))).toEqual(['too_dark']);
    expect(guidanceOf(goodFrame({ brightness: 230, darkLevel: 170, medianLevel: 250, clippedFraction: 0.7 }))).toEqual(['too_bright']);
    expect(guidanceOf(goodFrame({ contrast: 5, brightness: 190 }))).toEqual(['too_bright']);
    expect(guidanceOf(goodFrame({ contrast: 5, brightness: 90 }))).toEqual(['too_dark']);
    expect(guidanceOf(goodFrame({ glareFraction: 0.2 }))).toEqual(['reduce_glare']);
    expect(guidanceOf(goodFrame({ sharpness: 20 }))).toEqual(['hold_steady']);
    expect(guidanceOf(goodFrame(), 0.05)).toEqual(['hold_steady']);
  });

  it('passes a well-exposed white card: bright and clipped where blank, but its print keeps its contrast', () => {
    // Measured on an evenly lit white ID-1 card: 60% of its pixels at or above 250, text and portrait intact.
    const white = goodFrame({ brightness: 236, contrast: 45, clippedFraction: 0.6, darkLevel: 55, medianLevel: 252, glareFraction: 0 });
    expect(guidanceOf(white)).toEqual(['good']);
    // The same card over-exposed: the print is lifted towards the stock.
    expect(guidanceOf({ ...white, darkLevel: 160, brightness: 245 })).toEqual(['too_bright']);
  });

  it('judges a document over-exposed only when it is bright, clipped outside its glare and its print has lost contrast', () => {
    const clipped = goodFrame({ brightness: 215, clippedFraction: 0.5, darkLevel: 150, medianLevel: 250 });
    expect(guidanceOf(clipped)).toEqual(['too_bright']);
    expect(guidanceOf({ ...clipped, darkLevel: 60 })).toEqual(['good']);
    // Clipped but not bright: a mid-tone card with a clipped white zone keeps its stock's tone.
    expect(guidanceOf({ ...clipped, brightness: 190 })).toEqual(['good']);
    // Measured on a well-exposed TD3 page on light stock with a coloured (not dark) header (tuning seed
    // 1020, clean set): bright, light print, but nothing clipped, so nothing lost.
    expect(guidanceOf(goodFrame({ brightness: 211, contrast: 36, clippedFraction: 0, darkLevel: 160, medianLevel: 227 }))).toEqual(['good']);
  });

  it('ranks framing before light, light before glare, glare before steadiness', () => {
    const everything = goodFrame({ brightness: 40, glareFraction: 0.3, sharpness: 10 }, { widthFraction: 0.2, tiltDeg: 30 });
    expect(guidanceOf(everything, 0.1)).toEqual(['move_closer', 'align_document', 'too_dark', 'reduce_glare', 'hold_steady']);
  });

  it('a document cut off and reading far asks to be brought into view before moving closer', () => {
    expect(guidanceOf(goodFrame({}, { widthFraction: 0.3, cornerMarginPx: -20 }))).toEqual(['align_document', 'move_closer']);
    expect(guidanceOf(goodFrame({}, { widthFraction: 0.3, cornerMarginPx: 60 }))).toEqual(['move_closer']);
  });

  it('a document cut off because it is too close asks to move farther, not to align', () => {
    expect(guidanceOf(goodFrame({}, { widthFraction: 0.97, cornerMarginPx: -20 }))).toEqual(['move_farther']);
  });

  it('without a document, names a lighting problem first', () => {
    expect(guidanceOf(goodFrame({ document: null, brightness: 10, contrast: 2 }))).toEqual(['too_dark', 'no_document']);
  });

  it('without a document, a frame clipped over half is too bright, its print dark or not', () => {
    // Measured on a light card over-exposed on a light background (380168 of the quality sets): the card's
    // edge clipped away, its text still dark, so the frame's print contrast alone passed it.
    const whiteOut = goodFrame({ document: null, brightness: 243, contrast: 30, clippedFraction: 0.86, darkLevel: 60, medianLevel: 255 });
    expect(guidanceOf(whiteOut)).toEqual(['too_bright', 'no_document']);
    expect(guidanceOf({ ...whiteOut, clippedFraction: 0.4 })).toEqual(['no_document']);
    // A found document is judged on its own exposure: a white card clipped where it is blank passes.
    expect(guidanceOf({ ...whiteOut, document: goodFrame().document })).toEqual(['good']);
  });
});

describe('framingChecks', () => {
  const corners: Quad = [{ x: 100, y: 100 }, { x: 900, y: 100 }, { x: 900, y: 600 }, { x: 100, y: 600 }];
  const doc = { corners, widthFraction: 0.625, tiltDeg: 5, cornerMarginPx: 100 };
  const t = DEFAULT_QUALITY_THRESHOLDS;

  it('passes a document in range, clear of the border and facing the camera, and fails each limit on its own', () => {
    expect(framingChecks(doc, 1280, 720, t)).toEqual({ distance: true, cutoff: true, tilt: true });
    expect(framingChecks({ ...doc, widthFraction: 0.45 }, 1280, 720, t)).toEqual({ distance: false, cutoff: true, tilt: true });
    expect(framingChecks({ ...doc, widthFraction: 0.95 }, 1280, 720, t)).toEqual({ distance: false, cutoff: true, tilt: true });
    // The margin is 2% of the shorter side: 14.4 px on 1280 x 720.
    expect(framingChecks({ ...doc, cornerMarginPx: 14 }, 1280, 720, t).cutoff).toBe(false);
    expect(framingChecks({ ...doc, cornerMarginPx: 15 }, 1280, 720, t).cutoff).toBe(true);
    expect(framingChecks({ ...doc, tiltDeg: 16 }, 1280, 720, t)).toEqual({ distance: true, cutoff: true, tilt: false });
  });
});

describe('shape', () => {
  // Corners of quality-set outlines judged good before the shape check (#18, session 30): the card above its
  // MRZ band, outlined along the band's top edge (600195, 19% of the width off its corners), and the
  // card's labelled corners in the same frame.
  const aboveBand: Quad = [{ x: 261, y: 152 }, { x: 1029, y: 81 }, { x: 1069, y: 417 }, { x: 293, y: 499 }];
  const card: Quad = [{ x: 261, y: 152 }, { x: 1030, y: 82 }, { x: 1086, y: 562 }, { x: 308, y: 649 }];
  const frame = (quad: Quad) => goodFrame({}, { corners: quad });

  it('passes a document format seen at an angle and either way up, and refuses an outline without its proportions', () => {
    expect(runChecks(frame(card), 0, t).shape).toBe(true);
    // A passport page (ID-3) and an ID-1 card held upright.
    expect(runChecks(frame([{ x: 300, y: 100 }, { x: 1010, y: 100 }, { x: 1010, y: 600 }, { x: 300, y: 600 }]), 0, t).shape).toBe(true);
    expect(runChecks(frame([{ x: 440, y: 40 }, { x: 840, y: 40 }, { x: 840, y: 674 }, { x: 440, y: 674 }]), 0, t).shape).toBe(true);
    expect(runChecks(frame(aboveBand), 0, t).shape).toBe(false);
    expect(guidanceOf(frame(aboveBand))).toEqual(['align_document']);
    expect(guidanceOf(frame(card))).toEqual(['good']);
  });

  it('is a threshold: a large limit passes any outline, a session focal length rectifies with it', () => {
    const loose = resolveQualityThresholds({ maxShapeError: 1 });
    expect(runChecks(frame(aboveBand), 0, loose).shape).toBe(true);
    expect(runChecks(frame(card), 0, resolveQualityThresholds({ focalLengthFraction: 0.8 })).shape).toBe(true);
    expect(() => resolveQualityThresholds({ maxShapeError: -1 })).toThrow(EkycError);
  });

  it('adds nothing to a cut-off outline, whose part in view has no proportions to judge', () => {
    // A card held too close runs off the frame: moving back is the whole guidance.
    const tooClose = goodFrame({}, { corners: aboveBand, widthFraction: 0.95, cornerMarginPx: -40 });
    expect(runChecks(tooClose, 0, t).shape).toBe(false);
    expect(guidanceOf(tooClose)).toEqual(['move_farther']);
  });

  it('fails without a document', () => {
    expect(runChecks(goodFrame({ document: null }), 0, t).shape).toBe(false);
  });
});

describe('CaptureSession', () => {
  it('fires capture once after N consecutive steady good frames', () => {
    const session = new CaptureSession({ stableFramesToCapture: 3 });
    const results = Array.from({ length: 6 }, () => session.next(goodFrame()));
    // Frame 1 has no previous quad to prove steadiness.
    expect(results.map((r) => r.stableFrames)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.capture)).toEqual([false, false, false, true, false, false]);
    expect(results[0]!.guidance).toEqual(['hold_steady']);
  });

  it('restarts the count on motion or a bad frame, and again after reset', () => {
    const session = new CaptureSession({ stableFramesToCapture: 2 });
    session.next(goodFrame());
    expect(session.next(goodFrame()).stableFrames).toBe(1);
    const moved = corners.map((p) => ({ x: p.x + 40, y: p.y })) as unknown as Quad;
    const shaken = session.next(goodFrame({}, { corners: moved }));
    expect(shaken.motion).toBeCloseTo(40 / 1280);
    expect(shaken.stableFrames).toBe(0);
    expect(session.next(goodFrame({}, { corners: moved })).stableFrames).toBe(1);
    expect(session.next(goodFrame({ glareFraction: 0.5 }, { corners: moved })).stableFrames).toBe(0);
    expect(session.next(goodFrame({}, { corners: moved })).stableFrames).toBe(1);
    expect(session.next(goodFrame({}, { corners: moved })).capture).toBe(true);
    expect(session.hasCaptured).toBe(true);
    session.reset();
    expect(session.hasCaptured).toBe(false);
  });
});

describe('assessStill', () => {
  it('captures a good still and refuses a bad one', () => {
    expect(assessStill(goodFrame()).capture).toBe(true);
    expect(assessStill(goodFrame({ sharpness: 5 })).guidance).toEqual(['hold_steady']);
  });
});

describe('resolveQualityThresholds', () => {
  it('keeps the industry defaults and applies overrides', () => {
    expect(resolveQualityThresholds()).toEqual(DEFAULT_QUALITY_THRESHOLDS);
    expect(DEFAULT_QUALITY_THRESHOLDS).toMatchObject({ minSharpness: 100, maxGlareFraction: 0.05, minBrightness: 80, maxBrightness: 200, maxTiltDeg: 15, minWidthFraction: 0.5, maxWidthFraction: 0.9 });
    expect(resolveQualityThresholds({ maxTiltDeg: 10 }).maxTiltDeg).toBe(10);
  });

  it('rejects unknown keys, out-of-range values and inverted ranges with invalid_argument', () => {
    const bad = [{ nope: 1 }, { maxGlareFraction: 2 }, { minSharpness: Number.NaN }, { minBrightness: 220 }];
    for (const overrides of bad) {
      expect(() => resolveQualityThresholds(overrides as never)).toThrow(EkycError);
      try {
        resolveQualityThresholds(overrides as never);
      } catch (error) {
        expect((error as EkycError).code).toBe('invalid_argument');
      }
    }
  });
});
