import { describe, expect, it } from 'vitest';
import { quality } from '@ekyc/core';
import { QualityStream } from './stream.ts';

const card: quality.Quad = [{ x: 300, y: 200 }, { x: 980, y: 210 }, { x: 975, y: 640 }, { x: 295, y: 630 }];

function metrics(corners: quality.Quad | null): quality.FrameMetrics {
  const document = corners
    ? { corners, widthFraction: quality.widthFraction(corners, 1280), tiltDeg: 2, cornerMarginPx: quality.cornerMarginPx(corners, 1280, 720) }
    : null;
  return { frameWidth: 1280, frameHeight: 720, document, sharpness: 400, glareFraction: 0, brightness: 150, contrast: 50, clippedFraction: 0, darkLevel: 40, medianLevel: 150 };
}

/** Runs one frame as the worker does: the outline to follow, then the metrics measured from it. */
function frame(stream: QualityStream, found: quality.Quad | null): { followed: quality.Quad | null; assessment: quality.FrameAssessment } {
  const followed = stream.outlineToFollow();
  return { followed, assessment: stream.next(metrics(found), followed) };
}

describe('QualityStream', () => {
  it('follows the last outline, and asks for a full detection after 10 followed frames', () => {
    const stream = new QualityStream();
    expect(frame(stream, card).followed).toBeNull();
    const followed = Array.from({ length: 12 }, () => frame(stream, card).followed);
    // Frames 2..11 follow; the 12th detects afresh; the one after follows again.
    expect(followed.slice(0, 10).every((q) => q === card)).toBe(true);
    expect(followed[10]).toBeNull();
    expect(followed[11]).toBe(card);
  });

  it('detects afresh after a frame without a document', () => {
    const stream = new QualityStream();
    frame(stream, card);
    frame(stream, null);
    expect(stream.outlineToFollow()).toBeNull();
  });

  it('detects afresh after an outline in view without a document\'s proportions, and follows one running off the frame', () => {
    const stream = new QualityStream();
    // The card above its MRZ band: in range, in view, 2.4:1.
    const aboveBand: quality.Quad = [{ x: 300, y: 200 }, { x: 980, y: 210 }, { x: 978, y: 490 }, { x: 298, y: 480 }];
    expect(frame(stream, aboveBand).assessment.checks.shape).toBe(false);
    expect(stream.outlineToFollow()).toBeNull();
    // A card running off the right border: its part in view has no format's proportions, and is followed.
    const runningOff: quality.Quad = [{ x: 900, y: 200 }, { x: 1300, y: 210 }, { x: 1295, y: 640 }, { x: 895, y: 630 }];
    const { assessment } = frame(stream, runningOff);
    expect(assessment.checks.shape).toBe(false);
    expect(assessment.checks.cutoff).toBe(false);
    expect(stream.outlineToFollow()).toBe(runningOff);
  });

  it('forgets the outline and the stability count together on reset and configure', () => {
    const stream = new QualityStream({ stableFramesToCapture: 3 });
    // The first frame with a document cannot prove it is steady; the ones after count.
    const counts = () => Array.from({ length: 3 }, () => frame(stream, card).assessment.stableFrames);
    expect(counts()).toEqual([0, 1, 2]);
    stream.reset();
    expect(stream.outlineToFollow()).toBeNull();
    expect(counts()).toEqual([0, 1, 2]);
    const thresholds = stream.configure({ stableFramesToCapture: 5 });
    expect(thresholds.stableFramesToCapture).toBe(5);
    expect(stream.thresholds).toBe(thresholds);
    expect(stream.outlineToFollow()).toBeNull();
    expect(counts()).toEqual([0, 1, 2]);
  });
});
