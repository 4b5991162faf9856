/**
 * Cold and warm start to each step's readiness (#17), in headless Chromium, on `<ekyc-flow>` from the
 * prebuilt browser bundle with the self-hosted assets served gzip-compressed and immutable
 * (static-server.ts), WASM backend, a config session (no verifier).
 *
 * cold: a fresh browser profile (empty HTTP cache) visits the page; warm: the same profile visits it
 * again (HTTP cache filled). The SDK keeps no model in Cache Storage or IndexedDB (its only IndexedDB
 * use is the evidence outbox): a warm start is the HTTP cache plus compiling and initialising every
 * runtime and model again in fresh workers.
 *
 * The document is shown to the fake camera (auto-capture; the upload 20 s after the workers are
 * ready if no capture came), the liveness camera sees no face, so the selfie is uploaded once the
 * liveness worker is ready; the flow then matches the faces and seals the evidence locally.
 * Needs `npm run build` (the bundle) and `npm run assets`.
 */
import type { BenchResult } from '../types.ts';
import { median } from '../types.ts';
import type { ServedRequest } from './static-server.ts';
import { sdkFolders, bytesBetween, launchProfile, loadNow, loadRange, makeFixtures, startSdkServer, visitFlow, type DrivenContext, type FlowReport, type NetworkEntry } from './flow-run.ts';

const ROUNDS = Number(process.env['EKYC_BENCH_READINESS_ROUNDS'] ?? 2);
const RUN_TIMEOUT_MS = 240_000;
const MB = 1e6;

interface Measures {
  consent: number;
  quality: number;
  firstFrame: number;
  documentWorker: number;
  documentStep: number;
  face: number;
  liveness: number;
  faceMatch: number;
  bytes: Record<Phase, ReturnType<typeof bytesBetween>>;
  load: number;
}

type Phase = 'consent' | 'document' | 'document-read' | 'liveness' | 'face-match';
const PHASES: Array<{ phase: Phase; label: string }> = [
  { phase: 'consent', label: 'page, bundle and consent code, until consent shows' },
  { phase: 'document', label: 'after consent until the document is read: post-consent code, quality + document workers' },
  { phase: 'document-read', label: 'document-read and review: face worker' },
  { phase: 'liveness', label: 'liveness: liveness worker' },
  { phase: 'face-match', label: 'face match, evidence, result' },
];

function measure(report: FlowReport, network: readonly NetworkEntry[], served: readonly ServedRequest[], load: number): Measures {
  const stepAt = (step: string): number => {
    const entry = report.steps.find((s) => s.step === step);
    if (!entry) throw new Error(`the flow never entered ${step} (steps: ${report.steps.map((s) => s.step).join(', ')}; errors: ${report.errors.map((e) => e.code).join(', ')})`);
    return entry.at;
  };
  const readyAt = (worker: string): number => {
    const entry = report.models.find((m) => m.worker === worker);
    if (entry?.readyAt == null) throw new Error(`the ${worker} worker never became ready`);
    return entry.readyAt;
  };
  const consentAt = report.awaiting.find((a) => a.awaiting === 'consent')?.at;
  if (consentAt === undefined) throw new Error('consent never waited for the user');
  const front = stepAt('document-front');
  const read = stepAt('document-read');
  const live = stepAt('liveness');
  const match = stepAt('face-match');
  const embedded = report.processing.find((p) => p.step === 'face-match' && p.task === 'face.embed' && p.done === p.total)?.at;
  const firstGuidance = report.guidance.find((g) => g.step === 'document-front')?.at;
  const bounds: Array<[Phase, number, number]> = [
    ['consent', Number.NEGATIVE_INFINITY, consentAt], ['document', consentAt, read], ['document-read', read, live], ['liveness', live, match], ['face-match', match, Number.POSITIVE_INFINITY],
  ];
  const bytes = Object.fromEntries(bounds.map(([phase, from, to]) => [phase, bytesBetween(report, network, served, from, to)])) as Measures['bytes'];
  return {
    consent: consentAt,
    quality: readyAt('quality') - front,
    firstFrame: firstGuidance === undefined ? Number.NaN : firstGuidance - front,
    documentWorker: readyAt('document') - front,
    documentStep: Math.max(readyAt('quality'), readyAt('document')) - front,
    face: readyAt('face') - read,
    liveness: readyAt('liveness') - live,
    faceMatch: embedded === undefined ? Number.NaN : embedded - match,
    bytes,
    load,
  };
}

export default async function run(ctx: DrivenContext): Promise<BenchResult[]> {
  sdkFolders(ctx); // fails in a second, not after the fixtures, when the bundle or the assets are missing or stale
  const fixtures = await makeFixtures(ctx);
  const server = await startSdkServer(ctx, fixtures);
  const cold: Measures[] = [];
  const warm: Measures[] = [];
  const captures: Array<'auto-capture' | 'upload'> = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const profile = await launchProfile(fixtures);
      try {
        for (const [label, into] of [['cold', cold], ['warm', warm]] as const) {
          const load = loadNow();
          const servedBefore = server.served.length;
          const { report, network } = await visitFlow(profile.context, server, 'readiness', RUN_TIMEOUT_MS);
          if (report.status !== 'complete') throw new Error(`${label} run ended ${report.status}: ${report.errors.map((e) => `${e.step}:${e.code}`).join(', ')}`);
          into.push(measure(report, network, server.served.slice(servedBefore), load));
          captures.push(report.uploads.some((u) => u.step === 'document-front') ? 'upload' : 'auto-capture');
          ctx.log(`readiness ${label} ${round + 1}/${ROUNDS}: document step ready ${Math.round(into.at(-1)!.documentStep)} ms, load ${load.toFixed(1)}`);
        }
      } finally {
        await profile.close();
      }
    }
  } finally {
    await server.close();
    fixtures.dispose();
  }

  const results: BenchResult[] = [];
  const notes = (set: Measures[], extra = ''): string => `${extra}${extra ? '; ' : ''}${loadRange(set.map((m) => m.load))}`;
  const row = (phase: 'cold' | 'warm', set: Measures[], name: string, pick: (m: Measures) => number, extra = '', target?: string): void => {
    results.push({ suite: 'readiness', name: `${phase}: ${name}`, unit: 'ms', value: median(set.map(pick)), runs: set.length, ...(target ? { target } : {}), notes: notes(set, extra) });
  };
  for (const [phase, set] of [['cold', cold], ['warm', warm]] as const) {
    const ms = (pick: (m: Measures) => number): string => `${Math.round(median(set.map(pick)))} ms`;
    row(phase, set, 'consent shown (from navigation start)', (m) => m.consent);
    row(phase, set, 'document capture ready: quality worker (from document-front entered)', (m) => m.quality, `first camera frame judged at ${ms((m) => m.firstFrame)}`);
    row(phase, set, 'document read ready: document worker (preloaded at document-front)', (m) => m.documentWorker);
    const captured = `the page was auto-captured from the fake camera in ${captures.filter((c) => c === 'auto-capture').length}/${captures.length} runs (else uploaded)`;
    row(phase, set, 'document step ready: both document workers (from document-front entered)', (m) => m.documentStep, captured, phase === 'warm' ? '<= 2500 ms warm' : undefined);
    row(phase, set, 'document-read ready: face worker (from document-read entered)', (m) => m.face);
    row(phase, set, 'liveness ready: liveness worker (from liveness entered)', (m) => m.liveness);
    row(phase, set, 'face match done: two embeddings (from face-match entered; face worker already loaded)', (m) => m.faceMatch);
    for (const { phase: p, label } of PHASES) {
      const requests = `${median(set.map((m) => m.bytes[p].requests))} requests, ${median(set.map((m) => m.bytes[p].served))} reached the server, ${median(set.map((m) => m.bytes[p].withBody))} answered with a body (${(median(set.map((m) => m.bytes[p].servedBodyBytes)) / MB).toFixed(2)} MB sent)`;
      results.push({ suite: 'readiness', name: `${phase}: transferred, ${label}`, unit: 'MB', value: median(set.map((m) => m.bytes[p].bytes)) / MB, runs: set.length, notes: `compressed bytes on the wire (gzip), headers included; ${requests}; ${loadRange(set.map((m) => m.load))}` });
    }
  }
  return results;
}
