// Replays an eval:quality --data folder (e.g. one written by `--write-data DIR`) through the quality
// analyzer in Node: the same OpenCV.js build, QualityAnalyzer, default thresholds and `assessStill` the
// worker runs, so a PNG frame reads here as it does in the browser eval (the same summary as
// `eval:quality -- --data DIR` on held sets 130000 and 490000, session 25). For work on the outline search
// and the checks: a few seconds per hundred frames, no browser, and the frames a change moved side by side.
//   node --conditions=source --import tsx scripts/replay-quality.ts DIR [--save OUT.json] [--compare BEFORE.json] [--only a.png,b.png] [--list]
// `--save`: every frame's outcome (found, corner error as a share of the width, judged good, guidance, the outline
// found, every check's verdict and the frame's metrics);
// `--compare`: prints the frames whose outcome differs from a saved run; `--list`: every frame's outcome.
// The last stdout line is the eval's JSON summary for the folder.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { quality } from '@ekyc/core';
import { decodeArtifact } from '../packages/verifier/src/rescore/images.ts';
import { QualityAnalyzer } from '../packages/workers/src/pipelines/quality/quality-analyzer.ts';
import { loadOpenCvForTests } from '../packages/workers/test/opencv-node.ts';
import { cornerError, cornersInView, headline, judgedGood, labelWidth, readLabels, type DataLabel } from './quality-data.mjs';

interface Outcome {
  file: string;
  good: boolean;
  judgedGood: boolean;
  found: boolean;
  error: number | null;
  guidance: string;
  /** The outline found (px, rounded), TL TR BR BL. */
  quad: number[][] | null;
  checks: quality.CheckResults;
  metrics: Omit<quality.FrameMetrics, 'document'>;
}
/** What `--compare` reads of a saved run: saves written before session 36 hold only these. */
type Saved = Pick<Outcome, 'file' | 'good' | 'judgedGood' | 'found' | 'error' | 'guidance'>;

const args = process.argv.slice(2);
const option = (name: string): string | undefined => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!dir) throw new Error('usage: replay-quality.ts DIR [--save OUT.json] [--compare BEFORE.json] [--only a.png,b.png] [--list]');
const only = option('--only')?.split(',');

const { cv } = await loadOpenCvForTests();
const analyzer = new QualityAnalyzer(cv);
const thresholds = quality.resolveQualityThresholds({});
const mediaType = (file: string): string => (/\.png$/i.test(file) ? 'image/png' : 'image/jpeg');

const results: { label: DataLabel; assessment: quality.FrameAssessment }[] = [];
const outcomes: Outcome[] = [];
for (const label of readLabels(dir).filter((l) => !only || only.includes(l.file))) {
  const bytes = readFileSync(path.join(dir, label.file));
  const artifact = { mediaType: mediaType(label.file), width: null, height: null } as Parameters<typeof decodeArtifact>[0];
  const frame = decodeArtifact(artifact, new Uint8Array(bytes));
  if (!frame) throw new Error(`${label.file}: not a PNG or JPEG this script can decode`);
  const assessment = quality.assessStill(analyzer.analyze(frame, thresholds), thresholds);
  results.push({ label, assessment });
  const { metrics } = assessment;
  const error = label.corners && cornersInView(label.corners, metrics) ? cornerError(label.corners, metrics) : null;
  outcomes.push({
    file: label.file,
    good: label.good,
    judgedGood: judgedGood({ assessment }),
    found: metrics.document !== null,
    error: error === null ? null : Number((error / labelWidth(label.corners!)).toFixed(4)),
    guidance: assessment.guidance.join(','),
    quad: metrics.document?.corners.map((p) => [Math.round(p.x), Math.round(p.y)]) ?? null,
    checks: assessment.checks,
    metrics: (({ document: _, ...rest }) => rest)(metrics),
  });
}

const show = (o: Saved | undefined): string => (o ? `${o.found ? (o.error === null ? 'found' : `${(100 * o.error).toFixed(1)}%`) : 'none'} ${o.judgedGood ? 'GOOD' : o.guidance}` : '-');
if (args.includes('--list')) for (const o of outcomes) console.log(`${o.file} ${o.good ? 'clean' : 'problem'} ${show(o)} ${o.quad ? JSON.stringify(o.quad) : ''}`);
const compare = option('--compare');
if (compare) {
  const before = new Map((JSON.parse(readFileSync(compare, 'utf8')) as Saved[]).map((o) => [o.file, o]));
  const within = (o: Saved | undefined): boolean => o?.error !== null && o?.error !== undefined && o.error < 0.05;
  for (const o of outcomes) {
    const b = before.get(o.file);
    if (b && b.judgedGood === o.judgedGood && b.found === o.found && within(b) === within(o) && Math.abs((b.error ?? 0) - (o.error ?? 0)) < 0.005) continue;
    console.log(`${o.file} ${o.good ? 'clean' : 'problem'}: ${show(b)} -> ${show(o)}`);
  }
}
const save = option('--save');
if (save) writeFileSync(save, JSON.stringify(outcomes));
console.log(JSON.stringify(headline(results, (r) => r.label.good, (r) => r.label.corners, (r) => labelWidth(r.label.corners!))));
