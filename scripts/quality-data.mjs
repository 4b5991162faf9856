// The --data format of eval:quality (a folder of images and labels.json) and the one-line summary every
// run ends with: shared by eval-quality.mjs (in Chromium) and replay-quality.ts (in Node).
import { readFileSync } from 'node:fs';
import path from 'node:path';

const dist = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
const quantile = (values, q) => { const s = [...values].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN; };

/** Out-of-plane angle of a pose: the plane normal's angle to the optical axis, whatever the order of pitch and yaw. */
export const poseTilt = (pitchDeg, yawDeg) => (Math.acos(Math.min(1, Math.abs(Math.cos((pitchDeg * Math.PI) / 180) * Math.cos((yawDeg * Math.PI) / 180)))) * 180) / Math.PI;

/** `DIR/labels.json` as `{ file, corners: [{x,y}] x4 | null, good, tiltDeg }` per image. */
export function readLabels(dir) {
  const raw = JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8'));
  const entries = Array.isArray(raw) ? raw : Object.entries(raw).map(([file, v]) => ({ file, ...v }));
  return entries.map((e) => {
    if (typeof e.file !== 'string' || typeof e.good !== 'boolean') throw new Error(`labels.json: every entry needs "file" and "good" (${JSON.stringify(e).slice(0, 80)})`);
    const corners = Array.isArray(e.corners) ? e.corners.map(([x, y]) => ({ x, y })) : null;
    const pose = Array.isArray(e.pose) ? { pitchDeg: e.pose[0], yawDeg: e.pose[1] } : e.pose ? { pitchDeg: e.pose.pitchDeg ?? e.pose.pitch ?? 0, yawDeg: e.pose.yawDeg ?? e.pose.yaw ?? 0 } : null;
    return { file: e.file, corners, good: e.good, tiltDeg: pose ? poseTilt(pose.pitchDeg, pose.yawDeg) : undefined };
  });
}

/** A labelled document's width for "within 5%": the mean of the top and bottom edges of its corners. */
export const labelWidth = (corners) => (dist(corners[0], corners[1]) + dist(corners[3], corners[2])) / 2;

export const judgedGood = (r) => r.assessment.guidance[0] === 'good';

/** The largest distance from a labelled corner to the found one (same order), or null when none was found. */
export function cornerError(corners, metrics) {
  const found = metrics.document?.corners;
  return corners && found ? Math.max(...corners.map((c, i) => dist(c, found[i]))) : null;
}

/** Whether every labelled corner lies inside the frame (a cut-off corner has no pixel to find). */
export const cornersInView = (corners, metrics) => corners.every((c) => c.x > 0 && c.y > 0 && c.x < metrics.frameWidth && c.y < metrics.frameHeight);

/** The one-line summary every run ends with (generated or --data). */
export function headline(results, good, documentOf, widthOf) {
  const withDoc = results.filter((r) => documentOf(r));
  const found = withDoc.filter((r) => r.assessment.metrics.document);
  const bad = results.filter((r) => !good(r));
  const inView = found.filter((r) => cornersInView(documentOf(r), r.assessment.metrics));
  const errors = inView.map((r) => cornerError(documentOf(r), r.assessment.metrics));
  const within = inView.filter((r, i) => errors[i] < 0.05 * widthOf(r)).length;
  const tilts = inView.filter((r) => Number.isFinite(r.label.tiltDeg)).map((r) => Math.abs(r.label.tiltDeg - r.assessment.metrics.document.tiltDeg));
  const round = (v, d = 4) => (Number.isFinite(v) ? Number(v.toFixed(d)) : null);
  return {
    frames: results.length,
    found: round(found.length / withDoc.length),
    goodJudgedGood: round(results.filter((r) => good(r) && judgedGood(r)).length / results.filter(good).length),
    badJudgedGood: round(bad.filter(judgedGood).length / bad.length),
    cornerErrorMedianPx: round(quantile(errors, 0.5), 2),
    withinFivePercent: round(within / inView.length),
    tiltErrorMedianDeg: round(quantile(tilts, 0.5), 2),
  };
}
